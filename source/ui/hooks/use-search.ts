import {useRef} from 'react';
import type {HighlightSpec, QueryResult} from '../../query/index.js';
import type {EventStore} from '../../store/event-store.js';
import {usePromptLine} from './use-prompt-line.js';
import {useRefState} from './use-ref-state.js';

/**
 * The find prompt (f) and the search it keeps in the store: less's / and n N, without hiding anything. The
 * query is the filter's language; Enter keeps it (and moves to the nearest match), an empty one ends the find.
 */
export function useSearch(store: EventStore, compile: (text: string) => QueryResult, onFound: () => void) {
	const [specRef, setSearchSpec] = useRefState<HighlightSpec | undefined>(undefined);
	const history = useRef<string[]>([]);
	const {promptRef, setPrompt, update, actions: line} = usePromptLine(history, true);

	const actions = {
		...line,
		/** Enter: keep the find if it is valid (empty: no find); an invalid one stays open with its error. */
		submit() {
			const current = promptRef.current;
			if (!current) return;
			const text = current.text.trim();
			if (text === '') {
				store.setSearch('', undefined);
				setPrompt(undefined);
				return;
			}

			const result = compile(text);
			if (!result.ok) {
				update(prompt => ({...prompt, error: {message: result.error, position: result.position}}));
				return;
			}

			if (history.current.at(-1) !== text) history.current.push(text);
			store.setSearch(text, result.predicate);
			setSearchSpec(result.predicate ? result.highlights : undefined);
			setPrompt(undefined);
			onFound();
		},
	};

	return {
		prompt: promptRef.current,
		promptOpen: () => promptRef.current !== undefined,
		actions,
		/** What the find marks in the rows, while one is kept. */
		spec: store.search ? specRef.current : undefined,
	};
}
