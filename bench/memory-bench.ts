// Memory, each measured in a child process of its own so nothing else the bench run did is counted; the baseline
// is the same process's RSS before ingesting. Public-sample events, varied as the ingest bench makes them (every
// event's pod name, container ID and time its own), through the real pipeline:
// - 100,000 into a store of the default size that keeps 50,000;
// - a large store (sharing strings, see source/store/compact-event.ts): 200,000 retained, or 1,000,000 with
//   --scale (target <= 600 MB RSS), and the heap each retained event holds; and the same with pods and
//   containers repeating as a cluster's do (5,000 distinct) instead of every event a pod of its own;
// - the byte bound: 20 KB events (half of them two bytes a character) into a 64 MB --max-memory, heap measured.
//
//   node --expose-gc dist/bench/memory-bench.js [--scale]   (spawns the children, prints the table)
//   MEMORY_BENCH=default|large:N|cluster:N|bound node --expose-gc dist/bench/memory-bench.js --child   (one measurement, JSON)

import {pathToFileURL} from 'node:url';
import {Ingest} from '../source/feed/ingest.js';
import {EventStore} from '../source/store/event-store.js';
import {measureInChild, reportToParent} from './child.js';
import {ingestBuffer, publicSamples, sampleNdjson, variedSample} from './ingest-bench.js';
import {renderTable, type BenchRow} from './table.js';

const totalEvents = 100_000;
const retained = 50_000;
/** Lines are made and fed this many at a time, so the input never sits in memory whole. */
const batch = 1000;
const targetRssMb = 250;
const childTimeoutMs = 60_000;
/** The large store: retained events, and the RSS target at 1M. */
const largeRetained = process.argv.includes('--scale') ? 1_000_000 : 200_000;
const targetLargeRssMb = 600;
const largeTimeoutMs = 400_000;
/** The byte bound: this many 20 KB events into this bound. */
const boundEvents = 10_000;
const boundBytes = 64 * 1024 * 1024;

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

export type LargeFigures = {
	retained: number;
	rssBeforeMb: number;
	rssAfterMb: number;
	heapPerEvent: number;
	/** The store's own estimate per event, which the byte bound works with. */
	estimatePerEvent: number;
	/** Ingest rate into the large store (sharing strings costs CPU), events/s. */
	ingestRate: number;
};

/** Pods (and their containers) in the "as a cluster sends them" variant: about this many distinct ones. */
const distinctPods = 5000;
const podKeys = ['PodName', 'podName', 'ContainerID', 'containerID'];

/**
 * Lines as sampleNdjson makes them, but with pod names and container IDs from about `distinctPods` pods, as a
 * cluster's events repeat them (sampleNdjson gives every event a pod of its own). Times and PIDs still vary.
 */
function clusterNdjson(count: number, from: number, samples: Array<Record<string, unknown>>): Buffer {
	const perSample = Math.ceil(distinctPods / samples.length);
	const lines: string[] = [];
	for (let index = from; index < from + count; index++) {
		const event = variedSample(samples, index);
		// Same sample underneath, so the pod belongs to the event's own workload.
		const pod = variedSample(samples, (Math.floor(index / samples.length) % perSample) * samples.length + (index % samples.length));
		for (const key of podKeys) if (key in event) event[key] = pod[key];
		lines.push(JSON.stringify(event));
	}

	return Buffer.from(lines.join('\n') + '\n');
}

/** A large store: `retained` events, every one kept; `cluster`: pods repeating (clusterNdjson). */
export async function measureLarge(retained: number, cluster = false): Promise<LargeFigures> {
	const samples = publicSamples();
	const warm = new EventStore({maxEvents: batch});
	ingestBuffer(sampleNdjson(batch, 0, samples), warm);
	warm.close();
	collect();
	await new Promise(resolve => setTimeout(resolve, 50));
	collect();
	const before = process.memoryUsage();
	const store = new EventStore({maxEvents: retained});
	let ms = 0;
	for (let from = 0; from < retained; from += batch) {
		const bytes = cluster ? clusterNdjson(batch, from, samples) : sampleNdjson(batch, from, samples);
		const start = performance.now();
		ingestBuffer(bytes, store);
		ms += performance.now() - start;
	}

	store.close();
	if (store.events.size !== retained) throw new Error(`retained ${store.events.size}, not ${retained}`);
	collect();
	await new Promise(resolve => setTimeout(resolve, 50));
	collect();
	const after = process.memoryUsage();
	if (store.events.get(store.events.newestSeq) === undefined) throw new Error('the newest event is gone');
	return {
		retained,
		rssBeforeMb: mb(before.rss),
		rssAfterMb: mb(after.rss),
		heapPerEvent: (after.heapUsed - before.heapUsed) / retained,
		estimatePerEvent: store.events.bytes / retained,
		ingestRate: (retained / ms) * 1000,
	};
}

export type BoundFigures = {events: number; boundMb: number; heapHeldMb: number; estimateMb: number; kept: number};

/** 20 KB events, each its own, half ASCII and half two bytes a character, into a store bound to boundBytes. */
export function measureBound(): BoundFigures {
	collect();
	const before = process.memoryUsage().heapUsed;
	const store = new EventStore({maxEvents: 50_000, maxBytes: boundBytes});
	const ingest = new Ingest(store);
	const ascii = 'x'.repeat(20_000);
	const wide = 'ж'.repeat(20_000);
	for (let index = 0; index < boundEvents; index++) {
		const line = JSON.stringify({NamespaceName: 'payments', Operation: 'File', Action: 'Block', Data: `${index} ${index % 2 ? wide : ascii}`});
		ingest.line(line, 'bench');
	}

	store.close();
	collect();
	const held = process.memoryUsage().heapUsed - before;
	if (store.counters.events !== boundEvents) throw new Error(`counted ${store.counters.events}`);
	return {events: boundEvents, boundMb: mb(boundBytes), heapHeldMb: mb(held), estimateMb: mb(store.events.bytes), kept: store.events.size};
}

/** Run the measurement in a fresh `node --expose-gc` child and read its JSON. */
export async function measureMemoryInChild(): Promise<MemoryFigures> {
	return measureInChild<MemoryFigures>(import.meta.url, {name: 'memory bench', timeoutMs: childTimeoutMs, env: {MEMORY_BENCH: 'default'}});
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

export function largeRows(figures: LargeFigures, cluster: LargeFigures): BenchRow[] {
	const count = figures.retained.toLocaleString('en-US');
	const atScale = figures.retained >= 1_000_000;
	return [
		{
			name: `memory: RSS with ${count} events retained (large store, shared strings), after gc (own process)${atScale ? '' : '; 1,000,000 with --scale'}`,
			value: figures.rssAfterMb,
			unit: 'MB',
			baseline: {name: 'RSS of the same process before ingesting', value: figures.rssBeforeMb, unit: 'MB'},
			target: atScale ? `<= ${targetLargeRssMb} MB` : 'info (target at 1M: --scale)',
			pass: !atScale || figures.rssAfterMb <= targetLargeRssMb,
		},
		{
			name: `memory: RSS with ${count} retained, the same events with ${distinctPods.toLocaleString('en-US')} distinct pods and containers (as a cluster repeats them) instead of one each (heap per event ${Math.round(cluster.heapPerEvent)} B)`,
			value: cluster.rssAfterMb,
			unit: 'MB',
			baseline: {name: 'RSS of the same process before ingesting', value: cluster.rssBeforeMb, unit: 'MB'},
			target: 'info',
			pass: true,
		},
		{
			name: `memory: JS heap per retained event in the large store (the store's estimate: ${Math.round(figures.estimatePerEvent)} B)`,
			value: figures.heapPerEvent,
			unit: 'B',
			target: 'info (was 1,131 B in every store)',
			pass: true,
		},
		{
			name: `memory: ingest into the large store (sharing strings), ${count} events`,
			value: figures.ingestRate,
			unit: 'events/s',
			target: 'info',
			pass: true,
		},
	];
}

export function boundRows(figures: BoundFigures): BenchRow[] {
	return [
		{
			name: `memory: heap held by ${figures.events.toLocaleString('en-US')} events of 20 KB (half two bytes a character) under --max-memory ${figures.boundMb} MB (${figures.kept.toLocaleString('en-US')} kept, estimate ${figures.estimateMb.toFixed(1)} MB)`,
			value: figures.heapHeldMb,
			unit: 'MB',
			baseline: {name: 'the bound', value: figures.boundMb, unit: 'MB'},
			target: '<= the bound',
			pass: figures.heapHeldMb <= figures.boundMb,
		},
	];
}

export async function benchMemory(): Promise<BenchRow[]> {
	const rows = memoryRows(await measureMemoryInChild());
	const large = await measureInChild<LargeFigures>(import.meta.url, {
		name: 'memory bench (large store)',
		timeoutMs: largeTimeoutMs,
		env: {MEMORY_BENCH: `large:${largeRetained}`},
	});
	const cluster = await measureInChild<LargeFigures>(import.meta.url, {
		name: 'memory bench (large store, repeating pods)',
		timeoutMs: largeTimeoutMs,
		env: {MEMORY_BENCH: `cluster:${largeRetained}`},
	});
	const bound = await measureInChild<BoundFigures>(import.meta.url, {name: 'memory bench (bound)', timeoutMs: childTimeoutMs, env: {MEMORY_BENCH: 'bound'}});
	return [...rows, ...largeRows(large, cluster), ...boundRows(bound)];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	if (process.argv.includes('--child')) {
		const which = process.env['MEMORY_BENCH'] ?? 'default';
		if (which.startsWith('large:')) reportToParent(await measureLarge(Number(which.slice('large:'.length))));
		else if (which.startsWith('cluster:')) reportToParent(await measureLarge(Number(which.slice('cluster:'.length)), true));
		else if (which === 'bound') reportToParent(measureBound());
		else reportToParent(await measureMemory());
	} else {
		console.log(renderTable(await benchMemory()));
	}
}
