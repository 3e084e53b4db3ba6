// The query index is packed in idle time as events arrive, in slices that stop at their budget, and a query
// answered from it gives exactly what testing each event on its own gives, whatever the order of the events
// and however the ring, the shared value table and the vocabulary have filled and emptied.

import assert from 'node:assert/strict';
import {setTimeout as sleep} from 'node:timers/promises';
import {test} from 'node:test';
import {benchLines, benchQueries} from '../../bench/query-bench.js';
import {Ingest} from '../../source/feed/ingest.js';
import type {MonitorEvent} from '../../source/model/event.js';
import {normalize} from '../../source/model/normalize.js';
import {compileQuery, packInIdleTime, Vocabulary, type VocabularyOptions} from '../../source/query/index.js';
import {EventRing} from '../../source/store/event-ring.js';
import {EventStore} from '../../source/store/event-store.js';
import {EventView} from '../../source/store/event-view.js';
import {SearchMatches} from '../../source/store/search-matches.js';
import {shuffled} from '../helpers/shuffle.js';

function event(line: string): MonitorEvent {
	const normalized = normalize(JSON.parse(line), 'test', Date.UTC(2024, 0, 1));
	if (typeof normalized === 'string') throw new Error(normalized);
	return normalized as MonitorEvent;
}

/** Wait for idle ticks until `done` (bounded: at most 10 s). */
async function idleUntil(done: () => boolean): Promise<void> {
	for (let turn = 0; turn < 2000 && !done(); turn++) await sleep(5);
}

/** Every query of the bench, the hostile one, and a few odd ones. */
const queries = [
	...benchQueries,
	'/(a+)+$/',
	'/^$/',
	'!/x*/',
	'"/bin/cat"',
	'src:job',
	'res:=""',
	'istanbul',
	'/\\s--job 1\\d$/',
	'kubectl',
];

function retainedOf(ring: EventRing): MonitorEvent[] {
	const retained: MonitorEvent[] = [];
	for (let seq = ring.oldestSeq; seq <= ring.newestSeq; seq++) retained.push(ring.get(seq)!);
	return retained;
}

/** The sequence numbers a query passes among `events`, each tested on its own (no vocabulary: as serve does). */
function oneByOne(query: string, events: readonly MonitorEvent[]): number[] {
	const plain = compileQuery(query);
	assert.ok(plain.ok, query);
	return events.filter(one => plain.predicate!(one)).map(one => one.seq);
}

test('the index is packed in idle time as events arrive, with no search, and stops when told', async () => {
	const store = new EventStore({maxEvents: 20_000, notifyIntervalMs: 0});
	const ingest = new Ingest(store);
	const vocabulary = new Vocabulary({source: store.events});
	const stop = packInIdleTime(vocabulary, store.subscribe);
	for (const line of benchLines(5000)) ingest.line(line, 'bench');
	assert.equal(vocabulary.chunkCount, 0, 'nothing is packed while events are being taken');
	await idleUntil(() => vocabulary.unpackedChunks === 0);
	// 5000 events: 4 complete chunks of 1024; the newest 904 are the incomplete chunk, tested one by one.
	assert.equal(vocabulary.chunkCount, 4);
	assert.ok(vocabulary.size > 100, 'the terms came with the packing');

	for (const line of benchLines(2000, 5000)) ingest.line(line, 'bench');
	await idleUntil(() => vocabulary.unpackedChunks === 0);
	assert.equal(vocabulary.chunkCount, 6);

	// What a query then finds is what each event tested on its own gives.
	const result = compileQuery('wordpres !sev<=2', vocabulary);
	assert.ok(result.ok);
	store.setFilter(result.predicate);
	const found = store.view.rows(Number.POSITIVE_INFINITY, 0, 10_000).map(one => one.seq).reverse();
	assert.deepEqual(found, oneByOne('wordpres !sev<=2', retainedOf(store.events)));
	assert.ok(found.length > 100);

	stop();
	for (const line of benchLines(2048, 7000)) ingest.line(line, 'bench');
	await sleep(100);
	assert.equal(vocabulary.chunkCount, 6, 'stopped: nothing more is packed');
	store.close();
});

/**
 * A few lines whose text only toLowerCase reads as the word: `\u212A` (the Kelvin sign) lower-cases to `k`, which
 * case-insensitive RegExp does not match (`kubctl` must still find `\u212Aubectl` as a typo of `kubectl`).
 */
function oddLines(count: number): string[] {
	return benchLines(count, 50_000).map((line, index) => {
		const raw = JSON.parse(line) as Record<string, unknown>;
		raw['Resource'] = index % 2 === 0 ? '/usr/bin/\u212Aubectl' : '/tmp/İstanbul ünïcode';
		return JSON.stringify(raw);
	});
}

test('every bench query answers from the index as each event on its own does, on shuffled input', () => {
	const lines = [...benchLines(6000), ...oddLines(20)];
	const cases: Array<{seed: number; options: VocabularyOptions}> = [
		{seed: 1, options: {}},
		{seed: 2, options: {}},
		// A table too small for the values: those it cannot number are tested where the chunk holds them.
		{seed: 3, options: {maxSharedValues: 300}},
		// A full vocabulary: its terms may lack a value's typos, so every value is tested for them.
		{seed: 4, options: {maxTerms: 40}},
	];
	for (const {seed, options} of cases) {
		// 6000 events into 4500 slots: the ring has wrapped, the oldest chunk is partly dropped.
		const ring = new EventRing(4500);
		for (const line of shuffled(lines, seed)) {
			const one = event(line);
			one.seq = ring.push(one);
		}

		const vocabulary = new Vocabulary({source: ring, ...options});
		while (vocabulary.packSome(Number.POSITIVE_INFINITY));
		assert.equal(vocabulary.unpackedChunks, 0);
		const retained = retainedOf(ring);
		const fileQuery = compileQuery('op:file', vocabulary);
		assert.ok(fileQuery.ok);
		const files = new EventView(ring, fileQuery.predicate);
		for (const query of queries) {
			const where = `${query} (seed ${seed}, ${JSON.stringify(options)})`;
			const result = compileQuery(query, vocabulary);
			assert.ok(result.ok, where);
			const expected = oneByOne(query, retained);
			const view = new EventView(ring, result.predicate);
			assert.deepEqual(view.rows(Number.POSITIVE_INFINITY, 0, ring.size).map(one => one.seq).reverse(), expected, where);
			// Its counters count what it holds.
			assert.equal(view.counters!.events, expected.length, where);

			// Find without hiding, within a filtered list: the matches that are also listed.
			const search = new SearchMatches(query, result.predicate!, files);
			const listed = new Set(oneByOne('op:file', retained));
			const walked: number[] = [];
			for (let at = search.older(Number.POSITIVE_INFINITY); at !== undefined; at = search.older(at)) walked.push(at);
			assert.deepEqual(walked.reverse(), expected.filter(seq => listed.has(seq)), `find ${where}`);
		}
	}
});

test('a filter kept live while the ring wraps and values come and go equals one set afterwards', () => {
	const store = new EventStore({maxEvents: 3000});
	const ingest = new Ingest(store);
	// A small table, so numbers freed by dropped chunks are handed out again to other values.
	const vocabulary = new Vocabulary({source: store.events, maxSharedValues: 2000});
	const live = ['wordpres op:file', '/curl|wget/', '!shdow sev>=3', 'src:job'];
	const early = live.map(query => {
		const result = compileQuery(query, vocabulary);
		assert.ok(result.ok);
		return result.predicate!;
	});
	store.setFilter(early[0]);
	const lines = shuffled(benchLines(12_000), 7);
	for (const [index, line] of lines.entries()) {
		ingest.line(line, 'bench');
		// Packing a little as events come, as idle time allows.
		if (index % 500 === 499) vocabulary.packSome(1);
		// Now and then the queries compiled at the start are applied again (their answers by value number must
		// follow numbers that were freed and given to other values since).
		if (index % 2000 === 1999) {
			const retained = retainedOf(store.events);
			for (const [which, query] of live.entries()) {
				const view = new EventView(store.events, early[which]);
				assert.deepEqual(view.rows(Number.POSITIVE_INFINITY, 0, 3000).map(one => one.seq).reverse(), oneByOne(query, retained), `${query} after ${index + 1} events`);
			}
		}
	}

	while (vocabulary.packSome(Number.POSITIVE_INFINITY));
	store.close();
	const retained = retainedOf(store.events);
	const expected = live.map(query => oneByOne(query, retained));
	// Live: tested as each event arrived.
	assert.deepEqual(store.view.rows(Number.POSITIVE_INFINITY, 0, 3000).map(one => one.seq).reverse(), expected[0]);
	for (const [index, query] of live.entries()) {
		// Rebuilt now from the index, with a query compiled now and with the one compiled before the events.
		for (const predicate of [compileQuery(query, vocabulary), {ok: true, predicate: early[index]}]) {
			assert.ok(predicate.ok);
			const view = new EventView(store.events, predicate.predicate);
			assert.deepEqual(view.rows(Number.POSITIVE_INFINITY, 0, 3000).map(one => one.seq).reverse(), expected[index], query);
		}
	}

	assert.ok(expected.every(seqs => seqs.length > 0));
});

test('a packing slice stops at its budget: the clock is read every 128 events', () => {
	const ring = new EventRing(20_000);
	for (const line of benchLines(10_240)) {
		const one = event(line);
		one.seq = ring.push(one);
	}

	const vocabulary = new Vocabulary({source: ring});
	// A clock that moves 1 ms each time it is read: a 3 ms slice may read it 3 times after its start.
	let now = 0;
	const clock = (): number => now++;
	let slices = 0;
	let packed = 0;
	for (let more = true; more && slices < 1000; slices++) {
		const before = vocabulary.chunkCount;
		more = vocabulary.packSome(3, clock);
		// 3 steps of 128 events: never a whole chunk of 1024 in one slice.
		assert.ok(vocabulary.chunkCount - before <= 1);
		packed = vocabulary.chunkCount;
	}

	assert.equal(packed, 10);
	assert.ok(slices >= 10_240 / (3 * 128), `${slices} slices`);
	assert.ok(slices <= 10_240 / (2 * 128) + 10, `${slices} slices`);

	// On the real clock: most slices end within their budget and a step.
	const real = new Vocabulary({source: ring});
	const times: number[] = [];
	for (let more = true, turn = 0; more && turn < 10_000; turn++) {
		const start = process.cpuUsage();
		more = real.packSome(2);
		const used = process.cpuUsage(start);
		times.push((used.user + used.system) / 1000);
	}

	times.sort((a, b) => a - b);
	assert.ok(times[times.length >> 1]! <= 6, `median slice ${times[times.length >> 1]} ms of CPU`);
	assert.equal(real.chunkCount, 10);
});
