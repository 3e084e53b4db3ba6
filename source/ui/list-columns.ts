// Where a list row's width goes, column by column. Pure, so every width can be tested.

/** Widths of a list row's columns, in the order drawn, one space between each. */
export type ListColumns = {
	time: number;
	severity: number;
	action: number;
	operation: number;
	where: number;
	process: number;
	what: number;
};

/** What the rows shown need: the widest of each column's cells (see rowCells). */
export type ColumnNeeds = {time: number; action: number; where: number; process: number; what: number};

/** The most columns the place and the process are given while the resource needs the room. */
const whereMaxColumns = 32;
const processMaxColumns = 16;
const operationColumns = 8;
const severityColumns = 3;
/** A cut column narrower than this would show an ellipsis and a letter: its room goes to the resource instead. */
const uselessColumns = 4;
/** The process keeps at least this much before the fixed columns take all they need. */
const processMinColumns = 6;
const separators = 6;

/** Columns a row of these widths takes, the spaces between them included. */
export function rowWidth(widths: ListColumns): number {
	return widths.time + widths.severity + widths.action + widths.operation + widths.where + widths.process + widths.what + separators;
}

/**
 * When the fixed columns leave the process no room, they give up some in this order, down to these widths: the
 * date first (a short one still names the day, see listTime), then the operation.
 */
const shrinkOrder: Array<[keyof ListColumns, number]> = [
	['time', 8],
	['operation', 4],
	['action', 5],
	['operation', 0],
	['action', 0],
	['time', 0],
	['severity', 0],
];

/**
 * Share a row of `width` columns out (at least 6: the spaces between columns). Time, severity, action and
 * operation take what their cells need. Then the process (it names who did it) and the place get what their
 * widest value needs, up to a share and a cap each, and the resource or message takes the rest: on a wide
 * terminal a long path is shown whole rather than padding a short pod name. Room it does not need goes back.
 */
export function listColumns(width: number, needs: ColumnNeeds): ListColumns {
	const widths: ListColumns = {
		time: needs.time,
		severity: severityColumns,
		action: Math.max(5, needs.action),
		operation: operationColumns,
		where: 0,
		process: 0,
		what: 0,
	};
	let excess = rowWidth(widths) + Math.min(needs.process, processMinColumns) - width;
	for (const [name, floor] of shrinkOrder) {
		if (excess <= 0) break;
		// The date goes to its short form at once: a column between the two would only pad it.
		const give = name === 'time' && floor > 0 ? widths.time - Math.min(widths.time, floor) : Math.min(excess, Math.max(0, widths[name] - floor));
		widths[name] -= give;
		excess -= give;
	}

	const rest = Math.max(0, width - rowWidth(widths));
	const useful = (columns: number, need: number) => (columns < need && columns < uselessColumns ? 0 : columns);
	widths.process = useful(Math.min(needs.process, processMaxColumns, Math.max(processMinColumns, Math.floor(rest * 0.18)), rest), needs.process);
	widths.where = useful(Math.min(needs.where, whereMaxColumns, Math.floor(rest * 0.3), rest - widths.process), needs.where);
	widths.what = rest - widths.process - widths.where;
	// What the resource does not need goes back to the place, then the process, so they are cut no more than
	// they must be.
	const spare = Math.max(0, widths.what - needs.what);
	const toWhere = Math.max(0, Math.min(spare, needs.where - widths.where));
	const toProcess = Math.max(0, Math.min(spare - toWhere, needs.process - widths.process));
	widths.where += toWhere;
	widths.process += toProcess;
	widths.what -= toWhere + toProcess;
	return widths;
}
