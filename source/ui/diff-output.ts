// The stdout ink draws into: a terminal in memory (screen-model.ts) that ink's full frames are played into, and
// after each burst of writes only the cells that changed go to the real terminal (screen-diff.ts). Over a slow
// SSH link that is tens of bytes a second when idle instead of a whole screen every second.
//
// Why not ink's own incrementalRendering: in ink 6.8 it moves the cursor up one row too few whenever the frame
// ends with a newline (any frame shorter than the terminal, which ours is so that ink does not clear the whole
// screen on every frame), so every frame lands one row lower and unchanged lines stay where they were. And it
// rewrites whole lines: a counter that moves resends its 120-column line.

import {EventEmitter} from 'node:events';
import {diffScreens, unknownTerminal, type TerminalState} from './screen-diff.js';
import {Grid, ScreenModel} from './screen-model.js';
import {RowPainter} from './row-painter.js';

const beginSynchronized = '\u001B[?2026h';
const endSynchronized = '\u001B[?2026l';

type Callback = (error?: Error | null) => void;

/** What the real terminal must offer: a writable TTY with a size that tells of resizes. */
export type TerminalStream = Pick<NodeJS.WriteStream, 'write' | 'columns' | 'rows' | 'on' | 'off'>;

export class DiffOutput extends EventEmitter {
	readonly isTTY = true;
	/** ink waits for a write('') barrier when it sees this (its exit waits for our flush). */
	readonly writableLength = 0;
	readonly writable = true;
	/**
	 * Bytes ink wrote, its lines' painted text included (what the terminal would have been sent without us; see
	 * ScreenModel.markedBytes), and bytes sent to the terminal.
	 */
	bytesIn = 0;
	bytesOut = 0;
	/** For the screen's lines (RowPainterContext): their text is drawn here, not through ink's frame. */
	readonly painter = new RowPainter();

	private model: ScreenModel;
	private shown: Grid;
	private terminalState: TerminalState = unknownTerminal();
	private full = true;
	private scheduled = false;
	private closed = false;
	private callbacks: Callback[] = [];

	constructor(private readonly terminal: TerminalStream) {
		super();
		this.model = new ScreenModel(this.columns, this.rows);
		this.model.rowText = marker => this.painter.text(marker);
		this.shown = new Grid(this.columns, this.rows);
		terminal.on('resize', this.resized);
	}

	get columns(): number {
		return this.terminal.columns || 80;
	}

	get rows(): number {
		return this.terminal.rows || 24;
	}

	write = (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
		const callback = rest.find(argument => typeof argument === 'function') as Callback | undefined;
		if (this.closed) {
			if (callback) process.nextTick(callback);
			return true;
		}

		const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
		this.bytesIn += Buffer.byteLength(text);
		this.model.write(text);
		this.painter.wrote();
		this.bytesIn += this.model.markedBytes;
		this.model.markedBytes = 0;
		if (callback) this.callbacks.push(callback);
		// ink writes a frame in pieces (synchronized-update marks, then the frame): send once they are all in.
		if (!this.scheduled) {
			this.scheduled = true;
			queueMicrotask(this.flush);
		}

		return true;
	};

	/** Draw the whole screen again (^L, leaving the help): whatever else wrote on the terminal is gone. */
	redraw(): void {
		this.full = true;
		if (!this.scheduled) {
			this.scheduled = true;
			setImmediate(this.flush);
		}
	}

	/** Send what is pending now. */
	flush = (): void => {
		this.scheduled = false;
		if (this.closed) return;
		const {model} = this;
		const changes = diffScreens(this.shown, model.grid, model.styles, this.terminalState, {full: this.full});
		const modes = model.passThrough.join('');
		const synchronized = model.synchronized && changes !== '';
		model.passThrough = [];
		model.synchronized = false;
		this.full = false;
		const out = synchronized ? beginSynchronized + changes + modes + endSynchronized : changes + modes;
		const callbacks = this.callbacks;
		this.callbacks = [];
		if (out === '') {
			for (const callback of callbacks) process.nextTick(callback);
			return;
		}

		this.bytesOut += Buffer.byteLength(out);
		this.terminal.write(out, error => {
			for (const callback of callbacks) callback(error);
		});
	};

	/** Send what is pending and stop: the terminal is about to leave the alternate screen. */
	close(): void {
		if (this.closed) return;
		this.flush();
		this.closed = true;
		this.terminal.off('resize', this.resized);
	}

	/** What the terminal shows now, as text (tests, benchmarks). */
	screenText(): string {
		return this.shown.text();
	}

	private readonly resized = (): void => {
		// The terminal may have kept, cut or moved what it showed: draw everything again at the new size.
		this.model.resize(this.columns, this.rows);
		this.shown = new Grid(this.columns, this.rows);
		this.terminalState = unknownTerminal();
		this.full = true;
		this.emit('resize');
	};
}
