// What a network message holds, whatever the transport (WebSocket, NATS): one event, a JSON array of events, or
// NDJSON lines. Pure: no socket here, so a transport that needs only this does not load another's client.

import type {EventFields} from '../model/event.js';
import {isPrintable, jsonLine} from '../model/sanitize.js';
import type {FeedSink} from './feed.js';
import type {LineSafety} from './line-splitter.js';

/** Deliver one message's text: a JSON array, NDJSON lines, or one JSON value. Returns how many it handed on. */
export function deliverText(text: string, sink: FeedSink, label: string): number {
	const lines = linesStart(text);
	if (lines !== undefined) return deliverLines(text, lines, sink, label).handed;
	let start = 0;
	if (text.charCodeAt(0) === 0xfe_ff) start = 1; // BOM
	while (start < text.length && isSpace(text.charCodeAt(start))) start++;
	if (start === text.length) return 0; // A blank message: a keepalive, nothing to count.
	return deliverJson(start === 0 ? text : text.slice(start), sink, label);
}

/**
 * Where a message's NDJSON lines start, or undefined when it is not lines: blank, or one JSON value (on one
 * line, or pretty-printed: a first line that is only "{" or "[").
 */
export function linesStart(text: string): number | undefined {
	let start = 0;
	if (text.charCodeAt(0) === 0xfe_ff) start = 1; // BOM
	while (start < text.length && isSpace(text.charCodeAt(start))) start++;
	if (start === text.length) return undefined;
	const newline = text.indexOf('\n', start);
	let lastContent = text.length - 1;
	while (lastContent > start && isSpace(text.charCodeAt(lastContent))) lastContent--;
	if (newline === -1 || newline > lastContent) return undefined;
	const first = text.slice(start, newline).trim();
	return first === '{' || first === '[' ? undefined : start;
}

/**
 * Deliver NDJSON lines of `text` from `from` (a line's start) on, until the end or, checked before each line,
 * until `more()` says stop. Returns where the next line starts (text.length at the end) and how many events
 * went on: a feed can deliver a big message in slices and let the screen answer a key in between.
 */
export function deliverLines(text: string, from: number, sink: FeedSink, label: string, more: () => boolean = always): {next: number; handed: number} {
	let handed = 0;
	let lineStart = from;
	while (lineStart < text.length) {
		if (lineStart > from && !more()) return {next: lineStart, handed};
		let end = text.indexOf('\n', lineStart);
		if (end === -1) end = text.length;
		let lineEnd = end;
		if (lineEnd > lineStart && text.charCodeAt(lineEnd - 1) === 13) lineEnd--; // CRLF
		if (lineEnd > lineStart) {
			const line = text.slice(lineStart, lineEnd);
			if (line.trim() !== '') handed += deliverJson(line, sink, label);
		}

		lineStart = end + 1;
	}

	return {next: text.length, handed};
}

/** A `more` for deliverLines that never says stop. */
export const always = () => true;

/** One JSON text: a line (parsed by the sink), or an array, whose items are handed on one by one. */
function deliverJson(text: string, sink: FeedSink, label: string): number {
	if (text.charCodeAt(0) !== 0x5b /* [ */) {
		sink.line(text, label);
		return 1;
	}

	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		sink.malformed(`not JSON: ${preview(text)}`, label);
		return 0;
	}

	if (!Array.isArray(value)) {
		sink.value(value, label);
		return 1;
	}

	for (const item of value) sink.value(item, label);
	return value.length;
}

function isSpace(code: number): boolean {
	return code === 32 || code === 10 || code === 13 || code === 9;
}

/** The start of a line that was not JSON, quoted, for the message that says so. */
export function preview(text: string): string {
	return text.length > 40 ? `${JSON.stringify(text.slice(0, 40))}…` : JSON.stringify(text);
}

/**
 * An event as one JSON line: `verbatim`, the line it was parsed from when its fields are exactly that line
 * (NormalizeReport.verbatim), as it stands when it is printable (`known` from the splitter, else checked);
 * otherwise the fields serialized. Serializing again costs as much as parsing did.
 */
export function eventJson(fields: EventFields, verbatim: string | undefined, known: LineSafety): string {
	if (verbatim !== undefined && (known !== 'unknown' || isPrintable(verbatim))) return verbatim;
	// Every string parsed from a plain line is printable ASCII: JSON.stringify's output needs none of jsonLine's
	// escaping, nor its two scans for it.
	return known === 'plain' ? JSON.stringify(fields) : jsonLine(fields);
}

/** What is said of input skipped for being over a size limit (a line, a message), whichever feed or command. */
export function oversizedText(bytes: number, limit: number): string {
	return `skipped ${bytes} bytes of input (over the ${formatBytes(limit)} limit)`;
}

export function formatBytes(bytes: number): string {
	if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
	if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
	if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
	return `${bytes.toLocaleString('en-US')} bytes`;
}
