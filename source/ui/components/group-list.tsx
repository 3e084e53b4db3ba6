import type {Group} from '../../store/groups.js';
import {ellipsize} from '../format.js';
import {dim} from '../paint.js';
import {GroupRow} from './group-row.js';
import {Line} from './line.js';
import {Pane} from './pane.js';

type Props = {
	title: string;
	/** Only the rows that fit, in the chosen order. */
	rows: readonly Group[];
	/** Index within `rows` of the selected one. */
	selected: number;
	width: number;
	height: number;
	focused: boolean;
	emptyText: string;
};

/** The windowed group list: only the visible rows are rendered. */
export function GroupList({title, rows, selected, width, height, focused, emptyText}: Props) {
	const inner = width - 2;
	return (
		<Pane title={title} width={width} height={height} focused={focused}>
			{rows.length === 0 ? (
				<Line width={inner}>{dim(ellipsize(` ${emptyText}`, inner))}</Line>
			) : (
				// Keyed by position, as the event list is: groups change places as their counts pass each other, and a
				// keyed row would be moved in React, Ink and Yoga each time where a row in place only gets new text.
				// eslint-disable-next-line react/no-array-index-key
				rows.map((group, index) => <GroupRow key={index} group={group} count={group.count} width={inner} selected={index === selected} sparkWidth={8} />)
			)}
		</Pane>
	);
}
