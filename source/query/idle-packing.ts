// Packing the query index while nothing else waits, so that a search never has to.
//
// Each time the store says events arrived, complete chunks not packed yet are packed in slices of a few ms,
// one slice per turn of the event loop (setImmediate): input, the feeds' data and the screen's frames are
// handled between two slices, so none waits more than one slice. A monitor taking 5,000 events/s completes a
// chunk every 0.2 s; a burst (a file read at start) is packed as fast as the slices go, behind the reading.

import type {Vocabulary} from './vocabulary.js';

/** How long one slice may pack, in ms (it looks at the clock every 128 events: a fraction of a ms more at most). */
export const defaultSliceMs = 4;

/**
 * Pack `vocabulary`'s chunks in slices whenever `subscribe`'s listener is called (pass store.subscribe), and
 * once now. Returns the function that stops it. Pending slices never keep the process alive.
 */
export function packInIdleTime(
	vocabulary: Vocabulary,
	subscribe: (listener: () => void) => () => void,
	sliceMs = defaultSliceMs,
): () => void {
	let pending: NodeJS.Immediate | undefined;
	const slice = (): void => {
		pending = undefined;
		if (vocabulary.packSome(sliceMs)) schedule();
	};

	const schedule = (): void => {
		if (pending !== undefined || vocabulary.unpackedChunks === 0) return;
		pending = setImmediate(slice);
		pending.unref();
	};

	const unsubscribe = subscribe(schedule);
	schedule();
	return () => {
		unsubscribe();
		if (pending !== undefined) clearImmediate(pending);
		pending = undefined;
	};
}
