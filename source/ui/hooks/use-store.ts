import {useEffect} from 'react';
import type {EventStore} from '../../store/event-store.js';

/**
 * Ask for a frame when the store changed (it notifies at most every 100 ms however many events arrive); the
 * frame comes at `requestFrame`'s pace (useFramePace). The store is read directly while rendering.
 */
export function useStore(store: EventStore, requestFrame: () => void): void {
	useEffect(() => store.subscribe(requestFrame), [store, requestFrame]);
}
