// The timeline's bars as text: pure, tested without Ink.
import type {SeverityBand} from '../model/event.js';
import {timelineBands, type Timeline} from '../store/timeline.js';

const eighths = ' ▁▂▃▄▅▆▇█';

/** One cell of a bar: its glyph and the band it shows (undefined: empty). */
export type BarCell = {glyph: string; band: SeverityBand | undefined};

/**
 * The buckets as `rows` rows of cells (top row first), one column per bucket, each bar as tall as its total
 * against the peak, stacked by band with the least severe at the bottom: a cell takes the band of the top of
 * its filled part, so the most severe band shows on top of each bar.
 */
export function timelineCells(timeline: Timeline, rows: number): BarCell[][] {
	const levels = rows * 8;
	const grid: BarCell[][] = Array.from({length: rows}, () => []);
	for (const bucket of timeline.buckets) {
		// At least one eighth for a bucket with any event, so a lone Block never disappears.
		const height = bucket.total === 0 ? 0 : Math.max(1, Math.round((bucket.total / timeline.peak) * levels));
		// Cumulative heights from the bottom: none, low, med, high, crit.
		const tops: Array<[number, SeverityBand]> = [];
		let below = 0;
		for (let index = timelineBands.length - 1; index >= 0; index--) {
			below += bucket.counts[index]!;
			tops.push([(below / Math.max(1, bucket.total)) * height, timelineBands[index]!]);
		}

		for (let row = 0; row < rows; row++) {
			const floor = (rows - 1 - row) * 8;
			const fill = Math.max(0, Math.min(8, height - floor));
			const top = floor + fill;
			const band = fill === 0 ? undefined : tops.find(([reach]) => reach >= top - 0.5)?.[1] ?? tops.at(-1)![1];
			grid[row]!.push({glyph: eighths[fill]!, band});
		}
	}

	return grid;
}

/** The bucket that holds `time`, or the nearest one. */
export function bucketAt(timeline: Timeline, time: number): number {
	if (timeline.buckets.length === 0) return 0;
	const index = Math.floor((time - timeline.buckets[0]!.start) / timeline.size);
	return Math.min(timeline.buckets.length - 1, Math.max(0, index));
}

/** "5 s", "1 min", "2 h": a bucket's size in words. */
export function sizeLabel(ms: number): string {
	if (ms < 60_000) return `${ms / 1000} s`;
	if (ms < 3_600_000) return `${ms / 60_000} min`;
	if (ms < 86_400_000) return `${ms / 3_600_000} h`;
	return `${Math.round(ms / 86_400_000)} d`;
}
