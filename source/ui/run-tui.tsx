import {render} from 'ink';
import {exitSignals, onExitSignal, signalExitCode} from '../exit-signals.js';
import {Screen} from './screen.js';
import type {Feed} from '../feed/feed.js';
import {Ingest} from '../feed/ingest.js';
import {stderrLine} from '../messages.js';
import type {FilterState} from '../query/filter-state.js';
import {EventStore} from '../store/event-store.js';
import {capWarning, retention} from '../store/memory-bound.js';
import {DiffOutput} from './diff-output.js';
import {RowPainterContext} from './components/line.js';
import type {GroupField} from '../store/group-fields.js';
import {reassertRawMode, takeOverTerminal} from './terminal.js';

export type TuiOptions = {
	maxAlerts: number;
	/** Heap bytes the retained events may hold (--max-memory). */
	maxMemory: number;
	maxGroups: number;
	/** Start with the list in groups of these fields. */
	groupBy: GroupField[] | undefined;
	limit?: number;
	keyboard: NodeJS.ReadStream;
	filter: FilterState;
};

/** How ink draws the monitor; the benchmarks draw with the same options. */
export const frameOptions = {
	// The stream and the clock draw at most every 100 ms (the screen's useFramePace); ink's own cap only spaces
	// the frames keys cause, and a key that came within a slot of the last frame waited for the slot's end (a
	// timer, behind whatever ingest was running). At 20 that was up to 50 ms; now a key's frame comes at once.
	maxFps: 1000,
	// ink writes whole frames and a DiffOutput sends the terminal only what changed (see diff-output.ts for why
	// not ink's incremental renderer).
	incrementalRendering: false,
} as const;

/** The full-screen monitor. Resolves with the exit code after the user quits; the terminal is restored. */
export async function runTui(feeds: Feed[], options: TuiOptions): Promise<number> {
	const kept = retention(options.maxAlerts, options.maxMemory);
	// Said before the screen takes over, so it is in the scrollback afterwards; the footer says it while it runs.
	if (kept.capped) process.stderr.write(stderrLine(capWarning(kept)));
	const store = new EventStore({maxEvents: kept.maxEvents, maxBytes: kept.maxBytes, askedEvents: kept.maxAlerts, maxGroups: options.maxGroups});
	const ingest = new Ingest(store, {
		limit: options.limit,
		onLimit() {
			for (const feed of feeds) feed.stop();
		},
	});

	const restoreTerminal = takeOverTerminal(process.stdout, options.keyboard);
	const output = new DiffOutput(process.stdout);
	const restore = () => {
		output.close();
		restoreTerminal();
	};
	const crash = (error: unknown) => {
		restore();
		process.stderr.write(stderrLine(error));
		process.exit(1);
	};

	process.on('uncaughtException', crash);
	process.on('unhandledRejection', crash);

	// The screen's lines are drawn by the DiffOutput, not through ink's frame (see row-painter.ts).
	const screen = (
		<RowPainterContext.Provider value={output.painter}>
			<Screen store={store} initialFilter={options.filter} initialGroupBy={options.groupBy} onRedraw={() => output.redraw()} />
		</RowPainterContext.Provider>
	);
	const instance = render(screen, {
		...frameOptions,
		stdout: output as unknown as NodeJS.WriteStream,
		stdin: options.keyboard,
		exitOnCtrlC: false,
		patchConsole: true,
	});
	// A signal quits as q does, and the exit code says which (130, 143, 129). SIGQUIT too: its default ends the
	// process on the spot, leaving the terminal on the alternate screen.
	let signalled: NodeJS.Signals | undefined;
	const removeSignalHandlers = onExitSignal(
		signal => {
			signalled = signal;
			instance.unmount();
		},
		[...exitSignals, 'SIGQUIT'],
	);
	for (const feed of feeds) {
		feed.start(ingest);
		// A producer that shared the terminal may have reset its mode as it exited (see reassertRawMode).
		void feed.done.then(() => {
			reassertRawMode(options.keyboard);
		});
	}

	let code = 0;
	try {
		await instance.waitUntilExit();
	} catch (error) {
		restore();
		process.stderr.write(stderrLine(error));
		code = 1;
	}

	for (const feed of feeds) feed.stop();
	store.close();
	restore();
	removeSignalHandlers();
	if (options.keyboard !== process.stdin) options.keyboard.destroy();
	return signalled && code === 0 ? signalExitCode(signalled) : code;
}
