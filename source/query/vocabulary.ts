// What the query module keeps about the retained events, built lazily at the first search and then kept
// current: the distinct terms (for typo-tolerant bare words) and the events' searchable text packed by chunks.
//
// A typo'd word matches an event whose own terms include a typo of it (typo.ts). Over the retained events, the
// distinct terms (words, path segments, names) give the typos a word has in the data: the packed text is
// searched for the word and those, and each event found through a typo is checked against its own terms.
//
// Scanning 100k events one by one is dominated by memory latency (event -> string -> characters), not by the
// matching. So events are also packed into chunks of 1024 consecutive sequence numbers: one string holding
// their search texts (one regex or indexOf pass finds the matching events of the whole chunk), their
// severities, and per-field columns of value ids (a field test then runs once per distinct value). A chunk is
// built once, when a query first needs it (catchUp(), run by every compile, packs the complete ones), and is
// dropped when the ring has dropped all of its events. New events are tested one by one as they arrive.

import type {EventFields, MonitorEvent} from '../model/event.js';
import {letterMask, type TypoWord} from './typo.js';

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

// The last event read, its searchable values and its search text: the tokens of a query, and the vocabulary,
// all look at the event that just arrived, and reading an event's fields is the expensive part.
let valuesOf: MonitorEvent | undefined;
const lastValues: string[] = searchFields.map(() => '');
let textOf: MonitorEvent | undefined;
let lastText = '';

/** The event's searchable field values, in searchFields order ('' for absent ones). Valid until the next call. */
export function searchValues(event: MonitorEvent): readonly string[] {
	if (event !== valuesOf) {
		const {fields} = event;
		for (let i = 0; i < searchFields.length; i++) lastValues[i] = fieldText(fields, searchFields[i]!);
		valuesOf = event;
	}

	return lastValues;
}

/**
 * The event's searchable fields as they are, one per line (a word never matches across two fields, and `^` /
 * `$` anchor at field edges). Matching is case-insensitive (`i` regexes), so nothing is lower-cased.
 */
export function searchText(event: MonitorEvent): string {
	if (event === textOf) return lastText;
	const values = searchValues(event);
	let text = '';
	for (const value of values) {
		if (value === '') continue;
		text = text === '' ? value : `${text}\n${value}`;
	}

	lastText = text;
	textOf = event;
	return text;
}

/** Retained events by sequence number: the store's RingBuffer fits. */
export type SeqSource = {
	readonly oldestSeq: number;
	readonly newestSeq: number;
	get(seq: number): MonitorEvent | undefined;
};

/** The distinct values of one field within a chunk, and which one each event has. */
export type Column = {readonly values: readonly string[]; readonly ids: Uint16Array};

/** Up to `chunkSize` consecutive events, packed for scanning. */
export type Chunk = {
	/** Sequence number of its first event. */
	readonly start: number;
	readonly count: number;
	/** The events' search texts (as they are) joined by '\n': event i is text.slice(offsets[i], offsets[i + 1] - 1). */
	readonly text: string;
	readonly offsets: Int32Array;
	readonly severity: Uint8Array;
	/** By KubeArmor field name, built at the first query on that field. */
	readonly columns: Map<string, Column>;
	/** The events (undefined where the ring had already dropped one when the chunk was built). */
	readonly events: ReadonlyArray<MonitorEvent | undefined>;
};

export const chunkSize = 1024;

export type VocabularyOptions = {
	/** The retained events (pass store.events). Without it terms come only from add(), and nothing is packed. */
	source?: SeqSource;
	/** Distinct terms kept; later new terms are ignored (they still match as typed, just not by typo). */
	maxTerms?: number;
	/** Distinct raw field values remembered to skip re-splitting them; the memory is reset when full. */
	maxValues?: number;
};

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
	private readonly list: string[] = [];
	private masks = new Int32Array(1024);
	private readonly known = new Set<string>();
	private readonly seenValues = new Set<string>();
	private readonly recent: string[] = Array.from({length: recentSlots}, () => '');
	private readonly chunks = new Map<number, Chunk>();
	private readonly source: SeqSource | undefined;
	private readonly maxTerms: number;
	private readonly maxValues: number;
	private lastSeq = 0;

	constructor(options: VocabularyOptions = {}) {
		this.source = options.source;
		this.maxTerms = options.maxTerms ?? 20_000;
		this.maxValues = options.maxValues ?? 200_000;
	}

	/** How many distinct terms are known. Terms are only ever appended. */
	get size(): number {
		return this.list.length;
	}

	get terms(): readonly string[] {
		return this.list;
	}

	/** How many packed chunks are held. */
	get chunkCount(): number {
		return this.chunks.size;
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
	 * Take in the source's events that arrived since the last call (the retained ones only): their terms, and
	 * complete chunks packed in the same pass. compileQuery calls it. Its cost is proportional to the events
	 * that arrived since the last call (a few hundred ms for 100k), so calling it when the search prompt opens
	 * (or now and then while idle) keeps that out of the first keystroke.
	 */
	catchUp(): void {
		const {source} = this;
		if (!source) return;
		const newest = source.newestSeq;
		if (newest <= this.lastSeq) return;
		this.prune();
		let seq = Math.max(this.lastSeq + 1, source.oldestSeq);
		while (seq <= newest) {
			const index = Math.floor((seq - 1) / chunkSize);
			const start = index * chunkSize + 1;
			const end = start + chunkSize - 1;
			if (end < newest && !this.chunks.has(index)) {
				this.chunks.set(index, this.build(start, seq));
				seq = end + 1;
				continue;
			}

			const event = source.get(seq);
			if (event) this.add(event);
			seq++;
		}

		this.lastSeq = Math.max(this.lastSeq, newest);
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

	/**
	 * The packed chunk holding this event, built if needed; undefined when there is no source, when the event is
	 * not the source's, when its chunk is not complete yet, or when it is the newest event (one that just
	 * arrived is tested on its own: packing is for scans of the retained events).
	 */
	chunkFor(event: MonitorEvent): Chunk | undefined {
		const {source} = this;
		if (!source) return undefined;
		const {seq} = event;
		const newest = source.newestSeq;
		if (seq >= newest) return undefined;
		const index = Math.floor((seq - 1) / chunkSize);
		const start = index * chunkSize + 1;
		if (start + chunkSize - 1 > newest) return undefined;
		const cached = this.chunks.get(index);
		if (cached) return cached.events[seq - start] === event ? cached : undefined;
		if (source.get(seq) !== event) return undefined;
		this.prune();
		const chunk = this.build(start, Number.POSITIVE_INFINITY);
		this.chunks.set(index, chunk);
		return chunk;
	}

	/** A field's column in a chunk (built at the first use): the distinct raw values and each event's. */
	column(chunk: Chunk, field: string): Column {
		const cached = chunk.columns.get(field);
		if (cached) return cached;
		const values: string[] = [];
		const byValue = new Map<string, number>();
		const ids = new Uint16Array(chunk.count);
		for (let i = 0; i < chunk.count; i++) {
			const event = chunk.events[i];
			const raw = event ? fieldText(event.fields, field) : '';
			let id = byValue.get(raw);
			if (id === undefined) {
				id = values.length;
				values.push(raw);
				byValue.set(raw, id);
			}

			ids[i] = id;
		}

		const column = {values, ids};
		chunk.columns.set(field, column);
		return column;
	}

	/** Pack the chunk starting at `start`; the terms of its events from `termsFrom` on are taken in too. */
	private build(start: number, termsFrom: number): Chunk {
		const source = this.source!;
		const events: Array<MonitorEvent | undefined> = [];
		// Every value of every event, joined once: fields and events are both separated by '\n'.
		const parts: string[] = [];
		const offsets = new Int32Array(chunkSize + 1);
		const severity = new Uint8Array(chunkSize);
		for (let i = 0; i < chunkSize; i++) {
			const event = source.get(start + i);
			events.push(event);
			let length = -1;
			if (event) {
				severity[i] = event.severity;
				const collect = start + i >= termsFrom && this.list.length < this.maxTerms;
				const {fields} = event;
				for (let field = 0; field < searchFields.length; field++) {
					const value = fieldText(fields, searchFields[field]!);
					if (value === '') continue;
					if (collect) this.collect(value, field);
					parts.push(value);
					length += value.length + 1;
				}
			}

			if (length < 0) {
				parts.push('');
				length = 0;
			}

			offsets[i + 1] = offsets[i]! + length + 1;
		}

		return {start, count: chunkSize, text: parts.join('\n'), offsets, severity, columns: new Map(), events};
	}

	/** Forget chunks whose events the source has all dropped. */
	private prune(): void {
		const {source} = this;
		if (!source || this.chunks.size === 0) return;
		const oldest = source.oldestSeq;
		for (const [index, chunk] of this.chunks) {
			if (chunk.start + chunk.count <= oldest) this.chunks.delete(index);
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
		if (this.seenValues.size >= this.maxValues) this.seenValues.clear();
		this.seenValues.add(value);
		this.addValue(value);
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
