import {severityBand, type MonitorEvent, type SeverityBand} from '../model/event.js';
import {codeWidth, countedFields, flagAlert, flagSeverity, ValueBook} from './event-ring.js';

export type Tally = Map<string, number>;

/** Everything seen since start, whether or not it is still retained. */
export class Counters {
	events = 0;
	alerts = 0;
	logs = 0;
	malformed = 0;
	/** Lines skipped for being longer than the line limit (also counted in malformed). */
	oversized = 0;
	/** Index 1..10: events with that Severity; index 0: events without one. */
	readonly severity: number[] = new Array<number>(11).fill(0);
	/** Per counted field, events by value code (see ValueBook). */
	private readonly byCode: number[][] = countedFields.map(() => [0]);
	private readonly tallies: Array<{version: number; tally: Tally} | undefined> = [];
	/** The last top() per field: the clock redraws an idle screen every second. */
	private readonly tops: Array<{version: number; limit: number; top: Array<[string, number]>} | undefined> = [];
	private version = 0;
	private readonly scratch = new Int32Array(codeWidth);

	/** Counters of one store share its book, so their codes mean the same values. */
	constructor(readonly book = new ValueBook()) {}

	/** Count an event by reading its fields. */
	add(event: MonitorEvent): void {
		this.book.encode(event, this.scratch, 0);
		this.addCoded(this.scratch, 0);
	}

	/** Count an event from its flags and codes (as EventRing keeps them), without touching the event. */
	addCoded(codes: Int32Array, at: number): void {
		this.events++;
		const flags = codes[at]!;
		if (flagAlert(flags)) this.alerts++;
		else this.logs++;
		const severity = flagSeverity(flags);
		this.severity[severity]++;
		for (let field = 0; field < countedFields.length; field++) {
			const code = codes[at + 1 + field]!;
			if (code === 0) continue;
			const counts = this.byCode[field]!;
			while (counts.length <= code) counts.push(0);
			counts[code]++;
		}

		this.version++;
	}

	/** Events by severity band, summed from `severity` when read (the header, once a frame), not per event. */
	get bands(): Record<SeverityBand, number> {
		const bands: Record<SeverityBand, number> = {crit: 0, high: 0, med: 0, low: 0, none: 0};
		for (let level = 0; level < this.severity.length; level++) bands[severityBand(level)] += this.severity[level]!;
		return bands;
	}

	/**
	 * The `limit` most frequent values of a counted field, in ranked() order, read straight from the counts: the
	 * header draws these every frame, and ranking every value there was (hostile input can bring 100,000 distinct
	 * Operations) cost a third of a second per frame.
	 */
	top(field: CountedName, limit: number): Array<[string, number]> {
		const index = countedNames.indexOf(field);
		const cached = this.tops[index];
		if (cached?.version === this.version && cached.limit === limit) return cached.top;
		const counts = this.byCode[index]!;
		const best: Array<[string, number]> = [];
		for (let code = 1; code < counts.length; code++) {
			const count = counts[code]!;
			if (count === 0) continue;
			const last = best.at(-1);
			if (best.length >= limit && last !== undefined && count < last[1]) continue;
			const entry: [string, number] = [this.book.value(index, code), count];
			let at = best.length;
			while (at > 0 && rankedOrder(entry, best[at - 1]!) < 0) at--;
			if (at >= limit) continue;
			best.splice(at, 0, entry);
			if (best.length > limit) best.pop();
		}

		this.tops[index] = {version: this.version, limit, top: best};
		return best;
	}

	/** How many events had `value` in a counted field (0 for a value never seen). */
	countOf(field: CountedName, value: string): number {
		const index = countedNames.indexOf(field);
		return this.byCode[index]![this.book.codeOf(index, value)] ?? 0;
	}

	get operation(): Tally {
		return this.tally(0);
	}

	get action(): Tally {
		return this.tally(1);
	}

	get namespace(): Tally {
		return this.tally(2);
	}

	get policy(): Tally {
		return this.tally(3);
	}

	/** The `--summary` object. Keys appear only for events that have the field; severity keys are "1".."10". */
	summary(): Record<string, unknown> {
		const severity: Record<string, number> = {};
		for (let level = 1; level <= 10; level++) {
			if (this.severity[level] > 0) severity[String(level)] = this.severity[level];
		}

		return {
			events: this.events,
			alerts: this.alerts,
			logs: this.logs,
			malformed: this.malformed,
			severity,
			operation: Object.fromEntries(this.operation),
			action: Object.fromEntries(this.action),
			namespace: Object.fromEntries(this.namespace),
			policy: Object.fromEntries(this.policy),
		};
	}

	/** A field's counts by value, in the order the values were first seen; rebuilt only after a change. */
	private tally(field: number): Tally {
		const cached = this.tallies[field];
		if (cached?.version === this.version) return cached.tally;
		const tally: Tally = new Map();
		const counts = this.byCode[field]!;
		for (let code = 1; code < counts.length; code++) {
			if (counts[code]! > 0) tally.set(this.book.value(field, code), counts[code]!);
		}

		this.tallies[field] = {version: this.version, tally};
		return tally;
	}
}

/** The counted fields by the names the summary and the header use, in the order of countedFields. */
const countedNames = ['operation', 'action', 'namespace', 'policy'] as const;
export type CountedName = (typeof countedNames)[number];

const collator = new Intl.Collator();

/** Largest count first; equal counts by value, as people sort words. */
function rankedOrder(a: readonly [string, number], b: readonly [string, number]): number {
	return b[1] - a[1] || collator.compare(a[0], b[0]);
}

/** Tally entries, largest first. */
export function ranked(tally: Tally): Array<[string, number]> {
	return [...tally].sort(rankedOrder);
}
