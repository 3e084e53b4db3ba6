// Memory with 50,000 events retained: ingest 100,000 public-sample events (varied, as the ingest bench makes
// them) through the real pipeline into a store that keeps 50,000, collect garbage, read RSS and heap. Runs in a
// child process of its own so nothing else the bench run did is counted; the baseline is the same process's
// RSS before ingesting.
//
//   node --expose-gc dist/bench/memory-bench.js           (spawns the child, prints the table)
//   node --expose-gc dist/bench/memory-bench.js --child   (the measurement itself, prints JSON)

import {pathToFileURL} from 'node:url';
import {EventStore} from '../source/store/event-store.js';
import {measureInChild, reportToParent} from './child.js';
import {ingestBuffer, publicSamples, sampleNdjson} from './ingest-bench.js';
import {renderTable, type BenchRow} from './table.js';

const totalEvents = 100_000;
const retained = 50_000;
/** Lines are made and fed this many at a time, so the input never sits in memory whole. */
const batch = 1000;
const targetRssMb = 250;
const childTimeoutMs = 60_000;

export type MemoryFigures = {
	events: number;
	retained: number;
	rssBeforeMb: number;
	heapBeforeMb: number;
	rssAfterMb: number;
	heapAfterMb: number;
	externalAfterMb: number;
	/** Heap per retained event, bytes. */
	heapPerEvent: number;
};

const mb = (bytes: number) => bytes / 1024 / 1024;

function collect(): void {
	const {gc} = globalThis as {gc?: () => void};
	if (!gc) throw new Error('run with --expose-gc');
	// Twice: the first pass can leave objects that only die once finalizers have run.
	gc();
	gc();
}

/** The measurement, in the child. */
export async function measureMemory(): Promise<MemoryFigures> {
	const samples = publicSamples();
	// Warm the pipeline (compiled code is part of any real process) on a small store, then drop it.
	const warm = new EventStore({maxEvents: batch});
	ingestBuffer(sampleNdjson(batch, 0, samples), warm);
	warm.close();
	collect();
	await new Promise(resolve => setTimeout(resolve, 50));
	collect();
	const before = process.memoryUsage();

	const store = new EventStore({maxEvents: retained});
	for (let from = 0; from < totalEvents; from += batch) ingestBuffer(sampleNdjson(batch, from, samples), store);
	store.close();
	if (store.counters.events !== totalEvents || store.events.size !== retained) {
		throw new Error(`stored ${store.counters.events} events, retained ${store.events.size}`);
	}

	collect();
	await new Promise(resolve => setTimeout(resolve, 50));
	collect();
	const after = process.memoryUsage();
	// Keep the store alive until after the reading.
	if (store.events.get(store.events.newestSeq) === undefined) throw new Error('the newest event is gone');
	return {
		events: totalEvents,
		retained,
		rssBeforeMb: mb(before.rss),
		heapBeforeMb: mb(before.heapUsed),
		rssAfterMb: mb(after.rss),
		heapAfterMb: mb(after.heapUsed),
		externalAfterMb: mb(after.external + after.arrayBuffers),
		heapPerEvent: (after.heapUsed - before.heapUsed) / retained,
	};
}

/** Run the measurement in a fresh `node --expose-gc` child and read its JSON. */
export async function measureMemoryInChild(): Promise<MemoryFigures> {
	return measureInChild<MemoryFigures>(import.meta.url, {name: 'memory bench', timeoutMs: childTimeoutMs});
}

export function memoryRows(figures: MemoryFigures): BenchRow[] {
	const k = (n: number) => `${Math.round(n / 1000)}k`;
	const perEvent = Math.round(figures.heapPerEvent).toLocaleString('en-US');
	return [
		{
			name: `memory: RSS, ${k(figures.events)} sample events ingested, ${k(figures.retained)} retained, after gc (own process)`,
			value: figures.rssAfterMb,
			unit: 'MB',
			baseline: {name: 'RSS of the same process before ingesting', value: figures.rssBeforeMb, unit: 'MB'},
			target: `<= ${targetRssMb} MB`,
			pass: figures.rssAfterMb <= targetRssMb,
		},
		{
			name: `memory: JS heap used with ${k(figures.retained)} retained (${perEvent} bytes per retained event)`,
			value: figures.heapAfterMb,
			unit: 'MB',
			baseline: {name: 'heap used before ingesting', value: figures.heapBeforeMb, unit: 'MB'},
			target: 'info',
			pass: true,
		},
	];
}

export async function benchMemory(): Promise<BenchRow[]> {
	return memoryRows(await measureMemoryInChild());
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	if (process.argv.includes('--child')) {
		reportToParent(await measureMemory());
	} else {
		const figures = await measureMemoryInChild();
		console.log(renderTable(memoryRows(figures)));
		console.log(JSON.stringify(figures, null, '\t'));
	}
}
