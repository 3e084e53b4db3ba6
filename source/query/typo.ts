// When a term of the data counts as a typo of a word the user typed (`shdow` / `shadow`, `ngnix` / `nginx`).
//
// The answer depends on the word and the term alone, never on which other terms exist or came first, so a
// typo'd word matches the same events whatever order they arrive in. A term matches when it is within a few
// edits of the word, or starts with something that is (a word still being typed: `defaltpo` finds
// `defaultposture`). Edits are letters added, dropped, changed, or two neighbours swapped; digits and `.` `_`
// `-` must be as typed (`group-2` is not a typo of `group-1`, nor `node02` of `node2`). Words shorter than 5
// letters are never typo-expanded: `base` / `bash`, `date` / `data` are different words.

/** Words shorter than this are matched as typed only (too many real words are one letter apart). */
export const minTypoLength = 5;
/** Nor longer than this (a pasted hash or path is not typed by hand). */
export const maxTypoLength = 32;

/** One bit per letter (digits and punctuation share a few): a term lacking k of a word's letters needs k edits. */
export function letterMask(term: string): number {
	let mask = 0;
	for (let i = 0; i < term.length; i++) {
		const code = term.charCodeAt(i);
		if (code >= 97 && code <= 122) mask |= 1 << (code - 97);
		else if (code >= 48 && code <= 57) mask |= 1 << (26 + (code % 4));
		else if (code === 45 || code === 46 || code === 95) mask |= 1 << 30;
		else mask |= 1 << 31;
	}

	return mask;
}

/** letterMask's bit for each ASCII character, capitals as small letters. */
const asciiBits = Int32Array.from({length: 128}, (_, code) =>
	letterMask(String.fromCharCode(code >= 65 && code <= 90 ? code + 32 : code)),
);

export function bitCount(value: number): number {
	let v = value - ((value >>> 1) & 0x55_55_55_55);
	v = (v & 0x33_33_33_33) + ((v >>> 2) & 0x33_33_33_33);
	return (Math.imul((v + (v >>> 4)) & 0x0f_0f_0f_0f, 0x01_01_01_01) >>> 24) & 0xff;
}

/** Edits allowed for a word of this length: 1 for 5-7 letters, 2 for 8-11, 3 for 12-15... */
export function allowedEdits(length: number): number {
	return Math.floor(length * 0.26);
}

function isLetter(code: number): boolean {
	return !((code >= 48 && code <= 57) || code === 45 || code === 46 || code === 95);
}

const far = 1000;
// Three rows of the edit distance table (the one before last is for swaps); terms are at most 64 characters.
let rows = [new Int32Array(66), new Int32Array(66), new Int32Array(66)];

/**
 * True when `term` (or a prefix of it at least as long as the word) is within `allowed` edits of `word`:
 * optimal string alignment distance, where only letters may be added, dropped, changed or swapped.
 */
function withinEdits(word: string, term: string, allowed: number): boolean {
	const m = word.length;
	const n = term.length;
	if (rows[0]!.length < n + 1) rows = rows.map(() => new Int32Array(n + 1));
	let [before, previous, current] = rows as [Int32Array, Int32Array, Int32Array];
	previous[0] = 0;
	for (let j = 1; j <= n; j++) previous[j] = isLetter(term.charCodeAt(j - 1)) ? previous[j - 1]! + 1 : far;
	for (let i = 1; i <= m; i++) {
		const w = word.charCodeAt(i - 1);
		const wLetter = isLetter(w);
		current[0] = wLetter ? previous[0]! + 1 : far;
		let best = current[0]!;
		for (let j = 1; j <= n; j++) {
			const t = term.charCodeAt(j - 1);
			const tLetter = isLetter(t);
			let cost = far;
			if (w === t) cost = previous[j - 1]!;
			else if (wLetter && tLetter) cost = previous[j - 1]! + 1;
			if (wLetter && previous[j]! + 1 < cost) cost = previous[j]! + 1;
			if (tLetter && current[j - 1]! + 1 < cost) cost = current[j - 1]! + 1;
			if (
				i > 1 &&
				j > 1 &&
				w !== t &&
				wLetter &&
				tLetter &&
				w === term.charCodeAt(j - 2) &&
				word.charCodeAt(i - 2) === t &&
				before[j - 2]! + 1 < cost
			) {
				cost = before[j - 2]! + 1;
			}

			current[j] = cost;
			if (cost < best) best = cost;
		}

		// A row's smallest value never decreases further down: nothing within reach any more.
		if (best > allowed) return false;
		[before, previous, current] = [previous, current, before];
	}

	if (previous[n]! <= allowed) return true;
	for (let j = m; j < n; j++) if (previous[j]! <= allowed) return true;
	return false;
}

/** A word the user typed (lower case, term-like, 5 to 32 characters) and the test for its typos. */
export class TypoWord {
	readonly allowed: number;
	readonly mask: number;

	constructor(readonly word: string) {
		this.allowed = allowedEdits(word.length);
		this.mask = letterMask(word);
	}

	/**
	 * True when a raw field value lacks too many of the word's letters to hold it or any typo of it. Capitals
	 * count as their small letters; a character outside ASCII rules nothing out (its lower case may be an
	 * ASCII letter: the Kelvin sign is a `k`). Stops reading once enough letters are there.
	 */
	ruledOut(value: string): boolean {
		let missing = this.mask;
		const {allowed} = this;
		for (let i = 0; i < value.length; i++) {
			const code = value.charCodeAt(i);
			if (code >= 128) return false;
			missing &= ~asciiBits[code]!;
			if ((missing & (missing - 1)) === 0 && bitCount(missing) <= allowed) return false;
		}

		return bitCount(missing) > allowed;
	}

	/** True when a (lower-case) term is a typo of the word; `termMask` is letterMask(term) when known. */
	matches(term: string, termMask = letterMask(term)): boolean {
		const {word, allowed} = this;
		if (term.length < word.length - allowed || bitCount(this.mask & ~termMask) > allowed) return false;
		return withinEdits(word, term, allowed);
	}
}
