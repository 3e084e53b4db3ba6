import {ownTimeOf, timeOf} from './time.js';

/** A KubeArmor event in karmor's PascalCase shape: known fields normalized, unknown fields kept as they came. */
export type EventFields = Record<string, unknown>;

export type EventKind = 'alert' | 'log';

/** One event as the monitor holds it. `fields` is exactly what `--json` prints. */
export type MonitorEvent = {
	/** Arrival order, from 1; unique within a run. */
	seq: number;
	kind: EventKind;
	/** Event time in ms since the epoch once eventTime() has worked it out; NaN until then. Read it with eventTime. */
	time: number;
	/** 1..10, or 0 when the event has no usable Severity (logs, "" in AccuKnox data). */
	severity: number;
	/** Label of the feed that delivered it (stdin, a file name, a URL). */
	source: string;
	/** When it arrived (ms since the epoch): its time when it carries none. */
	receivedAt: number;
	fields: EventFields;
	/**
	 * The line exactly as it was read, for the detail pane's raw view; only for lines up to `maxRawBytes` (the
	 * retained window then holds at most that much more per event). Parsed messages (demo, gRPC) have none, and
	 * neither have events whose fields are the line's JSON as it stands (`verbatim`).
	 */
	raw?: string;
	/**
	 * The fields are exactly what the line held (karmor's shape, nothing cleaned or renamed): shown as JSON, they
	 * are the line as read, so it is not kept. Keeping every such line alive made ingest 10-15% slower (the GC
	 * copied the young chunks of text they were cut from).
	 */
	verbatim?: boolean;
};

/** Lines longer than this are not kept as read (the raw view then shows the fields as normalized). */
export const maxRawChars = 4096;

/**
 * Event time in milliseconds since the epoch: UpdatedTime when present, else Timestamp, else arrival. Parsed on
 * first use and kept: at thousands of events a second most are never drawn or printed.
 */
export function eventTime(event: Pick<MonitorEvent, 'time' | 'fields' | 'receivedAt'>): number {
	if (Number.isNaN(event.time)) event.time = timeOf(event.fields, event.receivedAt);
	return event.time;
}

/**
 * Whether the event carries a time of its own. When it does not, eventTime is only its arrival, and the screen
 * and line mode must say so rather than pass that off as when it happened.
 */
export function hasOwnTime(event: Pick<MonitorEvent, 'time' | 'fields' | 'receivedAt'>): boolean {
	// Cheap for nearly every event: a time that differs from the arrival came from the event itself.
	return eventTime(event) !== event.receivedAt || !Number.isNaN(ownTimeOf(event.fields));
}

export type SeverityBand = 'crit' | 'high' | 'med' | 'low' | 'none';

export const severityBands: readonly SeverityBand[] = ['crit', 'high', 'med', 'low'];

export function severityBand(severity: number): SeverityBand {
	if (severity >= 9) return 'crit';
	if (severity >= 7) return 'high';
	if (severity >= 4) return 'med';
	if (severity >= 1) return 'low';
	return 'none';
}

/** A field's value as text: a string as it is, a number written out, anything else ''. */
export function valueText(value: unknown): string {
	if (typeof value === 'string') return value;
	if (typeof value === 'number') return String(value);
	return '';
}

/** A string field, or '' when absent or not a string. */
export function text(event: MonitorEvent, name: string): string {
	return valueText(event.fields[name]);
}

/** `namespace/pod`, or the host name for host events. */
export function workload(event: MonitorEvent): string {
	const ns = text(event, 'NamespaceName');
	const pod = text(event, 'PodName');
	if (ns || pod) return `${ns}/${pod}`;
	return text(event, 'HostName');
}

/** The identity KubeArmor throttles by: one container. */
export function containerKey(event: MonitorEvent): string {
	const ns = text(event, 'NamespaceName');
	const pod = text(event, 'PodName');
	const container = text(event, 'ContainerName');
	if (!ns && !pod) return text(event, 'HostName') || container || text(event, 'ContainerID') || '?';
	return container ? `${ns}/${pod}/${container}` : `${ns}/${pod}`;
}
