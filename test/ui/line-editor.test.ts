import assert from 'node:assert/strict';
import {test} from 'node:test';
import {columns} from '../../source/ui/format.js';
import {
	editLine,
	editPromptLine,
	emptyLine,
	lineOf,
	openPromptLine,
	recall,
	visibleLine,
	type LineEdit,
	type LineState,
} from '../../source/ui/line-editor.js';

/** A line written with `|` where the cursor is: "ab|c". */
function at(marked: string): LineState {
	const cursor = marked.indexOf('|');
	return {text: marked.slice(0, cursor) + marked.slice(cursor + 1), cursor};
}

function marked(line: LineState): string {
	return `${line.text.slice(0, line.cursor)}|${line.text.slice(line.cursor)}`;
}

function run(start: string, ...edits: Array<LineEdit['type'] | string>): string {
	let line = at(start);
	for (const edit of edits) {
		line = editLine(line, edit.startsWith('+') ? {type: 'insert', text: edit.slice(1)} : ({type: edit} as LineEdit));
	}

	return marked(line);
}

test('the line edits at the cursor as a shell does: move, insert, Backspace and Delete', () => {
	assert.equal(run('wordpres|', 'cursorLeft', 'cursorLeft', 'cursorLeft', '+X'), 'wordpX|res');
	assert.equal(run('wordpres|', 'lineStart', '+ns:'), 'ns:|wordpres');
	assert.equal(run('|ns:x', 'lineEnd', '+y'), 'ns:xy|');
	assert.equal(run('abc|def', 'deleteBack'), 'ab|def', 'Backspace: the character before the cursor');
	assert.equal(run('abc|def', 'deleteForward'), 'abc|ef', 'Delete: the character under the cursor');
	assert.equal(run('abc|', 'cursorRight', 'deleteForward'), 'abc|', 'nothing after the end');
	assert.equal(run('|abc', 'cursorLeft', 'deleteBack'), '|abc', 'nothing before the start');
	// A paste goes in as one piece, at the cursor.
	assert.equal(run('a|z', '+ns:payments '), 'ans:payments |z');
});

test('^W deletes the word before the cursor, ^U to the start, ^K to the end', () => {
	assert.equal(run('ns:default  sev>=5 |', 'deleteWordBack'), 'ns:default  |');
	assert.equal(run('ns:default  |sev>=5', 'deleteWordBack'), '|sev>=5', 'the spaces, then the word');
	assert.equal(run('one two|three', 'deleteWordBack'), 'one |three', 'from inside a word: its start');
	assert.equal(run('ns:a |op:File', 'killToStart'), '|op:File');
	assert.equal(run('ns:a |op:File', 'killToEnd'), 'ns:a |');
});

test('the cursor moves over whole graphemes: an accent, an emoji sequence, a surrogate pair', () => {
	const family = '👨‍👩‍👧';
	const accented = 'e\u0301';
	const line = lineOf(`a${accented}${family}𝄞`);
	let left = editLine(line, {type: 'cursorLeft'});
	assert.equal(line.text.slice(left.cursor), '𝄞');
	left = editLine(left, {type: 'cursorLeft'});
	assert.equal(line.text.slice(left.cursor), `${family}𝄞`);
	left = editLine(left, {type: 'cursorLeft'});
	assert.equal(line.text.slice(left.cursor), `${accented}${family}𝄞`);
	assert.equal(editLine(left, {type: 'deleteForward'}).text, `a${family}𝄞`, 'the accent goes with its letter');
	assert.equal(editLine(lineOf(`x${family}`), {type: 'deleteBack'}).text, 'x', 'the whole family, not one code unit');
	const right = editLine({text: line.text, cursor: 1}, {type: 'cursorRight'});
	assert.equal(line.text.slice(0, right.cursor), `a${accented}`);
});

test('an edit with nothing to do returns the same state (no redraw)', () => {
	const start = at('|abc');
	for (const type of ['cursorLeft', 'lineStart', 'deleteBack', 'deleteWordBack', 'killToStart'] as const) {
		assert.equal(editLine(start, {type}), start, type);
	}

	const end = at('abc|');
	for (const type of ['cursorRight', 'lineEnd', 'deleteForward', 'killToEnd'] as const) {
		assert.equal(editLine(end, {type}), end, type);
	}

	assert.equal(editLine(emptyLine, {type: 'insert', text: ''}), emptyLine);
});

test('history: the prompt opens empty, the first ↑ gives the last query, ↓ past the newest gives back the draft', () => {
	const history = ['ns:default', 'op:=Network'];
	let line = openPromptLine(history);
	assert.equal(line.text, '', 'opens empty: a new query, not the old one with more typed after it');
	line = editPromptLine(line, {type: 'insert', text: 'shd'}, history);
	line = recall(line, history, -1);
	assert.equal(line.text, 'op:=Network', 'the first ↑ is the previous query');
	assert.equal(line.cursor, line.text.length);
	line = recall(line, history, -1);
	assert.equal(line.text, 'ns:default');
	assert.equal(recall(line, history, -1), line, 'no further back than the oldest');
	line = recall(recall(line, history, 1), history, 1);
	assert.equal(line.text, 'shd', '↓ past the newest: the text that was being typed');
	assert.equal(recall(line, history, 1), line, 'nothing below the draft');
});

test('history: moving the cursor keeps the place in the history; changing the text makes it the draft', () => {
	const history = ['ns:default', 'op:=Network'];
	let line = recall(openPromptLine(history), history, -1);
	line = editPromptLine(line, {type: 'lineStart'}, history);
	line = recall(line, history, -1);
	assert.equal(line.text, 'ns:default', 'Home did not leave the history walk');
	line = editPromptLine(line, {type: 'insert', text: '!'}, history);
	assert.equal(line.text, 'ns:default!');
	line = recall(line, history, -1);
	assert.equal(line.text, 'op:=Network', 'an edited recall is the new draft: ↑ starts from the newest again');
	assert.equal(recall(line, history, 1).text, 'ns:default!');
	assert.equal(openPromptLine([]).historyIndex, 0);
	assert.equal(recall(openPromptLine([]), [], -1).text, '', 'no history: ↑ does nothing');
});

test('visibleLine keeps the cursor in view and never takes more than the width', () => {
	const short = visibleLine(at('ab|c'), 20);
	assert.deepEqual(short, {before: 'ab', at: 'c', after: '', hidden: 0});
	assert.deepEqual(visibleLine(at('abc|'), 20), {before: 'abc', at: ' ', after: '', hidden: 0}, 'a space at the end');
	const text = 'x'.repeat(50) + 'TAIL';
	const end = visibleLine(lineOf(text), 20);
	assert.ok(end.before.startsWith('…') && end.before.endsWith('TAIL'), 'at the end: the end in view');
	assert.equal(end.hidden, 54 - (columns(end.before) - 1));
	const middle = visibleLine({text, cursor: 25}, 20);
	assert.equal(middle.at, 'x');
	assert.ok(middle.after.endsWith('…') && middle.after.length > 1, 'some text after the cursor shows');
	const startOfLine = visibleLine({text, cursor: 0}, 20);
	assert.equal(startOfLine.before, '');
	assert.equal(startOfLine.hidden, 0);
	for (let cursor = 0; cursor <= text.length; cursor += 7) {
		for (const width of [1, 5, 20, 80]) {
			const view = visibleLine({text: `${text}漢字`, cursor}, width);
			assert.ok(columns(view.before + view.at + view.after) <= Math.max(width, 1), `cursor ${cursor}, width ${width}`);
		}
	}

	// Hostile text is drawn as placeholders, never as controls.
	const hostile = visibleLine(lineOf('a\u001B[2Jb'), 20);
	assert.doesNotMatch(hostile.before, /\u001B/);
});
