import type {MonitorEvent} from '../model/event.js';
import {RingBuffer} from './ring-buffer.js';

/** The fields the counters count by value, in the order their codes are stored. */
export const countedFields = ['Operation', 'Action', 'NamespaceName', 'PolicyName'] as const;

/** Int32 slots per event: flags (severity, alert, Block), then one code per counted field. */
export const codeWidth = 1 + countedFields.length;
const severityMask = 0b1111;
const alertFlag = 1 << 4;
const blockFlag = 1 << 5;

/** What an event's flags slot says. */
export function flagSeverity(flags: number): number {
	return flags & severityMask;
}

export function flagAlert(flags: number): boolean {
	return (flags & alertFlag) !== 0;
}

export function flagBlock(flags: number): boolean {
	return (flags & blockFlag) !== 0;
}

/**
 * Small integer codes for the values of the counted fields (0: the event has none), one numbering per field,
 * shared by every counter of a store so codes can be compared and counted in arrays.
 */
export class ValueBook {
	private readonly codes = countedFields.map(() => new Map<string, number>());
	private readonly values: string[][] = countedFields.map(() => ['']);

	/** Write `event`'s flags and codes into `out` from `at` (codeWidth slots). */
	encode(event: MonitorEvent, out: Int32Array, at: number): void {
		const {fields} = event;
		let flags = event.severity & severityMask;
		if (event.kind === 'alert') flags |= alertFlag;
		if (fields['Action'] === 'Block') flags |= blockFlag;
		out[at] = flags;
		for (let field = 0; field < countedFields.length; field++) {
			out[at + 1 + field] = this.code(field, fields[countedFields[field]]);
		}
	}

	/** The code of a value already seen, 0 when it never was (nothing is added). */
	codeOf(field: number, value: string): number {
		return this.codes[field].get(value) ?? 0;
	}

	/** The value a code stands for. */
	value(field: number, code: number): string {
		return this.values[field][code] ?? '';
	}

	private code(field: number, value: unknown): number {
		if (typeof value !== 'string' || value === '') return 0;
		const codes = this.codes[field];
		let code = codes.get(value);
		if (code === undefined) {
			code = this.values[field].length;
			this.values[field].push(value);
			codes.set(value, code);
		}

		return code;
	}
}

/** Slots allocated at first; they double as events come, up to the capacity. */
const initialSlots = 1024;

/**
 * The store's ring of events with each event's flags and codes beside it in one typed array. A filtered view
 * counts its matches from here instead of reading every matched event's fields: spread over a heap of 100k
 * events those reads were 85% of what applying a filter cost. Each event's heap bytes (an estimate, see
 * compact-event.ts) are kept too, and their total, for the store's byte bound.
 */
export class EventRing extends RingBuffer<MonitorEvent> {
	readonly book = new ValueBook();
	/** Replaced by a larger copy as the ring grows: read it from here each time, never keep it. */
	codes: Int32Array;
	/** Heap bytes of the retained events, by slot, and their total. */
	private sizes: Int32Array;
	private totalBytes = 0;

	constructor(capacity: number) {
		super(capacity);
		const slots = Math.min(capacity, initialSlots);
		this.codes = new Int32Array(slots * codeWidth);
		this.sizes = new Int32Array(slots);
	}

	/** Heap bytes of the events retained. */
	get bytes(): number {
		return this.totalBytes;
	}

	/** Store `event`, which holds `bytes` of heap of its own. */
	override push(event: MonitorEvent, bytes = 0): number {
		const seq = super.push(event);
		const slot = seq % this.capacity;
		if (slot >= this.sizes.length) this.grow(slot + 1);
		this.book.encode(event, this.codes, slot * codeWidth);
		this.sizes[slot] = bytes;
		this.totalBytes += bytes;
		return seq;
	}

	/** A retained event now holds `bytes` fewer (e.g. it let go of its raw line). */
	shrink(seq: number, bytes: number): void {
		if (this.get(seq) === undefined) return;
		const slot = seq % this.capacity;
		const less = Math.min(bytes, this.sizes[slot]!);
		this.sizes[slot] = this.sizes[slot]! - less;
		this.totalBytes -= less;
	}

	/** Where a retained event's flags and codes start in `codes`. */
	codesAt(seq: number): number {
		return (seq % this.capacity) * codeWidth;
	}

	protected override evicting(seq: number): void {
		const slot = seq % this.capacity;
		this.totalBytes -= this.sizes[slot]!;
		this.sizes[slot] = 0;
	}

	/** Room for at least `slots` events: doubling, so copying costs O(1) per event over a run. */
	private grow(slots: number): void {
		const length = Math.min(this.capacity, Math.max(slots, this.sizes.length * 2));
		const codes = new Int32Array(length * codeWidth);
		codes.set(this.codes);
		this.codes = codes;
		const sizes = new Int32Array(length);
		sizes.set(this.sizes);
		this.sizes = sizes;
	}
}
