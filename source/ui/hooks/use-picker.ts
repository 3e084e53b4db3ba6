import {useRef} from 'react';
import type {FilterState} from '../../query/filter-state.js';
import type {EventStore} from '../../store/event-store.js';
import type {EventPredicate} from '../../store/event-view.js';
import {FacetCount} from '../../store/facet-count.js';
import {emptyLine, type LineEdit} from '../line-editor.js';
import {editPick, movePick, pickerItems, type PickerItem, type PickerKind, type PickerLine} from '../picker-items.js';
import {useRefState} from './use-ref-state.js';

export type PickerState = PickerLine & {kind: PickerKind};

const facetFields = {namespace: 'NamespaceName', policy: 'PolicyName'} as const;

/**
 * The namespace (:) and policy (p) pickers. Each counts within every active filter but its own, as facets do:
 * with a namespace picked, the policy picker counts that namespace's events, and the namespace picker still
 * offers every namespace. The counts are made when the picker opens and kept current while it is open (see
 * FacetCount); no one counts per field for every arriving event. `pick` sets the filter's part for the kind.
 */
export function usePicker(
	store: EventStore,
	currentFilter: () => FilterState,
	predicateFor: (state: FilterState) => EventPredicate | undefined,
	pick: (kind: PickerKind, value: string) => void,
) {
	// In a ref, as the prompt is: ":" and the search typed after it can arrive in one read.
	const [pickerRef, setPicker] = useRefState<PickerState | undefined>(undefined);
	const facet = useRef<FacetCount | undefined>(undefined);

	/** What the open picker offers right now, with the events that arrived since the last look counted. */
	const items = (): PickerItem[] => {
		const picker = pickerRef.current;
		if (!picker || !facet.current) return [];
		facet.current.catchUp();
		return pickerItems(facet.current.tally(), picker.kind, picker.line.text);
	};

	const update = (change: (picker: PickerState) => PickerState) => {
		setPicker(current => (current ? change(current) : current));
	};

	const actions = {
		open(kind: PickerKind) {
			facet.current = new FacetCount(store.events, facetFields[kind], predicateFor({...currentFilter(), [kind]: undefined}));
			setPicker({kind, line: emptyLine, selected: 0});
		},
		close() {
			facet.current = undefined;
			setPicker(undefined);
		},
		move(delta: number) {
			const count = items().length;
			update(picker => movePick(picker, delta, count));
		},
		edit(edit: LineEdit) {
			update(picker => editPick(picker, edit));
		},
		submit() {
			const picker = pickerRef.current;
			if (!picker) return;
			const choices = items();
			const choice = choices[Math.min(picker.selected, choices.length - 1)];
			if (choice) pick(picker.kind, choice.value);
			actions.close();
		},
	};

	const picker = pickerRef.current;
	const choices = items();
	return {
		picker: picker && {...picker, selected: Math.min(picker.selected, Math.max(0, choices.length - 1))},
		choices,
		/** Whether a picker is open right now, even before React has drawn it. */
		pickerOpen: () => pickerRef.current !== undefined,
		pickerActions: actions,
	};
}
