// A terminal that exists only in memory, for rendering the real App in a benchmark: a writable stdout that
// counts what Ink writes, and a raw-mode stdin that types keys the way ink-testing-library does (set the
// data, emit 'readable', let Ink read() it).

import {EventEmitter} from 'node:events';
import {performance} from 'node:perf_hooks';
import {render} from 'ink';
import {createElement, type ReactElement} from 'react';
import {RowPainterContext} from '../source/ui/components/line.js';
import {DiffOutput} from '../source/ui/diff-output.js';
import {frameOptions} from '../source/ui/run-tui.js';
import {ScreenModel} from '../source/ui/screen-model.js';

/** Synchronized-update brackets and cursor show/hide: written around frames, not frames themselves. */
const controlOnly = /^(?:\u001B\[\?(?:2026|25)[hl])*$/;

export class FakeStdout extends EventEmitter {
	readonly isTTY = true;
	/** Every write() call. */
	writes = 0;
	/** Writes that carried frame content (not only a cursor or synchronized-update control sequence). */
	frameWrites = 0;
	/** UTF-8 bytes written, as a terminal (or an SSH link) receives them. */
	bytes = 0;
	/** What the terminal shows: every write played into a terminal in memory. */
	readonly screen: ScreenModel;

	constructor(
		public columns = 120,
		public rows = 40,
	) {
		super();
		this.screen = new ScreenModel(columns, rows);
	}

	write = (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
		const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
		this.writes++;
		this.bytes += Buffer.byteLength(text);
		if (!controlOnly.test(text)) this.frameWrites++;
		this.screen.write(text);

		const callback = rest.find(argument => typeof argument === 'function') as (() => void) | undefined;
		callback?.();
		return true;
	};

	/** Change the size and tell Ink, as a real terminal does on SIGWINCH. */
	resize(columns: number, rows: number): void {
		this.columns = columns;
		this.rows = rows;
		this.screen.resize(columns, rows);
		this.emit('resize');
	}
}

export class FakeStdin extends EventEmitter {
	readonly isTTY = true;
	isRaw = false;
	private data: string | null = null;

	/** Type `keys` the way ink-testing-library does: hold the data, emit 'readable', Ink calls read(). */
	press(keys: string): void {
		this.data = keys;
		this.emit('readable');
	}

	read = (): string | null => {
		const {data} = this;
		this.data = null;
		return data;
	};

	setEncoding(): this {
		return this;
	}

	setRawMode(mode: boolean): this {
		this.isRaw = mode;
		return this;
	}

	ref(): this {
		return this;
	}

	unref(): this {
		return this;
	}

	resume(): this {
		return this;
	}

	pause(): this {
		return this;
	}
}

/** The three streams Ink wants, typed as Ink's render() options expect them. */
export function fakeTerminal(columns = 120, rows = 40) {
	const stdout = new FakeStdout(columns, rows);
	const stderr = new FakeStdout(columns, rows);
	const stdin = new FakeStdin();
	return {
		stdout,
		stderr,
		stdin,
		streams: {
			stdout: stdout as unknown as NodeJS.WriteStream,
			stderr: stderr as unknown as NodeJS.WriteStream,
			stdin: stdin as unknown as NodeJS.ReadStream,
		},
	};
}

export type DrawOptions = {
	columns: number;
	rows: number;
	/** Called with each frame's render time (ink's renderTime, ms). */
	onRender?: (renderTime: number) => void;
	/** Instead of the monitor's own cap (the soak wants every update drawn). */
	maxFps?: number;
};

/**
 * Draw `element` with ink into a fresh in-memory terminal, with the monitor's frame options and, as the monitor
 * does, through a DiffOutput (`output`): `terminal.stdout` receives what a real terminal would.
 */
export function drawInFakeTerminal(element: ReactElement, {columns, rows, onRender, maxFps = frameOptions.maxFps}: DrawOptions) {
	const terminal = fakeTerminal(columns, rows);
	const output = new DiffOutput(terminal.stdout as unknown as NodeJS.WriteStream);
	// As the monitor does (run-tui.tsx): the lines' text drawn by the DiffOutput.
	const instance = render(createElement(RowPainterContext.Provider, {value: output.painter}, element), {
		...terminal.streams,
		stdout: output as unknown as NodeJS.WriteStream,
		...frameOptions,
		maxFps,
		exitOnCtrlC: false,
		patchConsole: false,
		onRender({renderTime}) {
			onRender?.(renderTime);
		},
	});
	return {terminal, output, instance};
}

/** Time from each key press to the first frame after it; a frame after several presses answers them all. */
export class KeyLatency {
	readonly latencies: number[] = [];
	private pressedAt: number[] = [];

	press(stdin: FakeStdin, keys: string): void {
		this.pressedAt.push(performance.now());
		stdin.press(keys);
	}

	/** Call from onRender. */
	frameDrawn(): void {
		const now = performance.now();
		for (const at of this.pressedAt) this.latencies.push(now - at);
		this.pressedAt = [];
	}

	/** Presses no frame has shown yet. */
	get waiting(): number {
		return this.pressedAt.length;
	}
}
