// Where a compiled query matched inside a string the UI draws, as [start, end) ranges of UTF-16 indexes.

import type {HighlightSpec} from './compile.js';
import {findField} from './parse.js';
import type {Pattern} from './pattern.js';
import {isSearchField} from './vocabulary.js';

export type HighlightRange = [start: number, end: number];

/** Ranges never exceed this many per string (a regex like /./ would otherwise mark every character). */
const maxRanges = 256;

/** Lower-cased with the same length (toLowerCase can lengthen a few characters, e.g. U+0130). */
function lowerSameLength(display: string): string {
	const lower = display.toLowerCase();
	if (lower.length === display.length) return lower;
	let result = '';
	for (const char of display) {
		const mapped = char.toLowerCase();
		result += mapped.length === char.length ? mapped : char;
	}

	return result;
}

/** The KubeArmor field name a UI label refers to: `NamespaceName`, `ns`, `ATags` -> `Tags`. */
function canonical(field: string): string {
	if (field === 'ATags') return 'Tags';
	return findField(field)?.field ?? field;
}

/**
 * The parts of `display` to highlight for a compiled query, sorted and merged. With `field` (a KubeArmor name
 * such as `Resource`, or a query name such as `res`) only what applies to that field is marked, as the detail
 * pane wants; without it everything is, as a list row that joins several fields wants. Negated tokens and
 * severity are never highlighted. `display` should be the sanitized text as drawn (sanitize keeps lengths, but
 * for the invisible characters outside the BMP: their two code units become one placeholder).
 */
export function highlight(display: string, spec: HighlightSpec | undefined, field?: string): HighlightRange[] {
	if (!spec || display === '') return [];
	let terms: readonly string[] = [];
	let regexes: readonly Pattern[] = [];
	if (field === undefined) {
		terms = [...spec.terms, ...[...spec.fieldTerms.values()].flat()];
		regexes = [...spec.regexes, ...[...spec.fieldRegexes.values()].flat()];
	} else {
		const name = canonical(field);
		const searched = isSearchField(name);
		terms = [...(searched ? spec.terms : []), ...(spec.fieldTerms.get(name) ?? [])];
		regexes = [...(searched ? spec.regexes : []), ...(spec.fieldRegexes.get(name) ?? [])];
	}

	if (terms.length === 0 && regexes.length === 0) return [];
	const ranges: HighlightRange[] = [];
	if (terms.length > 0) {
		const lower = lowerSameLength(display);
		for (const term of terms) {
			if (term === '') continue;
			for (let at = lower.indexOf(term); at !== -1 && ranges.length < maxRanges; at = lower.indexOf(term, at + 1)) {
				ranges.push([at, at + term.length]);
			}
		}
	}

	for (const pattern of regexes) {
		if (ranges.length >= maxRanges) break;
		ranges.push(...pattern.ranges(display, maxRanges - ranges.length));
	}

	return merge(ranges);
}

function merge(ranges: HighlightRange[]): HighlightRange[] {
	if (ranges.length <= 1) return ranges;
	ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
	const merged: HighlightRange[] = [ranges[0]!];
	for (let i = 1; i < ranges.length; i++) {
		const last = merged[merged.length - 1]!;
		const range = ranges[i]!;
		if (range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
		else merged.push([range[0], range[1]]);
	}

	return merged;
}

/** Split a string into plain and highlighted parts, in order, for drawing (`<Text inverse>` for the marked ones). */
export function highlightParts(display: string, ranges: readonly HighlightRange[]): Array<{text: string; match: boolean}> {
	const parts: Array<{text: string; match: boolean}> = [];
	let at = 0;
	for (const [start, end] of ranges) {
		const from = Math.max(start, at);
		const to = Math.min(end, display.length);
		if (from >= to) continue;
		if (from > at) parts.push({text: display.slice(at, from), match: false});
		parts.push({text: display.slice(from, to), match: true});
		at = to;
	}

	if (at < display.length) parts.push({text: display.slice(at), match: false});
	return parts;
}
