import {useInput, useStdin, type Key} from 'ink';
import {useCallback, useEffect, useRef} from 'react';
import {keyPresses} from '../keymap.js';

/** The Delete key: ESC [3~, or ESC [3;<modifier>~ with Shift, Ctrl or Alt held. */
const deleteKey = /^\u001B\[3[;~]/;

/**
 * Every key press, each handled on its own (see keyPresses), with Backspace and Delete told apart: ink 6 calls
 * both \x7f (what the Backspace key sends) and ESC [3~ (the Delete key) `delete`. The raw input, heard before
 * ink's handler, says which key it was; without it a `delete` is taken as Backspace, as ink's text inputs do.
 */
export function useKeyboard(handler: (input: string, key: Key) => void): void {
	const {internal_eventEmitter: emitter} = useStdin();
	const raw = useRef('');
	useEffect(() => {
		const remember = (data: string) => {
			raw.current = data;
		};

		// Prepended, so it hears each input before useInput's handler does, whichever subscribed first.
		emitter.prependListener('input', remember);
		return () => {
			emitter.off('input', remember);
		};
	}, [emitter]);

	// ink subscribes the handler in an effect, after the frame is drawn: a key pressed in between would reach the
	// previous render's handler and its stale state. The ref always holds this render's.
	const handlerRef = useRef(handler);
	handlerRef.current = handler;
	const onInput = useCallback((input: string, key: Key) => {
		const pressed = key.delete && !deleteKey.test(raw.current) ? {...key, delete: false, backspace: true} : key;
		for (const [run, runKey] of keyPresses(input, pressed)) handlerRef.current(run, runKey);
	}, []);
	useInput(onInput);
}
