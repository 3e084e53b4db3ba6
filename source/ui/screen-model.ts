// What a terminal shows, as a grid of cells (a grapheme and a style each), and the part of the terminal's
// language that ink writes: text, newlines, cursor moves, erasing lines and the screen, SGR colours, DEC private
// modes. ink's frames are played into this model, with the lines' text drawn in place of their markers
// (row-painter.ts); screen-diff.ts then sends the terminal only what changed.
// Pure: no ink, no streams.

import {graphemeColumns, graphemesOf} from './format.js';
import {markEnd, markStart, markedWidth} from './row-painter.js';

const markStartCode = markStart.charCodeAt(0);

const escape = '\u001B';

/** SGR attribute bits, and the parameter that turns each on. */
const attributeCodes = [1, 2, 3, 4, 5, 7, 8, 9, 53] as const;
const attributeOf = new Map<number, number>(attributeCodes.map((code, bit) => [code, 1 << bit]));
/** Parameters that turn attributes off: 22 is bold and dim together. */
const attributeOff = new Map<number, number>([
	[22, 0b11],
	[23, 1 << 2],
	[24, 1 << 3],
	[25, 1 << 4],
	[27, 1 << 5],
	[28, 1 << 6],
	[29, 1 << 7],
	[55, 1 << 8],
]);

type StyleValue = {attributes: number; foreground: string; background: string};

/**
 * Every style a frame has used, each given a small number so cells compare as numbers. Style 0 is the
 * terminal's default. The app colours with a few named colours, so the table stays small.
 */
export class StyleTable {
	private readonly ids = new Map<string, number>();
	private readonly values: StyleValue[] = [];
	/** Per style, the style each SGR parameter string leads to: a frame repeats the same few hundred times. */
	private readonly applied: Array<Map<string, number>> = [];
	private readonly transitions = new Map<number, string>();

	constructor() {
		this.id({attributes: 0, foreground: '', background: ''});
	}

	id(value: StyleValue): number {
		const key = `${value.attributes}|${value.foreground}|${value.background}`;
		let id = this.ids.get(key);
		if (id === undefined) {
			id = this.values.length;
			this.values.push({...value});
			this.applied.push(new Map());
			this.ids.set(key, id);
		}

		return id;
	}

	value(id: number): StyleValue {
		return this.values[id];
	}

	/** The SGR sequence that turns style `from` into style `to` on a terminal ('' when they are the same). */
	transition(from: number, to: number): string {
		if (from === to) return '';
		const key = from * 65_536 + to;
		let sequence = this.transitions.get(key);
		if (sequence === undefined) {
			sequence = this.sequenceFor(from, to);
			this.transitions.set(key, sequence);
		}

		return sequence;
	}

	private sequenceFor(from: number, to: number): string {
		if (to === 0) return `${escape}[m`;
		const old = this.values[from];
		const next = this.values[to];
		const parameters: string[] = [];
		// An attribute that goes off: start from the default (fewer rules than the per-attribute off codes).
		const reset = (old.attributes & ~next.attributes) !== 0;
		const base = reset ? this.values[0] : old;
		if (reset) parameters.push('0');
		for (const [bit, code] of attributeCodes.entries()) {
			if (next.attributes & (1 << bit) && !(base.attributes & (1 << bit))) parameters.push(String(code));
		}

		if (next.foreground !== base.foreground) parameters.push(next.foreground || '39');
		if (next.background !== base.background) parameters.push(next.background || '49');
		return `${escape}[${parameters.join(';')}m`;
	}

	/** The style after the SGR `parameters` (the text between CSI and m) are applied to style `id`. */
	apply(id: number, parameters: string): number {
		const cache = this.applied[id];
		let result = cache.get(parameters);
		if (result === undefined) {
			result = this.computeApply(id, parameters);
			cache.set(parameters, result);
		}

		return result;
	}

	private computeApply(id: number, parameters: string): number {
		const value = {...this.values[id]};
		const list = parameters.split(';');
		for (let index = 0; index < list.length; index++) {
			const parameter = list[index];
			if (parameter.includes(':')) {
				// A sub-parameter form (38:2::r:g:b, 4:3): kept whole for the colours, underline for 4:n.
				if (parameter.startsWith('38:')) value.foreground = parameter;
				else if (parameter.startsWith('48:')) value.background = parameter;
				else if (parameter.startsWith('4:')) value.attributes = parameter === '4:0' ? value.attributes & ~(1 << 3) : value.attributes | (1 << 3);
				continue;
			}

			const code = parameter === '' ? 0 : Number(parameter);
			if (code === 0) {
				value.attributes = 0;
				value.foreground = '';
				value.background = '';
			} else if (attributeOf.has(code)) value.attributes |= attributeOf.get(code)!;
			else if (code === 6) value.attributes |= 1 << 4;
			else if (code === 21) value.attributes |= 1 << 3;
			else if (attributeOff.has(code)) value.attributes &= ~attributeOff.get(code)!;
			else if ((code >= 30 && code <= 37) || (code >= 90 && code <= 97)) value.foreground = String(code);
			else if ((code >= 40 && code <= 47) || (code >= 100 && code <= 107)) value.background = String(code);
			else if (code === 39) value.foreground = '';
			else if (code === 49) value.background = '';
			else if (code === 38 || code === 48) {
				const kind = list[index + 1];
				const take = kind === '5' ? 2 : kind === '2' ? 4 : 0;
				const colour = list.slice(index, index + 1 + take).join(';');
				index += take;
				if (take === 0) continue;
				if (code === 38) value.foreground = colour;
				else value.background = colour;
			}
		}

		return this.id(value);
	}
}

/** A row of cells. A wide grapheme's second cell holds '' and the same style. */
export type Row = {
	text: string[];
	style: number[];
	/**
	 * The row holds a grapheme whose width a terminal may see differently (wide, zero-width, several code
	 * points): such a row is always sent whole from its first column, as a full redraw would send it.
	 */
	uncertain: boolean;
};

function blankRow(columns: number, style = 0): Row {
	return {text: new Array<string>(columns).fill(' '), style: new Array<number>(columns).fill(style), uncertain: false};
}

/** A grid of rows x columns cells. */
export class Grid {
	rows: Row[] = [];

	constructor(
		public columns: number,
		public height: number,
	) {
		for (let row = 0; row < height; row++) this.rows.push(blankRow(columns));
	}

	/** New size; what fits is kept, the rest blank. */
	resize(columns: number, height: number): void {
		const rows: Row[] = [];
		for (let index = 0; index < height; index++) {
			const old = this.rows[index];
			const row = blankRow(columns);
			if (old) {
				const keep = Math.min(columns, this.columns);
				for (let column = 0; column < keep; column++) {
					row.text[column] = old.text[column];
					row.style[column] = old.style[column];
				}

				// A wide grapheme cut in half by the new edge.
				if (keep > 0 && keep < this.columns && old.text[keep] === '') row.text[keep - 1] = ' ';
				row.uncertain = old.uncertain;
			}

			rows.push(row);
		}

		this.rows = rows;
		this.columns = columns;
		this.height = height;
	}

	/** Row `index` of `other` copied into this grid (same width). */
	copyRow(other: Grid, index: number): void {
		const from = other.rows[index];
		this.rows[index] = {text: from.text.slice(), style: from.style.slice(), uncertain: from.uncertain};
	}

	/** The screen as text, one line per row, trailing spaces cut (what tmux capture-pane prints). */
	text(): string {
		return this.rows.map(row => row.text.join('').trimEnd()).join('\n');
	}
}

/**
 * Printable code units that are a grapheme on their own when the next one is ASCII or one of them: no
 * combining marks, joiners, variation selectors, surrogates, Hangul or Indic scripts (those go to the segmenter).
 */
function isSimple(code: number): boolean {
	return (
		(code >= 0x20 && code < 0x7f) ||
		(code >= 0xa1 && code < 0x300 && code !== 0xad) ||
		(code >= 0x2010 && code <= 0x2027) ||
		(code >= 0x2030 && code <= 0x205e) ||
		(code >= 0x2070 && code < 0x20d0) ||
		(code >= 0x2100 && code < 0x2c00) ||
		code === 0xfffd
	);
}

/** A sequence longer than this without its end is not one: dropped rather than held. */
const longestSequence = 4096;

/**
 * A terminal in memory: give it what ink writes, read the grid. Sequences that are not about the screen's
 * contents (cursor visibility, keyboard protocols) are collected in `passThrough` for the real terminal;
 * synchronized-update brackets are noted in `synchronized`.
 */
export class ScreenModel {
	readonly styles = new StyleTable();
	readonly grid: Grid;
	row = 0;
	column = 0;
	private style = 0;
	/** The start of an escape sequence that the last write cut off. */
	private partial = '';
	/** Mode sequences for the terminal itself, in the order written, until taken. */
	passThrough: string[] = [];
	/** ink bracketed a frame with synchronized-update marks since this was last cleared. */
	synchronized = false;
	/** What a row marker in ink's frame stands for (row-painter.ts); without it, markers are not looked for. */
	rowText: ((marker: string) => string | undefined) | undefined;
	/**
	 * UTF-8 bytes the marked rows' texts added to ink's frames, less their markers': about what ink would have
	 * written for them, counted without their colour codes (ink would have written its own), so on the low side.
	 */
	markedBytes = 0;
	/** Bytes of the escape sequences played, for markedBytes. */
	private escapeBytes = 0;
	/** Markers read in the write being played, drawn once it is all read (ink's blank cells after them come first). */
	private marked: Array<{row: number; column: number; marker: string}> = [];

	constructor(columns: number, rows: number) {
		this.grid = new Grid(columns, rows);
	}

	resize(columns: number, rows: number): void {
		this.grid.resize(columns, rows);
		this.row = Math.min(this.row, rows - 1);
		this.column = Math.min(this.column, columns - 1);
	}

	write(chunk: string): void {
		this.play(chunk);
		if (this.marked.length > 0) this.paintMarked();
	}

	/** Draw each marked row's text where its marker was, then carry on from where the write left off. */
	private paintMarked(): void {
		const {row, column, style, partial} = this;
		this.partial = '';
		for (const {row: markedRow, column: markedColumn, marker} of this.marked) {
			const text = this.rowText?.(marker);
			if (text === undefined) continue;
			this.moveTo(markedRow, markedColumn);
			this.style = 0;
			this.escapeBytes = 0;
			this.play(text);
			this.markedBytes += Buffer.byteLength(text) - this.escapeBytes - marker.length - 2;
			this.partial = '';
		}

		this.marked = [];
		this.row = row;
		this.column = column;
		this.style = style;
		this.partial = partial;
	}

	private play(chunk: string): void {
		if (this.partial !== '') {
			chunk = this.partial + chunk;
			this.partial = '';
		}

		const {length} = chunk;
		let index = 0;
		while (index < length) {
			const code = chunk.charCodeAt(index);
			if (code >= 0x20 && code !== 0x7f) {
				let end = index + 1;
				while (end < length) {
					const next = chunk.charCodeAt(end);
					if (next < 0x20 || next === 0x7f) break;
					end++;
				}

				this.text(chunk, index, end);
				index = end;
			} else if (code === 0x1b) {
				const end = this.escapeSequence(chunk, index);
				if (end < 0) {
					if (length - index <= longestSequence) this.partial = chunk.slice(index);
					return;
				}

				this.escapeBytes += end - index;
				index = end;
			} else {
				const after = code === markStartCode ? this.marker(chunk, index) : -1;
				if (after >= 0) index = after;
				else {
					this.control(code);
					index++;
				}
			}
		}
	}

	/** The escape sequence at `at` carried out; returns where it ends, or -1 when the chunk ends first. */
	private escapeSequence(chunk: string, at: number): number {
		if (at + 1 >= chunk.length) return -1;
		const kind = chunk.charCodeAt(at + 1);
		if (kind === 0x5b) {
			// CSI: parameters, then a final byte in @..~
			for (let index = at + 2; index < chunk.length; index++) {
				const code = chunk.charCodeAt(index);
				if (code >= 0x40 && code <= 0x7e) {
					this.csi(chunk.slice(at + 2, index), chunk[index]);
					return index + 1;
				}
			}

			return -1;
		}

		if (kind === 0x5d || kind === 0x50 || kind === 0x5f || kind === 0x5e) {
			// OSC, DCS, APC, PM: up to BEL or ESC \. Hyperlinks and titles are not part of the grid.
			for (let index = at + 2; index < chunk.length; index++) {
				const code = chunk.charCodeAt(index);
				if (code === 0x07) return index + 1;
				if (code === 0x1b) return index + 1 < chunk.length ? index + 2 : -1;
			}

			return -1;
		}

		// ESC and an intermediate byte (a character set choice) takes one byte more; anything else is two bytes.
		if (kind >= 0x20 && kind <= 0x2f) return at + 2 < chunk.length ? at + 3 : -1;
		return at + 2;
	}

	/**
	 * The row marker at `at` noted and its cells blanked; returns where it ends, or -1 when there is none (no
	 * rowText, or no end within a marker's length: ink writes a frame in one piece, so a marker is never cut).
	 */
	private marker(chunk: string, at: number): number {
		if (!this.rowText) return -1;
		const end = chunk.indexOf(markEnd, at + 1);
		if (end < 0 || end - at >= markedWidth) return -1;
		this.marked.push({row: this.row, column: this.column, marker: chunk.slice(at + 1, end)});
		// ink gave each of the marker's characters a cell: blank, until the text is drawn over them.
		this.text(' '.repeat(end + 1 - at), 0, end + 1 - at);
		return end + 1;
	}

	private control(code: number): void {
		switch (code) {
			case 0x0a: {
				// ink counts on the terminal's newline translation (onlcr): a newline also returns the carriage.
				this.lineFeed();
				this.column = 0;
				break;
			}

			case 0x0d: {
				this.column = 0;
				break;
			}

			case 0x08: {
				this.column = Math.max(0, Math.min(this.column, this.grid.columns - 1) - 1);
				break;
			}

			case 0x09: {
				this.column = Math.min(this.grid.columns - 1, (Math.floor(this.column / 8) + 1) * 8);
				break;
			}

			default:
		}
	}

	private csi(parameters: string, final: string): void {
		if (final === 'm') {
			this.style = this.styles.apply(this.style, parameters);
			return;
		}

		const first = parameters.charCodeAt(0);
		if (first === 0x3f || first === 0x3e || first === 0x3c || first === 0x3d) {
			// DEC private and keyboard-protocol modes: synchronized update is decided by the differ; the rest goes
			// to the terminal as it came.
			if (parameters === '?2026' && (final === 'h' || final === 'l')) this.synchronized = true;
			else this.passThrough.push(`${escape}[${parameters}${final}`);
			return;
		}

		const numbers = parameters.split(';').map(value => Number.parseInt(value, 10));
		const count = (index: number) => Math.max(1, Number.isNaN(numbers[index] ?? Number.NaN) ? 1 : numbers[index]);
		const {columns, height} = this.grid;
		switch (final) {
			case 'A': {
				this.moveTo(this.row - count(0), this.column);
				break;
			}

			case 'B': {
				this.moveTo(this.row + count(0), this.column);
				break;
			}

			case 'C': {
				this.moveTo(this.row, this.column + count(0));
				break;
			}

			case 'D': {
				this.moveTo(this.row, Math.min(this.column, columns - 1) - count(0));
				break;
			}

			case 'E': {
				this.moveTo(this.row + count(0), 0);
				break;
			}

			case 'F': {
				this.moveTo(this.row - count(0), 0);
				break;
			}

			case 'G': {
				this.moveTo(this.row, count(0) - 1);
				break;
			}

			case 'd': {
				this.moveTo(count(0) - 1, this.column);
				break;
			}

			case 'H':
			case 'f': {
				this.moveTo(count(0) - 1, count(1) - 1);
				break;
			}

			case 'K': {
				const mode = numbers[0] || 0;
				const column = Math.min(this.column, columns - 1);
				if (mode === 0) this.erase(this.row, column, columns);
				else if (mode === 1) this.erase(this.row, 0, column + 1);
				else this.erase(this.row, 0, columns);
				break;
			}

			case 'J': {
				const mode = numbers[0] || 0;
				const column = Math.min(this.column, columns - 1);
				if (mode === 0) {
					this.erase(this.row, column, columns);
					for (let row = this.row + 1; row < height; row++) this.erase(row, 0, columns);
				} else if (mode === 1) {
					for (let row = 0; row < this.row; row++) this.erase(row, 0, columns);
					this.erase(this.row, 0, column + 1);
				} else {
					for (let row = 0; row < height; row++) this.erase(row, 0, columns);
				}

				break;
			}

			default:
			// Nothing else ink writes changes the grid.
		}
	}

	private moveTo(row: number, column: number): void {
		this.row = Math.max(0, Math.min(this.grid.height - 1, row));
		this.column = Math.max(0, Math.min(this.grid.columns - 1, column));
	}

	/** Blank columns [from, to) of `row` the way a terminal erases: with the current background. */
	private erase(row: number, from: number, to: number): void {
		const cells = this.grid.rows[row];
		const {background} = this.styles.value(this.style);
		const style = background === '' ? 0 : this.styles.id({attributes: 0, foreground: '', background});
		// Half of a wide grapheme left outside the erased part goes too.
		if (from > 0 && cells.text[from] === '') cells.text[from - 1] = ' ';
		if (to < this.grid.columns && cells.text[to] === '') cells.text[to] = ' ';
		cells.text.fill(' ', from, to);
		cells.style.fill(style, from, to);
		if (from === 0 && to === this.grid.columns) cells.uncertain = false;
	}

	private lineFeed(): void {
		if (this.row < this.grid.height - 1) {
			this.row++;
			return;
		}

		// The bottom row: the screen scrolls up, and the rows marked so far with it.
		this.grid.rows.shift();
		for (const mark of this.marked) mark.row--;
		this.marked = this.marked.filter(mark => mark.row >= 0);
		this.grid.rows.push(blankRow(this.grid.columns));
	}

	/** Printable characters chunk[from, to) at the cursor. */
	private text(chunk: string, from: number, to: number): void {
		const {columns} = this.grid;
		for (let index = from; index < to; ) {
			const code = chunk.charCodeAt(index);
			const next = index + 1 < to ? chunk.charCodeAt(index + 1) : 0x20;
			// Almost every character: one column, and the next one cannot join it (a combining accent would).
			if (isSimple(code) && (next < 0x300 || isSimple(next))) {
				const char = chunk[index];
				const width = code < 0x7f ? 1 : graphemeColumns(char);
				const cells = this.grid.rows[this.row];
				const at = this.column;
				// The common case in place; wrapping and overwriting half a wide grapheme in place().
				if (width === 1 && at < columns && cells.text[at] !== '' && (at + 1 >= columns || cells.text[at + 1] !== '')) {
					cells.text[at] = char;
					cells.style[at] = this.style;
					this.column = at + 1;
				} else this.place(char, width, width !== 1);
				index++;
				continue;
			}

			// Up to the next ASCII character: graphemes as the segmenter (and so string-width, and ink) sees them.
			let end = index + 1;
			while (end < to && chunk.charCodeAt(end) >= 0x7f) end++;
			for (const grapheme of graphemesOf(chunk.slice(index, end))) this.place(grapheme, graphemeColumns(grapheme), true);
			index = end;
		}
	}

	private place(grapheme: string, width: number, uncertain: boolean): void {
		const {columns} = this.grid;
		let cells = this.grid.rows[this.row];
		if (width === 0) {
			// Zero-width: joins the cell before it, as a terminal does.
			const before = Math.min(this.column, columns) - 1;
			if (before >= 0) {
				const lead = cells.text[before] === '' && before > 0 ? before - 1 : before;
				cells.text[lead] += grapheme;
			}

			cells.uncertain = true;
			return;
		}

		// At the right edge (or a wide grapheme one column short of it): wrap to the next row.
		if (this.column + width > columns) {
			if (this.column < columns) this.erase(this.row, this.column, columns);
			this.lineFeed();
			this.column = 0;
			cells = this.grid.rows[this.row];
		}

		const at = this.column;
		if (cells.text[at] === '' && at > 0) cells.text[at - 1] = ' ';
		const after = at + width;
		if (after < columns && cells.text[after] === '') cells.text[after] = ' ';
		cells.text[at] = grapheme;
		cells.style[at] = this.style;
		if (width === 2) {
			cells.text[at + 1] = '';
			cells.style[at + 1] = this.style;
		}

		if (uncertain) cells.uncertain = true;
		this.column = after;
	}
}
