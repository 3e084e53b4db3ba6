import type {Dispatch} from 'react';
import {cycle, noFilter, stepSeverity, type FilterState} from '../query/filter-state.js';
import type {EventStore} from '../store/event-store.js';
import type {GroupActions} from './hooks/use-groups.js';
import type {GroupCommand, MainCommand, PickerCommand, PromptCommand} from './keymap.js';
import type {ListAction, ListContext} from './list-state.js';
import type {PickerKind} from './picker-items.js';

/** A mode's handlers: one per command of its context, so a command bound to a key with no handler does not compile. */
export type Commands<C extends string> = Record<C, () => void>;

export type ListCommandDeps = {
	store: EventStore;
	dispatch: Dispatch<ListAction>;
	/** What the list holds right now (for moves, freeze, oldest). */
	context: ListContext;
	pageRows: number;
	detailRows: number;
	/** How far the detail pane scrolls now, and (wrapping all of the event) to its end. */
	detailMax: number;
	detailEnd: () => number;
	setDetailScroll: (change: (current: number) => number) => void;
	setFocus: (focus: 'list' | 'detail') => void;
	setFilter: (change: (current: FilterState) => FilterState) => void;
	openPrompt: () => void;
	/** f, n, N: the find prompt, and the selection to the next older / newer match. */
	openFind: () => void;
	findMatch: (direction: 'older' | 'newer') => void;
	openPicker: (kind: PickerKind) => void;
	openHelp: () => void;
	/** t, T: show / hide the timeline, move along it. */
	toggleTimeline: () => void;
	focusTimeline: () => void;
	/** ^L: draw the whole terminal again. */
	redraw: () => void;
	/** = : events <-> groups. */
	toggleGroups: () => void;
	/** y w r P: copy, save, raw view, policy draft (see use-act.ts). */
	act: Commands<ActCommand>;
	quit: () => void;
};

type ActCommand = 'copy' | 'save' | 'raw' | 'draftPolicy';

/** Values seen so far, in a stable order so cycling with o / a does not jump around as counts change. */
function seen(tally: Map<string, number>): string[] {
	return [...tally.keys()].sort((a, b) => a.localeCompare(b));
}

/** The list's commands, and the detail pane's (the same keys: moves scroll the event, Esc and Enter go back). */
export function listCommands(deps: ListCommandDeps): {list: Commands<MainCommand>; detail: Commands<MainCommand>} {
	const {store, dispatch, context, setDetailScroll, setFocus, setFilter} = deps;
	const move = (delta: number) => () => {
		dispatch({type: 'move', delta, context});
		setDetailScroll(() => 0);
	};

	const list: Commands<MainCommand> = {
		down: move(1),
		up: move(-1),
		pageDown: move(deps.pageRows),
		pageUp: move(-deps.pageRows),
		newest() {
			dispatch({type: 'newest'});
			setFocus('list');
			setDetailScroll(() => 0);
		},
		oldest() {
			dispatch({type: 'oldest', context});
			setDetailScroll(() => 0);
		},
		detail() {
			// Reading an event: hold the list still so the event does not change underneath.
			dispatch({type: 'freeze', context});
			setFocus('detail');
		},
		back() {
			setFocus('list');
		},
		pause() {
			dispatch({type: 'pause', context});
		},
		search: deps.openPrompt,
		find: deps.openFind,
		nextMatch() {
			deps.findMatch('older');
		},
		previousMatch() {
			deps.findMatch('newer');
		},
		cycleOperation() {
			setFilter(current => ({...current, operation: cycle(current.operation, seen(store.counters.operation))}));
		},
		cycleAction() {
			setFilter(current => ({...current, action: cycle(current.action, seen(store.counters.action))}));
		},
		severityUp() {
			setFilter(current => ({...current, minSeverity: stepSeverity(current.minSeverity, 1)}));
		},
		severityDown() {
			setFilter(current => ({...current, minSeverity: stepSeverity(current.minSeverity, -1)}));
		},
		pickNamespace() {
			deps.openPicker('namespace');
		},
		pickPolicy() {
			deps.openPicker('policy');
		},
		clearFilters() {
			setFilter(() => noFilter);
		},
		groups: deps.toggleGroups,
		...deps.act,
		help: deps.openHelp,
		redraw: deps.redraw,
		timeline: deps.toggleTimeline,
		focusTimeline: deps.focusTimeline,
		quit: deps.quit,
	};

	const scrollBy = (delta: number) => () => {
		setDetailScroll(current => Math.min(deps.detailMax, Math.max(0, current + delta)));
	};

	const detail: Commands<MainCommand> = {
		...list,
		down: scrollBy(1),
		up: scrollBy(-1),
		pageDown: scrollBy(deps.detailRows),
		pageUp: scrollBy(-deps.detailRows),
		// g / G read the event from its top or its end; the list keeps its place.
		newest() {
			setDetailScroll(() => 0);
		},
		oldest() {
			setDetailScroll(deps.detailEnd);
		},
		detail() {
			setFocus('list');
		},
	};
	return {list, detail};
}

/**
 * The group list's commands: the list's, with the moves over groups and Enter opening one, and its own (order,
 * fields). In an opened group the list's, with Esc back to the groups.
 */
export function groupCommands(
	list: Commands<MainCommand>,
	groups: GroupActions,
	pageRows: number,
	focusDetail: () => void,
): {main: Commands<MainCommand>; groups: Commands<GroupCommand>; opened: Commands<MainCommand>} {
	const move = (delta: number) => () => {
		groups.move(delta);
	};

	return {
		main: {
			...list,
			down: move(1),
			up: move(-1),
			pageDown: move(pageRows),
			pageUp: move(-pageRows),
			newest: groups.top,
			oldest: groups.bottom,
			// n / N stay the list's: the find moves over events, and findMatch waits in the group list.
			// Tab: read the group's key and sample; the event list is not frozen for it.
			detail: focusDetail,
		},
		groups: {
			openGroup: groups.open,
			cycleOrder: groups.cycleOrder,
			pickFields: groups.openPicker,
		},
		opened: {...list, back: groups.back},
	};
}

/** A prompt's keys (the filter's, the find's): Enter, Esc, and ↑ ↓ through its history. */
export function promptCommands(prompt: Commands<PromptCommand>): Commands<PromptCommand> {
	return {submit: prompt.submit, cancel: prompt.cancel, historyBack: prompt.historyBack, historyForward: prompt.historyForward};
}

/** A picker's keys (the namespace / policy picker, the group fields picker): Enter, Esc, and ↑ ↓ moving the selection. */
export function pickerCommands(submit: () => void, close: () => void, move: (delta: number) => void): Commands<PickerCommand> {
	return {
		submit,
		cancel: close,
		down() {
			move(1);
		},
		up() {
			move(-1);
		},
	};
}
