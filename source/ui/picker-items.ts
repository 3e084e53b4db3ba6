import Fuse from 'fuse.js';
import {ranked, type Tally} from '../store/counters.js';
import {editLine, type LineEdit, type LineState} from './line-editor.js';

/** A value to pick, as the picker shows it (`label`), and how many events within the other filters have it. */
/** A value to pick; without a count (the group fields picker) none is shown. */
export type PickerItem = {value: string; label: string; count?: number};

export type PickerKind = 'namespace' | 'policy';

/** The namespace picker's name for host events, which have no namespace: parentheses, as no namespace has. */
export const hostLabel = '(host)';

/** How a picker writes a value: the empty namespace is the host's. */
export function pickerLabel(kind: PickerKind, value: string): string {
	return kind === 'namespace' && value === '' ? hostLabel : value;
}

/**
 * The last answer. A tally is a new Map whenever the counts change, so while they do not (an idle feed, the
 * clock redrawing the header) an open picker is not ranked and searched again: with 100,000 namespaces that
 * was 40% of a core, doing nothing.
 */
let last: {tally: Tally; kind: PickerKind; text: string; items: PickerItem[]} | undefined;

/**
 * The values a picker offers: every value with its count, most frequent first; with search text, the fuzzy
 * matches (typos allowed) best first. A namespace picker offers host events (no namespace) as "(host)"; a policy
 * picker offers only named policies.
 */
export function pickerItems(tally: Tally, kind: PickerKind, text: string): PickerItem[] {
	if (last?.tally === tally && last.kind === kind && last.text === text) return last.items;
	let items = ranked(tally)
		.filter(([value]) => value !== '' || kind === 'namespace')
		.map(([value, count]) => ({value, label: pickerLabel(kind, value), count}));
	const search = text.trim();
	if (search !== '') {
		const fuse = new Fuse(items, {keys: ['label'], threshold: 0.4, ignoreLocation: true});
		items = fuse.search(search).map(result => result.item);
	}

	last = {tally, kind, text, items};
	return items;
}

/** What every picker has: its search line and the selected item. */
export type PickerLine = {line: LineState; selected: number};

/** The selection moved by `delta`, within `count` items. */
export function movePick<P extends PickerLine>(picker: P, delta: number, count: number): P {
	return {...picker, selected: Math.min(Math.max(0, count - 1), Math.max(0, picker.selected + delta))};
}

/** The search line edited: a change of its text starts again from the best match. */
export function editPick<P extends PickerLine>(picker: P, edit: LineEdit): P {
	const line = editLine(picker.line, edit);
	return line.text === picker.line.text ? {...picker, line} : {...picker, line, selected: 0};
}
