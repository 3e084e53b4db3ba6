/**
 * A bounded buffer addressed by sequence number. Sequence numbers are handed out one after another, so the
 * retained items are always the range [oldestSeq, newestSeq] and slot = seq % capacity. Past `capacity` the
 * oldest goes; dropOldest() lets go of more (the store does when over its byte bound).
 */
export class RingBuffer<T> {
	// Grown as items come, not allocated up front: a large capacity that is never filled costs nothing
	// (new Array(n) past ~100k slots would also be a slow dictionary array).
	protected readonly slots: Array<T | undefined> = [];
	private newest = 0;
	private oldest = 1;

	constructor(readonly capacity: number) {
		if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
	}

	/** Stores the item under the next sequence number (starting at 1) and returns that number. */
	push(item: T): number {
		this.newest++;
		if (this.newest - this.oldest >= this.capacity) this.evicting(this.oldest++);
		this.slots[this.newest % this.capacity] = item;
		return this.newest;
	}

	/** Let go of the oldest retained item (none: nothing happens). */
	dropOldest(): void {
		if (this.oldest > this.newest) return;
		this.evicting(this.oldest);
		this.slots[this.oldest % this.capacity] = undefined;
		this.oldest++;
	}

	get newestSeq(): number {
		return this.newest;
	}

	/** The oldest retained sequence number (newestSeq + 1 when empty). */
	get oldestSeq(): number {
		return this.oldest;
	}

	get size(): number {
		return this.newest - this.oldest + 1;
	}

	get(seq: number): T | undefined {
		if (seq > this.newest || seq < this.oldest) return undefined;
		return this.slots[seq % this.capacity];
	}

	/** Called just before the item under `seq` is let go (its slot overwritten or emptied). */
	protected evicting(_seq: number): void {}
}
