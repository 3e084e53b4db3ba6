import type {MonitorEvent} from '../model/event.js';
import {Counters} from './counters.js';
import {flagBlock, type EventRing} from './event-ring.js';

export type EventPredicate = (event: MonitorEvent) => boolean;

/**
 * The retained events that pass a predicate, newest first, as the list shows them. Without a predicate it is
 * arithmetic over the ring buffer; with one it keeps references to the matches in arrival order, tested once
 * as each event arrives (never by rescanning), and forgets the ones the ring has dropped.
 */
export class EventView {
	/** Every event that matched since the view was made, retained or not: "N new" is a difference of these. */
	matchedTotal = 0;
	matchedBlock = 0;
	/** With a predicate: counters over the matches (retained when the filter was set, and every one since). */
	readonly counters: Counters | undefined;
	private matches: MonitorEvent[] = [];
	private head = 0;

	constructor(
		private readonly ring: EventRing,
		readonly predicate?: EventPredicate,
	) {
		if (!predicate) return;
		// Matches are counted from the ring's codes: reading each one's fields instead cost most of the scan.
		const counters = new Counters(ring.book);
		this.counters = counters;
		for (let seq = ring.oldestSeq; seq <= ring.newestSeq; seq++) {
			const event = ring.get(seq);
			if (event && predicate(event)) {
				this.matches.push(event);
				counters.addCoded(ring.codes, ring.codesAt(seq));
			}
		}
	}

	/** Call after the ring took the event. True when it matches. */
	add(event: MonitorEvent): boolean {
		if (this.predicate && !this.predicate(event)) return false;
		const at = this.ring.codesAt(event.seq);
		this.matchedTotal++;
		if (flagBlock(this.ring.codes[at]!)) this.matchedBlock++;
		if (!this.predicate) return true;
		this.matches.push(event);
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
		for (let index = this.head; index < this.matches.length; index++) yield this.matches[index];
	}

	/** Sequence number of the newest match, 0 when none. */
	get newestSeq(): number {
		if (!this.predicate) return this.ring.newestSeq;
		return this.matches.length > this.head ? this.matches[this.matches.length - 1].seq : 0;
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
			rows.push(this.matches[index]);
		}

		return rows;
	}

	/** Index of the first match with seq > anchor. */
	private upperBound(anchor: number): number {
		let low = this.head;
		let high = this.matches.length;
		while (low < high) {
			const middle = (low + high) >>> 1;
			if (this.matches[middle].seq <= anchor) low = middle + 1;
			else high = middle;
		}

		return low;
	}

	private prune(): void {
		const oldest = this.ring.oldestSeq;
		while (this.head < this.matches.length && this.matches[this.head].seq < oldest) this.head++;
		// Compact now and then so the array does not grow without bound.
		if (this.head > 4096 && this.head * 2 > this.matches.length) {
			this.matches = this.matches.slice(this.head);
			this.head = 0;
		}
	}
}
