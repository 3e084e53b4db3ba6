import stringWidth from 'string-width';
import {eventTime, hasOwnTime, severityBand, text, valueText, workload, type MonitorEvent} from '../model/event.js';
import {sanitize} from '../model/sanitize.js';
import {listTime, pad2, timeColumns} from './dates.js';
import {rowWidth, type ListColumns} from './list-columns.js';

/**
 * Text whose every character takes one column and is a grapheme of its own, so its width is its length and
 * it may be cut anywhere: printable ASCII and the narrow symbols the screen draws with (· × – … › arrows, box
 * lines, blocks, ▲ ● ◆). Measuring those with string-width ran its grapheme segmenter over the whole string:
 * the group list's titles and rows (· × ▁▂▃) spent more on that than on their text.
 */
export const oneColumnText = /^[\u0020-\u007E\u00A0-\u00AC\u00AE-\u00FF\u2010-\u2027\u2030-\u205E\u2190-\u21FF\u2500-\u25FC\u25FF]*$/;
const graphemes = new Intl.Segmenter(undefined, {granularity: 'grapheme'});

/** Display columns of a (sanitized) string: CJK and emoji take two. Measures it all: see columnsUpTo. */
export function columns(value: string): number {
	return oneColumnText.test(value) ? value.length : stringWidth(value);
}

const graphemeWidths = new Map<string, number>();

/**
 * Columns of one grapheme, remembered (up to a bound, so endless distinct ones cannot grow it): text repeats a
 * small alphabet, and string-width spends microseconds on each. Wrapping a long value is mostly this.
 */
export function graphemeColumns(segment: string): number {
	let width = graphemeWidths.get(segment);
	if (width === undefined) {
		width = stringWidth(segment);
		if (graphemeWidths.size < 4096) graphemeWidths.set(segment, width);
	}

	return width;
}

/**
 * Code units looked at to fit a string into `width` columns. Text takes at most four per column (an emoji ZWJ
 * sequence: 8 for 2), so a longer string cannot fit and only its first (or last) this many are measured.
 * Why it matters: V8's grapheme segmenter, which string-width uses, slows down with the square of a string's
 * length; a 150,000-character non-ASCII Resource took 47 s to fit into a list row.
 */
function measuredLength(width: number): number {
	return 4 * width + 64;
}

/** `end`, or one less when a cut there would split a surrogate pair (a high surrogate just before it). */
function pairSafeEnd(value: string, end: number): number {
	const code = value.charCodeAt(end - 1);
	return end < value.length && code >= 0xd800 && code <= 0xdbff ? end - 1 : end;
}

/** The first `length` code units of `value`, a surrogate pair never split. */
function head(value: string, length: number): string {
	return value.length <= length ? value : value.slice(0, pairSafeEnd(value, length));
}

/** The last `length` code units of `value`, a surrogate pair never split. */
function tail(value: string, length: number): string {
	if (value.length <= length) return value;
	const code = value.charCodeAt(value.length - length);
	return value.slice(code >= 0xdc00 && code <= 0xdfff ? value.length - length + 1 : value.length - length);
}

/**
 * `value` in order as runs of plain ASCII (each character a grapheme of one column; see isRun) and single
 * graphemes of anything else, lazily. Only the rest goes to V8's segmenter, in pieces of at most `piece` code
 * units: it costs about a microsecond a grapheme, and more the longer the string it is handed (with the square
 * of the length), whether or not the caller reads to the end, and a value may be most of a 1 MiB line. The
 * last grapheme of a full piece is segmented again with the next, so one that straddles two pieces comes out
 * whole (unless it is longer than a piece).
 */
export function* textRuns(value: string, piece = 256): Generator<string> {
	const length = value.length;
	let start = 0;
	while (start < length) {
		// A printable ASCII character followed by another (or by the end) is a grapheme of its own. A run is given
		// out at most `piece` characters at a time: a caller after a few columns must not scan 1 MiB for them.
		let run = start;
		const runLimit = Math.min(length, start + piece);
		while (run < runLimit && isPrintableAsciiCode(value.charCodeAt(run)) && (run + 1 === length || isPrintableAsciiCode(value.charCodeAt(run + 1)))) {
			run++;
		}

		if (run > start) {
			yield value.slice(start, run);
			start = run;
			continue;
		}

		// Segment only up to where text is plain again: between two printable ASCII characters there is always
		// a boundary.
		let end = start + 1;
		const limit = Math.min(length, start + piece);
		while (end < limit && !(isPrintableAsciiCode(value.charCodeAt(end - 1)) && isPrintableAsciiCode(value.charCodeAt(end)))) end++;
		const boundary = end < limit || end === length;
		end = boundary ? end : pairSafeEnd(value, end);
		let last = '';
		let lastAt = start;
		for (const {segment, index} of graphemes.segment(value.slice(start, end))) {
			if (last) yield last;
			last = segment;
			lastAt = start + index;
		}

		if (boundary || lastAt === start) {
			yield last;
			start = end;
		} else {
			// The piece ended inside text that may go on: its last grapheme is segmented again with what follows.
			start = lastAt;
		}
	}
}

/**
 * Whether a piece from textRuns is a run of plain ASCII rather than one grapheme: a grapheme that starts with
 * a printable ASCII character is that character and the marks joined to it, so it cannot end with one too.
 */
export function isRun(piece: string): boolean {
	return isPrintableAsciiCode(piece.charCodeAt(0)) && isPrintableAsciiCode(piece.charCodeAt(piece.length - 1));
}

/** The graphemes of `value`, lazily (see textRuns). */
export function* graphemesOf(value: string, piece = 256): Generator<string> {
	for (const text of textRuns(value, piece)) {
		if (isRun(text)) yield* text;
		else yield text;
	}
}

/** A printable ASCII character: one column, a grapheme of its own unless a combining mark follows it. */
export function isPrintableAsciiCode(code: number): boolean {
	return code >= 0x20 && code <= 0x7e;
}

/** Graphemes looked at per piece when only a few columns are wanted: the segmenter's cost is per piece length. */
const shortPiece = 64;

/**
 * Columns of `value` when it takes at most `limit` of them; otherwise some number above `limit`. Stops once
 * past the limit and never hands the segmenter more than it must, so it is cheap however long the value is.
 */
export function columnsUpTo(value: string, limit: number): number {
	return oneColumnText.test(value) ? value.length : cutPoint(value, limit).used;
}

/**
 * How `value` sits in `width` columns: whether it `fits` (then `used` is its width), and `end`, the code units
 * that fill `width` - 1 columns (what is kept before an ellipsis), taking `endUsed` of them.
 */
function cutPoint(value: string, width: number): {fits: boolean; used: number; end: number; endUsed: number} {
	let used = 0;
	let end = 0;
	let endUsed = 0;
	for (const text of textRuns(value, shortPiece)) {
		const run = isRun(text);
		const columns = run ? text.length : graphemeColumns(text);
		// While all so far is kept: of a run as many characters as there is room for before the ellipsis, a
		// grapheme whole or not at all.
		if (endUsed === used) {
			const kept = run ? Math.max(0, Math.min(text.length, width - 1 - used)) : used + columns <= width - 1 ? text.length : 0;
			end += kept;
			endUsed += run ? kept : kept > 0 ? columns : 0;
		}

		used += columns;
		if (used > width) return {fits: false, used, end, endUsed};
	}

	return {fits: true, used, end, endUsed};
}

/**
 * At most `width` columns: cut with an ellipsis when too long (never in the middle of a wide character or a
 * grapheme), unpadded. The input must already be sanitized.
 */
export function ellipsize(value: string, width: number): string {
	if (width <= 0) return '';
	if (oneColumnText.test(value)) return value.length <= width ? value : value.slice(0, width - 1) + '…';
	const cut = cutPoint(value, width);
	return cut.fits ? value : value.slice(0, cut.end) + '…';
}

/** The first `width` - 1 columns of `value` and an ellipsis, whether or not it would have fitted. */
export function cutWithEllipsis(value: string, width: number): string {
	if (width <= 0) return '';
	if (oneColumnText.test(value)) return value.slice(0, width - 1) + '…';
	return value.slice(0, cutPoint(value, width).end) + '…';
}

/** At most `width` columns, keeping the end: an ellipsis then the tail (what was typed last stays in view). */
export function ellipsizeStart(value: string, width: number): string {
	if (width <= 0) return '';
	if (columnsUpTo(value, width) <= width) return value;
	const kept: string[] = [];
	let used = 0;
	const pieces = [...graphemes.segment(tail(value, measuredLength(width)))].map(({segment}) => segment);
	for (let index = pieces.length - 1; index >= 0; index--) {
		const w = graphemeColumns(pieces[index]);
		if (used + w > width - 1) break;
		kept.push(pieces[index]);
		used += w;
	}

	return '…' + kept.reverse().join('');
}

/** Exactly `width` columns: `ellipsize`, then padded with spaces when short. */
export function fit(value: string, width: number): string {
	if (width <= 0) return '';
	// Not ellipsize + pad: a cut ASCII value ends in '…', and measuring that takes string-width's slow path
	// (rows formatted 12x slower when tried).
	if (oneColumnText.test(value)) {
		if (value.length <= width) return value.padEnd(width);
		return value.slice(0, width - 1) + '…';
	}

	const cut = cutPoint(value, width);
	return cut.fits ? value + ' '.repeat(width - cut.used) : value.slice(0, cut.end) + '…' + ' '.repeat(width - 1 - cut.endUsed);
}

/** 1234 -> "1,234"; 12345 -> "12.3k"; 1234567 -> "1.2M". */
export function compact(n: number): string {
	if (n < 10_000) {
		// Whole numbers by hand: toLocaleString takes microseconds, and every group row shows a count at every frame.
		if (!Number.isInteger(n) || n < 0) return n.toLocaleString('en-US');
		return n < 1000 ? String(n) : `${Math.floor(n / 1000)},${String(n % 1000).padStart(3, '0')}`;
	}

	if (n < 1_000_000) return `${(n / 1000).toFixed(n < 100_000 ? 1 : 0)}k`;
	return `${(n / 1_000_000).toFixed(1)}M`;
}

const bars = '▁▂▃▄▅▆▇█';

/** A sparkline of at most `width` characters (newest last); each character is the max of its slice. */
export function sparkline(values: number[], width: number): string {
	if (width <= 0 || values.length === 0) return '';
	const per = Math.ceil(values.length / width);
	const points: number[] = [];
	for (let end = values.length; end > 0 && points.length < width; end -= per) {
		points.unshift(Math.max(...values.slice(Math.max(0, end - per), end)));
	}

	const max = Math.max(...points);
	return points.map(v => (max === 0 || v === 0 ? bars[0] : bars[Math.min(7, Math.floor((v / max) * 7.999))])).join('');
}

// The screen's times are dates.ts's; the components read this one from here with the other cells.
export {clockTime} from './dates.js';

export const severityGlyph = {crit: '◆', high: '▲', med: '●', low: '○', none: '·'} as const;

/** Three columns: glyph and number ("▲ 7", "◆10"), "  ·" for events without severity. */
export function severityCell(severity: number): string {
	const glyph = severityGlyph[severityBand(severity)];
	if (severity === 0) return `  ${glyph}`;
	return severity >= 10 ? `${glyph}${severity}` : `${glyph} ${severity}`;
}

const actionWords: Record<string, string> = {
	Block: 'BLOCK',
	Audit: 'AUDIT',
	Allow: 'ALLOW',
	Remove: 'REMOVE',
	// A policy in audit mode: audited, and what it would have done in lower case. It blocked nothing, so it
	// must not read BLOCK.
	'Audit (Block)': 'AUDIT(block)',
	'Audit (Allow)': 'AUDIT(allow)',
};

/**
 * KubeArmor's Action as one word, the same in the list and in line mode: `grep -w BLOCK` picks exactly the
 * Block events (a resource's SOCK_NONBLOCK is no word of its own). An action KubeArmor does not have yet keeps
 * its own spelling, spaces made underscores so it stays one word. Sanitized.
 */
export function actionWord(action: string): string {
	return actionWords[action] ?? sanitize(action).replaceAll(' ', '_');
}

/** The list's action: the action word; logs have none and say so. */
function actionLabel(event: MonitorEvent): string {
	const action = text(event, 'Action');
	if (action) return actionWord(action);
	return event.kind === 'log' ? 'log' : '-';
}

/**
 * What the event touched, shortest useful form first: a network peer as addr:port rather than the raw
 * `sa_family=AF_INET sin_port=53 sin_addr=10.0.0.10`, which a narrow column would cut to nothing.
 */
export function whatTouched(event: MonitorEvent): string {
	const resource = text(event, 'Resource');
	if (resource && text(event, 'Operation') === 'Network') return networkPeer(resource);
	return resource || text(event, 'Message') || text(event, 'Data') || text(event, 'Source');
}

function networkPeer(resource: string): string {
	const pairs = new Map<string, string>();
	for (const part of resource.split(' ')) {
		const equals = part.indexOf('=');
		if (equals > 0) pairs.set(part.slice(0, equals), part.slice(equals + 1));
	}

	const address = pairs.get('sin_addr') ?? pairs.get('remoteip');
	const ipv6 = pairs.get('sin6_addr');
	const port = pairs.get('sin_port') ?? pairs.get('sin6_port') ?? pairs.get('port');
	if (ipv6) return `[${ipv6}]${port ? `:${port}` : ''}`;
	if (address) return port ? `${address}:${port}` : address;
	if (pairs.has('sun_path')) return `unix ${pairs.get('sun_path')!}`;
	if (port) return `port ${port}`;
	const domain = pairs.get('domain') ?? pairs.get('sa_family');
	const type = pairs.get('type')?.split('|')[0];
	if (domain) return `socket ${domain}${type ? ` ${type}` : ''}`;
	return resource;
}

/** Last path element of a process: "/usr/bin/curl" -> "curl". */
export function processShort(path: string): string {
	const slash = path.lastIndexOf('/');
	return slash >= 0 && slash < path.length - 1 ? path.slice(slash + 1) : path;
}

export type RowParts = {
	time: string;
	/** The time for a column too narrow for the date and the time (see listTime). Only in cells, not parts. */
	shortTime?: string;
	severity: string;
	action: string;
	operation: string;
	where: string;
	process: string;
	what: string;
};

/** Short names where the full Operation would not fit its column. */
const operationLabels: Record<string, string> = {
	NetworkFirewall: 'Firewall',
	Capabilities: 'Caps',
	AlertThreshold: 'Throttle',
};

/** Sanitized, and only as much of it as `width` columns can show: a value of most of 1 MiB is not copied whole. */
function shown(value: string, width: number): string {
	return sanitize(head(value, measuredLength(width)));
}

/**
 * One event's list cells, sanitized but not yet sized: what listColumns measures and rowParts fits.
 * `today` is localDayStart of now; `dated` says a row shown needs a date (see listTime); `width` (the row's)
 * bounds how much of each value is looked at.
 */
export function rowCells(event: MonitorEvent, today: number, dated: boolean, width: number): RowParts {
	const operation = text(event, 'Operation');
	return {
		time: listTime(event, today, dated),
		shortTime: dated ? listTime(event, today, dated, true) : undefined,
		severity: severityCell(event.severity),
		action: actionLabel(event),
		operation: shown(operationLabels[operation] ?? (operation || text(event, 'Type')), 8),
		where: shown(workload(event), width),
		process: shown(processShort(text(event, 'ProcessName') || text(event, 'Source')), width),
		what: shown(whatTouched(event), width),
	};
}

/** Each cell fitted to its column: the row is exactly as wide as the columns and the spaces between them. */
export function fitRow(cells: RowParts, widths: ListColumns): RowParts {
	const time = cells.shortTime !== undefined && widths.time < timeColumns.dated ? cells.shortTime : cells.time;
	return {
		time: fit(time, widths.time),
		severity: fit(cells.severity, widths.severity),
		action: fit(cells.action, widths.action),
		operation: fit(cells.operation, widths.operation),
		where: fit(cells.where, widths.where),
		process: fit(cells.process, widths.process),
		what: fit(cells.what, widths.what),
	};
}

/** The list row for one event, every part sanitized and sized to `widths` (see listColumns and rowCells). */
export function rowParts(event: MonitorEvent, widths: ListColumns, today: number, dated: boolean): RowParts {
	return fitRow(rowCells(event, today, dated, rowWidth(widths)), widths);
}

/** 10000-01-01T00:00:00Z: from here on toISOString writes a six-digit year. */
const fourDigitYearsEnd = 253_402_300_800_000;

/** "000" to "999": a number made text was a good part of each line's time. */
const threeDigits = Array.from({length: 1000}, (_, n) => String(n).padStart(3, '0'));

/** The last second isoTime wrote: events come in time order, so most lines share the one before's second. */
let lastSecond = Number.NaN;
let lastSecondText = '';

/** The last day secondText wrote. */
let lastDay = Number.NaN;
let lastDayText = '';

/**
 * `new Date(ms).toISOString()` without the Date: line mode writes one per event and the builtin was half of
 * plainLine's time. Days to a civil date as in Howard Hinnant's `civil_from_days`. Times outside 1970..9999
 * (and non-numbers) go to the builtin, so the result, or the RangeError, is always the builtin's. The text up
 * to the second is kept from the last call.
 */
export function isoTime(ms: number): string {
	if (!(ms >= 0 && ms < fourDigitYearsEnd)) return new Date(ms).toISOString();
	const whole = Math.floor(ms);
	const millis = whole % 1000;
	const second = (whole - millis) / 1000;
	if (second !== lastSecond) {
		lastSecond = second;
		lastSecondText = secondText(second);
	}

	return `${lastSecondText}.${threeDigits[millis]!}Z`;
}

/** YYYY-MM-DDTHH:MM:SS of a second since the epoch. */
function secondText(second: number): string {
	const days = Math.floor(second / 86_400);
	let rest = second - days * 86_400;
	const seconds = rest % 60;
	rest = (rest - seconds) / 60;
	const minutes = rest % 60;
	const hours = (rest - minutes) / 60;
	return `${dayText(days)}T${pad2(hours)}:${pad2(minutes)}:${pad2(seconds)}`;
}

/** YYYY-MM-DD of a day since the epoch (from 0 to the year 9999). */
function dayText(days: number): string {
	if (days === lastDay) return lastDayText;
	const z = days + 719_468;
	const era = Math.floor(z / 146_097);
	const dayOfEra = z - era * 146_097;
	const yearOfEra = Math.floor(
		(dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
	);
	const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
	const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
	const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
	const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
	const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
	lastDay = days;
	lastDayText = `${year}-${pad2(month)}-${pad2(day)}`;
	return lastDayText;
}

/**
 * A string as JSON, for a plain line. When every string of the event is printable ASCII from a line without a
 * backslash, none holds a quote, a backslash or a control character: the quotes alone are its JSON.
 */
function quoted(value: string, printableStrings: boolean): string {
	return printableStrings ? `"${value}"` : JSON.stringify(value);
}

/** `value` after a space, or nothing for an empty value: the words of a plain line. */
function word(value: string): string {
	return value === '' ? '' : ' ' + value;
}

/**
 * One plain line for line mode: readable, sanitized, greppable. It starts with the event's time (UTC); an event
 * without one starts with `received=` and when it arrived, never passing that off as when it happened.
 * Built by concatenation, words left out when empty: an array of parts, filtered and joined, was most of what a
 * line cost. `printableStrings`: every string of the event is known to be printable ASCII (see LineSafety), so
 * the line is too and the sanitizing pass is skipped.
 */
export function plainLine(event: MonitorEvent, printableStrings = false): string {
	// The fields read by name, once each: text(event, name) with a name passed in was a keyed load per field.
	const {fields} = event;
	const resource = valueText(fields['Resource']);
	const policy = valueText(fields['PolicyName']);
	const result = valueText(fields['Result']);
	const message = valueText(fields['Message']);
	const action = valueText(fields['Action']);
	let line = hasOwnTime(event) ? isoTime(eventTime(event)) : `received=${isoTime(event.receivedAt)}`;
	line += event.kind === 'alert' ? ' ALERT' : ' LOG';
	if (event.severity > 0) line += ` sev=${event.severity}`;
	if (action) line += word(actionWord(action));
	line += word(valueText(fields['Operation']));
	line += word(workload(event));
	line += word(valueText(fields['ProcessName']));
	if (resource) line += ` res=${quoted(resource, printableStrings)}`;
	if (policy) line += ` policy=${policy}`;
	if (result) line += ` result=${quoted(result, printableStrings)}`;
	if (message) line += ` msg=${quoted(message, printableStrings)}`;
	return printableStrings ? line : sanitize(line);
}
