import {useEffect, useMemo, useRef, useState} from 'react';
import {compileQuery, packInIdleTime, type HighlightSpec} from '../../query/index.js';
import {filterChips, filterQuery, noFilter, type FilterState} from '../../query/filter-state.js';
import type {EventStore} from '../../store/event-store.js';
import type {MonitorEvent} from '../../model/event.js';
import type {EventPredicate, EventsBySeq} from '../../store/event-view.js';
import {usePromptLine, type PromptState} from './use-prompt-line.js';
import {useRefState} from './use-ref-state.js';

/** A part of the filter the query language cannot write (an opened group: its workload is not a query field). */
export type FilterScope = {label: string; predicate: EventPredicate};

/** Live narrowing waits this long after the last keystroke. */
const debounceMs = 100;

/**
 * The active filter and the `/` prompt. Filters are compiled to one predicate and handed to the store, which
 * scans the retained events once and then tests new events as they arrive. `onApplied` runs after each change
 * of the list's contents (the list goes back to following).
 *
 * The prompt opens empty and what is typed replaces the `/` query (as in k9s), never adds to it unseen: ↑
 * recalls the last query to edit it, ↓ goes back down to what was being typed. The other filters (o a s : p,
 * the command line's) stay as they are.
 */
export function useFilter(store: EventStore, initial: FilterState, onApplied: () => void) {
	// The store's own, so grouping reads the chunks it packs (groups.ts).
	const vocabulary = useMemo(() => store.vocabulary, [store]);
	// The index is packed as events arrive, between frames, so that `/` and each query find it ready.
	useEffect(() => packInIdleTime(vocabulary, store.subscribe), [vocabulary, store]);
	// In a ref, as the prompt is: a key read together with the one that changed the filter ("xn") sees the change.
	const [filterRef, setFilter] = useRefState<FilterState>(initial);
	const filter = filterRef.current;
	// --filter is the first query ↑ recalls.
	const history = useRef<string[]>(initial.query.trim() ? [initial.query.trim()] : []);
	// The error stays while editing, until the debounced text is compiled again (below).
	const {promptRef, setPrompt, actions: line} = usePromptLine(history, false);
	const prompt: PromptState | undefined = promptRef.current;
	const [scopeRef, setScope] = useRefState<FilterScope | undefined>(undefined);
	const scope = scopeRef.current;
	const [spec, setSpec] = useState<HighlightSpec | undefined>(undefined);
	const applied = useRef<string | undefined>(undefined);
	const appliedScope = useRef<FilterScope | undefined>(undefined);
	const appliedPredicate = useRef<EventPredicate | undefined>(undefined);
	const onAppliedRef = useRef(onApplied);
	onAppliedRef.current = onApplied;

	// While the prompt is open, its text (debounced) stands in for the committed query.
	const [preview, setPreview] = useState<string | undefined>(undefined);
	useEffect(() => {
		if (prompt === undefined) {
			setPreview(undefined);
			return;
		}

		const timer = setTimeout(() => {
			setPreview(prompt.text);
		}, debounceMs);
		return () => {
			clearTimeout(timer);
		};
	}, [prompt?.text, prompt === undefined]);

	const effective = preview === undefined ? filter : {...filter, query: preview};
	const query = filterQuery(effective);
	useEffect(() => {
		if (query === applied.current && scope === appliedScope.current) return;
		const result = compileQuery(query, vocabulary);
		if (!result.ok) {
			// Only the prompt's text can be wrong (the other parts are built from seen values): say where.
			const offset = query.indexOf(effective.query);
			setPrompt(current =>
				current ? {...current, error: {message: result.error, position: Math.max(0, result.position - Math.max(0, offset))}} : current,
			);
			return;
		}

		setPrompt(current => (current?.error ? {...current, error: undefined} : current));
		applied.current = query;
		appliedScope.current = scope;
		appliedPredicate.current = result.predicate;
		store.setFilter(both(result.predicate, scope?.predicate));
		setSpec(result.predicate ? result.highlights : undefined);
		onAppliedRef.current();
	}, [query, scope, vocabulary, store]);

	const promptActions = {
		...line,
		open() {
			vocabulary.catchUp();
			line.open();
		},
		/** Enter: keep the typed query if it is valid (empty: no `/` query); an invalid one stays open with its error. */
		submit() {
			const current = promptRef.current;
			if (!current) return;
			const text = current.text.trim();
			const result = compileQuery(filterQuery({...filterRef.current, query: text}), vocabulary);
			if (!result.ok) {
				setPreview(current.text);
				return;
			}

			if (text && history.current.at(-1) !== text) history.current.push(text);
			setFilter(current => ({...current, query: text}));
			setPrompt(undefined);
		},
		// Esc (line.cancel): back to the filter there was before the prompt opened.
	};

	/** The predicate of a filter other than the active one (a picker counts within the others); undefined: all. */
	const predicateFor = (state: FilterState): EventPredicate | undefined => {
		const result = compileQuery(filterQuery(state), vocabulary);
		return both(result.ok ? result.predicate : undefined, scopeRef.current?.predicate);
	};

	return {
		filter,
		/** A query compiled with the vocabulary the filter uses (the find shares the language). */
		compile: (text: string) => {
			vocabulary.catchUp();
			return compileQuery(text, vocabulary);
		},
		/** The filter right now, even before React has drawn it. */
		currentFilter: () => filterRef.current,
		setFilter,
		prompt,
		/** Whether the prompt is open right now, even before React has drawn it. */
		promptOpen: () => promptRef.current !== undefined,
		promptActions,
		predicateFor,
		spec,
		/**
		 * Set or clear the scope (an opened group), applied to the store at once: left to the effect, the render
		 * before it would draw the list of every event for a frame.
		 */
		setScope(next: FilterScope | undefined) {
			setScope(next);
			if (applied.current === undefined) return; // not mounted yet: the effect applies it
			appliedScope.current = next;
			store.setFilter(both(appliedPredicate.current, next?.predicate));
			onAppliedRef.current();
		},
		chips: scope ? [...filterChips(filter), scope.label] : filterChips(filter),
		filtered: query !== '' || scope !== undefined,
	};
}

/**
 * Both predicates (either may be absent: it passes everything). The query's index still finds its matches,
 * and only those are given to the scope.
 */
function both(first: EventPredicate | undefined, second: EventPredicate | undefined): EventPredicate | undefined {
	if (!first || !second) return first ?? second;
	const each = (event: MonitorEvent): boolean => first(event) && second(event);
	const {matchesIn} = first;
	if (!matchesIn) return each;
	return Object.assign(each, {
		matchesIn(events: EventsBySeq, from: number, to: number, out: number[]) {
			const found: number[] = [];
			matchesIn(events, from, to, found);
			for (const seq of found) if (second(events.get(seq)!)) out.push(seq);
		},
	});
}

export {noFilter};
