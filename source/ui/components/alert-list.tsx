import {Box, Text} from 'ink';
import type {MonitorEvent} from '../../model/event.js';
import type {HighlightSpec} from '../../query/index.js';
import {AlertRow} from './alert-row.js';
import {Pane} from './pane.js';

type Props = {
	title: string;
	/** Only the rows that fit, newest first. */
	rows: MonitorEvent[];
	/** Index within `rows` of the selected one, -1 when it is not among them. */
	selected: number;
	width: number;
	height: number;
	focused: boolean;
	emptyText: string;
	spec: HighlightSpec | undefined;
};

/** The windowed event list: only the visible rows are ever rendered. */
export function AlertList({title, rows, selected, width, height, focused, emptyText, spec}: Props) {
	const inner = width - 2;
	return (
		<Pane title={title} width={width} height={height} focused={focused}>
			{rows.length === 0 ? (
				<Box paddingX={1}>
					<Text dimColor>{emptyText}</Text>
				</Box>
			) : (
				rows.map((event, index) => (
					<AlertRow key={event.seq} event={event} width={inner} selected={index === selected} spec={spec} />
				))
			)}
		</Pane>
	);
}
