import {severityBand, type MonitorEvent, type SeverityBand} from '../model/event.js';

export type Tally = Map<string, number>;

function bump(tally: Tally, key: unknown): void {
	if (typeof key !== 'string' || key === '') return;
	tally.set(key, (tally.get(key) ?? 0) + 1);
}

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
	readonly operation: Tally = new Map();
	readonly action: Tally = new Map();
	readonly namespace: Tally = new Map();
	readonly policy: Tally = new Map();

	add(event: MonitorEvent): void {
		this.events++;
		if (event.kind === 'alert') this.alerts++;
		else this.logs++;
		this.severity[event.severity]++;
		this.bands[severityBand(event.severity)]++;
		const {fields} = event;
		bump(this.operation, fields['Operation']);
		bump(this.action, fields['Action']);
		bump(this.namespace, fields['NamespaceName']);
		bump(this.policy, fields['PolicyName']);
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
}

/** Tally entries, largest first. */
export function ranked(tally: Tally): Array<[string, number]> {
	return [...tally].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}
