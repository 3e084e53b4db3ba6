import assert from 'node:assert/strict';
import {test} from 'node:test';
import {Ingest} from '../../source/feed/ingest.js';
import {compileQuery} from '../../source/query/index.js';
import {EventStore} from '../../source/store/event-store.js';
import type {EventPredicate} from '../../source/store/event-view.js';
import {FacetCount, type FacetField} from '../../source/store/facet-count.js';
import {sampleLines} from '../helpers/samples.js';

function storeOf(lines: string[], maxEvents = 1000): {store: EventStore; ingest: Ingest} {
	const store = new EventStore({maxEvents});
	const ingest = new Ingest(store);
	for (const line of lines) ingest.line(line, 'samples');
	store.close();
	return {store, ingest};
}

function predicate(query: string): EventPredicate | undefined {
	const result = compileQuery(query);
	assert.ok(result.ok);
	return result.predicate;
}

/** The counts read the slow way: every retained event that passes, its field's value ('' when it has none). */
function recount(store: EventStore, field: FacetField, test: EventPredicate | undefined): Map<string, number> {
	const counts = new Map<string, number>();
	for (let seq = store.events.oldestSeq; seq <= store.events.newestSeq; seq++) {
		const event = store.events.get(seq)!;
		if (test && !test(event)) continue;
		const value = event.fields[field];
		const key = typeof value === 'string' ? value : '';
		counts.set(key, (counts.get(key) ?? 0) + 1);
	}

	return counts;
}

const sorted = (tally: Map<string, number>) => [...tally].sort(([a], [b]) => a.localeCompare(b));

/** A fixed shuffle (a small LCG), so a failure can be run again. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
	const copy = [...items];
	let state = seed;
	for (let index = copy.length - 1; index > 0; index--) {
		state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
		const other = state % (index + 1);
		[copy[index], copy[other]] = [copy[other]!, copy[index]!];
	}

	return copy;
}

test('facet counts: the retained events within the other filters, by value; no namespace counts as ""', () => {
	const {store} = storeOf(sampleLines());
	const inNamespace = predicate('ns:=wordpress-mysql');
	const policies = new FacetCount(store.events, 'PolicyName', inNamespace).tally();
	assert.deepEqual(sorted(policies), sorted(recount(store, 'PolicyName', inNamespace)));
	const total = [...policies.values()].reduce((sum, count) => sum + count, 0);
	assert.equal(total, 12, 'every wordpress-mysql event is counted once');
	assert.ok(policies.size < store.counters.policy.size, 'only the policies that namespace has');
	const namespaces = new FacetCount(store.events, 'NamespaceName', undefined).tally();
	assert.ok((namespaces.get('') ?? 0) > 0, 'host events (no namespace) have an entry');
	assert.equal([...namespaces.values()].reduce((sum, count) => sum + count, 0), 69);
});

test('facet counts are the same whatever order the events came in', () => {
	const lines = sampleLines();
	const filter = predicate('op:File');
	const expected = sorted(new FacetCount(storeOf(lines).store.events, 'NamespaceName', filter).tally());
	for (const seed of [1, 7, 42]) {
		const {store} = storeOf(shuffled(lines, seed));
		assert.deepEqual(sorted(new FacetCount(store.events, 'NamespaceName', filter).tally()), expected, `seed ${seed}`);
	}

	// A ring that keeps only the last 30: the counts are those of the 30 retained, in any order.
	for (const seed of [3, 5]) {
		const {store} = storeOf(shuffled(lines, seed), 30);
		const facet = new FacetCount(store.events, 'PolicyName', filter);
		assert.deepEqual(sorted(facet.tally()), sorted(recount(store, 'PolicyName', filter)), `seed ${seed}`);
	}
});

test('an open facet catches up: new events counted, dropped ones taken away, however many came between', () => {
	const lines = sampleLines();
	const {store, ingest} = storeOf(lines.slice(0, 10), 20);
	const filter = predicate('!action:audit');
	const facet = new FacetCount(store.events, 'NamespaceName', filter);
	const first = facet.tally();
	assert.equal(facet.tally(), first, 'nothing changed: the same Map, not a new one');
	facet.catchUp();
	assert.equal(facet.tally(), first, 'a catch-up with no new event changes nothing');
	const check = (label: string) => {
		facet.catchUp();
		assert.deepEqual(sorted(facet.tally()), sorted(recount(store, 'NamespaceName', filter)), label);
	};

	for (const line of lines.slice(10, 15)) ingest.line(line, 'samples');
	check('5 new, none dropped yet');
	for (const line of lines.slice(15, 32)) ingest.line(line, 'samples');
	check('17 more: the ring dropped the oldest');
	for (const line of [...lines, ...lines]) ingest.line(line, 'samples');
	check('many times the ring between two looks');
	for (const line of lines.slice(0, 7)) ingest.line(line, 'samples');
	check('then a few again');
	assert.notEqual(facet.tally(), first);
});
