import {useMemo} from 'react';
import type {MonitorEvent} from '../../model/event.js';
import type {HighlightSpec} from '../../query/index.js';
import {needsDate, timeColumns} from '../dates.js';
import {columns, columnsUpTo, ellipsize, rowCells, type RowParts} from '../format.js';
import {listColumns, type ColumnNeeds, type ListColumns} from '../list-columns.js';
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
	/** Local midnight starting today (localDayStart of now): rows from other days show their date. */
	today: number;
};

const cellCache = new WeakMap<MonitorEvent, {key: string; cells: RowParts}>();

/**
 * An event's cells, made once for as long as the day, the date column and the width stay the same: the list
 * measures them to size its columns, and its rows fit them.
 */
function cellsOf(event: MonitorEvent, today: number, dated: boolean, rowWidth: number): RowParts {
	const key = `${today} ${dated} ${rowWidth}`;
	const cached = cellCache.get(event);
	if (cached?.key === key) return cached.cells;
	const cells = rowCells(event, today, dated, rowWidth);
	cellCache.set(event, {key, cells});
	return cells;
}

/** What the rows shown need of each column, so the resource takes whatever the others leave. */
export function columnNeeds(rows: MonitorEvent[], today: number, rowWidth: number): ColumnNeeds {
	const dated = rows.some(event => needsDate(event, today));
	const needs: ColumnNeeds = {time: dated ? timeColumns.dated : timeColumns.today, action: 0, where: 0, process: 0, what: 0};
	for (const event of rows) {
		const cells = cellsOf(event, today, dated, rowWidth);
		needs.action = Math.max(needs.action, columns(cells.action));
		needs.where = Math.max(needs.where, columnsUpTo(cells.where, rowWidth));
		needs.process = Math.max(needs.process, columnsUpTo(cells.process, rowWidth));
		needs.what = Math.max(needs.what, columnsUpTo(cells.what, rowWidth));
	}

	return needs;
}

/** The columns for these rows in a row `rowWidth` wide, and whether they show dates. */
export function listLayout(rows: MonitorEvent[], today: number, rowWidth: number): {widths: ListColumns; dated: boolean} {
	const needs = columnNeeds(rows, today, rowWidth);
	return {widths: listColumns(rowWidth, needs), dated: needs.time === timeColumns.dated};
}

/** The windowed event list: only the visible rows are ever rendered. */
export function AlertList({title, rows, selected, width, height, focused, emptyText, spec, isMatch, today}: Props) {
	const inner = width - 2;
	// The first column marks the selection; the row's columns share the rest.
	const rowWidth = inner - 1;
	const {widths: computed, dated} = listLayout(rows, today, rowWidth);
	// The same widths as the same object, so rows that did not change are not drawn again (AlertRow is memo).
	const key = Object.values(computed).join(' ');
	const widths = useMemo((): ListColumns => computed, [key]); // eslint-disable-line react-hooks/exhaustive-deps
	return (
		<Pane title={title} width={width} height={height} focused={focused}>
			{rows.length === 0 ? (
				<Line width={inner}>{dim(ellipsize(` ${emptyText}`, inner))}</Line>
			) : (
				rows.map((event, index) => (
					// Keyed by position: a new event at the top then updates each row in place instead of mounting a new one
					// for every row (ink makes a layout node for each), which was most of what following cost.
					// eslint-disable-next-line react/no-array-index-key
					<AlertRow
						key={index}
						event={event}
						cells={cellsOf(event, today, dated, rowWidth)}
						widths={widths}
						selected={index === selected}
						spec={spec}
						matched={isMatch?.(event)}
					/>
				))
			)}
		</Pane>
	);
}
