// A `/regex/` of a query, safe against hostile patterns (typed by the user or sent by a serve client).
//
// V8's RegExp backtracks: `/(a+)+$/` over 30 `a` and a `!` takes minutes. A pattern without quantifiers or
// groups cannot do that (each start position tries each alternative once), and those (`/curl|wget/`,
// `/^\/etc\//`, `/conf$/`) run on RegExp at its full speed. Any other runs on RE2JS, a linear-time engine
// (RE2's automata, in JavaScript): about 10x slower than RegExp on ordinary text, but never more than linear.
// To keep that off most values, a literal every match must contain (`curl` in `/curl.*evil/`) is looked for
// first, with RegExp. Matching is always case-insensitive, `^` and `$` match at line ends. Backreferences
// and lookaround, which no linear-time engine runs, are refused with a message naming them.

import {createRequire} from 'node:module';
import type {RE2JS} from 're2js';

// Loaded at the first pattern that needs it (about 50 ms): most runs never do, and start-up stays quick.
let engineModule: typeof import('re2js') | undefined;
function linearEngine(): typeof RE2JS {
	engineModule ??= createRequire(import.meta.url)('re2js') as typeof import('re2js');
	return engineModule.RE2JS;
}

export type Pattern = {
	/** As typed between the slashes. */
	readonly source: string;
	/** True when the pattern matches somewhere in the text. */
	test(text: string): boolean;
	/** The [start, end) of each non-empty match, left to right, at most `limit` of them. */
	ranges(text: string, limit: number): Array<[number, number]>;
	/** For a pattern RegExp can run safely: the same with the `g` flag, for scanning packed text. */
	readonly global: RegExp | undefined;
	/** A literal (in a RegExp, `gi`) that every match contains, when there is one. */
	readonly required: RegExp | undefined;
};

/** On failure, `position` is where in the source the problem starts, -1 for the pattern as a whole. */
export type PatternResult = {ok: true; pattern: Pattern} | {ok: false; error: string; position: number};

/** What a pattern uses, read from its source (JavaScript syntax, without the `u` flag). */
type Shape = {
	/** Quantifiers (`*` `+` `?` `{n,m}`) or groups: RegExp could backtrack on them. */
	backtracks: boolean;
	/** The longest run of literal characters every match must contain, '' when none. */
	required: string;
	/** A feature no linear-time engine runs, and where it starts. */
	unsupported?: {feature: string; position: number};
};

const quantifier = /^(?:[*+?]|\{\d+(?:,\d*)?\})/;

/** Characters that stand for themselves, as a required literal may hold them (printable ASCII, no syntax). */
const plainCharacter = /^[\u0020-\u007E]$/;
const syntaxCharacters = new Set([...'^$\\.*+?()[]{}|/']);

/** The end of a `[...]` class starting at `from` (exclusive). */
function classEnd(source: string, from: number): number {
	for (let i = from + 1; i < source.length; i++) {
		if (source[i] === '\\') i++;
		else if (source[i] === ']') return i + 1;
	}

	return source.length;
}

/** The end of a `(...)` group starting at `from` (exclusive). */
function groupEnd(source: string, from: number): number {
	let depth = 0;
	for (let i = from; i < source.length; i++) {
		const char = source[i];
		if (char === '\\') i++;
		else if (char === '[') i = classEnd(source, i) - 1;
		else if (char === '(') depth++;
		else if (char === ')' && --depth === 0) return i + 1;
	}

	return source.length;
}

function unsupportedAt(source: string, i: number, inClass: boolean): string | undefined {
	if (source[i] === '\\' && !inClass) {
		const next = source[i + 1] ?? '';
		if (/[1-9]/.test(next)) return `a backreference (\\${next})`;
		if (next === 'k' && source[i + 2] === '<') return 'a named backreference (\\k<...>)';
	}

	if (source[i] === '(' && !inClass) {
		const head = source.slice(i, i + 4);
		if (head.startsWith('(?=')) return 'lookahead (?=...)';
		if (head.startsWith('(?!')) return 'negative lookahead (?!...)';
		if (head.startsWith('(?<=')) return 'lookbehind (?<=...)';
		if (head.startsWith('(?<!')) return 'negative lookbehind (?<!...)';
	}

	return undefined;
}

/** Read a (syntactically valid) JavaScript pattern: what it uses, and a literal its matches must contain. */
function shapeOf(source: string): Shape {
	let backtracks = false;
	let alternatives = false;
	let best = '';
	let run = '';
	const endRun = (): void => {
		if (run.length > best.length) best = run;
		run = '';
	};

	// Features first, anywhere (inside groups too).
	for (let i = 0, inClass = false; i < source.length; i++) {
		const feature = unsupportedAt(source, i, inClass);
		if (feature) return {backtracks: true, required: '', unsupported: {feature, position: i}};
		if (source[i] === '\\') i++;
		else if (source[i] === '[') inClass = true;
		else if (source[i] === ']') inClass = false;
	}

	let i = 0;
	while (i < source.length) {
		const char = source[i]!;
		let end = i + 1;
		let literal: string | undefined;
		if (char === '\\') {
			end = i + 2;
			const next = source[i + 1] ?? '';
			// `\/` `\.` `\-`: an escaped punctuation character is itself; `\d` `\n` `\u0041` are not kept.
			if (plainCharacter.test(next) && !/[\dA-Za-z]/.test(next)) literal = next;
		} else if (char === '[') {
			end = classEnd(source, i);
		} else if (char === '(') {
			end = groupEnd(source, i);
			backtracks = true;
		} else if (char === '|') {
			alternatives = true;
		} else if (!syntaxCharacters.has(char) && plainCharacter.test(char)) {
			literal = char;
		}

		const repeat = quantifier.exec(source.slice(end));
		if (repeat) {
			backtracks = true;
			// `ab+c` must contain `ab`; `ab*c` only `a`.
			const once = repeat[0] === '+' || (repeat[0].startsWith('{') && !repeat[0].startsWith('{0'));
			if (literal !== undefined && once) run += literal;
			endRun();
			end += repeat[0].length;
			if (source[end] === '?') end++; // lazy
		} else if (literal === undefined) {
			endRun();
		} else {
			run += literal;
		}

		i = end;
	}

	endRun();
	// With alternatives at the top level no single literal is required (`curl|wget`).
	return {backtracks, required: alternatives || best.length < 2 ? '' : best};
}

function escapeRegex(text: string): string {
	return text.replaceAll(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function regexpPattern(source: string, regex: RegExp): Pattern {
	const global = new RegExp(source, 'gim');
	return {
		source,
		global,
		required: undefined,
		test: text => regex.test(text),
		ranges(text, limit) {
			const ranges: Array<[number, number]> = [];
			global.lastIndex = 0;
			for (let match = global.exec(text); match && ranges.length < limit; match = global.exec(text)) {
				if (match[0] === '') {
					global.lastIndex++;
					continue;
				}

				ranges.push([match.index, match.index + match[0].length]);
			}

			return ranges;
		},
	};
}

function linearPattern(source: string, engine: RE2JS, literal: string): Pattern {
	// `u` for Unicode case folding, as RE2 folds (the Kelvin sign is a `k`).
	const required = literal === '' ? undefined : new RegExp(escapeRegex(literal), 'giu');
	const present = (text: string): boolean => {
		if (!required) return true;
		required.lastIndex = 0;
		return required.test(text);
	};

	return {
		source,
		global: undefined,
		required,
		test: text => present(text) && engine.test(text),
		ranges(text, limit) {
			const ranges: Array<[number, number]> = [];
			if (!present(text)) return ranges;
			const matcher = engine.matcher(text);
			while (ranges.length < limit && matcher.find()) {
				if (matcher.end() > matcher.start()) ranges.push([matcher.start(), matcher.end()]);
			}

			return ranges;
		},
	};
}

/** The reason in an engine's error message, without its boilerplate. */
function reason(error: unknown): string {
	const message = error instanceof Error ? error.message : String(error);
	// RE2JS: "error parsing regexp: invalid repeat count: `{2000}`".
	if (message.startsWith('error parsing regexp: ')) return message.slice('error parsing regexp: '.length);
	// V8: "Invalid regular expression: /(/im: Unterminated group".
	return message.slice(message.lastIndexOf(': ') + 2) || message;
}

/** Compile the text between the slashes of `/.../`; on failure, what is wrong and where. */
export function compilePattern(source: string): PatternResult {
	let regex: RegExp;
	try {
		regex = new RegExp(source, 'im');
	} catch (error) {
		return {ok: false, error: `invalid regular expression: ${reason(error)}`, position: -1};
	}

	const shape = shapeOf(source);
	if (shape.unsupported) {
		const {feature, position} = shape.unsupported;
		return {
			ok: false,
			error: `${feature} is not supported: patterns run on a linear-time engine, so that no pattern can freeze the monitor`,
			position,
		};
	}

	if (!shape.backtracks) return {ok: true, pattern: regexpPattern(source, regex)};
	try {
		const engines = linearEngine();
		const engine = engines.compile(engines.translateRegExp(source), engines.CASE_INSENSITIVE | engines.MULTILINE);
		return {ok: true, pattern: linearPattern(source, engine, shape.required)};
	} catch (error) {
		return {ok: false, error: `regular expression not supported: ${reason(error)}`, position: -1};
	}
}
