// One line of text being edited, as a shell edits it: the `/` prompt and a picker's search both use it. Pure:
// each key is an edit, and an edit makes a new state (like @inkjs/ui's use-*-state reducers), so it is tested
// without a terminal.

import {sanitize} from '../model/sanitize.js';
import type {EditCommand, LineEdit} from './edit-commands.js';
import {columns, cutWithEllipsis, ellipsizeStart} from './format.js';

export {editCommands, isEditCommand, type EditCommand, type LineEdit} from './edit-commands.js';

/** The text and where the cursor is: a UTF-16 offset, always between two graphemes. */
export type LineState = {readonly text: string; readonly cursor: number};

export const emptyLine: LineState = {text: '', cursor: 0};

/** A line holding `text`, the cursor at its end. */
export function lineOf(text: string): LineState {
	return {text, cursor: text.length};
}


const graphemes = new Intl.Segmenter(undefined, {granularity: 'grapheme'});
/** Code units looked at around the cursor to find a grapheme's edge: more than any grapheme a terminal shows. */
const graphemeReach = 64;

/** Where the grapheme before the cursor starts. */
function previousEdge(text: string, cursor: number): number {
	const from = Math.max(0, cursor - graphemeReach);
	let edge = from;
	for (const {index} of graphemes.segment(text.slice(from, cursor))) edge = from + index;
	return cursor === 0 ? 0 : edge;
}

/** Where the grapheme at the cursor ends. */
function nextEdge(text: string, cursor: number): number {
	if (cursor >= text.length) return text.length;
	const first = graphemes.segment(text.slice(cursor, cursor + graphemeReach))[Symbol.iterator]().next();
	return first.done ? text.length : cursor + first.value.segment.length;
}

/** Where the word before the cursor starts, as ^W sees words: the spaces before the cursor, then non-spaces. */
function wordStart(text: string, cursor: number): number {
	let at = cursor;
	while (at > 0 && /\s/.test(text[at - 1]!)) at--;
	while (at > 0 && !/\s/.test(text[at - 1]!)) at--;
	return at;
}

function cut(line: LineState, from: number, to: number): LineState {
	return {text: line.text.slice(0, from) + line.text.slice(to), cursor: from};
}

/** The line after one edit. An edit with nothing to do (Backspace at the start) returns the same state. */
export function editLine(line: LineState, edit: LineEdit): LineState {
	const {text, cursor} = line;
	switch (edit.type) {
		case 'insert': {
			return edit.text === '' ? line : {text: text.slice(0, cursor) + edit.text + text.slice(cursor), cursor: cursor + edit.text.length};
		}

		case 'cursorLeft': {
			return cursor === 0 ? line : {text, cursor: previousEdge(text, cursor)};
		}

		case 'cursorRight': {
			return cursor === text.length ? line : {text, cursor: nextEdge(text, cursor)};
		}

		case 'lineStart': {
			return cursor === 0 ? line : {text, cursor: 0};
		}

		case 'lineEnd': {
			return cursor === text.length ? line : {text, cursor: text.length};
		}

		case 'deleteBack': {
			return cursor === 0 ? line : cut(line, previousEdge(text, cursor), cursor);
		}

		case 'deleteForward': {
			return cursor === text.length ? line : cut(line, cursor, nextEdge(text, cursor));
		}

		case 'deleteWordBack': {
			return cursor === 0 ? line : cut(line, wordStart(text, cursor), cursor);
		}

		case 'killToStart': {
			return cursor === 0 ? line : cut(line, 0, cursor);
		}

		case 'killToEnd': {
			return cursor === text.length ? line : cut(line, cursor, text.length);
		}
	}
}

/** A prompt's line with its place in the history: `historyIndex` = history.length is the text being typed. */
export type PromptLine = LineState & {
	readonly historyIndex: number;
	/** What was being typed before ↑ walked into the history; ↓ past the newest query brings it back. */
	readonly draft: string;
};

/** A fresh, empty prompt line (the `/` prompt opens empty: ↑ recalls the queries before). */
export function openPromptLine(history: readonly string[]): PromptLine {
	return {...emptyLine, historyIndex: history.length, draft: ''};
}

/** One step through the history: -1 (↑) to the query before, +1 (↓) to the one after, then the draft. */
export function recall(line: PromptLine, history: readonly string[], step: -1 | 1): PromptLine {
	const index = line.historyIndex + step;
	if (index < 0 || index > history.length) return line;
	const draft = line.historyIndex === history.length ? line.text : line.draft;
	const text = index === history.length ? draft : history[index]!;
	return {...lineOf(text), historyIndex: index, draft};
}

/** An edit of a prompt's line. Changing the text makes it the text being typed (out of the history walk). */
export function editPromptLine(line: PromptLine, edit: LineEdit, history: readonly string[]): PromptLine {
	const edited = editLine(line, edit);
	if (edited === line) return line;
	if (edited.text === line.text) return {...line, cursor: edited.cursor};
	return {...edited, historyIndex: history.length, draft: ''};
}

/** A line as drawn: the text before the cursor, the grapheme under it (a space at the end), the text after. */
export type VisibleLine = {
	before: string;
	at: string;
	after: string;
	/** Columns of the start hidden behind the ellipsis (0 when the start is in view). */
	hidden: number;
};

/**
 * The line sanitized and cut to `width` columns with the cursor in view. While the cursor is at the end (the
 * usual case) the end is kept, as the text was typed last; with it further in, a quarter of the width is kept
 * for the text after it, so the user sees where they are.
 */
export function visibleLine(line: LineState, width: number): VisibleLine {
	const end = nextEdge(line.text, line.cursor);
	const before = sanitize(line.text.slice(0, line.cursor));
	const at = line.cursor === line.text.length ? ' ' : sanitize(line.text.slice(line.cursor, end));
	const after = sanitize(line.text.slice(end));
	const beforeColumns = columns(before);
	const atColumns = columns(at);
	const afterColumns = columns(after);
	if (beforeColumns + atColumns + afterColumns <= width) return {before, at, after, hidden: 0};
	const afterRoom = Math.min(afterColumns, Math.floor(width / 4));
	const beforeRoom = Math.max(0, width - atColumns - afterRoom);
	if (beforeColumns <= beforeRoom) {
		return {before, at, after: cutWithEllipsis(after, width - beforeColumns - atColumns), hidden: 0};
	}

	const shown = ellipsizeStart(before, beforeRoom);
	const cutAfter = afterRoom >= afterColumns ? after : cutWithEllipsis(after, afterRoom);
	return {before: shown, at, after: cutAfter, hidden: beforeColumns - columns(shown) + 1};
}
