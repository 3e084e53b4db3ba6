import {performance} from 'node:perf_hooks';
import {useReducer, useRef} from 'react';

/**
 * One pace for every frame that nothing typed asked for (the stream, the clock): `requestFrame()` redraws the
 * caller at once if its last frame is `intervalMs` old, else once when it is. A frame drawn for any reason in
 * between (a key) answers the requests made before it, so they draw nothing more. At 5,000 events/s with a key
 * every 250 ms the screen drew 13-15 frames a second (the store's ten, the keys', the clock's); one per interval
 * plus the keys' now. Keys are not paced: they draw at once.
 */
export function useFramePace(intervalMs = 100): () => void {
	const [, redraw] = useReducer((count: number) => count + 1, 0);
	const pace = useRef<FramePace | undefined>(undefined);
	pace.current ??= new FramePace(intervalMs, redraw);
	pace.current.drawn();
	return pace.current.request;
}

const slackMs = 2;

class FramePace {
	private drawnAt = Number.NEGATIVE_INFINITY;
	private timer: NodeJS.Timeout | undefined;

	constructor(
		private readonly intervalMs: number,
		private readonly redraw: () => void,
	) {}

	/** Every render of the caller, whatever caused it. */
	drawn(): void {
		this.drawnAt = performance.now();
	}

	readonly request = (): void => {
		if (this.timer !== undefined) return;
		const requestedAt = performance.now();
		const wait = this.drawnAt + this.intervalMs - requestedAt;
		// The store keeps its 100 ms by a millisecond clock: a notification due now may look a little early.
		if (wait <= slackMs) {
			this.redraw();
			return;
		}

		this.timer = setTimeout(() => {
			this.timer = undefined;
			if (this.drawnAt < requestedAt) this.redraw();
		}, wait);
		// A pending frame does not keep the process alive once the screen is gone.
		this.timer.unref();
	};
}
