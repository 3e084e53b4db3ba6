import type {Tally} from './counters.js';
import {countedFields, type EventRing} from './event-ring.js';
import type {EventPredicate} from './event-view.js';

export type FacetField = 'NamespaceName' | 'PolicyName';

/**
 * How many retained events that pass a predicate have each value of one counted field: a picker's counts,
 * within every other filter (as facets count). Made when a picker opens, with one pass over the ring, and kept
 * current while it is open: `catchUp()` tests the events that arrived since and takes away the ones the ring
 * dropped. The counts depend only on which events are retained, never on the order they came in, so picking
 * a value shows as many events as the picker said. The empty value '' counts events without the field.
 */
export class FacetCount {
	/** Per value code (0: no value), the retained matches with it. */
	private readonly counts: number[] = [0];
	/** Per ring slot, the code counted for the event there, or -1: subtracted when the ring reuses the slot. */
	private readonly counted: Int32Array;
	private readonly field: number;
	/** The next sequence number to look at. */
	private next: number;
	private version = 0;
	private cached: {version: number; tally: Tally} | undefined;

	constructor(
		private readonly ring: EventRing,
		field: FacetField,
		private readonly predicate: EventPredicate | undefined,
	) {
		this.field = countedFields.indexOf(field);
		this.counted = new Int32Array(ring.capacity).fill(-1);
		this.next = ring.oldestSeq;
		this.catchUp();
	}

	/** Count the events that arrived since the last call; forget the ones dropped since. */
	catchUp(): void {
		const {ring, counts, counted} = this;
		const newest = ring.newestSeq;
		// Events that came and went between two calls were never counted: start at the oldest retained.
		for (let seq = Math.max(this.next, ring.oldestSeq); seq <= newest; seq++) {
			const slot = seq % ring.capacity;
			const previous = counted[slot]!;
			if (previous >= 0) counts[previous]--;
			const event = ring.get(seq)!;
			let code = -1;
			if (!this.predicate || this.predicate(event)) {
				code = ring.codes[ring.codesAt(seq) + 1 + this.field]!;
				while (counts.length <= code) counts.push(0);
				counts[code]++;
			}

			counted[slot] = code;
		}

		if (newest >= this.next) this.version++;
		this.next = newest + 1;
	}

	/** The counts by value, only values with matches; the same Map while nothing changed. */
	tally(): Tally {
		if (this.cached?.version === this.version) return this.cached.tally;
		const tally: Tally = new Map();
		for (const [code, count] of this.counts.entries()) {
			if (count > 0) tally.set(this.ring.book.value(this.field, code), count);
		}

		this.cached = {version: this.version, tally};
		return tally;
	}
}
