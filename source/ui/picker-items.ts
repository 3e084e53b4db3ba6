import Fuse from 'fuse.js';
import {ranked, type Tally} from '../store/counters.js';

export type PickerItem = {value: string; count: number};

/**
 * The last answer. A tally is a new Map whenever the counts change, so while they do not (an idle feed, the
 * clock redrawing the header) an open picker is not ranked and searched again: with 100,000 namespaces that
 * was 40% of a core, doing nothing.
 */
let last: {tally: Tally; text: string; items: PickerItem[]} | undefined;

/**
 * The values a picker offers: every value seen with its count, most frequent first; with search text, the
 * fuzzy matches (typos allowed) best first. Fuse is cheap for the usual few dozen namespaces or policies.
 */
export function pickerItems(tally: Tally, text: string): PickerItem[] {
	if (last?.tally === tally && last.text === text) return last.items;
	let items = ranked(tally).map(([value, count]) => ({value, count}));
	const search = text.trim();
	if (search !== '') {
		const fuse = new Fuse(items, {keys: ['value'], threshold: 0.4, ignoreLocation: true});
		items = fuse.search(search).map(result => result.item);
	}

	last = {tally, text, items};
	return items;
}

export type PickerState = {kind: 'namespace' | 'policy'; text: string; selected: number};
