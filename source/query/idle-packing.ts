// Packing the query index while nothing else waits, so that a search never has to.
//
// Each time the store says events arrived, complete chunks not packed yet are packed in slices of a few ms,
// one slice per turn of the event loop (setImmediate): input, the feeds' data and the screen's frames are
// handled between two slices, so none waits more than one slice. A monitor taking 5,000 events/s completes a
// chunk every 0.2 s; a burst (a file read at start) is packed as fast as the slices go, behind the reading.
//
// Once packed, a few queries of each kind run over a few chunks, one small step per slice: the first query a
// user types then runs on code V8 has already compiled (cold, the first query over 200k events took 3-5x as
// long as the next ones).

import {compile} from './compile.js';
import {parseQuery} from './parse.js';
import {chunkSize, type Vocabulary} from './vocabulary.js';

/** How long one slice may pack, in ms (it looks at the clock every 128 events: a fraction of a ms more at most). */
export const defaultSliceMs = 4;

/** A word (typo tolerant), fields, a field regex, severity, a regex, a phrase, negations. */
const warmUpQueries = ['defaultposture sev>=7 !op:process', 'ns:kube res:/^\\/etc\\//', '/bin|usr/ "kube" !kubearmr'];
/** Chunks each warm-up step runs a query over, and the steps per query. */
const warmUpChunks = 4;
const warmUpRounds = 6;

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
	let warmUpStep = 0;
	const warmUpSteps = warmUpQueries.length * warmUpRounds;
	const warmingUp = (): boolean => warmUpStep < warmUpSteps && vocabulary.chunkCount >= warmUpChunks;

	const warmUp = (): void => {
		const source = vocabulary.source!;
		const parsed = parseQuery(warmUpQueries[warmUpStep % warmUpQueries.length]!);
		const round = Math.floor(warmUpStep / warmUpQueries.length);
		warmUpStep++;
		if (!parsed.ok) return;
		const last = Math.floor(source.newestSeq / chunkSize) * chunkSize - round * warmUpChunks * chunkSize;
		compile(parsed.nodes, vocabulary).predicate?.matchesIn?.(source, last - warmUpChunks * chunkSize + 1, last, []);
	};

	const slice = (): void => {
		pending = undefined;
		if (vocabulary.packSome(sliceMs)) schedule();
		else if (warmingUp()) {
			warmUp();
			schedule();
		}
	};

	const schedule = (): void => {
		if (pending !== undefined || (vocabulary.unpackedChunks === 0 && !warmingUp())) return;
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
