import type {MonitorEvent} from '../model/event.js';
import type {NormalizedEvent} from '../model/normalize.js';
import type {SourceStatus} from '../feed/feed.js';
import {Counters} from './counters.js';
import {EventView, type EventPredicate} from './event-view.js';
import type {GroupField} from './group-fields.js';
import {GroupTable} from './groups.js';
import {RateHistory} from './rate-history.js';
import {SearchMatches} from './search-matches.js';
import {EventRing} from './event-ring.js';
import {ThrottleTracker} from './throttle-tracker.js';
import {eventOverheadBytes, fieldBytes, StringShare, stringBytes} from './compact-event.js';
import {capNotice} from './memory-bound.js';
import {recentLineCount, recentLines} from './recent-lines.js';
import {Vocabulary} from '../query/vocabulary.js';

export type StoreOptions = {
	/** Events retained; older ones are dropped (counters keep counting). */
	maxEvents: number;
	/** The --max-alerts asked for, when maxEvents is less because of the memory bound (see memory-bound.ts). */
	askedEvents?: number;
	/** Heap bytes the retained events may hold (the estimate of compact-event.ts); oldest dropped past it. */
	maxBytes?: number;
	/** Groups kept at most (least recently seen dropped first). */
	maxGroups?: number;
	/** Listeners hear about changes at most this often, so React never sees one update per event. */
	notifyIntervalMs?: number;
	now?: () => number;
};

/**
 * Events that keep the line they were read from (see MonitorEvent.raw), the newest this many: the same window as a
 * large store's off-heap lines.
 */
export const rawWindow = recentLineCount;

/**
 * Stores that may retain more than this many events hold them compactly: repeated strings shared
 * (compact-event.ts, and the smaller event objects of event-ring.ts: 1,130 -> ~420 B of heap per event) and the recent raw lines off the heap (recent-lines.ts).
 * Sharing costs about half a JSON.parse per event, so smaller stores (the default 50,000, line mode's 1, serve's
 * 1024), whose events take little memory anyway, keep the faster path.
 */
export const compactAbove = 100_000;

/** All monitor state outside React: retained events, counters, rate, throttles, source states, the view. */
export class EventStore {
	readonly events: EventRing;
	readonly counters: Counters;
	readonly rate = new RateHistory(60);
	readonly throttles = new ThrottleTracker();
	readonly sources = new Map<string, SourceStatus>();
	view: EventView;
	/** While grouping: the groups of the view's matches, kept live. */
	groups: GroupTable | undefined;
	/** While searching (f): the view's events that match the search, kept as events arrive. */
	search: SearchMatches | undefined;
	readonly maxGroups: number;
	readonly maxBytes: number;
	private readonly askedEvents: number | undefined;
	/** Events let go of before --max-alerts was reached, because the retained ones held maxBytes. */
	droppedForBytes = 0;
	/** The most recent reason a piece of input was rejected, for the footer. */
	lastProblem: string | undefined;
	readonly now: () => number;
	readonly startedAt: number;
	private version = 0;
	private readonly listeners = new Set<() => void>();
	private readonly notifyIntervalMs: number;
	private timer: NodeJS.Timeout | undefined;
	private lastNotify = 0;
	private readonly share: StringShare | undefined;
	/** Whether events' bytes are counted: there is a bound, or counting comes free with sharing. */
	private readonly measure: boolean;
	private index: Vocabulary | undefined;
	/** By seq % rawWindow: 1 when that event was stored with its raw line. */
	private readonly keepsRaw = new Uint8Array(rawWindow);

	constructor(options: StoreOptions) {
		this.maxGroups = options.maxGroups ?? 10_000;
		this.maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
		this.askedEvents = options.askedEvents;
		// Capped by the memory bound: memory is what is short, so hold them compactly whatever their number.
		const capped = (options.askedEvents ?? 0) > options.maxEvents;
		// The tables take at most an eighth of the bound (they count against it).
		if (options.maxEvents > compactAbove || capped) this.share = new StringShare(Math.min(32 * 1024 * 1024, this.maxBytes / 8));
		this.events = new EventRing(options.maxEvents, this.share !== undefined);
		this.counters = new Counters(this.events.book);
		this.view = new EventView(this.events);
		this.measure = this.share !== undefined || Number.isFinite(this.maxBytes);
		this.notifyIntervalMs = options.notifyIntervalMs ?? 100;
		this.now = options.now ?? Date.now;
		this.startedAt = this.now();
	}

	/** The query module's knowledge of the retained events (terms, packed chunks), made when first asked for. */
	get vocabulary(): Vocabulary {
		this.index ??= new Vocabulary({source: this.events});
		return this.index;
	}

	/**
	 * Store an event; `line` is the text it was parsed from, if any, which tells cheaply how much heap the event
	 * holds (about its length: JSON.parse copies every value).
	 */
	add(normalized: NormalizedEvent, line?: string): MonitorEvent {
		const full = normalized as MonitorEvent;
		let bytes = 0;
		if (this.share) {
			bytes = this.share.compact(full.fields);
		} else if (this.measure) {
			bytes = line === undefined ? fieldBytes(full.fields) : eventOverheadBytes + stringBytes(line);
			if (full.raw !== undefined) bytes += stringBytes(full.raw);
		}

		// A compact store keeps a smaller object in place of `full` (see EventRing).
		const event = this.events.adopt(full, bytes);
		if (this.share && full.raw !== undefined) recentLines.keep(event, full.raw);

		// The raw text is for looking at recent events: only the newest rawWindow keep it, so it costs a bounded
		// few MB (every retained event keeping it doubled the heap per event, 1.0 -> 1.9 KB). Which ones keep it is
		// noted here, so the event rawWindow back is read only when it does: reading it was a cache miss per event.
		const window = event.seq % rawWindow;
		if (this.keepsRaw[window] === 1) {
			const older = this.events.get(event.seq - rawWindow);
			if (older?.raw !== undefined) {
				if (this.measure) this.events.shrink(older.seq, stringBytes(older.raw));
				older.raw = undefined;
			}
		}

		this.keepsRaw[window] = event.raw === undefined ? 0 : 1;

		// The newest always stays, however large: the screen shows what just came. (Unmeasured: no bound.)
		while (this.measure && this.events.bytes + (this.share?.bytes ?? 0) > this.maxBytes && this.events.size > 1) {
			this.events.dropOldest();
			this.droppedForBytes++;
		}

		this.counters.addCoded(this.events.codes, this.events.codesAt(event.seq));
		this.rate.record(event.receivedAt);
		this.throttles.add(event);
		if (this.view.add(event)) {
			this.groups?.add(event);
			this.search?.add(event);
		}

		this.changed();
		return event;
	}

	/**
	 * While the memory bound keeps fewer events than --max-alerts asked (events were let go of for bytes, or the
	 * count was capped at start and is reached): the footer's notice, else undefined.
	 */
	memoryNotice(): string | undefined {
		const asked = this.askedEvents ?? this.events.capacity;
		const capped = asked > this.events.capacity && this.events.newestSeq > this.events.capacity;
		if (this.droppedForBytes === 0 && !capped) return undefined;
		return capNotice(this.events.size, asked, this.maxBytes);
	}

	noteMalformed(reason: string, source: string): void {
		this.counters.malformed++;
		this.lastProblem = `${source}: ${reason}`;
		this.changed();
	}

	noteOversized(reason: string, source: string): void {
		this.counters.oversized++;
		this.noteMalformed(reason, source);
	}

	setSource(status: SourceStatus): void {
		this.sources.set(status.label, status);
		this.changed();
	}

	/** Replace the list's filter: one scan of the retained events, then new events are tested as they come. */
	setFilter(predicate: EventPredicate | undefined): void {
		this.view = new EventView(this.events, predicate);
		if (this.groups) this.setGrouping(this.groups.fields);
		if (this.search) this.setSearch(this.search.query, this.search.predicate);
		this.changed();
	}

	/** Find these among the view's events (one scan, then live), without hiding the others; undefined: stop. */
	setSearch(query: string, predicate: EventPredicate | undefined): void {
		this.search = predicate ? new SearchMatches(query, predicate, this.view) : undefined;
		this.changed();
	}

	/** The search's matches among what is still retained. */
	searchMatches(): SearchMatches | undefined {
		this.search?.prune(this.events.oldestSeq);
		return this.search;
	}

	/**
	 * Group the view's matches by these fields (built once from the retained ones, from the packed columns where
	 * they exist, then live), or stop grouping.
	 */
	setGrouping(fields: readonly GroupField[] | undefined): void {
		this.groups = fields && fields.length > 0 ? GroupTable.ofRetained(fields, this.events, this.index, this.view.retainedSeqs(), this.maxGroups) : undefined;
		this.changed();
	}

	subscribe = (listener: () => void): (() => void) => {
		this.listeners.add(listener);
		return () => {
			this.listeners.delete(listener);
		};
	};

	/** Changes on every update; React reads it through useSyncExternalStore. */
	getVersion = (): number => this.version;

	/** Stop the pending notification timer (on exit). */
	close(): void {
		clearTimeout(this.timer);
		this.timer = undefined;
	}

	private changed(): void {
		this.version++;
		// Schedule even with no listener yet: React may subscribe in between, and must still hear of it.
		if (this.timer !== undefined) return;
		const wait = Math.max(0, this.lastNotify + this.notifyIntervalMs - this.now());
		this.timer = setTimeout(this.notify, wait);
	}

	private readonly notify = (): void => {
		this.timer = undefined;
		this.lastNotify = this.now();
		for (const listener of this.listeners) listener();
	};
}
