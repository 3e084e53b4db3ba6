// Bytes the monitor sends its terminal at 120x40, for a user on a slow SSH link: idle, one key, and 5,000
// events/s paused and following. Drawn as the monitor draws (ink's frames through its DiffOutput) into a fake
// terminal that counts the bytes; the same-run baseline is what ink wrote, i.e. what a full redraw of every
// frame sends. Also what the differ costs: its time per frame next to ink's render time for the same frames.
// Colours are on (FORCE_COLOR=1), as in a terminal, since colour codes are bytes too.
//
//   node --expose-gc dist/bench/screen-bytes-bench.js

import {performance} from 'node:perf_hooks';
import {pathToFileURL} from 'node:url';
import {Screen} from '../source/ui/screen.js';
import {demoEvents} from '../source/feed/demo-feed.js';
import {Ingest} from '../source/feed/ingest.js';
import {EventStore} from '../source/store/event-store.js';
import {measureInChild, reportToParent} from './child.js';
import {drawInFakeTerminal} from './fake-terminal.js';
import {publicSamples} from './ingest-bench.js';
import {quantile, renderTable, type BenchRow} from './table.js';

const columns = 120;
const rows = 40;
const ratePerSecond = 5000;
const measureMs = 3000;
const label = 'bench';
const sleep = async (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

type Scenario = {
	/** Bytes ink wrote (a full redraw of every frame) and bytes the terminal got, over the measured span. */
	inkBytes: number;
	sentBytes: number;
	ms: number;
	/** Differ time per frame (playing ink's output into the model + the diff), and ink's render time, medians. */
	differMs: number;
	renderMs: number;
	frames: number;
	/** The terminal, after the bytes it was sent, shows what ink drew. */
	sameScreen: boolean;
};

export type ScreenBytesFigures = {idle: Scenario; oneKey: Scenario; paused: Scenario; following: Scenario};

/** The Screen in a fake terminal, with the differ's work and ink's render times recorded frame by frame. */
function monitor(store: EventStore) {
	const renderTimes: number[] = [];
	const {terminal, output, instance} = drawInFakeTerminal(<Screen store={store} />, {
		columns,
		rows,
		onRender(renderTime) {
			renderTimes.push(renderTime);
		},
	});
	const frameWork: number[] = [];
	let work = 0;
	const {write, flush} = output;
	output.write = (chunk, ...rest) => {
		const start = performance.now();
		const result = write(chunk, ...rest);
		work += performance.now() - start;
		return result;
	};

	output.flush = () => {
		const start = performance.now();
		flush();
		frameWork.push(work + performance.now() - start);
		work = 0;
	};

	/** Measure what `during` makes the monitor send. */
	const measure = async (during: () => Promise<void>): Promise<Scenario> => {
		const start = {ink: output.bytesIn, sent: terminal.stdout.bytes, at: performance.now(), renders: renderTimes.length, frames: frameWork.length};
		await during();
		const renders = renderTimes.slice(start.renders);
		const frames = frameWork.slice(start.frames);
		return {
			inkBytes: output.bytesIn - start.ink,
			sentBytes: terminal.stdout.bytes - start.sent,
			ms: performance.now() - start.at,
			differMs: quantile(frames, 0.5),
			renderMs: quantile(renders, 0.5),
			frames: frames.length,
			sameScreen: terminal.stdout.screen.grid.text() === output.screenText(),
		};
	};

	const close = async () => {
		instance.unmount();
		await instance.waitUntilExit();
		store.close();
	};

	return {terminal, measure, close};
}

/** Demo events at `ratePerSecond` for `ms`, in 10 ms batches owed by the clock. */
async function feed(ingest: Ingest, lines: readonly string[], ms: number, from: number): Promise<number> {
	const start = performance.now();
	let sent = from;
	while (performance.now() - start < ms) {
		const owed = from + Math.floor(((performance.now() - start) * ratePerSecond) / 1000);
		for (; sent < owed; sent++) ingest.line(lines[sent % lines.length], label);
		await sleep(10);
	}

	return sent;
}

async function quiet(): Promise<{idle: Scenario; oneKey: Scenario}> {
	const store = new EventStore({maxEvents: 50_000});
	const ingest = new Ingest(store);
	const {terminal, measure, close} = monitor(store);
	ingest.status({label, state: 'connected', detail: 'bench', since: Date.now()});
	for (const sample of publicSamples()) ingest.value(sample, label);
	ingest.status({label, state: 'ended', detail: 'input ended', since: Date.now()});
	await sleep(1500);
	const idle = await measure(async () => {
		await sleep(measureMs);
	});
	const oneKey = await measure(async () => {
		terminal.stdin.press('j');
		await sleep(200);
	});
	await close();
	return {idle, oneKey};
}

async function loaded(paused: boolean): Promise<Scenario> {
	const store = new EventStore({maxEvents: 50_000});
	const ingest = new Ingest(store);
	const {terminal, measure, close} = monitor(store);
	const lines = demoEvents(ratePerSecond * 5, 7, Date.now(), ratePerSecond).map(event => JSON.stringify(event));
	ingest.status({label, state: 'connected', detail: `bench feed, ${ratePerSecond} events/s`, since: Date.now()});
	let sent = await feed(ingest, lines, 1000, 0);
	if (paused) terminal.stdin.press(' ');
	sent = await feed(ingest, lines, 300, sent);
	const figures = await measure(async () => {
		sent = await feed(ingest, lines, measureMs, sent);
	});
	await close();
	return figures;
}

export async function measureScreenBytes(): Promise<ScreenBytesFigures> {
	const {idle, oneKey} = await quiet();
	const paused = await loaded(true);
	const following = await loaded(false);
	return {idle, oneKey, paused, following};
}

export function screenBytesRows(figures: ScreenBytesFigures): BenchRow[] {
	const where = `${columns}x${rows}`;
	const frames = (scenario: Scenario) =>
		`${scenario.frames} frame${scenario.frames === 1 ? '' : 's'}${scenario.sameScreen ? '' : ', SCREEN DIFFERS'}`;
	const perSecond = (scenario: Scenario, bytes: number) => (bytes / scenario.ms) * 1000;
	const rate = (name: string, scenario: Scenario, target: string, pass: (sent: number, ink: number) => boolean): BenchRow => {
		const sent = perSecond(scenario, scenario.sentBytes);
		const ink = perSecond(scenario, scenario.inkBytes);
		return {
			name: `bytes to the terminal, ${where}, ${name} (${frames(scenario)})`,
			value: sent,
			unit: 'B/s',
			baseline: {name: 'full redraw of each frame: what ink wrote', value: ink, unit: 'B/s'},
			target,
			pass: pass(sent, ink) && scenario.sameScreen,
		};
	};

	const {idle, oneKey, paused, following} = figures;
	const all = [idle, oneKey, paused, following];
	const differ = quantile(all.map(scenario => scenario.differMs).filter(ms => !Number.isNaN(ms)), 0.5);
	const render = quantile(all.map(scenario => scenario.renderMs).filter(ms => !Number.isNaN(ms)), 0.5);
	return [
		rate('idle, input ended', idle, '<= 1,024 B/s', sent => sent <= 1024),
		{
			name: `bytes to the terminal, ${where}, one j (${frames(oneKey)})`,
			value: oneKey.sentBytes,
			unit: 'B',
			baseline: {name: 'full redraw: what ink wrote', value: oneKey.inkBytes, unit: 'B'},
			target: '<= 4,096 B',
			pass: oneKey.sentBytes <= 4096 && oneKey.sameScreen,
		},
		rate(`${ratePerSecond / 1000}k events/s, paused`, paused, '<= 16,384 B/s', sent => sent <= 16_384),
		rate(`${ratePerSecond / 1000}k events/s, following`, following, '<= 0.5 x baseline', (sent, ink) => sent <= 0.5 * ink),
		{
			name: `differ time per frame (model + diff), median of every frame above`,
			value: differ,
			unit: 'ms',
			baseline: {name: 'ink render time of the same frames, median', value: render, unit: 'ms'},
			target: 'info: what the differ costs per frame, next to ink\'s own',
			pass: true,
		},
	];
}

export async function benchScreenBytes(): Promise<BenchRow[]> {
	const figures = await measureInChild<ScreenBytesFigures>(import.meta.url, {
		name: 'screen bytes bench',
		timeoutMs: 60_000,
		env: {NODE_ENV: 'production', FORCE_COLOR: '1'},
	});
	return screenBytesRows(figures);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	if (process.argv.includes('--child')) reportToParent(await measureScreenBytes());
	else console.log(renderTable(await benchScreenBytes()));
}
