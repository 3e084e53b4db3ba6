import type {MonitorEvent} from '../model/event.js';
import {Counters} from './counters.js';
import {flagBlock, type EventRing} from './event-ring.js';

/** Retained events by sequence number: the store's ring fits. */
export type EventsBySeq = {
	readonly oldestSeq: number;
	readonly newestSeq: number;
	get(seq: number): MonitorEvent | undefined;
};

export type EventPredicate = ((event: MonitorEvent) => boolean) & {
	/**
	 * When present, the same answers for a range of retained events at once, from an index (a compiled query's
	 * packed chunks): appends to `out` the sequence number of each event of `events` with first <= seq <= last
	 * that passes, oldest first. Much faster than asking about each event.
	 */
	readonly matchesIn?: (events: EventsBySeq, first: number, last: number, out: number[]) => void;
};

/** Append to `out` each retained event in [first, last] the predicate passes, oldest first. */
export function matchesIn(events: EventsBySeq, predicate: EventPredicate, first: number, last: number, out: number[]): void {
	if (predicate.matchesIn) predicate.matchesIn(events, first, last, out);
	else testEach(events, predicate, first, last, out);
}

/** Append to `out` each retained event in [first, last] that `test` passes, asking about one event at a time. */
export function testEach(
	events: EventsBySeq,
	test: (event: MonitorEvent) => boolean,
	first: number,
	last: number,
	out: number[],
): void {
	const end = Math.min(last, events.newestSeq);
	for (let seq = Math.max(first, events.oldestSeq); seq <= end; seq++) {
		const event = events.get(seq);
		if (event && test(event)) out.push(seq);
	}
}

/**
 * The retained events that pass a predicate, newest first, as the list shows them. Without a predicate it is
 * arithmetic over the ring buffer; with one it keeps the sequence numbers of the matches in arrival order, found
 * once over the retained events (from the query's index when it has one), then tested as each event arrives
 * (never by rescanning), and forgets the ones the ring has dropped.
 */
export class EventView {
	/** Every event that matched since the view was made, retained or not: "N new" is a difference of these. */
	matchedTotal = 0;
	matchedBlock = 0;
	/** With a predicate: counters over the matches (retained when the filter was set, and every one since). */
	readonly counters: Counters | undefined;
	private matches: number[] = [];
	private head = 0;

	constructor(
		private readonly ring: EventRing,
		readonly predicate?: EventPredicate,
	) {
		if (!predicate) return;
		// Matches are counted from the ring's codes: reading each one's fields instead cost most of the scan.
		const counters = new Counters(ring.book);
		this.counters = counters;
		const {matches} = this;
		matchesIn(ring, predicate, ring.oldestSeq, ring.newestSeq, matches);
		for (const seq of matches) counters.addCoded(ring.codes, ring.codesAt(seq));
	}

	/** Call after the ring took the event. True when it matches. */
	add(event: MonitorEvent): boolean {
		if (this.predicate && !this.predicate(event)) return false;
		const at = this.ring.codesAt(event.seq);
		this.matchedTotal++;
		if (flagBlock(this.ring.codes[at]!)) this.matchedBlock++;
		if (!this.predicate) return true;
		this.matches.push(event.seq);
		this.counters!.addCoded(this.ring.codes, at);
		this.prune();
		return true;
	}

	/** The retained matches, oldest first. */
	*retained(): IterableIterator<MonitorEvent> {
		if (!this.predicate) {
			for (let seq = this.ring.oldestSeq; seq <= this.ring.newestSeq; seq++) yield this.ring.get(seq)!;
			return;
		}

		this.prune();
		for (let index = this.head; index < this.matches.length; index++) yield this.ring.get(this.matches[index])!;
	}

	/** The retained matches' sequence numbers, oldest first; undefined without a predicate (every retained event). */
	retainedSeqs(): readonly number[] | undefined {
		if (!this.predicate) return undefined;
		this.prune();
		return this.head === 0 ? this.matches : this.matches.slice(this.head);
	}

	/**
	 * The retained matches that also pass `predicate`, oldest first (a find within the list): from the
	 * predicate's index when it has one.
	 */
	matchesOf(predicate: EventPredicate): number[] {
		const {ring} = this;
		const found: number[] = [];
		if (!this.predicate) {
			matchesIn(ring, predicate, ring.oldestSeq, ring.newestSeq, found);
			return found;
		}

		this.prune();
		const {matches, head} = this;
		if (head >= matches.length) return found;
		if (!predicate.matchesIn) {
			for (let index = head; index < matches.length; index++) {
				if (predicate(ring.get(matches[index])!)) found.push(matches[index]);
			}

			return found;
		}

		// Both lists are in order: walk them together.
		const candidates: number[] = [];
		predicate.matchesIn(ring, matches[head], matches.at(-1)!, candidates);
		let index = head;
		for (const seq of candidates) {
			while (index < matches.length && matches[index] < seq) index++;
			if (matches[index] === seq) found.push(seq);
		}

		return found;
	}

	/** Sequence number of the newest match, 0 when none. */
	get newestSeq(): number {
		if (!this.predicate) return this.ring.newestSeq;
		return this.matches.length > this.head ? this.matches[this.matches.length - 1] : 0;
	}

	/** How many retained matches have seq <= anchor. */
	count(anchor = Number.POSITIVE_INFINITY): number {
		if (!this.predicate) {
			const top = Math.min(anchor, this.ring.newestSeq);
			return Math.max(0, top - this.ring.oldestSeq + 1);
		}

		this.prune();
		return this.upperBound(anchor) - this.head;
	}

	/** The row of event `seq` in a list up to `anchor` (0 = the newest), if it is one of the matches. */
	indexOf(seq: number, anchor = Number.POSITIVE_INFINITY): number {
		return this.count(anchor) - this.count(seq);
	}

	/** Up to `limit` matches with seq <= anchor, newest first, skipping the first `offset`. */
	rows(anchor: number, offset: number, limit: number): MonitorEvent[] {
		const rows: MonitorEvent[] = [];
		if (!this.predicate) {
			const oldest = this.ring.oldestSeq;
			for (let seq = Math.min(anchor, this.ring.newestSeq) - offset; seq >= oldest && rows.length < limit; seq--) {
				rows.push(this.ring.get(seq)!);
			}

			return rows;
		}

		this.prune();
		for (let index = this.upperBound(anchor) - 1 - offset; index >= this.head && rows.length < limit; index--) {
			rows.push(this.ring.get(this.matches[index])!);
		}

		return rows;
	}

	/** Index of the first match with seq > anchor. */
	private upperBound(anchor: number): number {
		let low = this.head;
		let high = this.matches.length;
		while (low < high) {
			const middle = (low + high) >>> 1;
			if (this.matches[middle] <= anchor) low = middle + 1;
			else high = middle;
		}

		return low;
	}

	private prune(): void {
		const oldest = this.ring.oldestSeq;
		while (this.head < this.matches.length && this.matches[this.head] < oldest) this.head++;
		// Compact now and then so the array does not grow without bound.
		if (this.head > 4096 && this.head * 2 > this.matches.length) {
			this.matches = this.matches.slice(this.head);
			this.head = 0;
		}
	}
}
