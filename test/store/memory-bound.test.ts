import assert from 'node:assert/strict';
import {test} from 'node:test';
import {setFlagsFromString} from 'node:v8';
import {runInNewContext} from 'node:vm';
import {Ingest} from '../../source/feed/ingest.js';
import {compactAbove, EventStore} from '../../source/store/event-store.js';
import {capNotice, defaultMaxMemory, formatBytes, retention, typicalEventBytes} from '../../source/store/memory-bound.js';
import {rawLineOf} from '../../source/store/recent-lines.js';
import {sampleLines} from '../helpers/samples.js';

// The garbage collector, to measure what the retained events really hold (node --test does not expose it).
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapUsed(): number {
	gc();
	gc();
	return process.memoryUsage().heapUsed;
}

const mb = 1024 * 1024;

/** A 20 KB event: a Data field of its own (no two alike, so nothing is shared), ASCII or two bytes a character. */
function bigEvent(index: number, twoByte: boolean): string {
	const filler = (twoByte ? 'ж' : 'x').repeat(20_000);
	return JSON.stringify({
		UpdatedTime: new Date(Date.UTC(2024, 0, 1) + index).toISOString(),
		NamespaceName: 'payments',
		PodName: 'api-0',
		Operation: 'File',
		Action: 'Block',
		Type: 'MatchedPolicy',
		PolicyName: 'block-all',
		Data: `${index} ${filler}`,
	});
}

for (const {name, maxEvents} of [
	{name: 'a store of the default size', maxEvents: 50_000},
	{name: 'a compact store (sharing strings)', maxEvents: compactAbove + 1},
]) {
	test(`${name}: 20 KB events stay within the byte bound, measured on the heap`, () => {
		const maxBytes = 24 * mb;
		const before = heapUsed();
		const store = new EventStore({maxEvents, maxBytes});
		const ingest = new Ingest(store);
		const count = 4000; // 80 MB of events in, over three times the bound
		for (let index = 0; index < count; index++) ingest.line(bigEvent(index, index % 2 === 1), 'test');
		store.close();
		const held = heapUsed() - before;

		assert.equal(store.counters.events, count, 'every event counted');
		assert.ok(store.events.bytes <= maxBytes, `estimate ${store.events.bytes} within ${maxBytes}`);
		assert.ok(held <= maxBytes * 1.1, `heap held ${(held / mb).toFixed(1)} MB for a bound of ${maxBytes / mb} MB`);
		// What is kept is the newest, and as many as the bound holds, not a handful: ASCII ones ~20 KB, the others ~40 KB.
		assert.equal(store.events.newestSeq, count);
		assert.ok(store.events.size > maxBytes / (45 * 1024), `kept ${store.events.size}`);
		assert.equal(store.droppedForBytes, count - store.events.size);
		assert.match(store.memoryNotice() ?? '', /^kept [\d,]+ of --max-alerts [\d,]+: memory bound 24 MB$/);
	});
}

test('below the bound nothing is dropped and there is no notice', () => {
	const store = new EventStore({maxEvents: 100, maxBytes: 64 * mb});
	const ingest = new Ingest(store);
	for (const line of sampleLines()) ingest.line(line, 'test');
	assert.equal(store.events.size, Math.min(100, store.counters.events));
	assert.equal(store.droppedForBytes, 0);
	assert.equal(store.memoryNotice(), undefined);
});

test('a compact store shares repeated strings: its events hold well under half of what the parsed lines do', () => {
	const lines = sampleLines();
	const count = 20_000;
	const before = heapUsed();
	const store = new EventStore({maxEvents: compactAbove + 1});
	const ingest = new Ingest(store);
	for (let index = 0; index < count; index++) ingest.line(lines[index % lines.length]!, 'test');
	store.close();
	const perEvent = (heapUsed() - before) / count;
	const lineChars = lines.reduce((sum, line) => sum + line.length, 0) / lines.length;
	assert.equal(store.events.size, count);
	// JSON.parse alone keeps about the line's length per event (a copy of every value); shared, far less.
	assert.ok(perEvent < lineChars * 0.6, `${perEvent.toFixed(0)} B per event for lines of ${lineChars.toFixed(0)} characters`);
	// The estimate the bound works with is not below what is measured.
	assert.ok(store.events.bytes / count >= perEvent * 0.9, `estimate ${(store.events.bytes / count).toFixed(0)} B vs ${perEvent.toFixed(0)} B`);
	// The shared copies are the same text, and the newest lines are still there as read, off the heap; a line
	// that is its event's fields as they stand is not kept (the fields show it).
	let kept = 0;
	for (let seq = count - lines.length + 1; seq <= count; seq++) {
		const event = store.events.get(seq)!;
		const line = lines[(seq - 1) % lines.length]!;
		if (event.verbatim) {
			assert.equal(JSON.stringify(event.fields), JSON.stringify(JSON.parse(line)));
		} else {
			assert.equal(rawLineOf(event), line);
			kept++;
		}
	}

	assert.ok(kept > 0, 'some sample lines are changed by normalize, and kept');
	assert.equal(rawLineOf(store.events.get(1)!), undefined, 'past the window the line is let go');
});

test('--max-alerts is capped where typical events would not fit in the bound', () => {
	const bound = 100 * typicalEventBytes;
	assert.deepEqual(retention(1000, bound), {maxEvents: 100, maxBytes: bound, maxAlerts: 1000, capped: true});
	assert.deepEqual(retention(50, bound), {maxEvents: 50, maxBytes: bound, maxAlerts: 50, capped: false});
	// The default bound: a share of V8's heap limit, as --max-old-space-size sets it.
	assert.equal(defaultMaxMemory(1000 * mb), 368 * mb, '40% less 32 MB for the rest of the program');
	assert.equal(defaultMaxMemory(100 * mb), 25 * mb, 'never under a quarter');
});

test('a count capped at start is noticed once the ring is full, with what is kept', () => {
	const store = new EventStore({maxEvents: 10, askedEvents: 10_000_000, maxBytes: 1536 * mb});
	const ingest = new Ingest(store);
	const lines = sampleLines();
	for (let index = 0; index < 10; index++) ingest.line(lines[index]!, 'test');
	assert.equal(store.memoryNotice(), undefined, 'nothing let go of yet');
	ingest.line(lines[10]!, 'test');
	assert.equal(store.memoryNotice(), 'kept 10 of --max-alerts 10,000,000: memory bound 1.5 GB');
	assert.equal(store.counters.events, 11, 'counters count every event');
});

test('byte sizes read as --max-memory takes them', () => {
	assert.equal(formatBytes(1536 * mb), '1.5 GB');
	assert.equal(formatBytes(600 * mb), '600 MB');
	assert.equal(formatBytes(512 * 1024), '512 KB');
	assert.equal(capNotice(412_331, 10_000_000, 1536 * mb), 'kept 412,331 of --max-alerts 10,000,000: memory bound 1.5 GB');
});
