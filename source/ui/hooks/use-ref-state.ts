import {useRef, useState, type MutableRefObject} from 'react';

/** A new value, or (as with useState) a function of the current one. */
export type RefStateUpdate<T> = T | ((current: T) => T);

/**
 * State held in a ref, redrawn when set. Unlike useState, a new value can be read at once: keys read together
 * ("?j", "/apt" in one burst) are handled in one pass, and each must find what the one before it opened.
 * T must not itself be a function (a function passed to the setter is taken as an update).
 */
export function useRefState<T>(initial: T): [MutableRefObject<T>, (next: RefStateUpdate<T>) => void] {
	const ref = useRef(initial);
	const [, redraw] = useState(0);
	const set = useRef((next: RefStateUpdate<T>) => {
		ref.current = typeof next === 'function' ? (next as (current: T) => T)(ref.current) : next;
		redraw(count => count + 1);
	});
	return [ref, set.current];
}
