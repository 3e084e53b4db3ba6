import {useSyncExternalStore} from 'react';
import type {EventStore} from '../../store/event-store.js';

/**
 * Re-render when the store changed. The store notifies at most every 100 ms however many events arrive,
 * so React sees a handful of updates a second, never one per event.
 */
export function useStore(store: EventStore): number {
	return useSyncExternalStore(store.subscribe, store.getVersion);
}
