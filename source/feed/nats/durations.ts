// `--since 15m|2h|ISO-TIME` and `--max-age 24h`: read by the command line, so nothing here loads a client.

import {sanitize} from '../../model/sanitize.js';

const units: Record<string, number> = {s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000};

/** "90s", "15m", "2h", "1h30m", "7d" -> ms; undefined when it is not a duration. */
export function parseDuration(text: string): number | undefined {
	const trimmed = text.trim().toLowerCase();
	if (!/^(\d+(\.\d+)?[smhdw])+$/.test(trimmed)) return undefined;
	let total = 0;
	for (const [, amount, unit] of trimmed.matchAll(/(\d+(?:\.\d+)?)([smhdw])/g)) total += Number(amount) * units[unit!]!;
	return total > 0 && Number.isFinite(total) ? Math.round(total) : undefined;
}

/** `--since`: a duration back from now, or an ISO date-time (a bare date is midnight, local time). */
export function parseSince(text: string, now = Date.now()): {since: number} | {error: string} {
	const duration = parseDuration(text);
	if (duration !== undefined) return {since: now - duration};
	const trimmed = text.trim();
	if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.test(trimmed)) {
		// Date.parse reads a bare date as UTC but a date-time without a zone as local time: make both local.
		const time = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(trimmed) ? `${trimmed}T00:00` : trimmed.replace(' ', 'T'));
		if (Number.isFinite(time)) {
			if (time > now) return {error: `--since ${sanitize(trimmed)} is in the future`};
			return {since: time};
		}
	}

	return {error: `--since needs a duration like 15m, 2h or 1d, or a time like 2024-05-01T10:00Z, got "${sanitize(trimmed)}"`};
}
