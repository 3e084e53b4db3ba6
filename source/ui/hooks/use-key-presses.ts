import {useInput, type Key} from 'ink';
import {useRef} from 'react';
import {keyPresses} from '../keymap.js';

/**
 * useInput, one key press at a time, each seeing the screen the one before it left. ink hands over what it read
 * at once ("jjj", "?j", "shdow\r"); the presses in it are queued and handled in order, each once React has
 * rendered what the one before changed: "?j" scrolls the help that "?" opened. A lone key, the usual
 * case, is handled at once.
 */
export function useKeyPresses(handle: (input: string, key: Key) => void): void {
	// ink re-subscribes its input handler in an effect, after the frame is drawn: a key pressed in between would
	// reach the previous render's handler and its stale state. The ref always holds this render's.
	const handler = useRef(handle);
	handler.current = handle;
	const queue = useRef<Array<[string, Key]>>([]);
	const next = useRef(() => {
		const press = queue.current[0];
		if (press === undefined) return;
		try {
			handler.current(press[0], press[1]);
		} finally {
			queue.current.shift();
			// A timer, not setImmediate: React schedules its render with setImmediate, and the next press must see it.
			if (queue.current.length > 0) setTimeout(next.current, 0);
		}
	});

	useInput((input, key) => {
		const busy = queue.current.length > 0;
		queue.current.push(...keyPresses(input, key));
		if (!busy) next.current();
	});
}
