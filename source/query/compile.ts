// Query nodes -> one EventPredicate (every node must hold) plus what to highlight.
//
// The predicate answers for one event at a time. With a Vocabulary that has a source, it also finds its
// matches among the retained events a chunk at a time (matchesIn, which EventView and SearchMatches use): each
// token is answered once per distinct value of the packed columns (kept by the value's shared number), then
// mapped onto the chunk's events with a typed-array pass. Events of chunks not packed yet, and events that
// just arrived, are tested on their own, with the same answers.

import type {MonitorEvent} from '../model/event.js';
import {testEach, type EventPredicate, type EventsBySeq} from '../store/event-view.js';
import {formatNode, type FieldDefinition, type QueryNode} from './parse.js';
import type {Pattern} from './pattern.js';
import {maxTypoLength, minTypoLength, TypoWord} from './typo.js';
import {blockSize, type ValueBlock, type ValueTable} from './value-table.js';
import {
	chunkSize,
	fieldNumber,
	fieldText,
	isTermLike,
	searchFields,
	searchValues,
	someTerm,
	type Chunk,
	type Column,
	type Vocabulary,
} from './vocabulary.js';

/** What a compiled query highlights. The arrays may grow later, as typo expansions are found in new events. */
export type HighlightSpec = {
	/** Lower-cased text found in any searchable field: words, their typo expansions, quoted phrases. */
	readonly terms: readonly string[];
	/** Regular expressions over any searchable field. */
	readonly regexes: readonly Pattern[];
	/** Lower-cased text per KubeArmor field name (`NamespaceName`), from `field:value`. */
	readonly fieldTerms: ReadonlyMap<string, readonly string[]>;
	/** Regular expressions per KubeArmor field name, from `field:/regex/`. */
	readonly fieldRegexes: ReadonlyMap<string, readonly Pattern[]>;
};

/** A bare word and the terms of the data found to be typos of it (`shdow` -> `shadow`); the list grows as they are. */
export type FuzzyExpansion = {readonly word: string; readonly terms: readonly string[]};

export type Compiled = {
	/** Undefined for an empty query: no filter. */
	predicate: EventPredicate | undefined;
	highlights: HighlightSpec;
	/** The query in canonical form, e.g. `shdow ns:wordpress !sev>=5`; '' when empty. */
	describe: string;
	fuzzy: FuzzyExpansion[];
};

/** What a token says about a chunk's events: none passes, some do (marked 1 in `found`), or every one does. */
const none = 0;
const some = 1;
const every = 2;
type Fill = typeof none | typeof some | typeof every;

/** One token's test: on one event, and on a whole packed chunk. */
type Matcher = {
	one: (event: MonitorEvent) => boolean;
	/** Only for `some` is `found` written: found[i] = 1 for the chunk's events that pass, 0 for the others. */
	fill(chunk: Chunk, found: Uint8Array): Fill;
	/** Cheaper ones run first. */
	cost: number;
	negated: boolean;
};

/** Per-query answers by raw field value; bounded, as Resource and Source can have a value per event. */
const memoLimit = 20_000;
/** Recent values a typo'd word remembers its answer for (a power of two). */
const verdictSlots = 16_384;
const searchFieldCount = searchFields.length;

function escapeRegex(text: string): string {
	return text.replaceAll(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Answers a scan writes into a block of ValueAnswers' array: 1 fails, 2 passes, for every value of the block. */
type BlockScan = (block: ValueBlock, out: Uint8Array, base: number) => void;

/**
 * A token's answers for raw values: kept by the value's number in the shared table (a typed-array read for
 * every chunk after the first that holds the value), or by the string for values without a number. With a
 * scan, the table's values are answered a block at a time, by one RegExp pass over the block's text.
 */
class ValueAnswers {
	/** This column's answers by local value number, 0 or 1, after column(). */
	readonly local = new Uint8Array(chunkSize);
	/** By shared number: 0 not asked yet, 1 fails, 2 passes. */
	private byId = new Uint8Array(0);
	private epoch = -1;
	/** The table's blockEpoch of each block when its answers were kept. */
	private readonly blockEpochs: number[] = [];
	/** Numbers below this were answered by the scan. */
	private scanned = 0;
	private readonly memo = new Map<string, boolean>();

	constructor(
		private readonly test: (raw: string) => boolean,
		private readonly table: ValueTable | undefined,
		private readonly scan?: BlockScan,
	) {}

	answer(raw: string): boolean {
		let result = this.memo.get(raw);
		if (result === undefined) {
			result = this.test(raw);
			if (this.memo.size < memoLimit) this.memo.set(raw, result);
		}

		return result;
	}

	/** Answer each of the column's values into `local`. */
	column(column: Column): Fill {
		this.sync();
		const {values, shared} = column;
		const {local, byId} = this;
		let passes = 0;
		for (let v = 0; v < values.length; v++) {
			const id = shared[v]!;
			let known = id >= 0 ? byId[id]! : 0;
			if (known === 0) {
				known = (id >= 0 ? this.test(values[v]!) : this.answer(values[v]!)) ? 2 : 1;
				if (id >= 0) byId[id] = known;
			}

			const pass = known >> 1;
			local[v] = pass;
			passes += pass;
		}

		return passes === 0 ? none : passes === values.length ? every : some;
	}

	/** Keep the answers in step with the table: numbers handed out since, numbers freed and given again. */
	private sync(): void {
		const table = this.table!;
		if (this.byId.length < table.limit) {
			const grown = new Uint8Array(table.limit * 2);
			grown.set(this.byId);
			this.byId = grown;
		}

		if (this.epoch !== table.epoch) {
			// Only the blocks where a number went to another value: their answers again, the others' stay.
			this.epoch = table.epoch;
			for (let block = 0; block * blockSize < table.limit; block++) {
				const epoch = table.blockEpoch(block);
				if ((this.blockEpochs[block] ?? 0) === epoch) continue;
				this.blockEpochs[block] = epoch;
				const from = block * blockSize;
				if (this.scan && from < this.scanned) this.scan(table.block(block), this.byId, from);
				else this.byId.fill(0, from, from + blockSize);
			}
		}

		if (!this.scan || this.scanned >= table.limit) return;
		// A block that grew since is scanned again whole: its older values get the same answers.
		for (let block = Math.floor(this.scanned / blockSize); block * blockSize < table.limit; block++) {
			this.scan(table.block(block), this.byId, block * blockSize);
		}

		this.scanned = table.limit;
	}
}

/** Index of the value in a block whose text holds position `at`, searching on from `from`. */
function valueAt(offsets: Int32Array, at: number, from: number): number {
	let k = from;
	while (offsets[k + 1]! <= at) k++;
	return k;
}

/**
 * A scan by a global RegExp: a value passes when `accept` says so of the first match found in it (`within`:
 * the match ends inside the value, not past its line break); empty values pass when `emptyPasses`.
 */
function regexScan(
	all: RegExp,
	accept: (match: RegExpExecArray, within: boolean, value: string) => boolean,
	emptyPasses: boolean,
): BlockScan {
	return (block, out, base) => {
		const {text, offsets, count} = block;
		out.fill(1, base, base + count);
		all.lastIndex = 0;
		let k = 0;
		for (let match = all.exec(text); match; match = all.exec(text)) {
			k = valueAt(offsets, match.index, k);
			const end = offsets[k + 1]! - 1;
			if (accept(match, match.index + match[0].length <= end, text.slice(offsets[k]!, end))) out[base + k] = 2;
			if (k + 1 >= count) break;
			all.lastIndex = offsets[k + 1]!;
		}

		const empty = emptyPasses ? 2 : 1;
		for (k = 0; k < count; k++) if (offsets[k + 1] === offsets[k]! + 1) out[base + k] = empty;
	};
}

// Each event's answer from its value's: one function per width of ids, so that each loop sees one array type.
function copyAnswers8(found: Uint8Array, local: Uint8Array, ids: Uint8Array, count: number): void {
	for (let i = 0; i < count; i++) found[i] = local[ids[i]!]!;
}

function copyAnswers16(found: Uint8Array, local: Uint8Array, ids: Uint16Array, count: number): void {
	for (let i = 0; i < count; i++) found[i] = local[ids[i]!]!;
}

function orAnswers8(found: Uint8Array, local: Uint8Array, ids: Uint8Array, count: number): void {
	for (let i = 0; i < count; i++) found[i] |= local[ids[i]!]!;
}

function orAnswers16(found: Uint8Array, local: Uint8Array, ids: Uint16Array, count: number): void {
	for (let i = 0; i < count; i++) found[i] |= local[ids[i]!]!;
}

/** A test of one field's column. */
function fieldFill(answers: ValueAnswers, field: number): Matcher['fill'] {
	return (chunk, found) => {
		const column = chunk.columns[field]!;
		const answer = answers.column(column);
		if (answer !== some) return answer;
		if (column.ids instanceof Uint8Array) copyAnswers8(found, answers.local, column.ids, chunk.count);
		else copyAnswers16(found, answers.local, column.ids, chunk.count);
		return some;
	};
}

/**
 * A test of the searchable fields' columns: an event passes when one of its non-empty values does, and an
 * event without searchable text when `blankPasses` (`/^$/` matches it as one empty line).
 */
function searchFill(answers: ValueAnswers, blankPasses: boolean): Matcher['fill'] {
	return (chunk, found) => {
		const {count} = chunk;
		let state: Fill = none;
		for (let field = 0; field < searchFieldCount; field++) {
			const column = chunk.columns[field]!;
			const answer = answers.column(column);
			if (answer === none) continue;
			// Every value passes, and '' never does: every event has a passing value.
			if (answer === every) return every;
			if (state === none) {
				found.fill(0, 0, count);
				state = some;
			}

			if (column.ids instanceof Uint8Array) orAnswers8(found, answers.local, column.ids, count);
			else orAnswers16(found, answers.local, column.ids, count);
		}

		if (blankPasses && chunk.blank.length > 0) {
			if (state === none) {
				found.fill(0, 0, count);
				state = some;
			}

			for (const i of chunk.blank) found[i] = 1;
		}

		return state;
	};
}

function fieldMatcher(
	node: QueryNode & {kind: 'field' | 'regex'},
	test: (raw: string) => boolean,
	table: ValueTable | undefined,
): Matcher {
	const field = node.field!;
	const name = field.shape === 'tags' ? 'Tags' : field.field;
	const answers = new ValueAnswers(test, table);
	return {
		one: event => answers.answer(fieldText(event.fields, name)),
		fill: fieldFill(answers, fieldNumber(name)),
		cost: 1,
		negated: node.negated,
	};
}

function valueTest(field: FieldDefinition, value: string, exact: boolean): (raw: string) => boolean {
	if (value === '') return raw => raw.trim() === '';
	if (!exact) return raw => raw.toLowerCase().includes(value);
	if (field.shape === 'string') return raw => raw.toLowerCase() === value;
	// Tags and labels are comma-separated lists: `tag:=mitre` / `label:=app=nginx` equal one item.
	return raw => raw.split(',').some(item => item.trim().toLowerCase() === value);
}

function severityMatcher(node: QueryNode & {kind: 'severity'}): Matcher {
	const {min, max} = node;
	return {
		one: event => event.severity >= min && event.severity <= max,
		fill(chunk, found) {
			const {severity, count} = chunk;
			let passes = 0;
			for (let i = 0; i < count; i++) {
				const pass = severity[i]! >= min && severity[i]! <= max ? 1 : 0;
				found[i] = pass;
				passes += pass;
			}

			return passes === 0 ? none : passes === count ? every : some;
		},
		cost: 0,
		negated: node.negated,
	};
}

/** Scan values for a pattern: RegExp itself, or its required literal before the linear-time engine confirms. */
function patternScan(pattern: Pattern): BlockScan | undefined {
	if (pattern.global) return regexScan(pattern.global, (_, within, value) => within || pattern.test(value), false);
	if (pattern.required) return regexScan(pattern.required, (_, __, value) => pattern.test(value), false);
	// Nothing to look for first: each value is tested on the engine when a chunk holds it.
	return undefined;
}

/**
 * `/regex/` over the searchable fields, one field at a time as for words: a match never spans two fields, and
 * `^` `$` anchor at each field's edges (and at line breaks inside one).
 */
function regexMatcher(node: QueryNode & {kind: 'regex'}, table: ValueTable | undefined): Matcher {
	const {pattern} = node;
	const test = (value: string): boolean => value !== '' && pattern.test(value);
	const blankPasses = pattern.test('');
	return {
		one(event) {
			let empty = true;
			for (const value of searchValues(event)) {
				if (value === '') continue;
				if (pattern.test(value)) return true;
				empty = false;
			}

			// An event without searchable text is one empty line, which `/^$/` or `/x*/` match.
			return empty && blankPasses;
		},
		fill: searchFill(new ValueAnswers(test, table, patternScan(pattern)), blankPasses),
		cost: 4,
		negated: node.negated,
	};
}

/** A quoted phrase, or a word too short for typos: an event matches when one of its fields has it, in any case. */
function textMatcher(node: QueryNode & {kind: 'text'}, table: ValueTable | undefined): Matcher {
	const single = new RegExp(escapeRegex(node.value), 'i');
	const test = (value: string): boolean => value !== '' && single.test(value);
	const scan = regexScan(new RegExp(escapeRegex(node.value), 'gi'), (_, within, value) => within || single.test(value), false);
	return {
		one(event) {
			for (const value of searchValues(event)) if (test(value)) return true;
			return false;
		},
		fill: searchFill(new ValueAnswers(test, table, scan), false),
		cost: 3,
		negated: node.negated,
	};
}

/**
 * A bare word, typo tolerant: an event matches when its text has the word, or one of its own terms is a typo
 * of it (typo.ts). Which events match thus never depends on other events or their order. `found` collects
 * the typos met (for the hint and the highlights).
 */
function typoMatcher(node: QueryNode & {kind: 'text'}, vocabulary: Vocabulary | undefined, found: (term: string) => void): Matcher {
	const typo = new TypoWord(node.value);
	const terms = new Map<string, boolean>();
	const isTypo = (term: string): boolean => {
		let result = terms.get(term);
		if (result === undefined) {
			result = typo.matches(term);
			if (terms.size < memoLimit) terms.set(term, result);
			if (result) found(term);
		}

		return result;
	};

	const holdsWord = (value: string): boolean => {
		if (value === '' || typo.ruledOut(value)) return false;
		const lower = value.toLowerCase();
		return lower.includes(typo.word) || someTerm(lower, isTypo);
	};

	// Verdicts by value, for events tested one by one as they arrive: most values repeat (namespaces, pods,
	// policies, messages). A slot picked by a few characters answers recent ones with one string comparison,
	// cheaper than hashing the whole value.
	const verdicts = new Map<string, boolean>();
	const slotValues: string[] = Array.from({length: verdictSlots}, () => '');
	const slotVerdicts = new Uint8Array(verdictSlots);
	const holds = (value: string, field: number): boolean => {
		const {length} = value;
		if (length === 0) return false;
		const slot =
			(field * 977 +
				length * 31 +
				value.charCodeAt(length >> 1) * 3 +
				value.charCodeAt(length - 1) * 7 +
				value.charCodeAt(length - 2) * 131 +
				value.charCodeAt(length - 3) * 1031) &
			(verdictSlots - 1);
		if (slotValues[slot] === value) return slotVerdicts[slot] === 1;
		let result = verdicts.get(value);
		if (result === undefined) {
			result = holdsWord(value);
			if (verdicts.size < memoLimit) verdicts.set(value, result);
		}

		slotValues[slot] = value;
		slotVerdicts[slot] = result ? 1 : 0;
		return result;
	};

	// The typos of the word among the retained events' terms: for the hint and the highlights from the start,
	// and for the scan, which looks for the word and those (new events may add more later).
	const {word} = typo;
	let checked = 0;
	let typos: string[] = [];
	let all = new RegExp(escapeRegex(word), 'gi');
	const refresh = (words: Vocabulary): void => {
		if (words.size === checked) return;
		const more = words.typos(typo, checked);
		checked = words.size;
		if (more.length === 0) return;
		for (const term of more) isTypo(term);
		typos = [...typos, ...more];
		all = new RegExp([word, ...typos].map(escapeRegex).join('|'), 'gi');
	};

	if (vocabulary) refresh(vocabulary);
	// Every term of a packed value is in the vocabulary (unless it is full), so a value holding a typo holds
	// one of `typos` as typed: only those found are checked. For ASCII text that is exact; any other value is
	// checked on its own, as case-insensitive RegExp and toLowerCase differ on a few characters.
	const scan: BlockScan = (block, out, base) => {
		if (vocabulary!.full) {
			out.fill(0, base, base + block.count);
			return;
		}

		refresh(vocabulary!);
		regexScan(all, (match, _, value) => (match[0].length === word.length && match[0].toLowerCase() === word) || holdsWord(value), false)(
			block,
			out,
			base,
		);
		const {text, offsets} = block;
		for (const k of block.nonAscii) out[base + k] = holdsWord(text.slice(offsets[k]!, offsets[k + 1]! - 1)) ? 2 : 1;
	};

	return {
		one(event) {
			const values = searchValues(event);
			for (let field = 0; field < values.length; field++) if (holds(values[field]!, field)) return true;
			return false;
		},
		fill: searchFill(new ValueAnswers(holdsWord, vocabulary?.table, scan), false),
		cost: 3,
		negated: node.negated,
	};
}

/** Bare words that may be typos: 5 to 32 characters that could be one term (`app=wordpress` is matched as typed). */
function typoTolerant(node: QueryNode & {kind: 'text'}): boolean {
	const word = node.value;
	return !node.quoted && word.length >= minTypoLength && word.length <= maxTypoLength && isTermLike(word);
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
	const list = map.get(key);
	if (list) list.push(value);
	else map.set(key, [value]);
}

/**
 * Compile parsed nodes. With a vocabulary, scans of the retained events use its packed chunks and its terms;
 * without one every event is tested on its own, with the same answers.
 */
export function compile(nodes: readonly QueryNode[], vocabulary?: Vocabulary): Compiled {
	const terms: string[] = [];
	const regexes: Pattern[] = [];
	const fieldTerms = new Map<string, string[]>();
	const fieldRegexes = new Map<string, Pattern[]>();
	const fuzzy: FuzzyExpansion[] = [];
	const matchers: Matcher[] = [];
	const table = vocabulary?.table;
	if (nodes.length > 0) vocabulary?.catchUp();

	for (const node of nodes) {
		switch (node.kind) {
			case 'severity': {
				matchers.push(severityMatcher(node));
				break;
			}

			case 'field': {
				matchers.push(fieldMatcher(node, valueTest(node.field, node.value, node.exact), table));
				if (!node.negated && node.value !== '') push(fieldTerms, node.field.field, node.value);
				break;
			}

			case 'regex': {
				const {pattern, field} = node;
				if (field) {
					matchers.push({...fieldMatcher(node, raw => pattern.test(raw), table), cost: 2});
					if (!node.negated) push(fieldRegexes, field.field, pattern);
				} else {
					matchers.push(regexMatcher(node, table));
					if (!node.negated) regexes.push(pattern);
				}

				break;
			}

			case 'text': {
				const {value: word, negated} = node;
				if (!negated) terms.push(word);
				if (!typoTolerant(node)) {
					matchers.push(textMatcher(node, table));
					break;
				}

				const expansion: FuzzyExpansion = {word, terms: []};
				const typos = expansion.terms as string[];
				fuzzy.push(expansion);
				matchers.push(
					typoMatcher(node, vocabulary, term => {
						if (typos.includes(term)) return;
						typos.push(term);
						if (!negated) terms.push(term);
					}),
				);
				break;
			}
		}
	}

	matchers.sort((a, b) => a.cost - b.cost);
	return {
		predicate: matchers.length === 0 ? undefined : predicateOf(matchers, vocabulary),
		highlights: {terms, regexes, fieldTerms, fieldRegexes},
		describe: nodes.map(formatNode).join(' '),
		fuzzy,
	};
}

function predicateOf(matchers: readonly Matcher[], vocabulary: Vocabulary | undefined): EventPredicate {
	const one = (event: MonitorEvent): boolean => {
		for (const matcher of matchers) if (matcher.one(event) === matcher.negated) return false;
		return true;
	};

	const source = vocabulary?.source;
	if (!vocabulary || !source) return one;
	// The chunk answered last, and its events' answers.
	let current: Chunk | undefined;
	let passing = 0;
	const bits = new Uint8Array(chunkSize);
	const found = new Uint8Array(chunkSize);
	const evaluate = (chunk: Chunk): void => {
		if (chunk === current) return;
		current = chunk;
		const {count} = chunk;
		bits.fill(1, 0, count);
		passing = count;
		for (const matcher of matchers) {
			const answer = matcher.fill(chunk, found);
			if (answer === (matcher.negated ? none : every)) continue;
			if (answer !== some) {
				bits.fill(0, 0, count);
				passing = 0;
				return;
			}

			const flip = matcher.negated ? 1 : 0;
			passing = 0;
			for (let i = 0; i < count; i++) {
				const bit = bits[i]! & (found[i]! ^ flip);
				bits[i] = bit;
				passing += bit;
			}

			if (passing === 0) return;
		}
	};

	const predicate = (event: MonitorEvent): boolean => {
		const {seq} = event;
		const chunk = vocabulary.packedChunk(seq);
		if (!chunk || source.get(seq) !== event) return one(event);
		evaluate(chunk);
		return bits[seq - chunk.start] === 1;
	};

	const matchesIn = (events: EventsBySeq, first: number, last: number, out: number[]): void => {
		if (events !== source) {
			testEach(events, one, first, last, out);
			return;
		}

		const end = Math.min(last, source.newestSeq);
		let seq = Math.max(first, source.oldestSeq);
		while (seq <= end) {
			const chunk = vocabulary.packedChunk(seq);
			const chunkEnd = Math.min(end, (Math.floor((seq - 1) / chunkSize) + 1) * chunkSize);
			if (!chunk) {
				// Not packed (yet): each event on its own.
				testEach(source, one, seq, chunkEnd, out);
				seq = chunkEnd + 1;
				continue;
			}

			evaluate(chunk);
			if (passing === chunk.count) {
				for (; seq <= chunkEnd; seq++) out.push(seq);
			} else if (passing > 0) {
				const {start} = chunk;
				for (; seq <= chunkEnd; seq++) if (bits[seq - start] === 1) out.push(seq);
			}

			seq = chunkEnd + 1;
		}
	};

	return Object.assign(predicate, {matchesIn});
}
