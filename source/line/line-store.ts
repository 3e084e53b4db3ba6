import type {SourceStatus} from '../feed/feed.js';
import type {IngestStore} from '../feed/ingest.js';
import type {MonitorEvent} from '../model/event.js';
import type {NormalizedEvent} from '../model/normalize.js';

/**
 * What --json, --plain and --group-by hand events to: it numbers them and keeps the sources' states, and
 * nothing else. They print or group each event as it passes and never look back, so the ring, the counters,
 * the rate and the throttles of an EventStore were work for nobody (a tenth of --json's time).
 */
export class LineStore implements IngestStore {
	readonly sources = new Map<string, SourceStatus>();
	readonly counters = {events: 0};
	readonly now: () => number = Date.now;

	add(normalized: NormalizedEvent): MonitorEvent {
		const event = normalized as MonitorEvent;
		event.seq = ++this.counters.events;
		return event;
	}

	// Rejected input is reported on stderr as it comes (Ingest's onMalformed); nothing reads a count of it.
	noteMalformed(): void {}

	noteOversized(): void {}

	setSource(status: SourceStatus): void {
		this.sources.set(status.label, status);
	}
}
