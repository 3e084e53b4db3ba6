import assert from 'node:assert/strict';
import {test} from 'node:test';
import {Ingest} from '../../source/feed/ingest.js';
import {eventTime} from '../../source/model/event.js';
import {compileQuery} from '../../source/query/index.js';
import {chunkSize} from '../../source/query/vocabulary.js';
import {EventStore} from '../../source/store/event-store.js';
import {defaultGroupBy, parseGroupBy, type GroupField} from '../../source/store/group-fields.js';
import {GroupTable, type Group} from '../../source/store/groups.js';
import {sampleLines} from '../helpers/samples.js';
import {shuffled} from '../helpers/shuffle.js';

function fields(spec: string): GroupField[] {
	const parsed = parseGroupBy(spec);
	if ('error' in parsed) throw new Error(parsed.error);
	return parsed;
}

/** Everything a group shows, its sample's seq included (no ties here: each event has its own time). */
function shape(group: Group) {
	return {key: group.key, values: group.values, count: group.count, first: group.first, last: group.last, severity: group.severity, minutes: [...group.minutes], sample: group.sample.seq};
}

const safe = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * The public samples, shuffled and repeated to `count` events, as a cluster sends them: pods renamed to one of
 * 7 replicas (generated suffixes), severities and times varied so that every event has its own time.
 */
function clusterLines(count: number, seed: number): string[] {
	const samples = sampleLines().map(line => JSON.parse(line) as Record<string, unknown>);
	const lines: string[] = [];
	for (let index = 0; index < count; index++) {
		const event = {...shuffled(samples, seed + Math.floor(index / samples.length))[index % samples.length]!};
		const pod = event['PodName'];
		const replica = Array.from({length: 5}, (_, i) => safe[((index % 7) * 5 + i) % safe.length]).join('');
		if (typeof pod === 'string' && pod.length > 6) event['PodName'] = `${pod.slice(0, -5)}${replica}`;
		event['UpdatedTime'] = new Date(Date.UTC(2025, 4, 1, 10) + ((index * 7919) % count) * 1000 + index).toISOString();
		if (typeof event['Severity'] !== 'undefined') event['Severity'] = String(1 + ((index * 31) % 10));
		lines.push(JSON.stringify(event));
	}

	return lines;
}

/**
 * A store of `count` events of which `capacity` are retained (the oldest chunk partly evicted), its complete
 * chunks packed up to about `packedUpTo` events, the later ones not.
 */
function partlyPackedStore(lines: readonly string[], capacity: number, packedUpTo: number): EventStore {
	const store = new EventStore({maxEvents: capacity, now: () => Date.UTC(2025, 4, 1, 12)});
	const ingest = new Ingest(store);
	for (const line of lines.slice(0, packedUpTo)) ingest.line(line, 'samples');
	// Bounded: one call packs every complete chunk there is (a clock that never moves).
	store.vocabulary.packSome(1, () => 0);
	for (const line of lines.slice(packedUpTo)) ingest.line(line, 'samples');
	return store;
}

/** Each key field read through a counter: the column path reads none of them. */
function counted(list: readonly GroupField[]): {fields: GroupField[]; reads: () => number} {
	let reads = 0;
	const fields = list.map(field => ({...field, read: (event: Parameters<GroupField['read']>[0]) => (reads++, field.read(event))}));
	return {fields, reads: () => reads};
}

test('groups built from the packed columns equal groups built event by event, with and without a filter, for any order', () => {
	const total = 4 * chunkSize + 300;
	const capacity = total - 700; // the oldest retained (packed) chunk has lost its first 700 events
	for (const seed of [1, 7, 42]) {
		const lines = clusterLines(total, seed);
		const store = partlyPackedStore(lines, capacity, 2 * chunkSize + 100);
		const vocabulary = store.vocabulary;
		assert.ok(vocabulary.chunkCount >= 1 && vocabulary.unpackedChunks >= 1, 'some chunks packed, some not');
		for (const spec of [defaultGroupBy.join(','), 'workload', 'op,action', 'ns,pod,container,host', 'policy,tag']) {
			const parsed = fields(spec);
			for (const query of ['', 'op:file', '!action:block nginx']) {
				const compiled = query === '' ? undefined : compileQuery(query, vocabulary);
				if (compiled && !compiled.ok) throw new Error(`query ${query}`);
				store.setFilter(compiled?.predicate);
				const events = [...store.view.retained()];
				assert.ok(events.length > 100, `${query}: enough matches`);
				for (const maxGroups of [10_000, 5]) {
					const expected = GroupTable.of(parsed, events, maxGroups);
					const {fields: readCounted, reads} = counted(parsed);
					const columns = GroupTable.ofRetained(readCounted, store.events, vocabulary, store.view.retainedSeqs(), maxGroups);
					const label = `seed ${seed}, key ${spec}, filter "${query}", max ${maxGroups}`;
					for (const order of ['count', 'last', 'severity'] as const) assert.deepEqual(columns.sorted(order).map(shape), expected.sorted(order).map(shape), `${label}, order ${order}`);
					assert.equal(columns.events, expected.events, label);
					assert.equal(columns.dropped, expected.dropped, label);
					const packed = events.filter(event => vocabulary.packedChunk(event.seq) !== undefined).length;
					assert.ok(packed > 0, label);
					// The columns answer for the packed events (unless the key has a field without a column: tag); the
					// others are read once, and again to make a new group.
					const perEvent = events.length - packed + expected.size + expected.dropped;
					if (!spec.includes('tag')) assert.ok(reads() <= perEvent * parsed.length, `${label}: ${reads()} field reads`);
				}
			}
		}
	}
});

test('the store builds its groups from the packed columns, then keeps them live like a rebuild', () => {
	const lines = clusterLines(3 * chunkSize + 50, 3);
	const store = partlyPackedStore(lines, 10_000, 2 * chunkSize + 10);
	const key = fields(defaultGroupBy.join(','));
	store.setGrouping(key);
	const ingest = new Ingest(store);
	for (const line of clusterLines(500, 9)) ingest.line(line, 'late');
	store.vocabulary.packSome(1, () => 0);
	const rebuilt = GroupTable.of(key, store.view.retained());
	assert.deepEqual(store.groups!.sorted().map(shape), rebuilt.sorted().map(shape));
	// A new filter rebuilds them from the columns, of the matches only.
	const compiled = compileQuery('op:process', store.vocabulary);
	assert.ok(compiled.ok);
	store.setFilter(compiled.predicate);
	assert.deepEqual(store.groups!.sorted().map(shape), GroupTable.of(key, store.view.retained()).sorted().map(shape));
	assert.ok(store.groups!.sorted().every(group => group.values[1] === 'Process'));
	assert.ok(store.groups!.sorted().every(group => Number.isFinite(group.first) && group.first <= eventTime(group.sample)));
});

test('from the packed columns, ties of severity and time give the same samples as event by event, for any order', () => {
	// Times and severities repeat: the sample is then decided by seq, which the column path compares without
	// reading the events.
	const lines = clusterLines(3 * chunkSize + 200, 5).map((line, index) => {
		const event = JSON.parse(line) as Record<string, unknown>;
		event['UpdatedTime'] = new Date(Date.UTC(2025, 4, 1, 10) + (index % 3) * 60_000).toISOString();
		if (typeof event['Severity'] !== 'undefined') event['Severity'] = String(index % 2 === 0 ? 4 : 7);
		return JSON.stringify(event);
	});
	for (const seed of [2, 11]) {
		const store = partlyPackedStore(shuffled(lines, seed), 10_000, 2 * chunkSize + 100);
		for (const spec of [defaultGroupBy.join(','), 'op', 'workload,action']) {
			const parsed = fields(spec);
			const expected = GroupTable.of(parsed, store.view.retained());
			const columns = GroupTable.ofRetained(parsed, store.events, store.vocabulary, store.view.retainedSeqs());
			assert.ok(expected.sorted().some(group => group.count > 10), `${spec}: groups with many tied events`);
			for (const order of ['count', 'last', 'severity'] as const) assert.deepEqual(columns.sorted(order).map(shape), expected.sorted(order).map(shape), `seed ${seed}, key ${spec}, order ${order}`);
		}
	}
});
