/**
 * A fixed-capacity buffer addressed by sequence number. Sequence numbers are handed out one after another,
 * so the retained items are always the range (newest - size, newest] and slot = seq % capacity.
 */
export class RingBuffer<T> {
	private readonly slots: Array<T | undefined>;
	private newest = 0;

	constructor(readonly capacity: number) {
		if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
		this.slots = new Array<T | undefined>(capacity);
	}

	/** Stores the item under the next sequence number (starting at 1) and returns that number. */
	push(item: T): number {
		this.newest++;
		this.slots[this.newest % this.capacity] = item;
		return this.newest;
	}

	get newestSeq(): number {
		return this.newest;
	}

	/** The oldest retained sequence number (newestSeq + 1 when empty). */
	get oldestSeq(): number {
		return Math.max(1, this.newest - this.capacity + 1);
	}

	get size(): number {
		return Math.min(this.newest, this.capacity);
	}

	get(seq: number): T | undefined {
		if (seq > this.newest || seq < this.oldestSeq) return undefined;
		return this.slots[seq % this.capacity];
	}
}
