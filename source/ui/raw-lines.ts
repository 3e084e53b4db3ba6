import {maxRawChars, type MonitorEvent} from '../model/event.js';
import {rawWindow} from '../store/event-store.js';
import {rawLineOf} from '../store/recent-lines.js';
import {sanitize} from '../model/sanitize.js';
import {graphemeColumns, graphemesOf} from './format.js';

/** The event's JSON for the raw view: the line as read, pretty-printed; or, where it was not kept, the fields. */
export function rawText(event: MonitorEvent): {text: string; note: string | undefined} {
	// The fields are the line's JSON as it stands: they show what it held.
	if (event.verbatim) return {text: JSON.stringify(event.fields, null, 2), note: undefined};
	const raw = rawLineOf(event);
	if (raw !== undefined) {
		try {
			return {text: JSON.stringify(JSON.parse(raw), null, 2), note: undefined};
		} catch {
			return {text: raw, note: undefined};
		}
	}

	const note = `not kept as read (only lines up to ${maxRawChars} characters, the newest ${rawWindow} events, from files, stdin and WebSocket): the fields as normalized`;
	return {text: JSON.stringify(event.fields, null, 2), note};
}

/** The raw view's rows at a width: each line sanitized (no control character reaches the terminal), wrapped. */
export function rawRows(event: MonitorEvent, width: number): string[] {
	const {text, note} = rawText(event);
	const rows: string[] = note ? [`(${note})`] : [];
	for (const line of text.split('\n')) {
		const clean = sanitize(line);
		let row = '';
		let used = 0;
		for (const grapheme of graphemesOf(clean)) {
			const wide = graphemeColumns(grapheme);
			if (used + wide > width && row !== '') {
				rows.push(row);
				row = '';
				used = 0;
			}

			row += grapheme;
			used += wide;
		}

		rows.push(row);
	}

	return rows;
}
