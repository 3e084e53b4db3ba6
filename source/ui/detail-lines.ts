import {eventTime, hasOwnTime, severityBand, text, type MonitorEvent} from '../model/event.js';
import {sanitize} from '../model/sanitize.js';
import {localDateTime} from './dates.js';
import {columnsUpTo, fit, graphemeColumns, graphemesOf, isPrintableAsciiCode} from './format.js';

export type DetailLine =
	| {kind: 'section'; title: string}
	| {kind: 'field'; label: string; value: string; tone?: 'severity' | 'action'};

const sections: Array<{title: string; fields: string[]}> = [
	{title: 'what happened', fields: ['Message', 'PolicyName', 'Severity', 'Action', 'Result', 'Type', 'Operation', 'Enforcer']},
	{
		title: 'where',
		fields: ['ClusterName', 'HostName', 'NamespaceName', 'PodName', 'ContainerName', 'ContainerImage', 'ContainerID', 'Labels', 'Owner'],
	},
	{title: 'process lineage', fields: ['Source', 'Cwd', 'TTY', 'UID', 'UserName', 'ExecEvent']},
	{title: 'what it touched', fields: ['Resource', 'Data', 'EventData']},
	{title: 'tags', fields: ['Tags', 'ATags']},
];

/** Fields folded into the lineage line rather than shown on their own. */
const lineageFields = ['ParentProcessName', 'ProcessName', 'PPID', 'PID', 'HostPPID', 'HostPID'];

function show(value: unknown): string {
	if (typeof value === 'string') return value;
	if (Array.isArray(value) && value.every(item => typeof item === 'string')) return value.join(', ');
	if (value !== null && typeof value === 'object') {
		return Object.entries(value)
			.map(([key, part]) => `${key}=${typeof part === 'string' ? part : JSON.stringify(part)}`)
			.join(' ');
	}

	return JSON.stringify(value) ?? String(value);
}

function pids(event: MonitorEvent, pid: string, hostPid: string): string {
	const inside = event.fields[pid];
	const host = event.fields[hostPid];
	const parts: string[] = [];
	if (inside !== undefined) parts.push(String(inside));
	if (host !== undefined && host !== inside) parts.push(`host ${String(host)}`);
	return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

/**
 * When it happened, as a date and time with the raw epoch beside it, and when it arrived (its clock alone when
 * that is the same day). An event without a time of its own says so: the arrival is not when it happened (a
 * file of last year's events read today).
 */
function timeLines(event: MonitorEvent): DetailLine[] {
	const arrived = localDateTime(event.receivedAt);
	if (!hasOwnTime(event)) {
		return [
			{kind: 'field', label: 'time', value: 'none in the event (only when it was received)'},
			{kind: 'field', label: 'received', value: arrived},
		];
	}

	const ms = eventTime(event);
	const timestamp = event.fields['Timestamp'];
	// The event's own Timestamp as it came; else whole seconds, as KubeArmor writes Timestamp.
	const epoch = typeof timestamp === 'number' ? String(timestamp) : String(Math.floor(ms / 1000));
	const happened = localDateTime(ms);
	const sameDay = arrived.slice(0, 11) === happened.slice(0, 11);
	return [
		{kind: 'field', label: 'time', value: `${happened} (epoch ${epoch})`},
		{kind: 'field', label: 'received', value: sameDay ? arrived.slice(11) : arrived},
	];
}

/**
 * Every field of the event, grouped: what happened (from its time) / where / process lineage / what it touched
 * / tags / all other fields. Anything not placed in a group lands in "other fields", so nothing is ever hidden.
 */
export function detailLines(event: MonitorEvent): DetailLine[] {
	const lines: DetailLine[] = [];
	const shown = new Set<string>();
	for (const section of sections) {
		const fieldLines: DetailLine[] = section.title === 'what happened' ? timeLines(event) : [];
		if (section.title === 'process lineage') {
			const parent = text(event, 'ParentProcessName');
			const process = text(event, 'ProcessName');
			if (parent || process || event.fields['PID'] !== undefined) {
				const who = `${parent || '?'}${pids(event, 'PPID', 'HostPPID')} → ${process || '?'}${pids(event, 'PID', 'HostPID')}`;
				fieldLines.push({kind: 'field', label: 'who', value: who});
				for (const name of lineageFields) shown.add(name);
			}
		}

		for (const name of section.fields) {
			const value = event.fields[name];
			if (value === undefined) continue;
			shown.add(name);
			let display = show(value);
			if (name === 'Severity' && event.severity > 0) display = `${event.severity} ${severityBand(event.severity)}`;
			const tone = name === 'Severity' ? 'severity' : name === 'Action' ? 'action' : undefined;
			fieldLines.push({kind: 'field', label: name, value: display, tone});
		}

		if (fieldLines.length > 0) lines.push({kind: 'section', title: section.title}, ...fieldLines);
	}

	const other: DetailLine[] = [];
	for (const name of Object.keys(event.fields)) {
		// A value normalizing emptied (`"Message":""`) stays as an undefined key: absent, like a missing one.
		if (shown.has(name) || event.fields[name] === undefined) continue;
		other.push({kind: 'field', label: name, value: show(event.fields[name])});
	}

	other.push({kind: 'field', label: 'feed', value: event.source});
	lines.push({kind: 'section', title: 'other fields'}, ...other);
	return lines;
}

export type DetailRow = {
	kind: 'section' | 'field';
	label: string;
	value: string;
	/** The field the value belongs to (for highlighting what the filter says about it). */
	field?: string;
	tone?: 'severity' | 'action';
};

/**
 * The lines laid out for a pane `width` columns wide: labels in a column, long values wrapped onto
 * continuation rows (never cut off), every string sanitized. Lazily: rows are wrapped only as far as someone
 * asks for them, and kept, so a 1 MB value costs what the rows on the screen cost, however often it is drawn.
 */
export class DetailLayout {
	private readonly done: DetailRow[] = [];
	private next = 0;
	/** Pieces of the field line being wrapped, and that line. */
	private pieces: Iterator<string> | undefined;
	private current: Extract<DetailLine, {kind: 'field'}> | undefined;
	private readonly labelWidth: number;
	private readonly valueWidth: number;

	constructor(
		private readonly lines: DetailLine[],
		width: number,
	) {
		const longest = Math.max(0, ...lines.map(line => (line.kind === 'field' ? line.label.length : 0)));
		this.labelWidth = Math.min(longest, 18, Math.max(6, Math.floor(width * 0.4)));
		this.valueWidth = Math.max(4, width - this.labelWidth - 1);
	}

	/** The rows from `start`, at most `count` of them. */
	rows(start: number, count: number): DetailRow[] {
		this.fill(start + count);
		return this.done.slice(start, start + count);
	}

	/** How many rows there are, or `limit` when there are at least that many (the rest is not wrapped yet). */
	countUpTo(limit: number): number {
		this.fill(limit);
		return Math.min(limit, this.done.length);
	}

	private fill(wanted: number): void {
		while (this.done.length < wanted) {
			if (this.pieces) {
				const piece = this.pieces.next();
				if (!piece.done) {
					this.push(this.current!, piece.value, false);
					continue;
				}

				this.pieces = undefined;
			}

			if (this.next >= this.lines.length) return;
			const line = this.lines[this.next++];
			if (line.kind === 'section') {
				this.done.push({kind: 'section', label: line.title, value: ''});
				continue;
			}

			this.current = line;
			this.pieces = wrapLazily(sanitize(line.value), this.valueWidth);
			this.push(line, this.pieces.next().value as string, true);
		}
	}

	private push(line: Extract<DetailLine, {kind: 'field'}>, value: string, first: boolean): void {
		this.done.push({
			kind: 'field',
			label: first ? fit(sanitize(line.label), this.labelWidth) : ' '.repeat(this.labelWidth),
			value,
			field: line.label,
			tone: line.tone,
		});
	}
}

/** Every row of the lines laid out at `width` (see DetailLayout, which wraps only what is asked for). */
export function layoutDetail(lines: DetailLine[], width: number): DetailRow[] {
	const layout = new DetailLayout(lines, width);
	return layout.rows(0, Number.POSITIVE_INFINITY);
}

/**
 * Wrap a sanitized string into pieces of at most `width` columns, breaking at a space, a path separator or
 * punctuation when one is near, anywhere otherwise (hashes have no boundaries).
 */
export function wrap(value: string, width: number): string[] {
	return [...wrapLazily(value, width)];
}

/**
 * The pieces of `wrap`, one at a time: only what is asked for is measured. A line of plain ASCII (the next
 * `width` + 1 characters, so nothing can join the last one) is cut by index; any other goes grapheme by
 * grapheme. Each line starts afresh where the one before was cut, so the two kinds mix freely.
 */
export function* wrapLazily(value: string, width: number): Generator<string> {
	if (value === '' || columnsUpTo(value, width) <= width) {
		yield value;
		return;
	}

	const length = value.length;
	let start = 0;
	// How far from `start` the text is known to be plain ASCII: looked at no further than the line needs.
	let plain = 0;
	while (start < length) {
		if (plain < start) plain = start;
		const horizon = Math.min(length, start + width + 1);
		while (plain < horizon && isPrintableAsciiCode(value.charCodeAt(plain))) plain++;
		if (plain === horizon) {
			if (length - start <= width) {
				yield value.slice(start);
				return;
			}

			const line = value.slice(start, start + width);
			const cut = breakPoint(line);
			yield line.slice(0, cut);
			start += cut;
			continue;
		}

		const line = graphemeLine(value, start, width);
		if (line === undefined) {
			yield value.slice(start);
			return;
		}

		const cut = breakPoint(line);
		const piece = line.slice(0, cut).join('');
		yield piece;
		start += piece.length;
	}
}

/** The graphemes from `start` that fill `width` columns, when more follow them; undefined when the rest fits. */
function graphemeLine(value: string, start: number, width: number): string[] | undefined {
	// Enough text to pass `width` columns in nearly every case; more when it does not (long combining runs).
	for (let span = 4 * width + 64; ; span *= 2) {
		const end = Math.min(value.length, start + span);
		const line: string[] = [];
		let used = 0;
		for (const segment of graphemesOf(value.slice(start, end))) {
			const w = graphemeColumns(segment);
			if (used + w > width && line.length > 0) return line;
			line.push(segment);
			used += w;
		}

		if (end === value.length) return undefined;
	}
}

const punctuation = new Set(['.', ',', '@', ':', '=', '-', '|']);

/**
 * Where to cut a full line (its characters, or graphemes): at the last space or path separator in its last
 * two thirds, else at the last punctuation there (host names, image digests), else at the end.
 */
function breakPoint(line: ArrayLike<string>): number {
	const isWordBreak = (index: number) => line[index - 1] === ' ' || line[index] === '/' || line[index] === '→';
	const isPunctuationBreak = (index: number) => punctuation.has(line[index - 1]);
	for (const isBreak of [isWordBreak, isPunctuationBreak]) {
		for (let index = line.length - 1; index > line.length / 3; index--) {
			if (isBreak(index)) return index;
		}
	}

	return line.length;
}
