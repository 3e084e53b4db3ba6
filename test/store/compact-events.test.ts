import assert from 'node:assert/strict';
import {test} from 'node:test';
import {Ingest} from '../../source/feed/ingest.js';
import {eventTime, hasOwnTime, type MonitorEvent} from '../../source/model/event.js';
import {EventStore} from '../../source/store/event-store.js';
import {rawLineOf} from '../../source/store/recent-lines.js';
import {sampleLines} from '../helpers/samples.js';

/** Everything a reader of an event sees. */
function seen(event: MonitorEvent) {
	return {
		seq: event.seq,
		kind: event.kind,
		severity: event.severity,
		source: event.source,
		receivedAt: event.receivedAt,
		time: eventTime(event),
		ownTime: hasOwnTime(event),
		verbatim: event.verbatim ?? false,
		fields: JSON.stringify(event.fields),
	};
}

/** Sample lines from two feeds, arriving a millisecond apart; undated lines too, so arrival shows. */
function feed(store: EventStore, count: number): void {
	const ingest = new Ingest(store);
	const lines = sampleLines();
	for (let index = 0; index < count; index++) {
		const line = index % 7 === 3 ? JSON.stringify({Operation: 'Process', Type: 'ContainerLog', Resource: `/bin/${index}`}) : lines[index % lines.length]!;
		ingest.line(line, index % 2 === 0 ? 'stdin' : 'nats://relay:4222');
	}
}

function clock(): () => number {
	let now = Date.UTC(2024, 4, 1, 10, 20, 30, 123);
	return () => now++;
}

// A store capped by the memory bound holds its events compactly (see EventRing) whatever its size.
const compactStore = (maxEvents: number) => new EventStore({maxEvents, askedEvents: maxEvents * 100, maxBytes: 1024 * 1024 * 1024, now: clock()});

test('a compact store\'s events read exactly as a plain store\'s do', () => {
	const plain = new EventStore({maxEvents: 200, now: clock()});
	const compact = compactStore(200);
	feed(plain, 150);
	feed(compact, 150);
	for (let seq = 1; seq <= 150; seq++) {
		const event = compact.events.get(seq)!;
		assert.notEqual(Object.keys(event).length, Object.keys(plain.events.get(seq)!).length, 'compact in fact');
		assert.deepEqual(seen(event), seen(plain.events.get(seq)!));
	}

	assert.ok(compact.counters.alerts > 0 && compact.counters.logs > 0);
	assert.deepEqual(compact.counters.summary(), plain.counters.summary());
	// The newest keep the line they were read from.
	assert.equal(rawLineOf(compact.events.get(150)!), rawLineOf(plain.events.get(150)!));
	plain.close();
	compact.close();
});

test('a compact event let go of by the ring still reads as it did while something holds it', () => {
	const store = compactStore(10);
	feed(store, 10);
	const held = [store.events.get(1)!, store.events.get(4)!, store.events.get(9)!];
	// One had its time worked out while retained, the others not yet.
	const before = held.map((event, index) => (index === 0 ? seen(event) : undefined));
	feed(store, 30);
	assert.equal(store.events.get(1), undefined, 'evicted');
	assert.equal(store.events.get(9), undefined, 'evicted');
	assert.deepEqual(seen(held[0]!), before[0]);
	const reference = new EventStore({maxEvents: 100, now: clock()});
	feed(reference, 10);
	for (const event of held) assert.deepEqual(seen(event), seen(reference.events.get(event.seq)!));
	store.close();
	reference.close();
});
