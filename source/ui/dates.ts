import {eventTime, hasOwnTime, type MonitorEvent} from '../model/event.js';

// How times read on the screen, in local time (set TZ for another zone). Line mode writes UTC (isoTime).

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** What `ls -l` calls recent: the last half of an average Gregorian year. */
const halfYearMs = 15_778_476_000;

/** Two digits: 7 -> '07'. */
export function pad2(n: number): string {
	return n < 10 ? `0${n}` : String(n);
}

/** HH:MM of a valid date, local time. */
function hoursMinutes(date: Date): string {
	return `${pad2(date.getHours())}:${pad2(date.getMinutes())}`;
}

/** HH:MM:SS of a valid date, local time. */
function clockOf(date: Date): string {
	return `${hoursMinutes(date)}:${pad2(date.getSeconds())}`;
}

/** HH:MM:SS in local time (set TZ for another zone). */
export function clockTime(ms: number): string {
	const date = new Date(ms);
	// Beyond what a date holds (a throttle "until" 1e300 seconds away): no NaN:NaN:NaN on the screen.
	if (Number.isNaN(date.getTime())) return '--:--:--';
	return clockOf(date);
}

/** Local midnight starting the day `ms` falls in; NaN beyond what a Date holds. */
export function localDayStart(ms: number): number {
	const date = new Date(ms);
	if (Number.isNaN(date.getTime())) return Number.NaN;
	date.setHours(0, 0, 0, 0);
	return date.getTime();
}

/** Columns of the list's time: HH:MM:SS when every row shown is from today, room for a date otherwise. */
export const timeColumns = {today: 8, dated: 12} as const;

/** Whether the list must show this event's date: it has a time of its own and it is not from `today`. */
export function needsDate(event: MonitorEvent, today: number): boolean {
	return hasOwnTime(event) && localDayStart(eventTime(event)) !== today;
}

/**
 * The list's time column for an event, `today` being localDayStart of now. Today's events read HH:MM:SS; other
 * days as `ls -l` writes them ("Mar  4 21:42" within the last half year, "Mar  4  2025" otherwise), so a file
 * of last year's events does not look like today's. `dated` (some row shown needs a date) right-aligns today's
 * times under the dates; `short` is for a column of 8, where other days keep their date alone ("Mar  4",
 * "Mar 2025"). An event without a time of its own reads "no time": its arrival is not when it happened.
 */
export function listTime(event: MonitorEvent, today: number, dated: boolean, short = false): string {
	if (!hasOwnTime(event)) return 'no time';
	const ms = eventTime(event);
	const date = new Date(ms);
	if (Number.isNaN(date.getTime())) return 'no time';
	if (localDayStart(ms) === today) return `${dated && !short ? '    ' : ''}${clockOf(date)}`;
	const month = months[date.getMonth()];
	const day = `${month} ${String(date.getDate()).padStart(2)}`;
	const recent = ms < today && ms >= today - halfYearMs;
	if (short) return recent ? day : `${month} ${date.getFullYear()}`;
	return recent ? `${day} ${hoursMinutes(date)}` : `${day}  ${date.getFullYear()}`;
}

/** "2023-10-03 08:01:42.373 +02:00": local date and time with its offset from UTC, for the detail pane. */
export function localDateTime(ms: number): string {
	const date = new Date(ms);
	if (Number.isNaN(date.getTime())) return 'beyond what a date can hold';
	const offset = -date.getTimezoneOffset();
	const sign = offset < 0 ? '-' : '+';
	const zone = `${sign}${pad2(Math.floor(Math.abs(offset) / 60))}:${pad2(Math.abs(offset) % 60)}`;
	const day = `${date.getFullYear()}-${pad2(date.getMonth() + 1)}-${pad2(date.getDate())}`;
	return `${day} ${clockOf(date)}.${String(date.getMilliseconds()).padStart(3, '0')} ${zone}`;
}
