import {getHeapStatistics} from 'node:v8';

/**
 * How many events the monitor can retain within its memory bound. The bound is in bytes of heap the retained
 * events hold (the store's estimate, see compact-event.ts); V8 aborts the whole process, with a stack trace over
 * the screen, when the heap reaches its limit, so the bound stays well below it.
 */

/** Share of V8's heap limit the retained events may take: the rest is for the screen, search index and groups. */
export const defaultHeapShare = 0.4;

/**
 * Bytes the store counts for a typical KubeArmor event once retained and compacted: the public samples are
 * counted ~544 and measure ~500 of heap (bench/memory-bench.ts). Used to tell at start whether --max-alerts can
 * fit at all.
 */
export const typicalEventBytes = 550;

/** What the screen, React and the feeds take besides the retained events, at least (a small heap's share). */
const programBytes = 32 * 1024 * 1024;

/**
 * The default --max-memory: a share of this process's heap limit (which --max-old-space-size sets), less what
 * the rest of the program needs; never under a quarter of the limit.
 */
export function defaultMaxMemory(heapLimit = getHeapStatistics().heap_size_limit): number {
	return Math.floor(Math.max(heapLimit / 4, heapLimit * defaultHeapShare - programBytes));
}

export type Retention = {
	/** Events the store keeps at most. */
	maxEvents: number;
	maxBytes: number;
	/** --max-alerts as asked. */
	maxAlerts: number;
	/** Typical events at --max-alerts would not fit in maxBytes, so maxEvents is lower than asked. */
	capped: boolean;
};

/** --max-alerts within --max-memory: capped where typical events at that count would be over the bound. */
export function retention(maxAlerts: number, maxBytes: number): Retention {
	const fit = Math.max(1, Math.floor(maxBytes / typicalEventBytes));
	return {maxEvents: Math.min(maxAlerts, fit), maxBytes, maxAlerts, capped: fit < maxAlerts};
}

/** 1.5 GB, 600 MB, 512 KB: binary units, as the K/M/G of --max-memory. */
export function formatBytes(bytes: number): string {
	const units = ['B', 'KB', 'MB', 'GB', 'TB'];
	let value = bytes;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}

	const digits = unit === 0 || value >= 100 || Number.isInteger(value) ? 0 : 1;
	return `${value.toFixed(digits).replace(/\.0$/, '')} ${units[unit]}`;
}

/** The line said on stderr at start when --max-alerts cannot be held. */
export function capWarning({maxEvents, maxAlerts, maxBytes}: Retention): string {
	return `--max-alerts ${maxAlerts.toLocaleString('en-US')} will not fit in the memory bound of ${formatBytes(maxBytes)} (--max-memory): keeping about ${maxEvents.toLocaleString('en-US')} events at most, oldest dropped first; counters count every event`;
}

/** The footer's notice while the bound holds fewer than --max-alerts. */
export function capNotice(kept: number, maxAlerts: number, maxBytes: number): string {
	return `kept ${kept.toLocaleString('en-US')} of --max-alerts ${maxAlerts.toLocaleString('en-US')}: memory bound ${formatBytes(maxBytes)}`;
}
