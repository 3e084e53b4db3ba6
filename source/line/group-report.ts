import {jsonLine} from '../model/sanitize.js';
import type {Group, GroupTable} from '../store/groups.js';

/** A time for the report: ISO 8601 in UTC, or null where no date can hold it. */
function isoTime(ms: number): string | null {
	return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : null;
}

/** One group as line mode prints it: the key's fields under their KubeArmor names, null where events lack one. */
export function groupRecord(table: GroupTable, group: Group): Record<string, unknown> {
	const key: Record<string, string | null> = {};
	for (const [index, field] of table.fields.entries()) key[field.label] = group.values[index] === '' ? null : group.values[index];
	return {count: group.count, key, first: isoTime(group.first), last: isoTime(group.last), severity: group.severity};
}

/** Every group, most frequent first, one JSON object per line. */
export function groupReport(table: GroupTable): string {
	let text = '';
	for (const group of table.sorted('count')) text += jsonLine(groupRecord(table, group)) + '\n';
	return text;
}
