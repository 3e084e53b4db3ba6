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
	/** Index 1..10: events with that Severity. */
	readonly severity: number[] = new Array<number>(11).fill(0);
	readonly bands: Record<SeverityBand, number> = {crit: 0, high: 0, med: 0, low: 0, none: 0};
	/** Per counted field, events by value code (see ValueBook). */
	private readonly byCode: number[][] = countedFields.map(() => [0]);
	private readonly tallies: Array<{version: number; tally: Tally} | undefined> = [];
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
		this.bands[severityBand(severity)]++;
		for (let field = 0; field < countedFields.length; field++) {
			const code = codes[at + 1 + field]!;
			if (code === 0) continue;
			const counts = this.byCode[field]!;
			while (counts.length <= code) counts.push(0);
			counts[code]++;
		}

		this.version++;
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

/** Tally entries, largest first. */
export function ranked(tally: Tally): Array<[string, number]> {
	return [...tally].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}
