import assert from 'node:assert/strict';
import {test} from 'node:test';
import {performance} from 'node:perf_hooks';
import {Ingest} from '../../source/feed/ingest.js';
import {text, type MonitorEvent} from '../../source/model/event.js';
import {EventStore} from '../../source/store/event-store.js';
import {Counters, ranked} from '../../source/store/counters.js';
import {clockTime} from '../../source/ui/format.js';
import {sampleLines} from '../helpers/samples.js';

function storeOf(maxEvents: number, now = () => Date.UTC(2024, 0, 1, 12)) {
	const store = new EventStore({maxEvents, now});
	return {store, ingest: new Ingest(store)};
}

test('counters count every event seen, the ring keeps at most --max-alerts', () => {
	const {store, ingest} = storeOf(10);
	const lines = sampleLines();
	for (const line of lines) ingest.line(line, 'samples');
	assert.equal(store.counters.events, 69);
	assert.equal(store.events.size, 10);
	assert.equal(store.view.count(), 10);
	assert.equal(store.counters.alerts + store.counters.logs, 69);
	const operations = [...store.counters.operation.values()].reduce((a, b) => a + b, 0);
	const withOperation = lines.filter(line => /"(?:O|o)peration"\s*:\s*"[^"]/.test(line)).length;
	assert.equal(operations, withOperation);
});

test('the summary counts keys only for events that have the field', () => {
	const {store, ingest} = storeOf(100);
	ingest.value({Operation: 'File', Action: 'Block', Severity: '7', NamespaceName: 'ns1', PolicyName: 'p1'}, 't');
	ingest.value({Operation: 'File', Action: 'Audit', Severity: '', NamespaceName: 'ns1'}, 't');
	ingest.value({Operation: 'Network', Type: 'ContainerLog'}, 't');
	ingest.line('not json', 't');
	ingest.line('[1,2]', 't');
	assert.deepEqual(store.counters.summary(), {
		events: 3,
		alerts: 2,
		logs: 1,
		malformed: 2,
		severity: {'7': 1},
		operation: {File: 2, Network: 1},
		action: {Block: 1, Audit: 1},
		namespace: {ns1: 2},
		policy: {p1: 1},
	});
	assert.match(store.lastProblem ?? '', /array/);
});

test('malformed input is counted and the feed goes on', () => {
	const {store, ingest} = storeOf(100);
	for (const line of ['{"Operation":"File"}', '{broken', 'null', '"str"', '{"Operation":"Process"}']) ingest.line(line, 't');
	assert.equal(store.counters.events, 2);
	assert.equal(store.counters.malformed, 3);
});

test('ranked sorts by count, then name', () => {
	const {store, ingest} = storeOf(100);
	for (const op of ['File', 'Process', 'File', 'Network', 'Process', 'File']) ingest.value({Operation: op}, 't');
	assert.deepEqual(ranked(store.counters.operation), [
		['File', 3],
		['Process', 2],
		['Network', 1],
	]);
});

test('top gives the first of ranked without ranking everything, ties included; countOf reads one count', () => {
	const {store, ingest} = storeOf(100);
	// Counts with many ties, names in no order, and a value that is never an Action.
	let seed = 7;
	const random = (n: number) => (seed = (seed * 48_271) % 2_147_483_647) % n;
	for (let i = 0; i < 3000; i++) ingest.value({Operation: `op-${random(400)}`, Action: random(2) === 0 ? 'Block' : `a${random(9)}`}, 't');
	const {counters} = store;
	for (const limit of [1, 5, 20, 400, 1000]) {
		assert.deepEqual(counters.top('operation', limit), ranked(counters.operation).slice(0, limit), `top ${limit}`);
		assert.deepEqual(counters.top('action', limit), ranked(counters.action).slice(0, limit), `top ${limit} actions`);
	}

	for (const [name, count] of counters.operation) assert.equal(counters.countOf('operation', name), count);
	assert.equal(counters.countOf('action', 'never'), 0);
	assert.equal(counters.countOf('namespace', 'none'), 0);
});

test('the header stays quick with 100,000 distinct Operations: it ranks only what a line can show', () => {
	const {store, ingest} = storeOf(1000);
	for (let i = 0; i < 100_000; i++) ingest.value({Operation: `op-${i}`, Action: `act-${i}`}, 't');
	// Against ranking every value in the same run (what it did before), medians of interleaved rounds, not an
	// absolute time: the machine is shared. Each round adds an event, so top() cannot answer from its cache.
	const topMs: number[] = [];
	const rankAllMs: number[] = [];
	let top: Array<[string, number]> = [];
	for (let round = 0; round < 5; round++) {
		ingest.value({Operation: `op-more-${round}`}, 't');
		let start = performance.now();
		const all = ranked(store.counters.operation);
		rankAllMs.push(performance.now() - start);
		start = performance.now();
		top = store.counters.top('operation', 30);
		topMs.push(performance.now() - start);
		assert.deepEqual(top, all.slice(0, 30));
	}

	const median = (values: number[]) => [...values].sort((a, b) => a - b)[2];
	assert.equal(top.length, 30);
	assert.deepEqual(top.slice(0, 3).map(([name]) => name), ['op-0', 'op-1', 'op-10']);
	assert.ok(median(topMs) < median(rankAllMs), `top 30: ${median(topMs).toFixed(1)} ms, ranking all: ${median(rankAllMs).toFixed(1)} ms`);
});

test('a filtered view tests new events as they arrive and forgets dropped ones', () => {
	const {store, ingest} = storeOf(5);
	store.setFilter(event => text(event, 'Action') === 'Block');
	for (let i = 0; i < 12; i++) ingest.value({Operation: 'File', Action: i % 2 === 0 ? 'Block' : 'Audit', PID: i}, 't');
	// Retained: seq 8..12; Block among them: PID 8, 10 (seq 9, 11).
	assert.equal(store.view.count(), 2);
	assert.deepEqual(
		store.view.rows(Number.POSITIVE_INFINITY, 0, 10).map(event => event.fields['PID']),
		[10, 8],
	);
	assert.equal(store.view.matchedTotal, 6);
	assert.equal(store.view.matchedBlock, 6);
});

test('listeners are notified at most once per interval, however many events arrive', async () => {
	const store = new EventStore({maxEvents: 100, notifyIntervalMs: 50});
	const ingest = new Ingest(store);
	let calls = 0;
	store.subscribe(() => {
		calls++;
	});
	for (let i = 0; i < 1000; i++) ingest.value({Operation: 'File'}, 't');
	await new Promise(resolve => setTimeout(resolve, 120));
	assert.ok(calls >= 1 && calls <= 2, `notified ${calls} times`);
	store.close();
});

test('an AlertThreshold event marks its container throttled until UpdatedTime + DroppingAlertsInterval', () => {
	let now = Date.parse('2024-01-01T12:00:10Z');
	const {store, ingest} = storeOf(100, () => now);
	ingest.value(
		{
			UpdatedTime: '2024-01-01T12:00:00.000000Z',
			Type: 'SystemEvent',
			Operation: 'AlertThreshold',
			NamespaceName: 'wordpress-mysql',
			PodName: 'wordpress-1',
			ContainerName: 'wordpress',
			MaxAlertsPerSec: 10,
			DroppingAlertsInterval: 30,
		},
		't',
	);
	assert.deepEqual(
		store.throttles.active(now).map(t => [t.container, new Date(t.until).toISOString()]),
		[['wordpress-mysql/wordpress-1/wordpress', '2024-01-01T12:00:30.000Z']],
	);
	now = Date.parse('2024-01-01T12:00:31Z');
	assert.deepEqual(store.throttles.active(now), []);
});

test('throttles from odd AlertThreshold events: a container named alone, an interval no date can hold', () => {
	const now = Date.parse('2024-01-01T12:00:10Z');
	const {store, ingest} = storeOf(100, () => now);
	ingest.value({Operation: 'AlertThreshold', UpdatedTime: '2024-01-01T12:00:00Z', ContainerName: 'alone', DroppingAlertsInterval: 60}, 't');
	ingest.value({Operation: 'AlertThreshold', UpdatedTime: '2024-01-01T12:00:00Z', HostName: 'node-1', DroppingAlertsInterval: 1e300}, 't');
	const active = store.throttles.active(now);
	assert.deepEqual(active.map(t => t.container), ['alone', 'node-1']);
	assert.equal(clockTime(active[1]!.until), '--:--:--');
	assert.match(clockTime(active[0]!.until), /^\d\d:\d\d:\d\d$/);
});

test('the rate history counts per wall-clock second', () => {
	let now = Date.parse('2024-01-01T12:00:00.100Z');
	const {store, ingest} = storeOf(100, () => now);
	for (let i = 0; i < 7; i++) ingest.value({Operation: 'File'}, 't');
	now += 1000;
	for (let i = 0; i < 3; i++) ingest.value({Operation: 'File'}, 't');
	now += 1000;
	assert.equal(store.rate.perSecond(now), 3);
	assert.deepEqual(store.rate.history(now).slice(-3), [0, 7, 3]);
	now += 120_000;
	assert.equal(store.rate.history(now).reduce((a, b) => a + b, 0), 0, 'old seconds age out');
});

test('a filtered view counts its matches exactly as counting them field by field would', () => {
	// A ring smaller than the input, so the codes of dropped events are overwritten as the ring wraps.
	const {store, ingest} = storeOf(20);
	const lines = sampleLines();
	const blocked = (event: MonitorEvent) => event.fields['Action'] === 'Block';
	const expected = new Counters();
	for (const line of lines.slice(0, 30)) ingest.line(line, 'samples');
	// Set now, the filter scans what is retained (events 11..30); later events are tested as they arrive.
	for (let seq = store.events.oldestSeq; seq <= store.events.newestSeq; seq++) {
		if (blocked(store.events.get(seq)!)) expected.add(store.events.get(seq)!);
	}

	store.setFilter(blocked);
	let arrivedBlocked = 0;
	for (const line of lines.slice(30)) {
		ingest.line(line, 'samples');
		const event = store.events.get(store.events.newestSeq)!;
		if (blocked(event)) {
			expected.add(event);
			arrivedBlocked++;
		}
	}

	const shown = store.view.counters!;
	assert.ok(arrivedBlocked > 3 && expected.events > arrivedBlocked, 'Block events on both sides of the filter');
	assert.deepEqual(shown.summary(), expected.summary());
	assert.deepEqual(ranked(shown.namespace), ranked(expected.namespace));
	assert.equal(store.view.matchedTotal, arrivedBlocked);
	assert.equal(store.view.matchedBlock, arrivedBlocked);
});
