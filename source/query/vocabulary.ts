// What the query module keeps about the retained events: the distinct terms (for typo-tolerant bare words)
// and an index of the events by chunks, packed in idle time as events arrive (packSome, idle-packing.ts).
//
// A typo'd word matches an event whose own terms include a typo of it (typo.ts). Over the retained events, the
// distinct terms (words, path segments, names) give the typos a word has in the data, for the hint and the
// highlights; matching itself needs only the event.
//
// Testing 1M events one by one is dominated by memory latency (event -> fields -> string), not by the matching.
// So events are also packed into chunks of 1024 consecutive sequence numbers: their severities, and one column
// per queried field holding the chunk's distinct values and which one each event has. The values are numbered
// in a table shared by every chunk (value-table.ts): a query tests each distinct value of the retained events
// once, and a chunk costs it a few typed-array passes. Columns refer to the events' own strings (nothing is
// copied): the index costs about 30 bytes per event. A chunk is packed once it is complete, and dropped when
// the ring has dropped all of its events; events of the newest, incomplete chunk are tested one by one.

import {eventTime, type EventFields, type MonitorEvent} from '../model/event.js';
import {fieldDefinitions} from './parse.js';
import {letterMask, type TypoWord} from './typo.js';
import {ValueTable} from './value-table.js';

/** The fields bare words and `/regex/` search: message, policy, processes, resource, source, workload, tags. */
export const searchFields: readonly string[] = [
	'Message',
	'PolicyName',
	'ProcessName',
	'ParentProcessName',
	'Resource',
	'Source',
	'NamespaceName',
	'PodName',
	'ContainerName',
	'Tags',
	'Labels',
	'HostName',
];

const searchFieldSet = new Set([...searchFields, 'ATags']);

/** True when bare words search this KubeArmor field. */
export function isSearchField(name: string): boolean {
	return searchFieldSet.has(name);
}

/** A field's text as the query sees it: strings and numbers; Tags falls back to ATags joined with commas. */
export function fieldText(fields: EventFields, name: string): string {
	const value = fields[name];
	if (typeof value === 'string') return value;
	if (typeof value === 'number') return String(value);
	if (name === 'Tags') {
		const tags = fields['ATags'];
		if (Array.isArray(tags)) return tags.filter(tag => typeof tag === 'string').join(',');
	}

	return '';
}

// The last event read and its searchable values: the tokens of a query, and the vocabulary,
// all look at the event that just arrived, and reading an event's fields is the expensive part.
let valuesOf: MonitorEvent | undefined;
const lastValues: string[] = searchFields.map(() => '');

/** The event's searchable field values, in searchFields order ('' for absent ones). Valid until the next call. */
export function searchValues(event: MonitorEvent): readonly string[] {
	if (event !== valuesOf) {
		const {fields} = event;
		for (let i = 0; i < searchFields.length; i++) lastValues[i] = fieldText(fields, searchFields[i]!);
		valuesOf = event;
	}

	return lastValues;
}

/** Retained events by sequence number: the store's RingBuffer fits. */
export type SeqSource = {
	readonly oldestSeq: number;
	readonly newestSeq: number;
	get(seq: number): MonitorEvent | undefined;
};

/** The distinct values of one field within a chunk, and which one each event has. */
export type Column = {
	/** The chunk's distinct values of the field ('' for events without it), the events' own strings. */
	readonly values: readonly string[];
	/** Their numbers in the vocabulary's ValueTable, -1 for a value the full table could not take. */
	readonly shared: Int32Array;
	/** Event i has values[ids[i]]. */
	readonly ids: Uint8Array | Uint16Array;
};

/** `chunkSize` consecutive events, packed for scanning. */
export type Chunk = {
	/** Sequence number of its first event. */
	readonly start: number;
	readonly count: number;
	readonly severity: Uint8Array;
	/** One per indexedFields entry, in that order. */
	readonly columns: readonly Column[];
	/** The events that have no searchable text at all. */
	readonly blank: Uint16Array;
};

export const chunkSize = 1024;
/** Events packed between two looks at the clock. */
const packStep = 128;

/** A chunk being packed, a few events at a time. */
type Packing = {
	readonly index: number;
	/** Its events before this one are in the scratch columns. */
	next: number;
	readonly severity: Uint8Array;
	readonly blank: number[];
	/** Each field's distinct values so far. */
	readonly values: string[][];
};

/** Every field a query can read, packed as a column: the searchable ones first, in searchFields order. */
export const indexedFields: readonly string[] = [
	...searchFields,
	...fieldDefinitions.map(definition => definition.field).filter(field => !searchFields.includes(field)),
];

const fieldNumbers = new Map(indexedFields.map((field, number) => [field, number]));

/** A field's column number in every chunk, -1 when it is not indexed. */
export function fieldNumber(field: string): number {
	return fieldNumbers.get(field) ?? -1;
}

export type VocabularyOptions = {
	/** The retained events (pass store.events). Without it terms come only from add(), and nothing is packed. */
	source?: SeqSource;
	/** Distinct terms kept; later new terms are ignored (they still match as typed, just not by typo). */
	maxTerms?: number;
	/**
	 * Raw field values remembered to skip re-splitting them, the most recently seen first: at most twice this
	 * many are held (two generations, the older dropped whole when the newer fills).
	 */
	maxValues?: number;
	/** Distinct values numbered in the shared table (see ValueTable). */
	maxSharedValues?: number;
};

/**
 * Values remembered per generation (see Vocabulary.seenValues). Repeats are mostly caught by the recent slots
 * before this; what it adds is a couple of thousand values that collide there, not a history of every value.
 */
const defaultMaxValues = 1024;

/** Recent values per field: 4096 slots for each of up to 16 fields. */
const recentSlots = 16 * 4096;

const separators = /[^\p{L}\p{N}._-]+/u;
/** Kubernetes' generated name suffixes (pod `-x7sdm`, ReplicaSet `-6d4cf56db6`) use only these characters. */
const generatedName = /^[bcdfghjklmnpqrstvwxz2456789]+$/;

/**
 * True when a word could be one vocabulary term (letters, digits, `.` `_` `-` only). Only those are typo
 * expanded: `app=wordpress` or `/etc/shdow` are matched as typed.
 */
export function isTermLike(word: string): boolean {
	return !separators.test(word);
}

function digitCount(term: string): number {
	let digits = 0;
	for (let i = 0; i < term.length; i++) {
		const code = term.charCodeAt(i);
		if (code >= 48 && code <= 57) digits++;
	}

	return digits;
}

/** Hashes, pids, generated pod suffixes: noise that is not worth a vocabulary slot, alone or in a compound. */
function noise(term: string): boolean {
	if (digitCount(term) * 3 > term.length) return true;
	return (term.length === 5 || (term.length >= 8 && term.length <= 10)) && generatedName.test(term);
}

function isJoiner(code: number): boolean {
	return code === 45 || code === 46 || code === 95;
}

const wordLetter = /[\p{L}\p{N}]/u;

/** A letter, digit, `.`, `_` or `-` (the characters of a term) at text[i]. */
function isWordChar(text: string, i: number): boolean {
	const code = text.charCodeAt(i);
	if (code < 128) return (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || isJoiner(code) || (code >= 65 && code <= 90);
	// Halves of a surrogate pair are kept together with the letters around them.
	if (code >= 0xd8_00 && code <= 0xdf_ff) return true;
	return wordLetter.test(text[i]!);
}

/**
 * The query module's knowledge of the retained events: distinct terms with fuzzy lookup, and packed chunks.
 * Make one per store, `new Vocabulary({source: store.events})`, and pass it to every compileQuery.
 */
export class Vocabulary {
	/** The retained events this vocabulary indexes, if any. */
	readonly source: SeqSource | undefined;
	/** The numbers of the packed chunks' values. */
	readonly table: ValueTable;
	private readonly list: string[] = [];
	private masks = new Int32Array(1024);
	private readonly known = new Set<string>();
	// The values seen lately, in two generations: a value met again in the older moves to the newer, and when
	// the newer is full the older is dropped. Nearly LRU at two Set look-ups, and bounded: one Set of 200,000
	// cleared when full held up to ~15 MB of strings the ring had long dropped, growing steadily in between.
	private seenValues = new Set<string>();
	private olderValues = new Set<string>();
	private readonly recent: string[] = Array.from({length: recentSlots}, () => '');
	private readonly chunks = new Map<number, Chunk>();
	private readonly maxTerms: number;
	private readonly maxValues: number;
	private lastSeq = 0;
	/** Chunks are packed in order: the index of the next one to pack, and the one being packed. */
	private nextChunk = 0;
	private packing: Packing | undefined;
	// Reused by every pack: each field's distinct values so far, and each event's value number per field.
	private readonly localIds = indexedFields.map(() => new Map<string, number>());
	private readonly scratch = new Uint16Array(indexedFields.length * chunkSize);

	constructor(options: VocabularyOptions = {}) {
		this.source = options.source;
		this.maxTerms = options.maxTerms ?? 20_000;
		this.maxValues = options.maxValues ?? defaultMaxValues;
		this.table = new ValueTable(options.maxSharedValues);
	}

	/** How many distinct terms are known. Terms are only ever appended. */
	get size(): number {
		return this.list.length;
	}

	get terms(): readonly string[] {
		return this.list;
	}

	/** How many distinct raw values are held to skip re-splitting them (the recent slots too): at most twice maxValues. */
	get rememberedValues(): number {
		const held = new Set([...this.seenValues, ...this.olderValues]);
		for (const value of this.recent) if (value !== '') held.add(value);
		return held.size;
	}

	/** How many packed chunks are held. */
	get chunkCount(): number {
		return this.chunks.size;
	}

	/** Complete chunks of retained events not packed yet. */
	get unpackedChunks(): number {
		const {source} = this;
		if (!source) return 0;
		const lastComplete = Math.floor(source.newestSeq / chunkSize) - 1;
		return Math.max(0, lastComplete - this.firstToPack(source) + 1);
	}

	/**
	 * Take in one event's terms. Events at or below the newest sequence number already taken are skipped, so
	 * calling this again for the same event (or from several places) costs next to nothing.
	 */
	add(event: MonitorEvent): void {
		if (event.seq <= this.lastSeq) return;
		this.lastSeq = event.seq;
		if (this.list.length >= this.maxTerms) return;
		const values = searchValues(event);
		for (let i = 0; i < values.length; i++) this.collect(values[i]!, i);
	}

	/**
	 * Take in the terms of the newest events, those of the incomplete chunk (at most chunkSize - 1): packing
	 * takes in the others. compileQuery calls it; it costs a few ms at most, so the prompt can call it as it
	 * opens.
	 */
	catchUp(): void {
		const {source} = this;
		if (!source) return;
		const newest = source.newestSeq;
		const tail = Math.floor(newest / chunkSize) * chunkSize + 1;
		for (let seq = Math.max(this.lastSeq + 1, tail, source.oldestSeq); seq <= newest; seq++) {
			const event = source.get(seq);
			if (event) this.add(event);
		}
	}

	/**
	 * Pack complete chunks, oldest first, until none is left or `budgetMs` has passed (checked every
	 * `packStep` events, about half a millisecond of work). True when some are left. Run it in slices between
	 * other work (idle-packing.ts) so that a query finds them packed.
	 */
	packSome(budgetMs: number, clock: () => number = performance.now.bind(performance)): boolean {
		const {source} = this;
		if (!source) return false;
		this.prune();
		const deadline = clock() + budgetMs;
		const lastComplete = Math.floor(source.newestSeq / chunkSize) - 1;
		// Bounded: each turn packs packStep events of a chunk that exists, or stops.
		for (let turn = 0; turn < 1_000_000; turn++) {
			let packing = this.packing;
			if (!packing || packing.index < this.firstToPack(source)) {
				const index = this.firstToPack(source);
				if (index > lastComplete) break;
				packing = this.startPacking(index);
			}

			this.packEvents(packing, packStep);
			if (packing.next === chunkSize) {
				this.chunks.set(packing.index, this.finishPacking(packing));
				this.nextChunk = packing.index + 1;
				this.packing = undefined;
			}

			if (clock() >= deadline) return true;
		}

		// The texts of the values' blocks too, which every query's scan reads.
		return this.table.prepare(deadline, clock);
	}

	/** The packed chunk holding event `seq`, if it is packed (nothing is packed here). */
	packedChunk(seq: number): Chunk | undefined {
		return this.chunks.get(Math.floor((seq - 1) / chunkSize));
	}

	/** True when no more terms are taken in: terms of later values may then be missing. */
	get full(): boolean {
		return this.list.length >= this.maxTerms;
	}

	/** The known terms (from index `from` on) that are typos of the word, leaving out those that contain it. */
	typos(typo: TypoWord, from = 0): string[] {
		const found: string[] = [];
		for (let i = from; i < this.list.length; i++) {
			const term = this.list[i]!;
			if (!term.includes(typo.word) && typo.matches(term, this.masks[i]!)) found.push(term);
		}

		return found;
	}

	private firstToPack(source: SeqSource): number {
		return Math.max(this.nextChunk, Math.floor((source.oldestSeq - 1) / chunkSize));
	}

	private startPacking(index: number): Packing {
		for (const ids of this.localIds) ids.clear();
		this.packing = {
			index,
			next: 0,
			severity: new Uint8Array(chunkSize),
			blank: [],
			values: indexedFields.map(() => []),
		};
		return this.packing;
	}

	/** Read the next `count` events of the chunk being packed into the scratch columns. */
	private packEvents(packing: Packing, count: number): void {
		const source = this.source!;
		const start = packing.index * chunkSize + 1;
		const fieldCount = indexedFields.length;
		const searchCount = searchFields.length;
		const {localIds, scratch} = this;
		const {severity, blank, values} = packing;
		const end = Math.min(chunkSize, packing.next + count);
		for (let i = packing.next; i < end; i++) {
			const event = source.get(start + i);
			if (event) {
				severity[i] = event.severity;
				// Worked out here, in idle time, while the event is at hand: the first group build over the retained
				// events otherwise parsed 100,000 timestamps (about a third of its time).
				eventTime(event);
			}

			const fields = event?.fields;
			let searchable = false;
			for (let field = 0; field < fieldCount; field++) {
				const raw = fields ? fieldText(fields, indexedFields[field]!) : '';
				const seen = values[field]!;
				const at = field * chunkSize + i;
				let id: number | undefined;
				// Neighbours often share a value: compare with the last one before hashing.
				if (i > 0 && seen[scratch[at - 1]!] === raw) id = scratch[at - 1]!;
				else {
					const ids = localIds[field]!;
					id = ids.get(raw);
					if (id === undefined) {
						id = seen.length;
						seen.push(raw);
						ids.set(raw, id);
					}
				}

				scratch[at] = id;
				if (field < searchCount && raw !== '') searchable = true;
			}

			if (event && !searchable) blank.push(i);
		}

		packing.next = end;
	}

	/** The chunk from its scratch columns: values numbered in the table, terms taken in. */
	private finishPacking(packing: Packing): Chunk {
		const {scratch} = this;
		const collect = this.list.length < this.maxTerms;
		const columns: Column[] = [];
		for (let field = 0; field < indexedFields.length; field++) {
			const distinct = packing.values[field]!;
			const slice = scratch.subarray(field * chunkSize, (field + 1) * chunkSize);
			const shared = new Int32Array(distinct.length);
			for (let v = 0; v < distinct.length; v++) {
				shared[v] = this.table.hold(distinct[v]!);
				if (collect && field < searchFields.length) this.collect(distinct[v]!, field);
			}

			columns.push({values: distinct, shared, ids: distinct.length <= 256 ? new Uint8Array(slice) : slice.slice()});
		}

		const {index, severity, blank} = packing;
		return {start: index * chunkSize + 1, count: chunkSize, severity, columns, blank: Uint16Array.from(blank)};
	}

	/** Forget chunks whose events the source has all dropped, and let go of their values. */
	private prune(): void {
		const {source} = this;
		if (!source || this.chunks.size === 0) return;
		const oldest = source.oldestSeq;
		for (const [index, chunk] of this.chunks) {
			if (chunk.start + chunk.count > oldest) continue;
			for (const column of chunk.columns) for (const id of column.shared) if (id >= 0) this.table.release(id);
			this.chunks.delete(index);
		}
	}

	/** Take in a value of the field searchFields[field] (any field number will do, it only spreads slots). */
	private collect(value: string, field: number): void {
		const {length} = value;
		if (length === 0) return;
		// Most values repeat (namespaces, policies, messages, tags): a small table of recent ones per field
		// answers those without hashing them into the big set.
		// Generated parts (pod suffixes, arguments) sit at the end: the slot looks at both ends and the middle.
		const slot =
			((field & 15) << 12) |
			((length * 31 +
				value.charCodeAt(length >> 1) * 3 +
				value.charCodeAt(length - 1) * 7 +
				value.charCodeAt(length - 2) * 131 +
				value.charCodeAt(length - 3) * 1031) &
				4095);
		const {recent} = this;
		if (recent[slot] === value) return;
		recent[slot] = value;
		if (this.seenValues.has(value)) return;
		const older = this.olderValues.has(value);
		if (this.seenValues.size >= this.maxValues) {
			this.olderValues = this.seenValues;
			this.seenValues = new Set();
			// Every value in a slot is in one of the two generations: the slots must not keep values the ring has
			// dropped for longer than the generations do (in the UI soak they held 4,000+ and kept filling).
			this.recent.fill('');
		}

		this.seenValues.add(value);
		// Its terms were taken when it was first seen (terms are never dropped).
		if (!older) this.addValue(value);
	}

	private readonly take = (term: string): boolean => {
		this.addTerm(term);
		return false;
	};

	private addValue(value: string): void {
		someTerm(value.toLowerCase(), this.take);
	}

	private addTerm(term: string): void {
		if (this.list.length >= this.maxTerms || this.known.has(term)) return;
		this.known.add(term);
		if (this.list.length === this.masks.length) {
			const grown = new Int32Array(this.masks.length * 2);
			grown.set(this.masks);
			this.masks = grown;
		}

		this.masks[this.list.length] = letterMask(term);
		this.list.push(term);
	}
}

/** Terms longer than this are left out (a base64 blob is no word). */
const maxTermLength = 64;

/**
 * Visit the terms of a lower-cased value until `visit` returns true (then true): its words and path segments
 * (`ca-certificates.conf`), and their parts. A word is a run of letters, digits, `.`, `_` and `-`; its parts
 * are split at `.`, `_` and `-`. Written out by hand: this runs for every value not seen before, as events
 * arrive.
 */
export function someTerm(text: string, visit: (term: string) => boolean): boolean {
	let start = -1;
	for (let i = 0; i <= text.length; i++) {
		if (i < text.length && isWordChar(text, i)) {
			if (start < 0) start = i;
		} else if (start >= 0) {
			if (someTermOfWord(text, start, i, visit)) return true;
			start = -1;
		}
	}

	return false;
}

function someTermOfWord(text: string, from: number, to: number, visit: (term: string) => boolean): boolean {
	let start = from;
	let end = to;
	while (start < end && isJoiner(text.charCodeAt(start))) start++;
	while (end > start && isJoiner(text.charCodeAt(end - 1))) end--;
	if (end - start < 3) return false;
	let parts = 0;
	let clean = true;
	let partStart = start;
	for (let i = start; i <= end; i++) {
		if (i < end && !isJoiner(text.charCodeAt(i))) continue;
		if (i > partStart) {
			parts++;
			if (i - partStart >= 3) {
				const part = text.slice(partStart, i);
				if (noise(part)) clean = false;
				else if (part.length <= maxTermLength && visit(part)) return true;
			}
		}

		partStart = i + 1;
	}

	// `wordpress-mysql` yes, `wordpress-787f45786f-2q9wf` (a generated pod name) no.
	if (parts > 1 && clean && end - start <= maxTermLength) {
		const compound = text.slice(start, end);
		if (!noise(compound) && visit(compound)) return true;
	}

	return false;
}
