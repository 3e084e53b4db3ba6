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

export type StoreOptions = {
	/** Events retained; older ones are dropped (counters keep counting). */
	maxEvents: number;
	/** Groups kept at most (least recently seen dropped first). */
	maxGroups?: number;
	/** Listeners hear about changes at most this often, so React never sees one update per event. */
	notifyIntervalMs?: number;
	now?: () => number;
};

/** Events that keep the line they were read from (see MonitorEvent.raw), the newest this many. */
export const rawWindow = 5000;

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
	/** The most recent reason a piece of input was rejected, for the footer. */
	lastProblem: string | undefined;
	readonly now: () => number;
	readonly startedAt: number;
	private version = 0;
	private readonly listeners = new Set<() => void>();
	private readonly notifyIntervalMs: number;
	private timer: NodeJS.Timeout | undefined;
	private lastNotify = 0;

	constructor(options: StoreOptions) {
		this.events = new EventRing(options.maxEvents);
		this.counters = new Counters(this.events.book);
		this.view = new EventView(this.events);
		this.maxGroups = options.maxGroups ?? 10_000;
		this.notifyIntervalMs = options.notifyIntervalMs ?? 100;
		this.now = options.now ?? Date.now;
		this.startedAt = this.now();
	}

	add(normalized: NormalizedEvent): MonitorEvent {
		const event = normalized as MonitorEvent;
		event.seq = this.events.push(event);
		// The raw text is for looking at recent events: only the newest rawWindow keep it, so it costs a bounded
		// few MB (every retained event keeping it doubled the heap per event, 1.0 -> 1.9 KB).
		const older = this.events.get(event.seq - rawWindow);
		if (older?.raw !== undefined) older.raw = undefined;
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
		this.search = predicate ? new SearchMatches(query, predicate, this.view.retained()) : undefined;
		this.changed();
	}

	/** The search's matches among what is still retained. */
	searchMatches(): SearchMatches | undefined {
		this.search?.prune(this.events.oldestSeq);
		return this.search;
	}

	/** Group the view's matches by these fields (built once from the retained ones, then live), or stop grouping. */
	setGrouping(fields: readonly GroupField[] | undefined): void {
		this.groups = fields && fields.length > 0 ? GroupTable.of(fields, this.view.retained(), this.maxGroups) : undefined;
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
