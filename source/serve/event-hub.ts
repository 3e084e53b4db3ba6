import type {MonitorEvent} from '../model/event.js';

export type EventListener = (event: MonitorEvent) => void;

/**
 * Connects a pipeline to the server: `new Ingest(store, {onEvent: hub.publish})` and
 * `startServer({subscribe: hub.subscribe})`. A listener that throws is not allowed to stop the others.
 */
export class EventHub {
	private readonly listeners = new Set<EventListener>();

	get size(): number {
		return this.listeners.size;
	}

	readonly publish = (event: MonitorEvent): void => {
		for (const listener of this.listeners) {
			try {
				listener(event);
			} catch {
				// One broken consumer must not take the stream down for the rest.
			}
		}
	};

	readonly subscribe = (listener: EventListener): (() => void) => {
		this.listeners.add(listener);
		return () => {
			this.listeners.delete(listener);
		};
	};
}
