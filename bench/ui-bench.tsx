// The real App in a fake 120x40 terminal with 5,000 events/s arriving: how long Ink takes per frame, how many
// frames a second it draws, how late the event loop runs, and how long a key press takes to reach the screen.
// The same feed for the same time without any UI is the baseline (event-loop delay and CPU).
//
// React picks its build from NODE_ENV when it is first loaded, so each variant runs in a child process of its
// own: NODE_ENV=production, and NODE_ENV unset (React's development build: what `armorwatch` runs today, as
// cli.tsx does not set it).
//
//   node --expose-gc dist/bench/ui-bench.js            (both children, prints the table)
//   node --expose-gc dist/bench/ui-bench.js --child    (one measurement in this process, prints JSON)

import {execFile} from 'node:child_process';
import {Box, render, Text} from 'ink';
import {monitorEventLoopDelay, performance} from 'node:perf_hooks';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {App} from '../source/app.js';
import {demoEvents} from '../source/feed/demo-feed.js';
import {Ingest} from '../source/feed/ingest.js';
import {EventStore} from '../source/store/event-store.js';
import {fakeTerminal} from './fake-terminal.js';
import {renderTable, type BenchRow} from './table.js';

const columns = 120;
const rows = 40;
const ratePerSecond = 5000;
/** Events arrive in batches this often (5,000/s = 50 per batch). */
const batchMs = 10;
const feedMs = 5000;
/** A key is typed this often; 'j' (select the next row, freezing the list) and 'g' (follow again) alternate. */
const keyEveryMs = 250;
const maxEvents = 50_000;
const label = 'demo';

const targetRenderMs = 15;
const targetFps = 20;
const targetLagMs = 50;
const childTimeoutMs = 45_000;

/** A sorted copy's value at quantile q (0..1), nearest rank; NaN when empty. */
export function quantile(values: readonly number[], q: number): number {
	if (values.length === 0) return Number.NaN;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

type FeedFigures = {
	events: number;
	elapsedMs: number;
	/** monitorEventLoopDelay (10 ms resolution) percentiles, ms: includes up to the 10 ms timer period itself. */
	lagP50: number;
	lagP99: number;
	lagMax: number;
	/** User + system CPU over wall time, percent of one core. */
	cpuPercent: number;
	/** JS heap used at the end of the feed, after gc, with everything still alive (store, and the App if any), MB. */
	heapAtEndMb: number;
};

/**
 * Feed demo events as NDJSON lines at `ratePerSecond`, in `batchMs` batches, for `feedMs`. What is owed is
 * computed from the clock, so a late timer delivers a bigger batch rather than lowering the rate.
 */
async function feed(
	ingest: Ingest,
	lines: readonly string[],
	tick?: (elapsedMs: number) => void,
): Promise<FeedFigures> {
	const delay = monitorEventLoopDelay({resolution: 10});
	ingest.status({label, state: 'connected', detail: `bench feed, ${ratePerSecond} events/s`, since: Date.now()});
	const cpu = process.cpuUsage();
	const start = performance.now();
	let sent = 0;
	delay.enable();
	await new Promise<void>(resolve => {
		const timer = setInterval(() => {
			const elapsed = performance.now() - start;
			const owed = Math.floor((Math.min(elapsed, feedMs) * ratePerSecond) / 1000);
			for (; sent < owed; sent++) ingest.line(lines[sent % lines.length], label);
			tick?.(elapsed);
			if (elapsed >= feedMs) {
				clearInterval(timer);
				resolve();
			}
		}, batchMs);
	});
	delay.disable();
	const elapsedMs = performance.now() - start;
	const used = process.cpuUsage(cpu);
	collect();
	return {
		events: sent,
		elapsedMs,
		lagP50: delay.percentile(50) / 1e6,
		lagP99: delay.percentile(99) / 1e6,
		lagMax: delay.max / 1e6,
		cpuPercent: ((used.user + used.system) / 1000 / elapsedMs) * 100,
		heapAtEndMb: process.memoryUsage().heapUsed / 1024 / 1024,
	};
}

export type UiFigures = {
	columns: number;
	rows: number;
	ratePerSecond: number;
	feedMs: number;
	/** NODE_ENV when React was loaded; unset means React's development build. */
	nodeEnv: string | undefined;
	baseline: FeedFigures;
	/** Ink renderTime of a plain-text full frame in the same run: how fast Ink is on this machine right now. */
	referenceRenderMedian: number;
	ui: FeedFigures & {
		frames: number;
		framesPerSecond: number;
		/** The most frames drawn in any one-second window. */
		maxFramesInOneSecond: number;
		/** Writes to the fake stdout that carried a frame. */
		frameWrites: number;
		/** Ink's onRender renderTime: turning the laid-out tree into the output string, ms. */
		renderMedian: number;
		renderP95: number;
		/** One store notification handled: React render + commit + Yoga layout (+ Ink output when not throttled), ms. */
		updateMedian: number;
		updateP95: number;
		updates: number;
		keys: number;
		keyToFrameMedian: number;
		keyToFrameP95: number;
	};
};

/**
 * Ink's own floor on this machine right now: a full 120x40 frame of plain ASCII text (no colours, borders or
 * clipping), re-rendered with new text every 30 ms for `ms`, with the same render options. Median renderTime.
 */
async function referenceFrame(ms: number): Promise<{median: number; frames: number}> {
	const terminal = fakeTerminal(columns, rows);
	const times: number[] = [];
	const frame = (n: number) => (
		<Box flexDirection="column" width={columns} height={rows - 1}>
			{Array.from({length: rows - 1}, (_, index) => (
				<Text key={index}>{`${n} ${index} `.padEnd(columns - 1, String.fromCharCode(97 + ((n + index) % 26)))}</Text>
			))}
		</Box>
	);
	const instance = render(frame(0), {
		...terminal.streams,
		maxFps: 20,
		incrementalRendering: false,
		exitOnCtrlC: false,
		patchConsole: false,
		onRender({renderTime}) {
			times.push(renderTime);
		},
	});
	const start = performance.now();
	for (let n = 1; performance.now() - start < ms; n++) {
		instance.rerender(frame(n));
		await new Promise(resolve => setTimeout(resolve, 30));
	}

	instance.unmount();
	await instance.waitUntilExit();
	return {median: quantile(times.slice(3), 0.5), frames: times.length};
}

function demoLines(count: number): string[] {
	return demoEvents(count, 7, Date.now(), ratePerSecond).map(event => JSON.stringify(event));
}

function collect(): void {
	(globalThis as {gc?: () => void}).gc?.();
}

type UiRun = Omit<UiFigures['ui'], keyof FeedFigures> & {feed: FeedFigures};

/**
 * The baseline: the same feed into the same pipeline, nobody drawing. A function of its own so its store is
 * unreachable afterwards (a suspended async function keeps its locals alive, and the UI run must not carry it).
 */
async function runQuiet(lines: readonly string[]): Promise<FeedFigures> {
	const store = new EventStore({maxEvents});
	const figures = await feed(new Ingest(store), lines);
	store.close();
	return figures;
}

/** The App under load, with keys typed now and then. */
async function runUi(lines: readonly string[]): Promise<UiRun> {
	const store = new EventStore({maxEvents});
	// Time each store notification's React update: the listener schedules a sync render that React runs in a
	// microtask (render, commit, Yoga layout, and Ink's output when the frame throttle lets it through at once);
	// a microtask queued after the listener runs once that is done.
	const updateTimes: number[] = [];
	const subscribe = store.subscribe;
	store.subscribe = listener =>
		subscribe(() => {
			const start = performance.now();
			listener();
			queueMicrotask(() => {
				if (measuring) updateTimes.push(performance.now() - start);
			});
		});

	const terminal = fakeTerminal(columns, rows);
	const renderTimes: number[] = [];
	const frameAt: number[] = [];
	const keyLatencies: number[] = [];
	let keyPending = false;
	let measuring = false;
	const instance = render(<App store={store} />, {
		...terminal.streams,
		maxFps: 20,
		incrementalRendering: false,
		exitOnCtrlC: false,
		patchConsole: false,
		onRender({renderTime}) {
			if (!measuring) return;
			const now = performance.now();
			renderTimes.push(renderTime);
			frameAt.push(now);
			if (keyPending) {
				keyPending = false;
				keyLatencies.push(now - terminal.stdin.lastPressAt);
			}
		},
	});

	const framesBefore = terminal.stdout.frameWrites;
	let nextKeyAt = keyEveryMs;
	let keys = 0;
	measuring = true;
	const figures = await feed(new Ingest(store), lines, elapsed => {
		if (elapsed < nextKeyAt || elapsed >= feedMs) return;
		nextKeyAt += keyEveryMs;
		keyPending = true;
		terminal.stdin.press(keys++ % 2 === 0 ? 'j' : 'g');
	});
	measuring = false;
	const frameWrites = terminal.stdout.frameWrites - framesBefore;
	instance.unmount();
	await instance.waitUntilExit();
	store.close();
	if (!terminal.stdout.lastFrame.includes('armorwatch')) throw new Error('the fake terminal never showed the app');

	let maxFramesInOneSecond = 0;
	for (let first = 0, last = 0; last < frameAt.length; last++) {
		while (frameAt[last] - frameAt[first] >= 1000) first++;
		maxFramesInOneSecond = Math.max(maxFramesInOneSecond, last - first + 1);
	}

	return {
		feed: figures,
		frames: frameAt.length,
		framesPerSecond: (frameAt.length / figures.elapsedMs) * 1000,
		maxFramesInOneSecond,
		frameWrites,
		renderMedian: quantile(renderTimes, 0.5),
		renderP95: quantile(renderTimes, 0.95),
		updateMedian: quantile(updateTimes, 0.5),
		updateP95: quantile(updateTimes, 0.95),
		updates: updateTimes.length,
		keys,
		keyToFrameMedian: quantile(keyLatencies, 0.5),
		keyToFrameP95: quantile(keyLatencies, 0.95),
	};
}

export async function measureUi(): Promise<UiFigures> {
	const lines = demoLines(Math.ceil((ratePerSecond * feedMs) / 1000) + 1000);

	// Baseline: the same feed into the same pipeline, nobody drawing.
	collect();
	const baseline = await runQuiet(lines);

	const reference = await referenceFrame(1500);

	collect();
	const {feed: figures, ...ui} = await runUi(lines);

	return {
		columns,
		rows,
		ratePerSecond,
		feedMs,
		nodeEnv: process.env['NODE_ENV'],
		baseline,
		referenceRenderMedian: reference.median,
		ui: {...figures, ...ui},
	};
}

/**
 * The rows for one run. `brief` keeps only the figures with targets plus CPU and heap (for the comparison run).
 */
export function uiRows(figures: UiFigures, brief = false): BenchRow[] {
	const {ui, baseline} = figures;
	const build =
		figures.nodeEnv === 'production' ? 'React prod build' : 'React dev build (NODE_ENV unset, as cli.tsx runs today)';
	const where = `${figures.columns}x${figures.rows}, ${figures.ratePerSecond / 1000}k events/s, ${build}`;
	const quiet = (value: number, unit: string) => ({name: 'same feed, no UI', value, unit});
	const delivered = (ui.events / ui.elapsedMs) * 1000;
	const all: Array<BenchRow & {brief?: boolean}> = [
		{
			name: `UI ${where}: events delivered during the run`,
			value: delivered,
			unit: 'events/s',
			baseline: quiet((baseline.events / baseline.elapsedMs) * 1000, 'events/s'),
			target: `>= 95% of ${figures.ratePerSecond.toLocaleString('en-US')} (the load really applied)`,
			pass: delivered >= 0.95 * figures.ratePerSecond,
		},
		{
			name: `UI ${where}: Ink render time per frame, median (p95 ${ui.renderP95.toFixed(1)} ms, ${ui.frames} frames)`,
			value: ui.renderMedian,
			unit: 'ms',
			baseline: {name: 'Ink floor: plain-text full frame, same run', value: figures.referenceRenderMedian, unit: 'ms'},
			target: `<= ${targetRenderMs} ms`,
			pass: ui.renderMedian <= targetRenderMs,
			brief: true,
		},
		{
			name: `UI ${where}: React update+layout per store notification, median (p95 ${ui.updateP95.toFixed(1)} ms)`,
			value: ui.updateMedian,
			unit: 'ms',
			target: 'info: the rest of a frame\'s cost, not in renderTime',
			pass: true,
		},
		{
			name: `UI ${where}: frames drawn (max ${ui.maxFramesInOneSecond} in any 1 s)`,
			value: ui.framesPerSecond,
			unit: 'frames/s',
			target: `<= ${targetFps} frames/s`,
			pass: ui.framesPerSecond <= targetFps && ui.frames > 0,
			brief: true,
		},
		{
			name: `UI ${where}: event-loop delay p99 (monitorEventLoopDelay, 10 ms resolution, raw)`,
			value: ui.lagP99,
			unit: 'ms',
			baseline: quiet(baseline.lagP99, 'ms'),
			target: `<= ${targetLagMs} ms`,
			pass: ui.lagP99 <= targetLagMs,
			brief: true,
		},
		{
			name: `UI ${where}: CPU (user+system, % of one core)`,
			value: ui.cpuPercent,
			unit: '%',
			baseline: quiet(baseline.cpuPercent, '%'),
			target: 'info',
			pass: true,
			brief: true,
		},
		{
			name: `UI ${where}: JS heap at the end of the run, App mounted, after gc`,
			value: ui.heapAtEndMb,
			unit: 'MB',
			baseline: quiet(baseline.heapAtEndMb, 'MB'),
			target: 'info: the UI\'s own memory is the difference',
			pass: true,
			brief: true,
		},
		{
			name: `UI ${where}: key-to-frame latency p95 (${ui.keys} keys, median ${ui.keyToFrameMedian.toFixed(1)} ms)`,
			value: ui.keyToFrameP95,
			unit: 'ms',
			target: 'info: one 50 ms frame slot (maxFps 20) + render',
			pass: true,
		},
	];
	return all.filter(row => !brief || row.brief).map(({brief: _, ...row}) => row);
}

/** One measurement in a fresh `node --expose-gc` child: `production` sets NODE_ENV, `development` unsets it. */
export async function measureUiInChild(build: 'production' | 'development'): Promise<UiFigures> {
	const env = {...process.env};
	if (build === 'production') env['NODE_ENV'] = 'production';
	else delete env['NODE_ENV'];
	const stdout = await new Promise<string>((resolve, reject) => {
		execFile(
			process.execPath,
			['--expose-gc', fileURLToPath(import.meta.url), '--child'],
			{env, timeout: childTimeoutMs, maxBuffer: 4 * 1024 * 1024},
			(error, out, err) => {
				if (error) reject(new Error(`UI bench child (${build}) failed: ${error.message}${err ? `\n${err}` : ''}`));
				else resolve(out);
			},
		);
	});
	return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as UiFigures;
}

/** Full rows with React's production build, then the headline rows as `armorwatch` runs today. */
export async function benchUi(): Promise<BenchRow[]> {
	const production = await measureUiInChild('production');
	const today = await measureUiInChild('development');
	return [...uiRows(production), ...uiRows(today, true)];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	if (process.argv.includes('--child')) {
		const figures = await measureUi();
		// Exit once written: Ink's exit hooks and React's scheduler may otherwise hold the loop a moment longer.
		process.stdout.write(`${JSON.stringify(figures)}\n`, () => {
			process.exit(0);
		});
	} else {
		console.log(renderTable(await benchUi()));
	}
}
