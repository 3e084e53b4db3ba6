import {performance} from 'node:perf_hooks';
import {useRef, useSyncExternalStore} from 'react';

/**
 * One pace for every frame that nothing typed asked for (the stream, the clock): `requestFrame()` redraws the
 * caller at once if its last frame is `intervalMs` old, else once when it is. A frame drawn for any reason in
 * between (a key) answers the requests made before it, so they draw nothing more. At 5,000 events/s with a key
 * every 250 ms the screen drew 13-15 frames a second (the store's ten, the keys', the clock's); one per interval
 * plus the keys' now. Keys are not paced: they draw at once.
 *
 * The interval stretches when frames are dear (see pacedInterval): at 5,000 events/s a 120x40 frame costs
 * ~25 ms of CPU, every row new each time, so ten a second were a quarter of a core on their own.
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
/** The stream's frames may use about this share of a core; dearer frames come less often. */
const frameCpuShare = 1 / 6;
/** However dear the frames, the stream still draws at least every this many intervals (250 ms at 100). */
const maxStretch = 2.5;

/** The wait between paced frames: `intervalMs`, or longer when the last one cost more than its share of CPU. */
export function pacedInterval(intervalMs: number, lastFrameCpuMs: number): number {
	return Math.min(intervalMs * maxStretch, Math.max(intervalMs, lastFrameCpuMs / frameCpuShare));
}

class FramePace {
	private drawnAt = Number.NEGATIVE_INFINITY;
	private timer: NodeJS.Timeout | undefined;
	private frames = 0;
	/** CPU of the last paced frame (render, layout and ink's output), ms. */
	private frameCpuMs = 0;
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
		const start = process.cpuUsage();
		for (const listener of this.listeners) listener();
		// The listener renders at once (a sync external store); a microtask runs once ink has written the frame.
		queueMicrotask(() => {
			const used = process.cpuUsage(start);
			this.frameCpuMs = (used.user + used.system) / 1000;
		});
	}

	readonly request = (): void => {
		if (this.timer !== undefined) return;
		const requestedAt = performance.now();
		const wait = this.drawnAt + pacedInterval(this.intervalMs, this.frameCpuMs) - requestedAt;
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
