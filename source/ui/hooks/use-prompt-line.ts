import {editPromptLine, openPromptLine, recall, type LineEdit, type PromptLine} from '../line-editor.js';
import {useRefState} from './use-ref-state.js';

export type PromptState = PromptLine & {
	/** What is wrong with the text, shown under the prompt; the list keeps the last good filter. */
	error?: {message: string; position: number};
};

/**
 * A prompt line with a history (the filter's `/`, the find's `f`): open, edit, ↑ ↓ through the history, Esc.
 * It lives in a ref, changed at once by each key: keys typed faster than React renders (a paste, "/apt" in one
 * burst) must see the prompt the previous key opened. `clearsError`: an edit takes the error away at once
 * (else it stays until the text is checked again).
 */
export function usePromptLine(history: {readonly current: string[]}, clearsError: boolean) {
	const [promptRef, setPrompt] = useRefState<PromptState | undefined>(undefined);
	const update = (change: (current: PromptState) => PromptState) => {
		setPrompt(current => (current ? change(current) : current));
	};

	const actions = {
		open() {
			setPrompt(openPromptLine(history.current));
		},
		edit(edit: LineEdit) {
			update(current => {
				const edited = {...current, ...editPromptLine(current, edit, history.current)};
				return clearsError ? {...edited, error: undefined} : edited;
			});
		},
		historyBack() {
			update(current => ({...current, ...recall(current, history.current, -1)}));
		},
		historyForward() {
			update(current => ({...current, ...recall(current, history.current, 1)}));
		},
		cancel() {
			setPrompt(undefined);
		},
	};

	return {promptRef, setPrompt, update, actions};
}
