import {eventTime, severityBand, type MonitorEvent, type SeverityBand} from '../model/event.js';

/** Stacking order of a bucket's bar, most severe first. */
export const timelineBands: readonly SeverityBand[] = ['crit', 'high', 'med', 'low', 'none'];

export type TimelineBucket = {
	/** Event times (ms) this bucket covers: [start, start + size). */
	start: number;
	/** Events per band, in timelineBands' order. */
	counts: number[];
	total: number;
};

export type Timeline = {
	/** Bucket length in ms: a round size (1 s, 5 s, 1 min, ...), the smallest that fits the span in the width. */
	size: number;
	buckets: TimelineBucket[];
	/** The largest bucket total, for scaling the bars. */
	peak: number;
	events: number;
};

const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;
const day = 24 * hour;
const roundSizes = [second, 2 * second, 5 * second, 10 * second, 15 * second, 30 * second, minute, 2 * minute, 5 * minute, 10 * minute, 15 * minute, 30 * minute, hour, 2 * hour, 3 * hour, 6 * hour, 12 * hour, day, 2 * day, 7 * day, 30 * day, 365 * day];

/** The smallest round bucket size that puts `from`..`to` in at most `width` buckets. */
export function bucketSize(from: number, to: number, width: number): number {
	const fits = (size: number) => Math.floor(to / size) - Math.floor(from / size) + 1 <= width;
	for (const size of roundSizes) if (fits(size)) return size;
	// Longer than the round sizes can show: whole years, as many as it takes (at most one more than the span asks).
	let years = Math.max(1, Math.ceil((to - from) / width / (365 * day)));
	while (!fits(years * 365 * day)) years++;
	return years * 365 * day;
}

/**
 * The events per time bucket, stacked by severity band, like lnav's histogram: at most `width` buckets of a
 * round size, aligned to it, over the events' own times. A function of the set of events, not their order.
 */
export function buildTimeline(events: Iterable<MonitorEvent>, width: number): Timeline {
	let from = Number.POSITIVE_INFINITY;
	let to = Number.NEGATIVE_INFINITY;
	const times: number[] = [];
	const bands: number[] = [];
	for (const event of events) {
		const time = eventTime(event);
		if (!Number.isFinite(time)) continue;
		times.push(time);
		bands.push(timelineBands.indexOf(severityBand(event.severity)));
		if (time < from) from = time;
		if (time > to) to = time;
	}

	if (times.length === 0 || width < 1) return {size: second, buckets: [], peak: 0, events: 0};
	const size = bucketSize(from, to, width);
	const first = Math.floor(from / size);
	const buckets: TimelineBucket[] = [];
	for (let index = first; index <= Math.floor(to / size); index++) {
		buckets.push({start: index * size, counts: timelineBands.map(() => 0), total: 0});
	}

	for (let index = 0; index < times.length; index++) {
		const bucket = buckets[Math.floor(times[index] / size) - first];
		bucket.counts[bands[index]]++;
		bucket.total++;
	}

	let peak = 0;
	for (const bucket of buckets) if (bucket.total > peak) peak = bucket.total;
	return {size, buckets, peak, events: times.length};
}
