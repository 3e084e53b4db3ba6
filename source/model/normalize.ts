import {alertTypes, alwaysPresent, canonicalName, knownFields, logTypes, type FieldKind} from './fields.js';
import type {EventFields, EventKind, MonitorEvent} from './event.js';

/** An event before the store gives it a sequence number. */
export type NormalizedEvent = Omit<MonitorEvent, 'seq'>;

/**
 * Turn one parsed JSON value from any dialect (PascalCase, the daemon's camelCase, AccuKnox's nulls and
 * empty strings, numeric Severity, string Timestamp, the sidekick envelope) into karmor's PascalCase shape.
 * Unknown fields are kept untouched. Returns a reason string when the value is not an event at all.
 */
export function normalize(raw: unknown, source: string, receivedAt: number): NormalizedEvent | string {
	if (!isPlainObject(raw)) return describeNonObject(raw);

	let input = raw;
	let kindHint: EventKind | undefined;
	// kubearmor/sidekick wraps the event: {Timestamp, UpdatedTime, ..., EventType, Detail: {...}}
	if (isPlainObject(raw['Detail']) && typeof raw['EventType'] === 'string') {
		const {Detail, EventType, ...envelope} = raw;
		input = {...envelope, ...(Detail as Record<string, unknown>)};
		kindHint = EventType.toLowerCase() === 'log' ? 'log' : 'alert';
	}

	const fields: EventFields = {};
	for (const key in input) {
		const value = input[key];
		const name = canonicalName.get(key) ?? canonicalName.get(key.toLowerCase());
		if (name === undefined) {
			fields[key] = value;
			continue;
		}

		const clean = cleanValue(knownFields[name], value);
		if (clean !== undefined) fields[name] = clean;
		else if (alwaysPresent.has(name) && value === null) fields[name] = 0;
	}

	if (Object.keys(fields).length === 0) return 'an empty object, not an event';

	const type = typeof fields['Type'] === 'string' ? (fields['Type'] as string) : '';
	const kind: EventKind =
		kindHint ??
		(alertTypes.has(type)
			? 'alert'
			: logTypes.has(type)
				? 'log'
				: fields['PolicyName'] !== undefined || fields['Action'] !== undefined
					? 'alert'
					: 'log');

	return {kind, time: eventTime(fields, receivedAt), severity: parseSeverity(fields['Severity']), source, fields};
}

function cleanValue(kind: FieldKind | undefined, value: unknown): unknown {
	if (value === null || value === undefined || value === '') return undefined;
	switch (kind) {
		case 'int':
		case 'int64': {
			if (typeof value === 'number') return value;
			if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value.trim());
			return value;
		}

		case 'string': {
			return typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
		}

		case 'tags': {
			if (Array.isArray(value)) return value.length > 0 ? value : undefined;
			return value;
		}

		case 'owner': {
			return cleanObject(value, {ref: 'Ref', name: 'Name', namespace: 'Namespace'});
		}

		case 'exec': {
			return cleanObject(value, {execid: 'ExecID', executablename: 'ExecutableName'});
		}

		case 'map': {
			return isPlainObject(value) && Object.keys(value).length === 0 ? undefined : value;
		}

		default: {
			return value;
		}
	}
}

/** Owner and ExecEvent: canonical sub-keys, empty parts dropped, the whole dropped when nothing is left. */
function cleanObject(value: unknown, names: Record<string, string>): unknown {
	if (!isPlainObject(value)) return value;
	const result: Record<string, unknown> = {};
	let kept = 0;
	for (const key in value) {
		const part = value[key];
		if (part === null || part === undefined || part === '') continue;
		result[names[key.toLowerCase()] ?? key] = part;
		kept++;
	}

	return kept > 0 ? result : undefined;
}

function eventTime(fields: EventFields, receivedAt: number): number {
	const updated = fields['UpdatedTime'];
	if (typeof updated === 'string') {
		const ms = Date.parse(updated);
		if (!Number.isNaN(ms)) return ms;
	}

	const seconds = fields['Timestamp'];
	if (typeof seconds === 'number' && seconds > 0) return seconds * 1000;
	return receivedAt;
}

export function parseSeverity(value: unknown): number {
	const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
	return Number.isInteger(n) && n >= 1 && n <= 10 ? n : 0;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeNonObject(value: unknown): string {
	if (Array.isArray(value)) return 'a JSON array, not an event object';
	if (value === null) return 'JSON null, not an event object';
	return `a JSON ${typeof value}, not an event object`;
}
