import {maxRawChars, type MonitorEvent} from '../model/event.js';
import {normalize, type NormalizeReport} from '../model/normalize.js';
import type {EventStore} from '../store/event-store.js';
import type {FeedSink, SourceStatus} from './feed.js';
import {ownLine, type LineSafety} from './line-splitter.js';
import {oversizedText, preview} from './message-text.js';

export type IngestOptions = {
	/**
	 * Called for every stored event, in order (line mode prints from here). `text` is the line it was parsed from
	 * when its fields are exactly what that line holds (karmor's shape, nothing cleaned): --json prints it as is.
	 * `known`: what is known of the characters of the line it came from (see LineSafety).
	 */
	onEvent?: (event: MonitorEvent, text: string | undefined, known: LineSafety) => void;
	/** Called for every rejected piece of input (line mode reports it on stderr). */
	onMalformed?: (message: string) => void;
	/** Called for every source status, with the one it replaces (line mode reports some on stderr). */
	onStatus?: (status: SourceStatus, previous: SourceStatus | undefined) => void;
	/** Stop after this many events. */
	limit?: number;
	/** False: events never keep the line they came from (MonitorEvent.raw); line mode keeps no events. */
	keepRaw?: boolean;
	onLimit?: () => void;
};

/** What Ingest needs of a store: line mode gives one that keeps nothing (source/line/line-store.ts). */
export type IngestStore = Pick<EventStore, 'add' | 'now' | 'sources' | 'setSource' | 'noteMalformed' | 'noteOversized'> & {
	readonly counters: {readonly events: number};
};

/** The pipeline every feed delivers into: parse -> normalize -> store (which counts). */
export class Ingest implements FeedSink {
	private readonly limit: number;
	private readonly keepRaw: boolean;
	private stopped = false;
	private readonly report: NormalizeReport = {verbatim: false};

	constructor(
		private readonly store: IngestStore,
		private readonly options: IngestOptions = {},
	) {
		this.limit = options.limit ?? Number.POSITIVE_INFINITY;
		this.keepRaw = options.keepRaw ?? true;
	}

	/** Nothing more is taken: the limit was reached, or stop() was called. */
	get full(): boolean {
		return this.stopped || this.store.counters.events >= this.limit;
	}

	/**
	 * Take nothing more. What feeds still deliver (the rest of a chunk read before they stopped, the line cut off
	 * where they stopped) was never meant to be read: it is neither stored nor reported as malformed.
	 */
	stop(): void {
		this.stopped = true;
	}

	line(text: string, source: string, known: LineSafety = 'unknown'): void {
		if (this.full) return;
		let value: unknown;
		try {
			value = JSON.parse(text);
		} catch {
			this.malformed(`not JSON: ${preview(text)}`, source);
			return;
		}

		this.take(value, source, text, known);
	}

	value(value: unknown, source: string): void {
		if (this.full) return;
		this.take(value, source, undefined, 'unknown');
	}

	malformed(reason: string, source: string): void {
		if (this.full) return;
		this.store.noteMalformed(reason, source);
		this.options.onMalformed?.(`${source}: ${reason}`);
	}

	oversized(bytes: number, limit: number, source: string): void {
		if (this.full) return;
		const reason = oversizedText(bytes, limit);
		this.store.noteOversized(reason, source);
		this.options.onMalformed?.(`${source}: ${reason}`);
	}

	private take(value: unknown, source: string, text: string | undefined, known: LineSafety): void {
		const report = this.report;
		const normalized = normalize(value, source, this.store.now(), report);
		if (typeof normalized === 'string') {
			this.malformed(normalized, source);
			return;
		}

		// The line as read, for the raw view (short lines only; the store lets go of it past its window), unless
		// the fields are that line as it stands.
		if (text !== undefined && report.verbatim) normalized.verbatim = true;
		else if (text !== undefined && text.length <= maxRawChars && this.keepRaw) normalized.raw = ownLine(text);
		const event = this.store.add(normalized, text);
		this.options.onEvent?.(event, report.verbatim ? text : undefined, known);
		if (this.full) this.options.onLimit?.();
	}

	status(status: SourceStatus): void {
		const previous = this.store.sources.get(status.label);
		this.store.setSource(status);
		this.options.onStatus?.(status, previous);
	}
}

/** The start of a rejected line, for the message (sanitized later, where it is drawn). */
