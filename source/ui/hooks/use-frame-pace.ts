import {performance} from 'node:perf_hooks';
import {useRef, useSyncExternalStore} from 'react';

/**
 * One pace for every frame that nothing typed asked for (the stream, the clock): `requestFrame()` redraws the
 * caller at once if its last frame is `intervalMs` old, else once when it is. A frame drawn for any reason in
 * between (a key) answers the requests made before it, so they draw nothing more. At 5,000 events/s with a key
 * every 250 ms the screen drew 13-15 frames a second (the store's ten, the keys', the clock's); one per interval
 * plus the keys' now. Keys are not paced: they draw at once.
 *
 * The interval stretches while the process is busy (see pacedInterval): at 5,000 events/s a 120x40 frame
 * costs ~25 ms of CPU, every row new each time, so ten a second were a quarter of a core besides the feed's
 * own. Held to a fifth of a core in all, that is 5-6 frames a second.
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
/** While the stream draws, the process may use about this share of a core; past it, paced frames come less often. */
const cpuBudget = 0.2;
/** However busy, the stream still draws at least every this many intervals (250 ms at 100). */
const maxStretch = 2.5;

/**
 * The next wait between paced frames: the last one scaled by the process's CPU share over it against the budget,
 * between `baseMs` and 2.5 times it. Frames are what the wait changes, so the share settles at the budget (or
 * the wait at a bound) within a few frames.
 */
export function pacedInterval(lastMs: number, baseMs: number, cpuShare: number): number {
	return Math.round(Math.min(baseMs * maxStretch, Math.max(baseMs, lastMs * (cpuShare / cpuBudget))));
}

class FramePace {
	private drawnAt = Number.NEGATIVE_INFINITY;
	private timer: NodeJS.Timeout | undefined;
	private frames = 0;
	private waitMs: number;
	/** The process's CPU and the clock at the last paced frame, for its CPU share since. */
	private cpuAt = process.cpuUsage();
	private pacedAt = performance.now();
	private readonly listeners = new Set<() => void>();

	constructor(private readonly intervalMs: number) {
		this.waitMs = intervalMs;
	}

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
		const now = performance.now();
		const used = process.cpuUsage(this.cpuAt);
		const share = (used.user + used.system) / 1000 / Math.max(1, now - this.pacedAt);
		this.waitMs = pacedInterval(this.waitMs, this.intervalMs, share);
		this.cpuAt = process.cpuUsage();
		this.pacedAt = now;
		for (const listener of this.listeners) listener();
	}

	readonly request = (): void => {
		if (this.timer !== undefined) return;
		const requestedAt = performance.now();
		const wait = this.drawnAt + this.waitMs - requestedAt;
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
