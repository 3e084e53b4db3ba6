// Large events: how fast the monitor takes in 200 KB events while it follows them (the newest event is selected,
// so each frame lays out a new one in the detail pane) next to the same while the list is frozen (the detail pane
// keeps one event). Following should cost about what freezing does, whatever the event size: the detail pane
// wraps only the rows it shows.
//
// The real Screen draws in a fake 120x40 terminal with the monitor's frame options; events go in one at a time,
// as fast as the event loop lets them, for `roundMs`, counted per CPU second of the process. Rounds alternate
// following / frozen; medians compared.
//
//   node --expose-gc dist/bench/big-event-bench.js            (the child, prints the table)
//   node --expose-gc dist/bench/big-event-bench.js --child    (the measurement in this process, prints JSON)

import {performance} from 'node:perf_hooks';
import {setImmediate as nextTurn, setTimeout as delay} from 'node:timers/promises';
import {pathToFileURL} from 'node:url';
import {Screen} from '../source/ui/screen.js';
import {Ingest} from '../source/feed/ingest.js';
import {EventStore} from '../source/store/event-store.js';
import {measureInChild, reportToParent} from './child.js';
import {drawInFakeTerminal} from './fake-terminal.js';
import {quantile, renderTable, type BenchRow} from './table.js';

const columns = 120;
const rows = 40;
const eventBytes = 200 * 1024;
/** Distinct events fed in turn (each parsed anew, so every one is a new event to lay out). */
const distinct = 8;
const roundMs = 1000;
const roundsEach = 5;
/** Few retained: 200 KB each. */
const maxEvents = 100;
const targetRatio = 0.8;
const childTimeoutMs = 60_000;

/**
 * A File event whose Resource and Source (a long command line, as argv can be) make it `eventBytes` long. One
 * non-ASCII character, as a path may hold: no ASCII shortcut anywhere.
 */
function bigLines(): string[] {
	return Array.from({length: distinct}, (_, index) => {
		const words = Array.from({length: eventBytes / 8}, (_, word) => `w${(word * 7919 + index) % 100_000}`).join('/');
		// Two values of half the size each, less room for the other fields.
		const half = words.slice(0, (eventBytes - 400) / 2);
		return JSON.stringify({
			UpdatedTime: new Date().toISOString(),
			NamespaceName: 'payments',
			PodName: `api-${index}`,
			ContainerName: 'api',
			ProcessName: '/usr/bin/python3',
			ParentProcessName: '/bin/sh',
			Operation: 'File',
			Action: 'Audit',
			Severity: '5',
			Type: 'MatchedPolicy',
			PolicyName: 'audit-all',
			Resource: `/data/café/${half}`,
			Source: `/usr/bin/python3 -c ${half}`,
		});
	});
}

export type BigEventFigures = {
	eventBytes: number;
	followingRates: number[];
	frozenRates: number[];
	followingMedian: number;
	frozenMedian: number;
	/** Frames drawn in the following rounds, in all: the detail pane really was drawn. */
	followingFrames: number;
};

async function round(lines: readonly string[], frozen: boolean): Promise<{rate: number; frames: number}> {
	const store = new EventStore({maxEvents});
	const ingest = new Ingest(store);
	let frames = 0;
	const {terminal, instance} = drawInFakeTerminal(<Screen store={store} />, {
		columns,
		rows,
		onRender() {
			frames++;
		},
	});
	ingest.status({label: 'bench', state: 'connected', since: Date.now()});
	for (const line of lines) ingest.line(line, 'bench');
	// Frozen: select the next (older) event, as a user reading one does; the list and the detail pane hold still.
	const ready = (text: string) => text.includes('Detail #') && (!frozen || text.includes('frozen'));
	const deadline = performance.now() + 5000;
	while (!ready(terminal.stdout.screen.grid.text()) && performance.now() < deadline) {
		if (frozen && terminal.stdout.screen.grid.text().includes('Detail #')) terminal.stdin.press('j');
		await delay(50);
	}

	if (!ready(terminal.stdout.screen.grid.text())) throw new Error(`the list did not ${frozen ? 'freeze' : 'show the events'}`);
	frames = 0;
	let sent = 0;
	const start = performance.now();
	const cpu = process.cpuUsage();
	while (performance.now() - start < roundMs) {
		ingest.line(lines[sent % lines.length], 'bench');
		sent++;
		await nextTurn();
	}

	// Per CPU second of this process: the loop never waits, so this is what the work costs, and other
	// processes on a busy machine do not change it the way they change the wall-clock rate.
	const used = process.cpuUsage(cpu);
	const cpuMs = (used.user + used.system) / 1000;
	const drawn = frames;
	const stayed = frozen === terminal.stdout.screen.grid.text().includes('frozen');
	instance.unmount();
	await instance.waitUntilExit();
	store.close();
	if (!stayed) throw new Error(`the list was not ${frozen ? 'frozen' : 'following'} to the end`);
	return {rate: (sent / cpuMs) * 1000, frames: drawn};
}

export async function measureBigEvents(): Promise<BigEventFigures> {
	const lines = bigLines();
	// Warm-up: both paths compiled before anything is measured.
	await round(lines, false);
	await round(lines, true);
	const followingRates: number[] = [];
	const frozenRates: number[] = [];
	let followingFrames = 0;
	for (let index = 0; index < roundsEach; index++) {
		(globalThis as {gc?: () => void}).gc?.();
		const following = await round(lines, false);
		followingRates.push(following.rate);
		followingFrames += following.frames;
		(globalThis as {gc?: () => void}).gc?.();
		frozenRates.push((await round(lines, true)).rate);
	}

	return {
		eventBytes: lines[0].length,
		followingRates,
		frozenRates,
		followingMedian: quantile(followingRates, 0.5),
		frozenMedian: quantile(frozenRates, 0.5),
		followingFrames,
	};
}

export function bigEventRows(figures: BigEventFigures): BenchRow[] {
	const kb = Math.round(figures.eventBytes / 1024);
	const ratio = figures.followingMedian / figures.frozenMedian;
	return [
		{
			name: `UI ${columns}x${rows}, ${kb} KB events as fast as they come: events taken in per CPU second while following (the detail pane lays out each new one; median of ${roundsEach} x ${roundMs / 1000} s, ${figures.followingFrames} frames)`,
			value: figures.followingMedian,
			unit: 'events/s',
			baseline: {name: 'the same with the list frozen, rounds interleaved', value: figures.frozenMedian, unit: 'events/s'},
			target: `>= ${targetRatio} x baseline`,
			pass: ratio >= targetRatio && figures.followingFrames > 0,
		},
	];
}

/** In a fresh child with NODE_ENV=production (React's build, as cli.tsx sets it). */
export async function benchBigEvents(): Promise<BenchRow[]> {
	const figures = await measureInChild<BigEventFigures>(import.meta.url, {
		name: 'large-event bench',
		timeoutMs: childTimeoutMs,
		env: {NODE_ENV: 'production'},
	});
	return bigEventRows(figures);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	if (process.argv.includes('--child')) {
		reportToParent(await measureBigEvents());
	} else {
		console.log(renderTable(await benchBigEvents()));
	}
}
