import {useRef, useState} from 'react';
import type {EventStore} from '../../store/event-store.js';
import {defaultGroupBy, groupField, groupFieldNames, type GroupField} from '../../store/group-fields.js';
import {groupKey, groupOrders, type Group, type GroupOrder} from '../../store/groups.js';
import {emptyLine, type LineEdit} from '../line-editor.js';
import {editPick, movePick, type PickerItem, type PickerLine} from '../picker-items.js';
import type {FilterScope} from './use-filter.js';
import {useRefState} from './use-ref-state.js';

export type GroupActions = {
	toggle(): void;
	move(delta: number): void;
	top(): void;
	bottom(): void;
	open(): void;
	back(): void;
	cycleOrder(): void;
	openPicker(): void;
	closePicker(): void;
	movePicker(delta: number): void;
	editPicker(edit: LineEdit): void;
	toggleField(): void;
};

/** What the list shows: events, groups of them, or one group's events (opened from the groups; Esc goes back). */
export type ListMode = 'events' | 'groups' | 'group';

export type FieldsPickerState = PickerLine;

const defaultFields = defaultGroupBy.map(name => groupField(name)!);

/**
 * The group view's state: the mode, the key fields, the order, the selection, and the fields picker. Grouping
 * is on in the store only while the group list shows; an opened group is a scope on the filter (its key, which
 * the query language cannot say: the workload is no query field).
 */
export function useGroups(store: EventStore, initial: readonly GroupField[] | undefined, setScope: (scope: FilterScope | undefined) => void) {
	const [modeRef, setMode] = useRefState<ListMode>(initial ? 'groups' : 'events');
	const [fieldsRef, setFields] = useRefState<readonly GroupField[]>(initial ?? defaultFields);
	const [orderRef, setOrder] = useRefState<GroupOrder>('count');
	const [selectedRef, setSelected] = useRefState(0);
	const [pickerRef, setPicker] = useRefState<FieldsPickerState | undefined>(undefined);
	/** The opened group's key values, for the way back. */
	const opened = useRef<Group | undefined>(undefined);
	const scrollTop = useRef(0);
	const mode = modeRef.current;
	const fields = fieldsRef.current;

	// The store groups while the group list shows, set in the same step as the mode (never in an effect after the
	// render: that render would draw an empty or stale group list for a frame). A filter change regroups in the store.
	useState(() => {
		if (initial) store.setGrouping(initial);
	});
	const showGroups = (shown: boolean) => {
		store.setGrouping(shown ? fieldsRef.current : undefined);
	};

	const count = (): number => store.groups?.size ?? 0;
	/** The groups from `from` in the chosen order, at most `length`: only what the screen shows is ordered. */
	const rows = (from: number, length: number): readonly Group[] => store.groups?.top(orderRef.current, from + length).slice(from) ?? [];
	/** The group at `index` in the chosen order. */
	const at = (index: number): Group | undefined => rows(index, 1)[0];

	const pickerItems = (): PickerItem[] => {
		const picker = pickerRef.current;
		if (!picker) return [];
		const search = picker.line.text.trim().toLowerCase();
		return groupFieldNames
			.filter(name => name.includes(search))
			.map(name => ({value: name, label: `${fieldsRef.current.includes(groupField(name)!) ? '[x]' : '[ ]'} ${name}`}));
	};

	const actions: GroupActions = {
		/** = : events <-> groups (from an opened group, back to the events, all of them). */
		toggle() {
			const from = modeRef.current;
			if (from === 'group') setScope(undefined);
			setMode(from === 'events' ? 'groups' : 'events');
			showGroups(from === 'events');
			setSelected(0);
		},
		move(delta: number) {
			const last = Math.max(0, count() - 1);
			setSelected(current => Math.min(last, Math.max(0, current + delta)));
		},
		top() {
			setSelected(0);
		},
		bottom() {
			setSelected(Math.max(0, count() - 1));
		},
		/** Enter: the selected group's events, as a filter on its key. */
		open() {
			const group = at(Math.min(selectedRef.current, count() - 1));
			if (!group) return;
			const keyFields = fieldsRef.current;
			opened.current = group;
			const label = `group:${keyFields.map((field, index) => `${field.name}=${group.values[index] || '-'}`).join(',')}`;
			showGroups(false);
			setScope({label, predicate: event => groupKey(keyFields, event) === group.key});
			setMode('group');
		},
		/** Esc in an opened group: back to the groups, the same one selected where it still is. */
		back() {
			setScope(undefined);
			setMode('groups');
			showGroups(true);
		},
		cycleOrder() {
			setOrder(current => groupOrders[(groupOrders.indexOf(current) + 1) % groupOrders.length]!);
			setSelected(0);
		},
		openPicker() {
			setPicker({line: emptyLine, selected: 0});
		},
		closePicker() {
			setPicker(undefined);
		},
		movePicker(delta: number) {
			const count = pickerItems().length;
			setPicker(current => current && movePick(current, delta, count));
		},
		editPicker(edit: LineEdit) {
			setPicker(current => current && editPick(current, edit));
		},
		/** Enter in the fields picker: the field in or out of the key (one field at least stays). */
		toggleField() {
			const item = pickerItems()[pickerRef.current?.selected ?? 0];
			if (!item) return;
			const field = groupField(item.value)!;
			setFields(current => {
				if (!current.includes(field)) return groupFieldNames.map(name => groupField(name)!).filter(each => each === field || current.includes(each));
				return current.length > 1 ? current.filter(each => each !== field) : current;
			});
			if (modeRef.current === 'groups') showGroups(true);
			setSelected(0);
		},
	};

	return {
		mode,
		/** The mode right now, even before React has drawn it. */
		currentMode: () => modeRef.current,
		fields,
		order: orderRef.current,
		selected: selectedRef.current,
		scrollTop,
		count,
		rows,
		picker: pickerRef.current,
		pickerOpen: () => pickerRef.current !== undefined,
		pickerItems,
		actions,
	};
}
