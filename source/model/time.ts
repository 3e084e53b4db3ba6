import type {EventFields} from './event.js';

const maxDateMs = 8.64e15;

/** The time an event carries, in ms: UpdatedTime when it parses, else Timestamp (seconds); NaN when it has none. */
export function ownTimeOf(fields: EventFields): number {
	const updated = fields['UpdatedTime'];
	if (typeof updated === 'string') {
		const ms = parseUtc(updated);
		if (!Number.isNaN(ms)) return ms;
	}

	// A Timestamp past what a Date can hold (1e17 from a broken producer) would make every clock throw.
	const seconds = fields['Timestamp'];
	if (typeof seconds === 'number' && seconds > 0 && seconds * 1000 <= maxDateMs) return seconds * 1000;
	return Number.NaN;
}

/** Event time in ms: its own (see ownTimeOf), else when the event arrived. */
export function timeOf(fields: EventFields, receivedAt: number): number {
	const own = ownTimeOf(fields);
	return Number.isNaN(own) ? receivedAt : own;
}

/** `count` ASCII digits at `from` as a number, or -1 when any of them is not a digit. */
function digitsAt(text: string, from: number, count: number): number {
	let n = 0;
	for (let i = from; i < from + count; i++) {
		const d = text.charCodeAt(i) - 48;
		if (d < 0 || d > 9) return -1;
		n = n * 10 + d;
	}

	return n;
}

/**
 * Date.parse, with a fast path for KubeArmor's UpdatedTime (`2023-06-27T12:21:47.932526Z`: UTC, any number of
 * fraction digits, of which milliseconds are kept as Date.parse keeps them). Anything else, or any field out
 * of its usual range, goes to Date.parse itself, so the result is always Date.parse's.
 */
export function parseUtc(text: string): number {
	const length = text.length;
	if (
		length < 20 ||
		text.charCodeAt(length - 1) !== 90 || // Z
		text.charCodeAt(4) !== 45 ||
		text.charCodeAt(7) !== 45 ||
		text.charCodeAt(10) !== 84 || // T
		text.charCodeAt(13) !== 58 ||
		text.charCodeAt(16) !== 58
	) {
		return Date.parse(text);
	}

	const year = digitsAt(text, 0, 4);
	const month = digitsAt(text, 5, 2);
	const day = digitsAt(text, 8, 2);
	const hour = digitsAt(text, 11, 2);
	const minute = digitsAt(text, 14, 2);
	const second = digitsAt(text, 17, 2);
	let ms = 0;
	if (length > 20) {
		// ".f…fZ": 1 to 9 fraction digits; the first three are the milliseconds.
		const fraction = length - 21;
		const valid = text.charCodeAt(19) === 46 && fraction >= 1 && fraction <= 9 && digitsAt(text, 20, fraction) >= 0;
		if (!valid) return Date.parse(text);
		ms = digitsAt(text, 20, Math.min(3, fraction)) * (fraction === 1 ? 100 : fraction === 2 ? 10 : 1);
	}

	const inRange = year >= 1970 && month >= 1 && month <= 12 && day >= 1 && day <= 28;
	if (!inRange || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
		return Date.parse(text);
	}

	return (((daysFromCivil(year, month, day) * 24 + hour) * 60 + minute) * 60 + second) * 1000 + ms;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`); Date.UTC is slower. */
function daysFromCivil(year: number, month: number, day: number): number {
	const y = month <= 2 ? year - 1 : year;
	const era = Math.floor(y / 400);
	const yearOfEra = y - era * 400;
	const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
	const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
	return era * 146_097 + dayOfEra - 719_468;
}
