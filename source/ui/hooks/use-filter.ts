import {useEffect, useMemo, useRef, useState} from 'react';
import {compileQuery, Vocabulary, type HighlightSpec} from '../../query/index.js';
import {filterChips, filterQuery, noFilter, type FilterState} from '../../query/filter-state.js';
import type {EventStore} from '../../store/event-store.js';
import {useRefState} from './use-ref-state.js';

export type PromptState = {
	text: string;
	/** What is wrong with the text, shown under the prompt; the list keeps the last good filter. */
	error?: {message: string; position: number};
	/** Index into the history while walking it with ↑ ↓; history.length = the text being typed. */
	historyIndex: number;
};

/** Live narrowing waits this long after the last keystroke. */
const debounceMs = 100;

/**
 * The active filter and the `/` prompt. Filters are compiled to one predicate and handed to the store, which
 * scans the retained events once and then tests new events as they arrive. `onApplied` runs after each change
 * of the list's contents (the list goes back to following).
 */
export function useFilter(store: EventStore, initial: FilterState, onApplied: () => void) {
	const vocabulary = useMemo(() => new Vocabulary({source: store.events}), [store]);
	const [filter, setFilter] = useState<FilterState>(initial);
	// The prompt lives in a ref, changed at once by each key: keys typed faster than React renders (a paste,
	// "/apt" in one burst) must see the prompt the previous key opened.
	const [promptRef, setPrompt] = useRefState<PromptState | undefined>(undefined);

	const prompt = promptRef.current;
	const [spec, setSpec] = useState<HighlightSpec | undefined>(undefined);
	const history = useRef<string[]>([]);
	const applied = useRef<string | undefined>(undefined);
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
		if (query === applied.current) return;
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
		store.setFilter(result.predicate);
		setSpec(result.predicate ? result.highlights : undefined);
		onAppliedRef.current();
	}, [query, vocabulary, store]);

	const promptActions = {
		open() {
			vocabulary.catchUp();
			setPrompt({text: filter.query, historyIndex: history.current.length});
		},
		type(text: string) {
			setPrompt(current => (current ? {...current, text: current.text + text, historyIndex: history.current.length} : current));
		},
		deleteChar() {
			setPrompt(current => (current ? {...current, text: [...current.text].slice(0, -1).join('')} : current));
		},
		clearText() {
			setPrompt(current => (current ? {...current, text: ''} : current));
		},
		historyBack() {
			setPrompt(current => {
				if (!current || current.historyIndex === 0) return current;
				const index = current.historyIndex - 1;
				return {...current, historyIndex: index, text: history.current[index]};
			});
		},
		historyForward() {
			setPrompt(current => {
				if (!current || current.historyIndex >= history.current.length - 1) return current;
				const index = current.historyIndex + 1;
				return {...current, historyIndex: index, text: history.current[index]};
			});
		},
		/** Enter: keep the typed filter if it is valid; an invalid one stays open with its error. */
		submit() {
			const current = promptRef.current;
			if (!current) return;
			const text = current.text.trim();
			const result = compileQuery(filterQuery({...filter, query: text}), vocabulary);
			if (!result.ok) {
				setPreview(current.text);
				return;
			}

			if (text && history.current.at(-1) !== text) history.current.push(text);
			setFilter(current => ({...current, query: text}));
			setPrompt(undefined);
		},
		/** Esc: back to the filter there was before the prompt opened. */
		cancel() {
			setPrompt(undefined);
		},
	};

	return {
		filter,
		setFilter,
		prompt,
		/** Whether the prompt is open right now, even before React has drawn it. */
		promptOpen: () => promptRef.current !== undefined,
		promptActions,
		spec,
		chips: filterChips(filter),
		filtered: query !== '',
	};
}

export {noFilter};
