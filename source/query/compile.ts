// Query nodes -> one EventPredicate (every node must hold) plus what to highlight.
//
// The predicate answers for one event at a time, as EventView asks. With a Vocabulary that has a source, an
// event that belongs to a complete chunk of retained events gets its answer from a whole-chunk evaluation (one
// regex pass over the packed text, one test per distinct field value), computed when the scan reaches the
// chunk; events that just arrived are tested on their own.

import type {MonitorEvent} from '../model/event.js';
import type {EventPredicate} from '../store/event-view.js';
import {formatNode, type FieldDefinition, type QueryNode} from './parse.js';
import type {Pattern} from './pattern.js';
import {maxTypoLength, minTypoLength, TypoWord} from './typo.js';
import {
	chunkSize,
	fieldText,
	isTermLike,
	searchText,
	searchValues,
	someTerm,
	type Chunk,
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

/** One token's test: on one event, and on a whole chunk (sets bits[i] = 1 for the chunk's events it matches). */
type Matcher = {
	one: EventPredicate;
	fill(chunk: Chunk, bits: Uint8Array, vocabulary: Vocabulary): void;
	/** Cheaper ones run first. */
	cost: number;
	negated: boolean;
};

/** Per-query answers by raw field value; bounded, as Resource and Source can have a value per event. */
const memoLimit = 20_000;
/** Recent values a typo'd word remembers its answer for (a power of two). */
const verdictSlots = 16_384;

function escapeRegex(text: string): string {
	return text.replaceAll(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function fieldMatcher(node: QueryNode & {kind: 'field' | 'regex'}, test: (raw: string) => boolean): Matcher {
	const field = node.field!;
	const name = field.shape === 'tags' ? 'Tags' : field.field;
	const memo = new Map<string, boolean>();
	const answer = (raw: string): boolean => {
		let result = memo.get(raw);
		if (result === undefined) {
			result = test(raw);
			if (memo.size < memoLimit) memo.set(raw, result);
		}

		return result;
	};

	let verdicts = new Uint8Array(64);
	return {
		one: event => answer(fieldText(event.fields, name)),
		fill(chunk, bits, vocabulary) {
			const {values, ids} = vocabulary.column(chunk, name);
			if (verdicts.length < values.length) verdicts = new Uint8Array(values.length);
			for (let v = 0; v < values.length; v++) verdicts[v] = answer(values[v]!) ? 1 : 0;
			for (let i = 0; i < chunk.count; i++) bits[i] = verdicts[ids[i]!]!;
		},
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

/** Index of the event in a chunk whose text holds position `at`, searching on from `from`. */
function eventAt(offsets: Int32Array, at: number, from: number): number {
	let i = from;
	while (offsets[i + 1]! <= at) i++;
	return i;
}

/**
 * Bits for the chunk's events whose text a global regex finds a match in. A match that runs past its event's
 * text (or any match, with `check`) is confirmed by `single` on that text alone.
 */
function scanChunk(chunk: Chunk, bits: Uint8Array, all: RegExp, single: (text: string) => boolean, check: boolean): void {
	const {text, offsets, count} = chunk;
	all.lastIndex = 0;
	let i = 0;
	for (let match = all.exec(text); match; match = all.exec(text)) {
		i = eventAt(offsets, match.index, i);
		const end = offsets[i + 1]! - 1;
		if (!check && match.index + match[0].length <= end) bits[i] = 1;
		else if (single(text.slice(offsets[i]!, end))) bits[i] = 1;
		if (i + 1 >= count) break;
		all.lastIndex = offsets[i + 1]!;
	}
}

/**
 * The same for a pattern on the linear-time engine, which is slower: only the events holding its required
 * literal are tested, or, without one, every event of a chunk whose whole text has a match.
 */
function scanLinear(chunk: Chunk, bits: Uint8Array, pattern: Pattern): void {
	const {text, offsets, count} = chunk;
	const eventText = (i: number): string => text.slice(offsets[i]!, offsets[i + 1]! - 1);
	if (pattern.required) {
		scanChunk(chunk, bits, pattern.required, () => true, false);
		for (let i = 0; i < count; i++) if (bits[i] === 1 && !pattern.test(eventText(i))) bits[i] = 0;
		return;
	}

	if (!pattern.test(text)) return;
	for (let i = 0; i < count; i++) bits[i] = pattern.test(eventText(i)) ? 1 : 0;
}

function severityMatcher(node: QueryNode & {kind: 'severity'}): Matcher {
	const {min, max} = node;
	return {
		one: event => event.severity >= min && event.severity <= max,
		fill(chunk, bits) {
			const {severity} = chunk;
			for (let i = 0; i < chunk.count; i++) bits[i] = severity[i]! >= min && severity[i]! <= max ? 1 : 0;
		},
		cost: 0,
		negated: node.negated,
	};
}

/**
 * True when a regex might match a line break or look past one (`\s`, `[^x]`, `\n`...): then it has to see an
 * event's fields joined, as the packed scan does. Others give the same answers field by field.
 */
function mayCrossFields(source: string): boolean {
	return /\\[sWDnrtfvxuc0-9pPk]|\[\^|\n/.test(source);
}

function regexMatcher(node: QueryNode & {kind: 'regex'}): Matcher {
	const {pattern} = node;
	const test = (text: string): boolean => pattern.test(text);
	// RegExp tests one field at a time (no joined string to build); the linear-time engine is called once, on
	// the joined text, as one of its calls costs more than joining.
	const joined = pattern.global === undefined || mayCrossFields(pattern.source);
	return {
		one(event) {
			if (joined) return pattern.test(searchText(event));
			let empty = true;
			for (const value of searchValues(event)) {
				if (value === '') continue;
				if (pattern.test(value)) return true;
				empty = false;
			}

			// An event without searchable text is one empty line, which `/^$/` or `/x*/` match.
			return empty && pattern.test('');
		},
		fill(chunk, bits) {
			if (pattern.global) scanChunk(chunk, bits, pattern.global, test, false);
			else scanLinear(chunk, bits, pattern);
		},
		cost: 4,
		negated: node.negated,
	};
}

/** A quoted phrase, or a word too short for typos: an event matches when its text has it, in any case. */
function textMatcher(node: QueryNode & {kind: 'text'}): Matcher {
	const source = escapeRegex(node.value);
	const all = new RegExp(source, 'gi');
	const single = new RegExp(source, 'i');
	const check = node.value.includes('\n');
	return {
		one(event) {
			// One field at a time: no joined string to build for an event tested once, as it arrives.
			if (check) return single.test(searchText(event));
			for (const value of searchValues(event)) if (value !== '' && single.test(value)) return true;
			return false;
		},
		fill(chunk, bits) {
			scanChunk(chunk, bits, all, text => single.test(text), check);
		},
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

	// Verdicts by value: most values repeat (namespaces, pods, policies, messages). A slot picked by a few
	// characters answers recent ones with one string comparison, cheaper than hashing the whole value.
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
			result = false;
			if (!typo.ruledOut(value)) {
				const lower = value.toLowerCase();
				result = lower.includes(typo.word) || someTerm(lower, isTypo);
			}

			if (verdicts.size < memoLimit) verdicts.set(value, result);
		}

		slotValues[slot] = value;
		slotVerdicts[slot] = result ? 1 : 0;
		return result;
	};

	const one: EventPredicate = event => {
		const values = searchValues(event);
		for (let field = 0; field < values.length; field++) if (holds(values[field]!, field)) return true;
		return false;
	};

	// The packed text is searched for the word and the vocabulary's typos of it. A typo found as a whole part
	// of a word (`nginx` in `/etc/nginx/x.conf`) is one of the event's own terms; found inside a longer word
	// (`shadow` in `gshadow`), the event is checked against its own terms.
	const {word} = typo;
	let checked = 0;
	let typos: string[] = [];
	let all = new RegExp(escapeRegex(word), 'gi');
	const refresh = (words: Vocabulary): void => {
		if (words.size === checked) return;
		const more = words.typos(typo, checked).filter(term => !typos.some(known => term.includes(known)));
		checked = words.size;
		if (more.length === 0) return;
		for (const term of more) found(term);
		typos = [...typos, ...more];
		all = new RegExp([word, ...typos].map(escapeRegex).join('|'), 'gi');
	};

	if (vocabulary) refresh(vocabulary);
	return {
		one,
		fill(chunk, bits, words) {
			words.catchUp();
			refresh(words);
			const {text, offsets, count, events} = chunk;
			// Terms past the vocabulary's limit are not known: only a test of every event is sure then.
			if (words.full) {
				for (let i = 0; i < count; i++) bits[i] = events[i] && one(events[i]!) ? 1 : 0;
				return;
			}

			all.lastIndex = 0;
			let i = 0;
			for (let match = all.exec(text); match; match = all.exec(text)) {
				i = eventAt(offsets, match.index, i);
				const hit = match[0];
				if (typos.length === 0 || (hit.length === word.length && hit.toLowerCase() === word)) bits[i] = 1;
				else if (isWholePart(text, match.index, hit)) bits[i] = 1;
				else if (one(events[i]!)) bits[i] = 1;
				if (i + 1 >= count) break;
				all.lastIndex = offsets[i + 1]!;
			}
		},
		cost: 3,
		negated: node.negated,
	};
}

/** True when text[at..] holds `part` (no `.` `_` `-` in it) with no letter or digit either side. */
function isWholePart(text: string, at: number, part: string): boolean {
	if (/[._-]/.test(part)) return false;
	return !isLetterOrDigit(text.charCodeAt(at - 1)) && !isLetterOrDigit(text.charCodeAt(at + part.length));
}

/** Letters and digits of any script (NaN, past either end of the text, is neither). */
function isLetterOrDigit(code: number): boolean {
	if (Number.isNaN(code)) return false;
	if (code < 128) return (code >= 48 && code <= 57) || ((code | 32) >= 97 && (code | 32) <= 122);
	return code !== 0x20_28 && code !== 0x20_29 && !/[\s\p{P}\p{S}]/u.test(String.fromCharCode(code));
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
 * Compile parsed nodes. With a vocabulary (caught up first), scans of the retained events use its packed
 * chunks and its terms; without one every event is tested on its own, with the same answers.
 */
export function compile(nodes: readonly QueryNode[], vocabulary?: Vocabulary): Compiled {
	const terms: string[] = [];
	const regexes: Pattern[] = [];
	const fieldTerms = new Map<string, string[]>();
	const fieldRegexes = new Map<string, Pattern[]>();
	const fuzzy: FuzzyExpansion[] = [];
	const matchers: Matcher[] = [];
	if (nodes.length > 0) vocabulary?.catchUp();

	for (const node of nodes) {
		switch (node.kind) {
			case 'severity': {
				matchers.push(severityMatcher(node));
				break;
			}

			case 'field': {
				matchers.push(fieldMatcher(node, valueTest(node.field, node.value, node.exact)));
				if (!node.negated && node.value !== '') push(fieldTerms, node.field.field, node.value);
				break;
			}

			case 'regex': {
				const {pattern, field} = node;
				if (field) {
					matchers.push({...fieldMatcher(node, raw => pattern.test(raw)), cost: 2});
					if (!node.negated) push(fieldRegexes, field.field, pattern);
				} else {
					matchers.push(regexMatcher(node));
					if (!node.negated) regexes.push(pattern);
				}

				break;
			}

			case 'text': {
				const {value: word, negated} = node;
				if (!negated) terms.push(word);
				if (!typoTolerant(node)) {
					matchers.push(textMatcher(node));
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

function predicateOf(matchers: Matcher[], vocabulary: Vocabulary | undefined): EventPredicate {
	const one: EventPredicate = event => {
		for (const matcher of matchers) if (matcher.one(event) === matcher.negated) return false;
		return true;
	};

	if (!vocabulary) return one;
	// The chunk answered last, its events, and the index of the event asked about last.
	let current: Chunk | undefined;
	let events: ReadonlyArray<MonitorEvent | undefined> = [];
	let position = -1;
	const bits = new Uint8Array(chunkSize);
	const found = new Uint8Array(chunkSize);
	const evaluate = (chunk: Chunk): void => {
		bits.fill(1, 0, chunk.count);
		let alive = chunk.count;
		for (const matcher of matchers) {
			found.fill(0, 0, chunk.count);
			matcher.fill(chunk, found, vocabulary);
			const reject = matcher.negated ? 1 : 0;
			alive = 0;
			for (let i = 0; i < chunk.count; i++) {
				if (found[i] === reject) bits[i] = 0;
				alive += bits[i]!;
			}

			if (alive === 0) break;
		}
	};

	return event => {
		// A scan asks about events in order: expect the next one, found without reading `seq` (which a store
		// adds after the object is made, so it sits in a separate property block: one more cache miss).
		const next = position + 1;
		if (next < events.length && events[next] === event) {
			position = next;
			return bits[next] === 1;
		}

		const chunk = vocabulary.chunkFor(event);
		if (!chunk) return one(event);
		const index = event.seq - chunk.start;
		if (chunk !== current) {
			evaluate(chunk);
			current = chunk;
			events = chunk.events;
		}

		position = index;
		return bits[index] === 1;
	};
}
