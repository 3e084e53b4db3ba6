// Query nodes -> one EventPredicate (every node must hold) plus what to highlight.
//
// The predicate answers for one event at a time, as EventView asks. With a Vocabulary that has a source, an
// event that belongs to a complete chunk of retained events gets its answer from a whole-chunk evaluation (one
// regex pass over the packed text, one test per distinct field value), computed when the scan reaches the
// chunk; events that just arrived are tested on their own.

import type {MonitorEvent} from '../model/event.js';
import type {EventPredicate} from '../store/event-view.js';
import {formatNode, type FieldDefinition, type QueryNode} from './parse.js';
import {
	chunkSize,
	fieldText,
	isTermLike,
	maxFuzzyLength,
	minFuzzyLength,
	searchText,
	searchValues,
	type Chunk,
	type Vocabulary,
} from './vocabulary.js';

/** What a compiled query highlights. The arrays may grow later, as typo expansions are found in new events. */
export type HighlightSpec = {
	/** Lower-cased text found in any searchable field: words, their typo expansions, quoted phrases. */
	readonly terms: readonly string[];
	/** Regular expressions over any searchable field. */
	readonly regexes: readonly RegExp[];
	/** Lower-cased text per KubeArmor field name (`NamespaceName`), from `field:value`. */
	readonly fieldTerms: ReadonlyMap<string, readonly string[]>;
	/** Regular expressions per KubeArmor field name, from `field:/regex/`. */
	readonly fieldRegexes: ReadonlyMap<string, readonly RegExp[]>;
};

/** A bare word and the known terms it was expanded into because of a likely typo (`shdow` -> `shadow`). */
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
 * text (or any match of a regex with lookaround, which can see the neighbours) is checked on that text alone.
 */
function scanChunk(chunk: Chunk, bits: Uint8Array, all: RegExp, single: RegExp, check: boolean): void {
	const {text, offsets, count} = chunk;
	all.lastIndex = 0;
	let i = 0;
	for (let match = all.exec(text); match; match = all.exec(text)) {
		i = eventAt(offsets, match.index, i);
		const end = offsets[i + 1]! - 1;
		if (!check && match.index + match[0].length <= end) bits[i] = 1;
		else if (single.test(text.slice(offsets[i]!, end))) bits[i] = 1;
		if (i + 1 >= count) break;
		all.lastIndex = offsets[i + 1]!;
	}
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
 * True when a regex might match a line break or look past one (`\s`, `[^x]`, `\n`, lookaround...): then it has
 * to see an event's fields joined, as the packed scan does. Others give the same answers field by field.
 */
function mayCrossFields(source: string): boolean {
	return /\\[sWDnrtfvxuc0-9pPk]|\[\^|\(\?<?[=!]|\n/.test(source);
}

function regexMatcher(node: QueryNode & {kind: 'regex'}): Matcher {
	const {regex} = node;
	const all = new RegExp(regex.source, 'gim');
	const lookaround = /\(\?<?[=!]/.test(regex.source);
	const joined = mayCrossFields(regex.source);
	return {
		one(event) {
			if (joined) return regex.test(searchText(event));
			let empty = true;
			for (const value of searchValues(event)) {
				if (value === '') continue;
				if (regex.test(value)) return true;
				empty = false;
			}

			// An event without searchable text is one empty line, which `/^$/` or `/x*/` match.
			return empty && regex.test('');
		},
		fill(chunk, bits) {
			scanChunk(chunk, bits, all, regex, lookaround);
		},
		cost: 4,
		negated: node.negated,
	};
}

/** A word (or phrase) and the terms it expands into: an event matches when its text has any of them, in any case. */
function textMatcher(node: QueryNode & {kind: 'text'}, terms: string[], track: (event: MonitorEvent) => void): Matcher {
	let count = 0;
	let all = /$^/g;
	let single = /$^/;
	let check = false;
	// Terms are only ever appended (typo expansions found in new events): rebuild when there are more.
	const refresh = (): void => {
		if (terms.length === count) return;
		count = terms.length;
		const source = terms.map(escapeRegex).join('|');
		all = new RegExp(source, 'gi');
		single = new RegExp(source, 'i');
		check = terms.some(term => term.includes('\n'));
	};

	return {
		one(event) {
			track(event);
			refresh();
			// One field at a time: no joined string to build for an event tested once, as it arrives.
			if (check) return single.test(searchText(event));
			for (const value of searchValues(event)) if (value !== '' && single.test(value)) return true;
			return false;
		},
		fill(chunk, bits) {
			refresh();
			scanChunk(chunk, bits, all, single, check);
		},
		cost: 3,
		negated: node.negated,
	};
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
	const list = map.get(key);
	if (list) list.push(value);
	else map.set(key, [value]);
}

/**
 * Compile parsed nodes. With a vocabulary, bare words that occur in no known term are expanded into the terms
 * they fuzzily match; the vocabulary is caught up first, and the predicate keeps it current for new events.
 */
export function compile(nodes: readonly QueryNode[], vocabulary?: Vocabulary): Compiled {
	const terms: string[] = [];
	const regexes: RegExp[] = [];
	const fieldTerms = new Map<string, string[]>();
	const fieldRegexes = new Map<string, RegExp[]>();
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
				const {regex, field} = node;
				if (field) {
					matchers.push({...fieldMatcher(node, raw => regex.test(raw)), cost: 2});
					if (!node.negated) push(fieldRegexes, field.field, regex);
				} else {
					matchers.push(regexMatcher(node));
					if (!node.negated) regexes.push(regex);
				}

				break;
			}

			case 'text': {
				const word = node.value;
				const wordTerms = [word];
				let track: (event: MonitorEvent) => void = () => {};
				if (
					vocabulary &&
					!node.quoted &&
					word.length >= minFuzzyLength &&
					word.length <= maxFuzzyLength &&
					isTermLike(word) &&
					!vocabulary.contains(word)
				) {
					const expansions = vocabulary.expand(word);
					wordTerms.push(...expansions);
					fuzzy.push({word, terms: expansions});
					const vocab = vocabulary;
					let checked = vocab.size;
					// New events may bring new terms this word is a typo of: expand over those as they come.
					track = event => {
						vocab.addLive(event);
						if (vocab.size === checked) return;
						const found = vocab.expand(word, checked);
						checked = vocab.size;
						for (const term of found) {
							if (wordTerms.includes(term)) continue;
							wordTerms.push(term);
							expansions.push(term);
							if (!node.negated) terms.push(term);
						}
					};
				}

				matchers.push(textMatcher(node, wordTerms, track));
				if (!node.negated) terms.push(...wordTerms);
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
