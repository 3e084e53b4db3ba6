import type {MonitorEvent} from '../model/event.js';
import type {EventPredicate, EventView} from './event-view.js';

/**
 * A search that moves the selection instead of hiding events (less's / and n N): the sequence numbers of the
 * listed events that match, oldest first, found once among the view's retained events (from the query's index
 * when it has one) and then kept as events arrive.
 * The list shows newest first, so "next" (n, down the list) is the next older match.
 */
export class SearchMatches {
	private seqs: number[] = [];
	private head = 0;

	constructor(
		readonly query: string,
		readonly predicate: EventPredicate,
		listed: EventView,
	) {
		this.seqs = listed.matchesOf(predicate);
	}

	/** Call for each event the list takes. */
	add(event: MonitorEvent): void {
		if (this.predicate(event)) this.seqs.push(event.seq);
	}

	/** Forget matches older than the oldest retained event. */
	prune(oldestSeq: number): void {
		while (this.head < this.seqs.length && this.seqs[this.head] < oldestSeq) this.head++;
		if (this.head > 4096 && this.head * 2 > this.seqs.length) {
			this.seqs = this.seqs.slice(this.head);
			this.head = 0;
		}
	}

	/** Matches with seq <= anchor (what a frozen list can show). */
	count(anchor = Number.POSITIVE_INFINITY): number {
		return this.upperBound(anchor) - this.head;
	}

	has(seq: number): boolean {
		const index = this.upperBound(seq) - 1;
		return index >= this.head && this.seqs[index] === seq;
	}

	/** The nearest match older than `seq` (n), or undefined at the oldest. */
	older(seq: number): number | undefined {
		const index = this.lowerBound(seq) - 1;
		return index >= this.head ? this.seqs[index] : undefined;
	}

	/** The nearest match newer than `seq` but not past `anchor` (N), or undefined at the newest. */
	newer(seq: number, anchor = Number.POSITIVE_INFINITY): number | undefined {
		const index = this.upperBound(seq);
		return index < this.seqs.length && this.seqs[index] <= anchor ? this.seqs[index] : undefined;
	}

	/** "match 3 of 41": the position of `seq` counted from the newest match up to `anchor`, 1-based; 0 when not a match. */
	position(seq: number, anchor = Number.POSITIVE_INFINITY): number {
		if (!this.has(seq) || seq > anchor) return 0;
		return this.upperBound(anchor) - this.upperBound(seq) + 1;
	}

	/** Index of the first match with seq > value. */
	private upperBound(value: number): number {
		let low = this.head;
		let high = this.seqs.length;
		while (low < high) {
			const middle = (low + high) >>> 1;
			if (this.seqs[middle] <= value) low = middle + 1;
			else high = middle;
		}

		return low;
	}

	/** Index of the first match with seq >= value. */
	private lowerBound(value: number): number {
		return this.upperBound(value - 1);
	}
}
