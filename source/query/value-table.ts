// The distinct field values of the packed chunks, each with a small number shared by every chunk and field.
//
// Most values repeat across chunks (namespaces, policies, messages, pods): a query tests each distinct value
// once, keeps the answer by its number, and every later chunk holding it reads the answer from an array
// instead of testing (or even hashing) the string again. A value is held while a chunk holds it, so values of
// dropped events are let go; the table is bounded, and a value that finds it full goes without a number (its
// chunk keeps the string and a query tests it there).
//
// A word or a pattern is looked for in all the values at once: blocks of 1024 values joined into one string
// each, which one RegExp pass searches natively (a test per value costs a call each: 80k distinct values at
// 1M events took 15-80 ms that way). A block's text is made when a query first needs it after it changed.

/** A block of values joined by '\n': value k is text.slice(offsets[k], offsets[k + 1] - 1). */
export type ValueBlock = {
	readonly text: string;
	readonly offsets: Int32Array;
	readonly count: number;
	/** The values (k) holding a character outside ASCII, where case-insensitive RegExp and toLowerCase differ. */
	readonly nonAscii: Uint16Array;
};

const nonAsciiCharacter = /[^\0-\x7F]/g;

export const blockSize = 1024;

export class ValueTable {
	private readonly idOf = new Map<string, number>();
	private readonly values: string[] = [];
	/** How many chunks hold each value; 0: the number is free. */
	private holders = new Int32Array(1024);
	private readonly free: number[] = [];
	private readonly blocks: Array<ValueBlock | undefined> = [];
	/** Per block, how often one of its freed numbers went to another value. */
	private readonly reuses: number[] = [];
	private changes = 0;

	/** @param capacity Values held at most (about 60 bytes each, besides the strings the events hold anyway). */
	constructor(readonly capacity = 1 << 17) {}

	/** One more than the highest number handed out: arrays of answers by number have this length. */
	get limit(): number {
		return this.values.length;
	}

	/** Distinct values held now. */
	get size(): number {
		return this.idOf.size;
	}

	/**
	 * Changes whenever a freed number goes to another value: answers kept by number from before are stale for
	 * it, in the block blockEpoch names. (A number only freed is in no chunk, so its old answer is never read.)
	 */
	get epoch(): number {
		return this.changes;
	}

	/** Changes whenever a freed number of block `index` goes to another value. */
	blockEpoch(index: number): number {
		return this.reuses[index] ?? 0;
	}

	value(id: number): string {
		return this.values[id]!;
	}

	/** The value's number, counting one more chunk that holds it; -1 when the table is full. */
	hold(value: string): number {
		let id = this.idOf.get(value);
		if (id === undefined) {
			if (this.idOf.size >= this.capacity) return -1;
			id = this.free.pop() ?? this.values.length;
			const block = Math.floor(id / blockSize);
			if (id === this.values.length) {
				this.values.push(value);
			} else {
				this.values[id] = value;
				this.reuses[block] = this.blockEpoch(block) + 1;
				this.changes++;
			}

			this.idOf.set(value, id);
			this.blocks[block] = undefined;
			if (id >= this.holders.length) {
				const grown = new Int32Array(this.holders.length * 2);
				grown.set(this.holders);
				this.holders = grown;
			}
		}

		this.holders[id]++;
		return id;
	}

	/** A chunk that held the value is gone. */
	release(id: number): void {
		if (--this.holders[id]! > 0) return;
		this.idOf.delete(this.values[id]!);
		this.values[id] = '';
		this.blocks[Math.floor(id / blockSize)] = undefined;
		this.free.push(id);
	}

	/** The values numbered from index * blockSize on, joined (freed numbers are empty lines). */
	block(index: number): ValueBlock {
		const cached = this.blocks[index];
		if (cached) return cached;
		const from = index * blockSize;
		const count = Math.min(blockSize, this.values.length - from);
		const offsets = new Int32Array(count + 1);
		for (let k = 0; k < count; k++) offsets[k + 1] = offsets[k]! + this.values[from + k]!.length + 1;
		const text = this.values.slice(from, from + count).join('\n');
		const nonAscii: number[] = [];
		nonAsciiCharacter.lastIndex = 0;
		for (let match = nonAsciiCharacter.exec(text), k = 0; match; match = nonAsciiCharacter.exec(text)) {
			while (offsets[k + 1]! <= match.index) k++;
			nonAscii.push(k);
			nonAsciiCharacter.lastIndex = offsets[k + 1]!;
		}

		const block = {text, offsets, count, nonAscii: Uint16Array.from(nonAscii)};
		this.blocks[index] = block;
		return block;
	}

	/** Make the texts of blocks that changed, until `deadline` (by `clock`); true when some are left. */
	prepare(deadline: number, clock: () => number): boolean {
		const blocks = Math.ceil(this.values.length / blockSize);
		for (let index = 0; index < blocks; index++) {
			if (this.blocks[index]) continue;
			if (clock() >= deadline) return true;
			this.block(index);
		}

		return false;
	}
}
