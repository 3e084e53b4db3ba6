import {performance} from 'node:perf_hooks';
import {useRef, useSyncExternalStore} from 'react';

/**
 * One pace for every frame that nothing typed asked for (the stream, the clock): `requestFrame()` redraws the
 * caller at once if its last frame is `intervalMs` old, else once when it is. A frame drawn for any reason in
 * between (a key) answers the requests made before it, so they draw nothing more. At 5,000 events/s with a key
 * every 250 ms the screen drew 13-15 frames a second (the store's ten, the keys', the clock's); one per interval
 * plus the keys' now. Keys are not paced: they draw at once.
 */
export function useFramePace(intervalMs = 100): () => void {
	const pace = useRef<FramePace | undefined>(undefined);
	pace.current ??= new FramePace(intervalMs);
	pace.current.drawn();
	// As an external store, so React renders a paced frame at once (a sync update, as the store's used to be)
	// rather than scheduling it behind other work as it does a plain state update.
	useSyncExternalStore(pace.current.subscribe, pace.current.frame);
	return pace.current.request;
}

const slackMs = 2;

class FramePace {
	private drawnAt = Number.NEGATIVE_INFINITY;
	private timer: NodeJS.Timeout | undefined;
	private frames = 0;
	private readonly listeners = new Set<() => void>();

	constructor(private readonly intervalMs: number) {}

	readonly subscribe = (listener: () => void): (() => void) => {
		this.listeners.add(listener);
		return () => {
			this.listeners.delete(listener);
		};
	};

	/** Changes for every frame asked for. */
	readonly frame = (): number => this.frames;

	/** Every render of the caller, whatever caused it. */
	drawn(): void {
		this.drawnAt = performance.now();
	}

	private redraw(): void {
		this.frames++;
		for (const listener of this.listeners) listener();
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
