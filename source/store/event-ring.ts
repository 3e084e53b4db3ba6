import type {EventFields, EventKind, MonitorEvent} from '../model/event.js';
import {RingBuffer} from './ring-buffer.js';

/** The fields the counters count by value, in the order their codes are stored. */
export const countedFields = ['Operation', 'Action', 'NamespaceName', 'PolicyName'] as const;

/** Int32 slots per event: flags (severity, alert, Block), then one code per counted field. */
export const codeWidth = 1 + countedFields.length;
const severityMask = 0b1111;
const alertFlag = 1 << 4;
const blockFlag = 1 << 5;
/** Compact rings: the event's fields are its line as it stands (MonitorEvent.verbatim). */
const verbatimFlag = 1 << 6;
/** Compact rings: the event's source, by its number in the ring's table, in the flags' upper bits. */
const sourceShift = 8;

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
		const action = fields['Action'];
		let flags = event.severity & severityMask;
		if (event.kind === 'alert') flags |= alertFlag;
		if (action === 'Block') flags |= blockFlag;
		out[at] = flags;
		// One named read per field, in the order of countedFields: a loop over the names read each by a computed
		// key, which on events of many shapes was several times slower (a tenth of ingest's time).
		out[at + 1] = this.code(0, fields['Operation']);
		out[at + 2] = this.code(1, action);
		out[at + 3] = this.code(2, fields['NamespaceName']);
		out[at + 4] = this.code(3, fields['PolicyName']);
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

/** What an evicted compact event answers with, while something (the screen, a search) still holds it. */
type Evicted = {flags: number; time: number; receivedAt: number};

/**
 * The store's ring of events with each event's flags and codes beside it in one typed array. A filtered view
 * counts its matches from here instead of reading every matched event's fields: spread over a heap of 100k
 * events those reads were 85% of what applying a filter cost. Each event's heap bytes (an estimate, see
 * compact-event.ts) are kept too, and their total, for the store's byte bound.
 *
 * A compact ring (large stores) keeps only `seq` and `fields` on each event object and the rest here: kind,
 * severity, source and verbatim in the flags, time and arrival in two Float64Arrays. Node has no pointer
 * compression, so a number on an object is a separate 16-byte box besides its 8-byte slot: the full object and
 * its two boxes were 128 B per event, the compact one is 40 (plus 16 in the arrays).
 */
export class EventRing extends RingBuffer<MonitorEvent> {
	readonly book = new ValueBook();
	/** Replaced by a larger copy as the ring grows: read it from here each time, never keep it. */
	codes: Int32Array;
	/** Heap bytes of the retained events, by slot, and their total. */
	private sizes: Int32Array;
	private totalBytes = 0;
	/** Compact rings: each event's time (NaN until eventTime works it out) and arrival, by slot. */
	private times: Float64Array | undefined;
	private arrivals: Float64Array | undefined;
	/** Compact rings: the sources' labels (a few: one per feed), numbered from 0. */
	private readonly sourceLabels: string[] = [];
	private readonly sourceNumbers = new Map<string, number>();
	/** Compact events let go of keep what they were, for as long as anything holds them (then the entry goes too). */
	private readonly evicted = new WeakMap<MonitorEvent, Evicted>();
	private readonly CompactEvent: (new (seq: number, fields: EventFields) => MonitorEvent) | undefined;

	constructor(capacity: number, compact = false) {
		super(capacity);
		const slots = Math.min(capacity, initialSlots);
		this.codes = new Int32Array(slots * codeWidth);
		this.sizes = new Int32Array(slots);
		if (compact) {
			this.times = new Float64Array(slots);
			this.arrivals = new Float64Array(slots);
			this.CompactEvent = compactEventClass(this);
		}
	}

	/**
	 * Bytes the retained events hold, plus the ring's own arrays: the slots (8 B each, as long as the highest slot
	 * used, however few events are left in them) and the typed arrays. Without the arrays a bound could be
	 * passed by them (64.006 MB held under a 64 MB bound with 20 KB events).
	 */
	get bytes(): number {
		const arrays = this.codes.byteLength + this.sizes.byteLength + (this.times?.byteLength ?? 0) + (this.arrivals?.byteLength ?? 0);
		return this.totalBytes + this.slots.length * 8 + arrays;
	}

	/** Store `event`, which holds `bytes` of heap of its own. */
	override push(event: MonitorEvent, bytes = 0): number {
		return this.store(event, event, bytes);
	}

	/**
	 * Store the event `normalized` is, as a compact event on a compact ring (`normalized` is then let go of);
	 * returns the event as stored.
	 */
	adopt(normalized: MonitorEvent, bytes: number): MonitorEvent {
		if (this.CompactEvent === undefined) {
			normalized.seq = this.push(normalized, bytes);
			return normalized;
		}

		const event = new this.CompactEvent(this.newestSeq + 1, normalized.fields);
		this.store(event, normalized, bytes);
		return event;
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

	/** The slot of `event` while the ring holds it; -1 once it was let go of (then `evicted` has its values). */
	private liveSlot(event: MonitorEvent): number {
		return this.get(event.seq) === event ? event.seq % this.capacity : -1;
	}

	/** A compact event's flags. */
	flagsOf(event: MonitorEvent): number {
		const slot = this.liveSlot(event);
		return slot >= 0 ? this.codes[slot * codeWidth]! : (this.evicted.get(event)?.flags ?? 0);
	}

	sourceOf(event: MonitorEvent): string {
		return this.sourceLabels[this.flagsOf(event) >>> sourceShift] ?? '';
	}

	timeOf(event: MonitorEvent): number {
		const slot = this.liveSlot(event);
		return slot >= 0 ? this.times![slot]! : (this.evicted.get(event)?.time ?? Number.NaN);
	}

	setTime(event: MonitorEvent, time: number): void {
		const slot = this.liveSlot(event);
		if (slot >= 0) this.times![slot] = time;
		else {
			const evicted = this.evicted.get(event);
			if (evicted) evicted.time = time;
		}
	}

	receivedAtOf(event: MonitorEvent): number {
		const slot = this.liveSlot(event);
		return slot >= 0 ? this.arrivals![slot]! : (this.evicted.get(event)?.receivedAt ?? Number.NaN);
	}

	protected override evicting(seq: number): void {
		const slot = seq % this.capacity;
		this.totalBytes -= this.sizes[slot]!;
		this.sizes[slot] = 0;
		if (this.times !== undefined) {
			const event = this.slots[slot]!;
			this.evicted.set(event, {flags: this.codes[slot * codeWidth]!, time: this.times[slot]!, receivedAt: this.arrivals![slot]!});
		}
	}

	/** Store `event` (described by `from`: itself, or the full event a compact one stands for). */
	private store(event: MonitorEvent, from: MonitorEvent, bytes: number): number {
		const seq = super.push(event);
		const slot = seq % this.capacity;
		if (slot >= this.sizes.length) this.grow(slot + 1);
		const at = slot * codeWidth;
		this.book.encode(from, this.codes, at);
		this.sizes[slot] = bytes;
		this.totalBytes += bytes;
		if (this.times !== undefined) {
			this.codes[at] |= (this.sourceNumber(from.source) << sourceShift) | (from.verbatim ? verbatimFlag : 0);
			this.times[slot] = from.time;
			this.arrivals![slot] = from.receivedAt;
		}

		return seq;
	}

	/** Bounded by the feeds: a source is one feed's label (stdin, a file, a URL), never a value from an event. */
	private sourceNumber(label: string): number {
		let number = this.sourceNumbers.get(label);
		if (number === undefined) {
			number = this.sourceLabels.length;
			this.sourceLabels.push(label);
			this.sourceNumbers.set(label, number);
		}

		return number;
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
		if (this.times !== undefined) {
			const times = new Float64Array(length);
			times.set(this.times);
			this.times = times;
			const arrivals = new Float64Array(length);
			arrivals.set(this.arrivals!);
			this.arrivals = arrivals;
		}
	}
}

/**
 * The class of a compact ring's events: `seq` and `fields` of their own, the rest read from the ring (one class
 * per ring, so no event needs a slot to point at it). Nothing but eventTime writes `time`.
 */
function compactEventClass(ring: EventRing): new (seq: number, fields: EventFields) => MonitorEvent {
	return class CompactEvent {
		constructor(
			public seq: number,
			public fields: EventFields,
		) {}

		get kind(): EventKind {
			return flagAlert(ring.flagsOf(this)) ? 'alert' : 'log';
		}

		get severity(): number {
			return flagSeverity(ring.flagsOf(this));
		}

		get source(): string {
			return ring.sourceOf(this);
		}

		get verbatim(): boolean {
			return (ring.flagsOf(this) & verbatimFlag) !== 0;
		}

		get time(): number {
			return ring.timeOf(this);
		}

		set time(time: number) {
			ring.setTime(this, time);
		}

		get receivedAt(): number {
			return ring.receivedAtOf(this);
		}
	};
}
