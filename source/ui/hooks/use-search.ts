import {useRef} from 'react';
import type {HighlightSpec, QueryResult} from '../../query/index.js';
import type {EventStore} from '../../store/event-store.js';
import {editPromptLine, openPromptLine, recall, type LineEdit} from '../line-editor.js';
import type {PromptState} from './use-filter.js';
import {useRefState} from './use-ref-state.js';

/**
 * The find prompt (f) and the search it keeps in the store: less's / and n N, without hiding anything. The
 * query is the filter's language; Enter keeps it (and moves to the nearest match), an empty one ends the find.
 */
export function useSearch(store: EventStore, compile: (text: string) => QueryResult, onFound: () => void) {
	const [promptRef, setPrompt] = useRefState<PromptState | undefined>(undefined);
	const [specRef, setSearchSpec] = useRefState<HighlightSpec | undefined>(undefined);
	const history = useRef<string[]>([]);
	const update = (change: (current: PromptState) => PromptState) => {
		setPrompt(current => (current ? change(current) : current));
	};

	const actions = {
		open() {
			setPrompt(openPromptLine(history.current));
		},
		edit(edit: LineEdit) {
			update(current => ({...current, ...editPromptLine(current, edit, history.current), error: undefined}));
		},
		historyBack() {
			update(current => ({...current, ...recall(current, history.current, -1)}));
		},
		historyForward() {
			update(current => ({...current, ...recall(current, history.current, 1)}));
		},
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
		cancel() {
			setPrompt(undefined);
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
