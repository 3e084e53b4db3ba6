import Fuse from 'fuse.js';
import {ranked, type Tally} from '../store/counters.js';

export type PickerItem = {value: string; count: number};

/**
 * The values a picker offers: every value seen with its count, most frequent first; with search text, the
 * fuzzy matches (typos allowed) best first. The lists are small (namespaces, policies), so Fuse is cheap here.
 */
export function pickerItems(tally: Tally, text: string): PickerItem[] {
	const items = ranked(tally).map(([value, count]) => ({value, count}));
	const search = text.trim();
	if (search === '') return items;
	const fuse = new Fuse(items, {keys: ['value'], threshold: 0.4, ignoreLocation: true});
	return fuse.search(search).map(result => result.item);
}

export type PickerState = {kind: 'namespace' | 'policy'; text: string; selected: number};
