import type {EventFields} from '../model/event.js';

/**
 * Retained events held compactly, and what each one costs.
 *
 * JSON.parse makes a new copy of every string of every line, though most values repeat from event to event
 * (namespace, pod, container, image, policy, tags, process, operation, result): with 1M events retained that was
 * ~1 KB of heap per event, 700 B of it strings. A bounded table per field hands out one shared copy of each value
 * instead, and the event's own copy becomes garbage.
 */

/** Values longer than this are not shared: long ones rarely repeat, and the table would hold them. */
export const maxSharedChars = 256;
/**
 * Distinct values a field's table holds before it starts again (a cluster has thousands of pods), and all the
 * tables together: at most 65,536 values of <= 512 characters (~40 MB, only with hostile input, and a field
 * whose values never repeat rests with an empty table); real vocabularies (namespaces, pods, images, policies)
 * take a few MB.
 */
export const maxValuesPerField = 16_384;
const maxValues = 65_536;
/** Fields with a table of their own; hostile input with endless distinct keys shares nothing past these. */
export const maxSharedFields = 64;
/** A field whose table filled with values that never came back rests this many events before trying again. */
const restEvents = 65_536;

/**
 * Heap bytes the store's own bookkeeping costs per retained event, measured (bench/memory-bench.ts): the
 * MonitorEvent object, its two boxed numbers (time, receivedAt), the fields object's header, the ring's slot,
 * its codes and its size.
 */
export const eventOverheadBytes = 200;
/**
 * The same for an event of a compact store, whose object keeps only seq and fields (see EventRing): 80 B less
 * (its kind, severity, source and the two boxed numbers), the Float64Arrays' 16 B counted.
 */
export const compactOverheadBytes = eventOverheadBytes - 80;
/** A key's slot in an object or an array (one pointer, no pointer compression in Node). */
const slotBytes = 8;
/** V8 string header; object and array headers. */
const stringHeaderBytes = 16;
const objectHeaderBytes = 24;
const arrayHeaderBytes = 48;
/** Nested values further down than this are counted, not shared (no KubeArmor field nests that deep). */
const maxDepth = 4;

/** Heap bytes of a string of this length that nothing else shares (V8 aligns objects to 8 bytes). */
export function stringBytes(text: string): number {
	// A string with a character above U+00FF is stored two bytes per character; only long ones are worth a look.
	const width = text.length > 64 && /[^\u0000-\u00FF]/.test(text) ? 2 : 1;
	return (stringHeaderBytes + text.length * width + 7) & ~7;
}

type Table = {values: Map<string, unknown>; hits: number; restUntil: number; bytes: number};

/** What a table entry costs besides its value: the Map's entry and its share of the hash table. */
const entryBytes = 40;

/** Small objects and arrays of plain values (Owner, ExecEvent, ATags) are shared whole up to this many parts. */
const maxSharedParts = 16;

/** One shared copy per distinct value, per field, within bounds. */
export class StringShare {
	private readonly tables = new Map<string, Table>();
	/** Events seen, the clock for resting tables. */
	private events = 0;
	/** Values in all the tables. */
	private values = 0;
	private tableBytes = 0;

	/** `budget`: heap bytes the tables may hold (they keep values alive after the events that had them are gone). */
	constructor(private readonly budget = 32 * 1024 * 1024) {}

	/** Heap bytes the tables hold, counted against the store's bound too. */
	get bytes(): number {
		return this.tableBytes;
	}

	/**
	 * Replace the string values of `fields` (top level, and inside its arrays and objects) by shared copies, and
	 * return the heap bytes the event holds that no other event shares (an estimate, see compactOverheadBytes).
	 */
	compact(fields: EventFields): number {
		this.events++;
		let bytes = compactOverheadBytes;
		for (const key in fields) {
			const value = fields[key];
			bytes += slotBytes;
			if (typeof value === 'string') {
				const shared = this.share(key, value);
				// Assigned even when it looks the same: === compares strings by content, not by copy.
				if (shared === undefined) bytes += stringBytes(value);
				else fields[key] = shared;
			} else if (typeof value === 'object' && value !== null) {
				const shared = this.shareWhole(key, value);
				if (shared === undefined) bytes += this.compactNested(key, value as Record<string, unknown>, 1);
				else fields[key] = shared;
			} else if (typeof value === 'number' && !Number.isInteger(value)) {
				bytes += stringHeaderBytes;
			}
		}

		return bytes;
	}

	/** Arrays and objects inside an event (ATags, Owner, ExecEvent, maps): values shared by the outer key. */
	private compactNested(key: string, value: Record<string, unknown> | unknown[], depth: number): number {
		const isArray = Array.isArray(value);
		let bytes = isArray ? arrayHeaderBytes : objectHeaderBytes;
		const entries = isArray ? value.keys() : Object.keys(value);
		const holder = value as Record<string | number, unknown>;
		for (const at of entries) {
			const part = holder[at];
			bytes += slotBytes;
			if (typeof part === 'string') {
				const shared = depth < maxDepth ? this.share(key, part) : undefined;
				if (shared === undefined) bytes += stringBytes(part);
				else holder[at] = shared;
			} else if (typeof part === 'object' && part !== null) {
				bytes += depth < maxDepth ? this.compactNested(key, part as Record<string, unknown>, depth + 1) : deepBytes(part);
			} else if (typeof part === 'number' && !Number.isInteger(part)) {
				bytes += stringHeaderBytes;
			}
		}

		return bytes;
	}

	/**
	 * The shared copy of a small object or array whose parts are all plain values (an Owner repeats with its pod),
	 * or undefined when it is not shared. Safe because nothing changes an event's fields once it is stored.
	 */
	private shareWhole(key: string, value: object): object | undefined {
		let signature = Array.isArray(value) ? '[' : '{';
		let parts = 0;
		for (const part in value) {
			const item = (value as Record<string, unknown>)[part];
			// Typed, so "1" and 1 differ; each piece led by its length, so no two different objects read the same.
			const type = typeof item;
			if ((type !== 'string' && type !== 'number' && type !== 'boolean') || ++parts > maxSharedParts) return undefined;
			const text = String(item);
			signature += `${part.length}:${part}${type[0]}${text.length}:${text}`;
		}

		return this.lookup(`{}${key}`, signature, value);
	}

	/** The shared copy of `value` (itself when it is the first), or undefined when it is not shared. */
	private share(key: string, value: string): string | undefined {
		if (value.length > maxSharedChars) return undefined;
		return this.lookup(key, value, value);
	}

	/** The copy shared under `signature` in `key`'s table; undefined when there is none yet (`value` is kept) or no table. */
	private lookup<T>(key: string, signature: string, value: T): T | undefined {
		if (signature.length > maxSharedChars * 2) return undefined;
		let table = this.tables.get(key);
		if (table === undefined) {
			if (this.tables.size >= maxSharedFields) return undefined;
			table = {values: new Map(), hits: 0, restUntil: 0, bytes: 0};
			this.tables.set(key, table);
		}

		if (table.restUntil > this.events) return undefined;
		const shared = table.values.get(signature) as T | undefined;
		if (shared !== undefined) {
			table.hits++;
			return shared;
		}

		if (table.values.size >= maxValuesPerField) {
			// Full. Values that came back earn a fresh start; a field whose values never repeat (a time, a
			// unique ID) would only churn the table, so it rests for a while.
			if (table.hits < table.values.size) table.restUntil = this.events + restEvents;
			this.values -= table.values.size;
			this.tableBytes -= table.bytes;
			table.values.clear();
			table.hits = 0;
			table.bytes = 0;
			if (table.restUntil > this.events) return undefined;
		}

		if (this.values >= maxValues || this.tableBytes >= this.budget) {
			// All full together: every table starts again (events keep the copies they share).
			for (const each of this.tables.values()) {
				each.values.clear();
				each.hits = 0;
				each.bytes = 0;
			}

			this.values = 0;
			this.tableBytes = 0;
		}

		// A string is its own key; an object's signature is a string of its own, and the object is kept too.
		const bytes = entryBytes + (signature === value ? stringBytes(signature) : 2 * stringBytes(signature));
		table.values.set(signature, value);
		table.bytes += bytes;
		this.tableBytes += bytes;
		this.values++;
		// The first copy is the event's own: counted as its bytes, though later events share it.
		return undefined;
	}
}

/** The heap an event with these fields holds when nothing is shared (no line to tell it from). */
export function fieldBytes(fields: EventFields): number {
	return eventOverheadBytes - objectHeaderBytes + deepBytes(fields);
}

/** Bytes of a value nested too deep to share, counted the same way. */
function deepBytes(value: object): number {
	let bytes = 0;
	const stack: unknown[] = [value];
	// Bounded: normalize rejects values nested more than 64 levels, and each value is visited once.
	while (stack.length > 0) {
		const item = stack.pop();
		if (typeof item === 'string') {
			bytes += stringBytes(item);
		} else if (typeof item === 'object' && item !== null) {
			const parts = Object.values(item);
			bytes += (Array.isArray(item) ? arrayHeaderBytes : objectHeaderBytes) + parts.length * slotBytes;
			for (const part of parts) stack.push(part);
		}
	}

	return bytes;
}
