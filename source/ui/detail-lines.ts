import {severityBand, text, type MonitorEvent} from '../model/event.js';
import {sanitize} from '../model/sanitize.js';
import {columnsUpTo, fit, graphemeColumns, graphemesOf} from './format.js';

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
 * Every field of the event, grouped: what happened / where / process lineage / what it touched / tags / all
 * other fields. Anything not placed in a group lands in "other fields", so nothing is ever hidden.
 */
export function detailLines(event: MonitorEvent): DetailLine[] {
	const lines: DetailLine[] = [];
	const shown = new Set<string>();
	for (const section of sections) {
		const fieldLines: DetailLine[] = [];
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
 * Lay the lines out for a pane `width` columns wide: labels in a column, long values wrapped onto
 * continuation rows (never cut off), every string sanitized.
 */
export function layoutDetail(lines: DetailLine[], width: number): DetailRow[] {
	const longest = Math.max(0, ...lines.map(line => (line.kind === 'field' ? line.label.length : 0)));
	const labelWidth = Math.min(longest, 18, Math.max(6, Math.floor(width * 0.4)));
	const valueWidth = Math.max(4, width - labelWidth - 1);
	const rows: DetailRow[] = [];
	for (const line of lines) {
		if (line.kind === 'section') {
			rows.push({kind: 'section', label: line.title, value: ''});
			continue;
		}

		const chunks = wrap(sanitize(line.value), valueWidth);
		chunks.forEach((chunk, index) => {
			rows.push({
				kind: 'field',
				label: index === 0 ? fit(sanitize(line.label), labelWidth) : ' '.repeat(labelWidth),
				value: chunk,
				field: line.label,
				tone: line.tone,
			});
		});
	}

	return rows;
}

/**
 * Wrap a sanitized string into pieces of at most `width` columns, breaking at a space, a path separator or
 * punctuation when one is near, anywhere otherwise (hashes have no boundaries).
 */
export function wrap(value: string, width: number): string[] {
	if (value === '') return [''];
	if (columnsUpTo(value, width) <= width) return [value];
	const pieces: string[] = [];
	let current: string[] = [];
	let used = 0;
	for (const segment of graphemesOf(value)) {
		const w = graphemeColumns(segment);
		if (used + w > width && current.length > 0) {
			const cut = breakPoint(current);
			pieces.push(current.slice(0, cut).join(''));
			current = current.slice(cut);
			used = current.reduce((sum, piece) => sum + graphemeColumns(piece), 0);
		}

		current.push(segment);
		used += w;
	}

	if (current.length > 0) pieces.push(current.join(''));
	return pieces;
}

const punctuation = new Set(['.', ',', '@', ':', '=', '-', '|']);

/**
 * Where to cut a full line: at the last space or path separator in its last two thirds, else at the last
 * punctuation there (host names, image digests), else at the end.
 */
function breakPoint(line: string[]): number {
	const isWordBreak = (index: number) => line[index - 1] === ' ' || line[index] === '/' || line[index] === '→';
	const isPunctuationBreak = (index: number) => punctuation.has(line[index - 1]);
	for (const isBreak of [isWordBreak, isPunctuationBreak]) {
		for (let index = line.length - 1; index > line.length / 3; index--) {
			if (isBreak(index)) return index;
		}
	}

	return line.length;
}
