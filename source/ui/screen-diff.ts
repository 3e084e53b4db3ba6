// What to send a terminal so that it shows the next frame: only the cells that differ from what it shows,
// each run of them after one cursor move, as curses-style programs do. Pure: no ink, no streams.

import type {Grid, Row, StyleTable} from './screen-model.js';

const escape = '\u001B';

/** Where the real terminal's cursor is and which style it writes with, as far as we know. */
export type TerminalState = {
	row: number;
	/** Columns equal to the grid's width: just written the last cell (the terminal waits to wrap). */
	column: number;
	/** -1: not known (the start): the first style change resets first. */
	style: number;
	/** False at the start and after a row whose widths the terminal may count differently: the next move is absolute. */
	known: boolean;
};

export function unknownTerminal(): TerminalState {
	return {row: 0, column: 0, style: -1, known: false};
}

/** One column past the last cell that is not a default blank: where erasing to the end of the line may start. */
function contentEnd(row: Row): number {
	for (let column = row.text.length - 1; column >= 0; column--) {
		if (row.text[column] !== ' ' || row.style[column] !== 0) return column + 1;
	}

	return 0;
}

class Writer {
	out = '';

	constructor(
		private readonly terminal: TerminalState,
		private readonly styles: StyleTable,
		private readonly columns: number,
	) {}

	moveTo(row: number, column: number): void {
		const at = this.terminal;
		if (at.known && at.row === row && at.column === column) return;
		if (at.known && at.row + 1 === row && column === 0) this.out += '\r\n';
		else if (at.known && at.row === row) {
			const forward = column - at.column;
			this.out += forward > 0 && at.column < this.columns ? `${escape}[${forward === 1 ? '' : forward}C` : `${escape}[${column + 1}G`;
		} else this.out += column === 0 ? `${escape}[${row + 1}H` : `${escape}[${row + 1};${column + 1}H`;
		at.row = row;
		at.column = column;
		at.known = true;
	}

	setStyle(style: number): void {
		this.out += this.terminal.style < 0 ? `${escape}[m${this.styles.transition(0, style)}` : this.styles.transition(this.terminal.style, style);
		this.terminal.style = style;
	}

	/** Cells [from, to) of `row`, the cursor already at `from`. */
	cells(row: Row, from: number, to: number): void {
		for (let column = from; column < to; column++) {
			const text = row.text[column];
			if (text === '') continue; // the second half of a wide grapheme
			if (row.style[column] !== this.terminal.style) this.setStyle(row.style[column]);
			this.out += text;
		}

		this.terminal.column = to;
	}

	/** Erase from the cursor to the end of the line, in the default style (a terminal erases with its background). */
	eraseToEnd(): void {
		if (this.terminal.style !== 0) this.setStyle(0);
		this.out += `${escape}[K`;
	}
}

function sameCell(a: Row, b: Row, column: number): boolean {
	return a.text[column] === b.text[column] && a.style[column] === b.style[column];
}

/** The whole row from its first column, then erase the rest: exactly what a full redraw sends for it. */
function wholeRow(writer: Writer, next: Row, row: number, columns: number): void {
	const end = contentEnd(next);
	writer.moveTo(row, 0);
	writer.cells(next, 0, end);
	if (end < columns) writer.eraseToEnd();
}

/** Bytes of a cursor move `cells` columns to the right (CSI n C). */
function forwardCost(cells: number): number {
	return cells === 1 ? 3 : 3 + String(cells).length;
}

/**
 * Whether sending the unchanged cells (from, to) of `next` again, between changed cells `from` and `to`, costs
 * fewer bytes than jumping over them: their text and style changes against a cursor move.
 */
function cheaperToResend(next: Row, from: number, to: number, styles: StyleTable): boolean {
	const jump = forwardCost(to - from - 1) + styles.transition(next.style[from], next.style[to]).length;
	let resend = 0;
	for (let column = from + 1; column <= to && resend <= jump; column++) {
		if (column < to) resend += Buffer.byteLength(next.text[column]);
		resend += styles.transition(next.style[column - 1], next.style[column]).length;
	}

	return resend <= jump;
}

/** The runs of changed cells of a row in which every grapheme is one column wide. */
function changedCells(writer: Writer, shown: Row, next: Row, row: number, columns: number, styles: StyleTable): void {
	const end = contentEnd(next);
	let column = 0;
	while (column < end) {
		if (sameCell(shown, next, column)) {
			column++;
			continue;
		}

		// A run: changed cells, and the unchanged ones between them that are cheaper to send than to jump over.
		let last = column;
		for (let probe = column + 1; probe < end; probe++) {
			if (sameCell(shown, next, probe)) continue;
			if (probe - last > 1 && !cheaperToResend(next, last, probe, styles)) break;
			last = probe;
		}

		writer.moveTo(row, column);
		writer.cells(next, column, last + 1);
		column = last + 1;
	}

	// Past the new content everything is blank: one erase where the first old cell there differs.
	for (let column = end; column < columns; column++) {
		if (!sameCell(shown, next, column)) {
			writer.moveTo(row, column);
			writer.eraseToEnd();
			break;
		}
	}
}

export type DiffOptions = {
	/** Send every row whole (the first frame, after a resize, ^L): whatever the terminal shows is replaced. */
	full?: boolean;
};

/**
 * The bytes that turn the terminal's `shown` grid into `next` (same size), given what we know of its cursor
 * and style; `shown` and `terminal` are updated to match. Empty when nothing changed.
 */
export function diffScreens(shown: Grid, next: Grid, styles: StyleTable, terminal: TerminalState, {full = false}: DiffOptions = {}): string {
	const {columns} = next;
	if (full) {
		// Something else may have written to the terminal and moved its cursor or changed its colours.
		terminal.known = false;
		terminal.style = -1;
	}

	const writer = new Writer(terminal, styles, columns);
	for (let row = 0; row < next.height; row++) {
		const before = shown.rows[row];
		const after = next.rows[row];
		if (full) {
			wholeRow(writer, after, row, columns);
		} else {
			if (rowsEqual(before, after)) continue;
			if (before.uncertain || after.uncertain) wholeRow(writer, after, row, columns);
			else changedCells(writer, before, after, row, columns, styles);
		}

		// The terminal may have counted this row's graphemes differently: where its cursor is, we do not know.
		if (after.uncertain) terminal.known = false;

		shown.copyRow(next, row);
	}

	return writer.out;
}

function rowsEqual(a: Row, b: Row): boolean {
	for (let column = 0; column < a.text.length; column++) {
		if (a.text[column] !== b.text[column] || a.style[column] !== b.style[column]) return false;
	}

	return true;
}
