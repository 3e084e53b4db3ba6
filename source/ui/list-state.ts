// Which part of the event list is on screen and which event is selected: a pure reducer, no Ink.
//
// Following (anchor undefined): the list shows the newest events and the selection stays on the newest.
// Frozen (anchor = a sequence number): the list shows only events up to the anchor, so rows do not move
// under the reader; what arrived since is the "N new" badge. Paused is frozen on purpose (space).

export type ListState = {
	anchor: number | undefined;
	/** Index of the selected row, 0 = the newest shown. */
	selected: number;
	paused: boolean;
	/** The view's matched / matched-Block totals when the list froze: "N new (M Block)" are differences. */
	frozenMatched: number;
	frozenBlock: number;
};

/** What the reducer needs to know about the data right now. */
export type ListContext = {
	newestSeq: number;
	/** Rows in the list at the current anchor (all retained matches when following). */
	count: number;
	matchedTotal: number;
	matchedBlock: number;
	pageSize: number;
};

export type ListAction =
	| {type: 'move'; delta: number; context: ListContext}
	| {type: 'newest'}
	| {type: 'oldest'; context: ListContext}
	| {type: 'pause'; context: ListContext}
	| {type: 'freeze'; context: ListContext}
	/** Select the row at this index (a search match), the list frozen so it stays there. */
	| {type: 'select'; index: number; context: ListContext}
	| {type: 'reset'};

export const initialListState: ListState = {
	anchor: undefined,
	selected: 0,
	paused: false,
	frozenMatched: 0,
	frozenBlock: 0,
};

function freeze(state: ListState, context: ListContext): ListState {
	if (state.anchor !== undefined) return state;
	return {...state, anchor: context.newestSeq, frozenMatched: context.matchedTotal, frozenBlock: context.matchedBlock};
}

function select(state: ListState, selected: number, context: ListContext): ListState {
	const last = Math.max(0, context.count - 1);
	return {...state, selected: Math.min(Math.max(0, selected), last)};
}

export function listReducer(state: ListState, action: ListAction): ListState {
	switch (action.type) {
		case 'move': {
			const {delta, context} = action;
			if (state.anchor === undefined) {
				if (delta <= 0 || context.count <= 1) return state;
				return select(freeze(state, context), delta, context);
			}

			// Moving up past the newest shown row returns to following, unless paused on purpose.
			if (state.selected + delta < 0 && !state.paused) return initialListState;
			return select(state, state.selected + delta, context);
		}

		case 'newest':
		case 'reset': {
			return initialListState;
		}

		case 'oldest': {
			const frozen = freeze(state, action.context);
			return select(frozen, action.context.count - 1, action.context);
		}

		case 'freeze': {
			return freeze(state, action.context);
		}

		case 'select': {
			return select(freeze(state, action.context), action.index, action.context);
		}

		case 'pause': {
			if (state.paused) return initialListState;
			return {...freeze(state, action.context), paused: true};
		}
	}
}

/**
 * The first row to draw for a list of `height` rows: the previous top, moved only as far as needed to keep
 * the selection on screen (so the list does not jump while the reader moves).
 */
export function scrollFor(previousTop: number, selected: number, height: number, count: number): number {
	selected = Math.min(selected, Math.max(0, count - 1));
	let top = Math.min(previousTop, Math.max(0, count - height));
	if (selected < top) top = selected;
	if (selected >= top + height) top = selected - height + 1;
	return Math.max(0, top);
}

/** Events that arrived (and match) since the list froze. */
export function newSinceFrozen(state: ListState, matchedTotal: number, matchedBlock: number): {count: number; block: number} {
	if (state.anchor === undefined) return {count: 0, block: 0};
	return {count: matchedTotal - state.frozenMatched, block: matchedBlock - state.frozenBlock};
}
