import type {MonitorEvent} from '../model/event.js';

/**
 * The lines the newest events were read from, for the raw view, held off the JS heap in one byte ring.
 *
 * Kept as strings on each event, the lines lived long enough to be moved to V8's old space and then died there,
 * leaving holes V8 did not give back: with 1M events retained RSS was 1.2 GB for 525 MB of live heap. Here they
 * are copied (UTF-8) into one Buffer, a fixed cost. Large stores use it (see EventStore); small ones keep the
 * line on the event.
 */

/** Lines kept at most, the newest; fewer when they do not fit in `ringBytes`. */
export const recentLineCount = 5000;
const ringBytes = 8 * 1024 * 1024;

class RecentLines {
	private buffer: Buffer | undefined;
	private readonly events: Array<MonitorEvent | undefined> = new Array<MonitorEvent | undefined>(recentLineCount);
	/** Where each line starts, in bytes written since the start (never wraps), and its length in bytes. */
	private readonly starts = new Float64Array(recentLineCount);
	private readonly lengths = new Int32Array(recentLineCount);
	private written = 0;

	/** Keep `line` as the one `event` was read from (one slot per seq: a newer event in it replaces it). */
	keep(event: MonitorEvent, line: string): void {
		this.buffer ??= Buffer.allocUnsafeSlow(ringBytes);
		// Three bytes per UTF-16 unit at most; a line that might not fit before the end starts at the beginning.
		let at = this.written % ringBytes;
		if (at + line.length * 3 > ringBytes) {
			this.written += ringBytes - at;
			at = 0;
		}

		if (line.length * 3 > ringBytes) return;
		const length = this.buffer.write(line, at, 'utf8');
		const slot = event.seq % recentLineCount;
		this.events[slot] = event;
		this.starts[slot] = this.written;
		this.lengths[slot] = length;
		this.written += length;
	}

	/** The line `event` was read from, while it is among the recent ones; else undefined. */
	of(event: MonitorEvent): string | undefined {
		const slot = event.seq % recentLineCount;
		// The bytes are still there unless writing has gone round the ring past them.
		if (this.events[slot] !== event || this.buffer === undefined || this.written - this.starts[slot]! > ringBytes) return undefined;
		const at = this.starts[slot]! % ringBytes;
		return this.buffer.toString('utf8', at, at + this.lengths[slot]!);
	}
}

/** One ring for the process: the monitor has one large store. */
export const recentLines = new RecentLines();

/** The line an event was read from: kept on the event (small stores) or here; undefined when not kept. */
export function rawLineOf(event: MonitorEvent): string | undefined {
	return event.raw ?? recentLines.of(event);
}
