import type {MonitorEvent} from '../../model/event.js';
import type {HighlightSpec} from '../../query/index.js';
import {ellipsize} from '../format.js';
import {dim} from '../paint.js';
import {AlertRow} from './alert-row.js';
import {Line} from './line.js';
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
	/** Whether a row matches the find (f), to mark it. */
	isMatch?: (event: MonitorEvent) => boolean;
};

/** The windowed event list: only the visible rows are ever rendered. */
export function AlertList({title, rows, selected, width, height, focused, emptyText, spec, isMatch}: Props) {
	const inner = width - 2;
	return (
		<Pane title={title} width={width} height={height} focused={focused}>
			{rows.length === 0 ? (
				<Line width={inner}>{dim(ellipsize(` ${emptyText}`, inner))}</Line>
			) : (
				rows.map((event, index) => (
					<AlertRow key={event.seq} event={event} width={inner} selected={index === selected} spec={spec} matched={isMatch?.(event)} />
				))
			)}
		</Pane>
	);
}
