// Headless ingest speed: 100,000 NDJSON lines shaped like the public KubeArmor samples, as one Buffer fed in
// 64 KiB chunks through LineSplitter -> Ingest (parse, normalize) -> EventStore (store, count), against a bare
// split-on-'\n' + JSON.parse loop over the same bytes in the same run, and against floors: parsing and keeping the
// values, their lines' text, or their lines' bytes off the heap (what keeping costs in each form). Also the cost of
// what the headless figure leaves out: sanitizing + formatting an event for display (one list row, one line).
//
//   node --expose-gc dist/bench/ingest-bench.js

import {readFileSync} from 'node:fs';
import {performance} from 'node:perf_hooks';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {Ingest} from '../source/feed/ingest.js';
import {defaultMaxLineBytes, LineSplitter, ownLine} from '../source/feed/line-splitter.js';
import type {MonitorEvent} from '../source/model/event.js';
import {EventStore} from '../source/store/event-store.js';
import {localDayStart, timeColumns} from '../source/ui/dates.js';
import {plainLine, rowParts} from '../source/ui/format.js';
import {listColumns} from '../source/ui/list-columns.js';
import {quantile, renderTable, type BenchRow} from './table.js';

export const ingestEventCount = 100_000;
export const retainedEvents = 50_000;
const chunkBytes = 64 * 1024;
/** Interleaved runs of each: the figures are their medians (the target is judged on the median ratio). */
const rounds = 9;
/** Lines run once before measuring, so the JIT has compiled every path. */
const warmupLines = 20_000;
/** The list's row width at 120 columns: list pane 80, minus borders 78, minus the selection marker 77. */
const rowWidth = 77;
const targetRatio = 0.6;

const fixture = fileURLToPath(new URL('../../test/fixtures/kubearmor-public.ndjson', import.meta.url));

/** The 69 public samples, parsed. */
export function publicSamples(): Array<Record<string, unknown>> {
	return readFileSync(fixture, 'utf8')
		.split('\n')
		.filter(line => line.trim() !== '')
		.map(line => JSON.parse(line) as Record<string, unknown>);
}

const pidFields = ['HostPID', 'HostPPID', 'PID', 'PPID', 'hostPid', 'hostPPid', 'pid', 'ppid'];
const baseMs = Date.UTC(2024, 4, 14, 7, 6, 40);

/**
 * Sample `index % samples.length`, with the fields that differ between real events varied (PIDs, times, the
 * pod suffix, the container ID), so the strings JSON.parse makes are not all identical. Same shape, same
 * dialect, same length give or take a few bytes.
 */
export function variedSample(samples: Array<Record<string, unknown>>, index: number): Record<string, unknown> {
	const event = {...samples[index % samples.length]};
	for (const key of pidFields) {
		if (typeof event[key] === 'number') event[key] = ((event[key] as number) + index) % 4_194_304;
	}

	const ms = baseMs + index * 7;
	for (const key of ['Timestamp', 'timestamp']) {
		if (typeof event[key] === 'number') event[key] = Math.floor(ms / 1000);
	}

	for (const key of ['UpdatedTime', 'updatedTime']) {
		if (typeof event[key] === 'string') event[key] = new Date(ms).toISOString().replace('Z', `${index % 1000}Z`);
	}

	for (const key of ['PodName', 'podName']) {
		const pod = event[key];
		if (typeof pod === 'string' && pod.length > 6) {
			event[key] = pod.slice(0, -5) + (index % 60_466_176).toString(36).padStart(5, '0');
		}
	}

	for (const key of ['ContainerID', 'containerID']) {
		const id = event[key];
		if (typeof id === 'string' && id.length >= 16) {
			event[key] = (index % 0x1_0000_0000).toString(16).padStart(8, '0') + id.slice(8);
		}
	}

	return event;
}

/** `count` NDJSON lines of varied public samples, as one Buffer. */
export function sampleNdjson(count: number, from = 0, samples = publicSamples()): Buffer {
	const lines: string[] = [];
	for (let index = from; index < from + count; index++) lines.push(JSON.stringify(variedSample(samples, index)));
	return Buffer.from(lines.join('\n') + '\n');
}

/** Feed `bytes` in 64 KiB chunks through the production pipeline into `store`. */
export function ingestBuffer(bytes: Buffer, store: EventStore, onEvent?: (event: MonitorEvent) => void): void {
	const ingest = new Ingest(store, onEvent ? {onEvent} : {});
	const splitter = new LineSplitter({
		line(text, known) {
			ingest.line(text, 'bench', known);
		},
		oversized(count) {
			ingest.oversized(count, defaultMaxLineBytes, 'bench');
		},
	});
	for (let offset = 0; offset < bytes.length; offset += chunkBytes) {
		splitter.push(bytes.subarray(offset, offset + chunkBytes));
	}

	splitter.end();
}

function collect(): void {
	(globalThis as {gc?: () => void}).gc?.();
}

/** The baseline: decode, split on '\n', JSON.parse every line; nothing kept. Returns ms. */
function bareParse(bytes: Buffer, expected: number): number {
	const start = performance.now();
	const lines = bytes.toString('utf8').split('\n');
	let parsed = 0;
	for (const line of lines) {
		if (line === '') continue;
		const value: unknown = JSON.parse(line);
		if (typeof value === 'object') parsed++;
	}

	const ms = performance.now() - start;
	if (parsed !== expected) throw new Error(`baseline parsed ${parsed} lines, expected ${expected}`);
	return ms;
}

/**
 * The floor under any pipeline that keeps parsed events: JSON.parse every line and keep the newest 50,000
 * values in a ring, nothing else. What this costs beyond bareParse is the garbage collector copying the kept
 * objects (young generation -> old), which the bare loop never pays.
 */
function parseAndKeep(bytes: Buffer, expected: number): number {
	const ring: unknown[] = new Array<unknown>(retainedEvents);
	const start = performance.now();
	const lines = bytes.toString('utf8').split('\n');
	let parsed = 0;
	for (const line of lines) {
		if (line === '') continue;
		ring[parsed++ % retainedEvents] = JSON.parse(line);
	}

	const ms = performance.now() - start;
	if (parsed !== expected) throw new Error(`parse-and-keep parsed ${parsed} lines, expected ${expected}`);
	return ms;
}

/**
 * The floor again, keeping each line's own text instead of its value: what a store that kept lines on the heap
 * and parsed again on demand would keep. It costs what the floor costs: the collector copies kept bytes, whether
 * they are one string or an object.
 */
function parseAndKeepText(bytes: Buffer, expected: number): number {
	const ring: string[] = new Array<string>(retainedEvents);
	const start = performance.now();
	const lines = bytes.toString('utf8').split('\n');
	let parsed = 0;
	for (const line of lines) {
		if (line === '' || typeof JSON.parse(line) !== 'object') continue;
		ring[parsed++ % retainedEvents] = ownLine(line);
	}

	const ms = performance.now() - start;
	if (parsed !== expected) throw new Error(`parse-and-keep-text parsed ${parsed} lines, expected ${expected}`);
	return ms;
}

/** Where a line kept off the heap is, and one value read from it. */
type OffHeapRecord = {at: number; length: number; severity: unknown};

/**
 * JSON.parse every line and keep its bytes off the heap, in one buffer allocated (and its pages touched) before
 * the clock starts, as a long-running store's would be, with a small record on the heap: the floor of a store
 * that parses again on demand from off-heap lines. Each line is decoded from the bytes on its own.
 */
function parseAndKeepOffHeap(bytes: Buffer, expected: number, lines: Buffer): number {
	const ring: OffHeapRecord[] = new Array<OffHeapRecord>(retainedEvents);
	const start = performance.now();
	let parsed = 0;
	let at = 0;
	for (let from = 0; from < bytes.length; ) {
		let end = bytes.indexOf(10, from);
		if (end === -1) end = bytes.length;
		if (end > from) {
			const value = JSON.parse(bytes.toString('utf8', from, end)) as Record<string, unknown>;
			const length = end - from;
			if (at + length > lines.length) at = 0;
			bytes.copy(lines, at, from, end);
			ring[parsed++ % retainedEvents] = {at, length, severity: value['Severity']};
			at += length;
		}

		from = end + 1;
	}

	const ms = performance.now() - start;
	if (parsed !== expected) throw new Error(`parse-and-keep-off-heap parsed ${parsed} lines, expected ${expected}`);
	return ms;
}

/** The pipeline into a fresh store; returns ms and the store (to check the counts and format its events). */
function pipeline(
	bytes: Buffer,
	expected: number,
	onEvent?: (event: MonitorEvent) => void,
): {ms: number; store: EventStore} {
	const store = new EventStore({maxEvents: retainedEvents});
	const start = performance.now();
	ingestBuffer(bytes, store, onEvent);
	const ms = performance.now() - start;
	store.close();
	if (store.counters.events !== expected || store.counters.malformed !== 0) {
		const {events, malformed} = store.counters;
		throw new Error(`pipeline stored ${events} events (${malformed} malformed), expected ${expected}`);
	}

	return {ms, store};
}

function retained(store: EventStore): MonitorEvent[] {
	const events: MonitorEvent[] = [];
	for (let seq = store.events.oldestSeq; seq <= store.events.newestSeq; seq++) events.push(store.events.get(seq)!);
	return events;
}

export type IngestFigures = {
	events: number;
	bytes: number;
	rounds: number;
	/** Medians of `rounds` interleaved runs, events per second. */
	baselineRate: number;
	floorRate: number;
	textFloorRate: number;
	offHeapFloorRate: number;
	ingestRate: number;
	lineModeRate: number;
	/** Median over the rounds of each round's pipeline rate / bare-parse rate (runs next to each other). */
	ingestRatio: number;
	lineModeRatio: number;
	/** Best of the rounds: formatting alone. */
	rowPartsRate: number;
	plainLineRate: number;
	/** Every round, ms, in order, to show the noise. */
	baselineMs: number[];
	floorMs: number[];
	textFloorMs: number[];
	offHeapFloorMs: number[];
	ingestMs: number[];
	lineModeMs: number[];
};

export function measureIngest(count = ingestEventCount): IngestFigures {
	const bytes = sampleNdjson(count);
	const baselineMs: number[] = [];
	const floorMs: number[] = [];
	const textFloorMs: number[] = [];
	const offHeapFloorMs: number[] = [];
	const ingestMs: number[] = [];
	const lineModeMs: number[] = [];
	let sink = 0;
	const lineMode = (event: MonitorEvent) => {
		sink += plainLine(event).length;
	};

	// Warm the JIT on every path first, then interleave the runs so noise from other processes hits all of them.
	const warmup = sampleNdjson(warmupLines, count);
	bareParse(warmup, warmupLines);
	parseAndKeep(warmup, warmupLines);
	parseAndKeepText(warmup, warmupLines);
	// Twice the retained lines' bytes, so the ring never wraps onto lines still recorded; filled with a non-zero
	// byte so every page is touched here (a zero-filled allocation may be pages the kernel maps on first write).
	const offHeapLines = Buffer.alloc(Math.ceil((2 * bytes.length * retainedEvents) / count), 1);
	parseAndKeepOffHeap(warmup, warmupLines, offHeapLines);
	pipeline(warmup, warmupLines);
	pipeline(warmup, warmupLines, lineMode);
	// Only the last round's store is kept (for the formatting figures), and only once nothing else runs after it.
	let events: MonitorEvent[] = [];
	for (let round = 0; round < rounds; round++) {
		collect();
		baselineMs.push(bareParse(bytes, count));
		collect();
		floorMs.push(parseAndKeep(bytes, count));
		collect();
		textFloorMs.push(parseAndKeepText(bytes, count));
		collect();
		offHeapFloorMs.push(parseAndKeepOffHeap(bytes, count, offHeapLines));
		collect();
		lineModeMs.push(pipeline(bytes, count, lineMode).ms);
		collect();
		const headless = pipeline(bytes, count);
		ingestMs.push(headless.ms);
		if (round === rounds - 1) events = retained(headless.store);
	}

	// Formatting alone, over the events the last headless run retained.
	const rowMs: number[] = [];
	const plainMs: number[] = [];
	const today = localDayStart(Date.now());
	const widths = listColumns(rowWidth, {time: timeColumns.today, action: 5, where: rowWidth, process: rowWidth, what: rowWidth});
	for (let round = 0; round <= rounds; round++) {
		let start = performance.now();
		for (const event of events) sink += rowParts(event, widths, today, false).what.length;
		const row = performance.now() - start;
		start = performance.now();
		for (const event of events) sink += plainLine(event).length;
		const plain = performance.now() - start;
		if (round === 0) continue;
		rowMs.push(row);
		plainMs.push(plain);
	}

	if (sink === 0) throw new Error('formatting produced nothing');
	const best = (n: number, ms: number[]) => n / (Math.min(...ms) / 1000);
	const median = (n: number, ms: number[]) => n / (quantile(ms, 0.5) / 1000);
	const ratio = (ms: number[]) => quantile(ms.map((pipelineMs, round) => baselineMs[round] / pipelineMs), 0.5);
	return {
		events: count,
		bytes: bytes.length,
		rounds,
		baselineRate: median(count, baselineMs),
		floorRate: median(count, floorMs),
		textFloorRate: median(count, textFloorMs),
		offHeapFloorRate: median(count, offHeapFloorMs),
		ingestRate: median(count, ingestMs),
		lineModeRate: median(count, lineModeMs),
		ingestRatio: ratio(ingestMs),
		lineModeRatio: ratio(lineModeMs),
		rowPartsRate: best(events.length, rowMs),
		plainLineRate: best(events.length, plainMs),
		baselineMs,
		floorMs,
		textFloorMs,
		offHeapFloorMs,
		ingestMs,
		lineModeMs,
	};
}

export function ingestRows(figures: IngestFigures): BenchRow[] {
	const k = `${Math.round(figures.events / 1000)}k`;
	const baseline = {name: `split on \\n + JSON.parse, same ${k} lines`, value: figures.baselineRate, unit: 'events/s'};
	const runs = `median of ${figures.rounds} interleaved runs`;
	return [
		{
			name: `headless ingest ${k} sample events in 64 KiB chunks (split+parse+normalize+store+count), ${runs} (median ratio ${figures.ingestRatio.toFixed(2)})`,
			value: figures.ingestRate,
			unit: 'events/s',
			baseline,
			target: `>= ${targetRatio} x baseline (median of the runs' ratios)`,
			pass: figures.ingestRatio >= targetRatio,
		},
		{
			name: `floor: JSON.parse + keep the newest 50k values (GC copying what is kept), ${runs}`,
			value: figures.floorRate,
			unit: 'events/s',
			baseline,
			target: 'info: the most any storing pipeline can reach',
			pass: true,
		},
		{
			name: `floor, keeping each line's text instead of its value (a store that parses again on demand), ${runs}`,
			value: figures.textFloorRate,
			unit: 'events/s',
			baseline,
			target: 'info: keeping costs the bytes kept, in any form',
			pass: true,
		},
		{
			name: `floor, keeping each line's bytes off the heap (one buffer) and a 3-field record, decoding line by line, ${runs}`,
			value: figures.offHeapFloorRate,
			unit: 'events/s',
			baseline,
			target: 'info: the floor of a store that keeps its lines off the heap',
			pass: true,
		},
		{
			name: `line mode: the same ingest + sanitize+format every event (plainLine), ${runs} (median ratio ${figures.lineModeRatio.toFixed(2)})`,
			value: figures.lineModeRate,
			unit: 'events/s',
			baseline,
			target: `>= ${targetRatio} x baseline (median of the runs' ratios)`,
			pass: figures.lineModeRatio >= targetRatio,
		},
		{
			name: `sanitize+format one list row alone (rowParts, ${rowWidth} cols; the TUI does this for visible rows only)`,
			value: figures.rowPartsRate,
			unit: 'rows/s',
			target: 'info: a 40-row frame in <= 1 ms (>= 40,000 rows/s)',
			pass: figures.rowPartsRate >= 40_000,
		},
		{
			name: 'sanitize+format one line-mode line alone (plainLine)',
			value: figures.plainLineRate,
			unit: 'lines/s',
			target: 'info',
			pass: true,
		},
	];
}

export async function benchIngest(): Promise<BenchRow[]> {
	return ingestRows(measureIngest());
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	const figures = measureIngest();
	console.log(renderTable(ingestRows(figures)));
	console.log(JSON.stringify({...figures}, null, '\t'));
}
