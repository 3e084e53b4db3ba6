import {useRef} from 'react';
import type {EventStore} from '../../store/event-store.js';
import type {EventView} from '../../store/event-view.js';
import {buildTimeline, type Timeline} from '../../store/timeline.js';

/** While events stream in, the timeline is counted again at most this often by the store's clock (it scans the retained matches). */
const rebuildMs = 1000;

const empty: Timeline = {size: 1000, buckets: [], peak: 0, events: 0};

/**
 * The timeline of the view's retained events for a width: built again when the filter or the width changes,
 * and while events arrive at most once a second, so a frame at 5k events/s does not scan 50k events each time.
 */
export function useTimeline(store: EventStore, width: number, shown: boolean): Timeline {
	const built = useRef<{timeline: Timeline; view: EventView; width: number; matched: number; at: number} | undefined>(undefined);
	if (!shown) return empty;
	const {view} = store;
	const now = store.now();
	const last = built.current;
	const stale =
		!last || last.view !== view || last.width !== width || (last.matched !== view.matchedTotal && now - last.at >= rebuildMs);
	if (stale) built.current = {timeline: buildTimeline(view.retained(), width), view, width, matched: view.matchedTotal, at: now};
	return built.current!.timeline;
}
