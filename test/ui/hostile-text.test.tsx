import '../helpers/interactive.js';
import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {render} from 'ink-testing-library';
import stringWidth from 'string-width';
import {Screen} from '../../source/ui/screen.js';
import {Ingest} from '../../source/feed/ingest.js';
import {EventStore} from '../../source/store/event-store.js';
import {invisibles} from '../helpers/invisible.js';
import {plain, until} from '../helpers/ui.js';

// Invisible characters and lone surrogates in event text (issue 17): each is drawn as a visible placeholder, and
// every row keeps within its pane, whatever the text and the width.

const stores: EventStore[] = [];
const apps: Array<{unmount: () => void}> = [];
afterEach(() => {
	for (const app of apps.splice(0)) app.unmount();
	for (const store of stores.splice(0)) store.close();
});

/** The monitor at `columns` x `rows`; ink-testing-library's terminal says 100 columns, so it is told otherwise. */
function setup(columns: number, rows: number) {
	const store = new EventStore({maxEvents: 1000, notifyIntervalMs: 10});
	stores.push(store);
	const app = render(<Screen store={store} size={{columns, rows}} />);
	apps.push(app);
	Object.defineProperty(app.stdout, 'columns', {get: () => columns});
	app.stdout.emit('resize');
	return {ingest: new Ingest(store), frame: () => plain(app.lastFrame())};
}

function event(index: number, extra: Record<string, unknown>) {
	return {
		UpdatedTime: '2024-01-01T12:00:00.000000Z',
		NamespaceName: 'payments',
		PodName: `api-${index}`,
		Operation: 'File',
		Action: 'Block',
		Severity: '5',
		Type: 'MatchedPolicy',
		PolicyName: 'block-etc',
		...extra,
	};
}

/** What must never reach the screen: format, default-ignorable and lone surrogate code points. */
const invisible = /[\p{Cf}\p{Default_Ignorable_Code_Point}\p{Cs}]/u;
const selectors = /\p{Variation_Selector}/gu;

/** The lines of the two panes (they start with a border). */
function paneLines(text: string): string[] {
	return text.split('\n').filter(line => /^[│┌└]/.test(line));
}

function assertPanesIntact(text: string, columns: number): void {
	const lines = paneLines(text);
	assert.ok(lines.length > 10, text);
	for (const line of lines) {
		assert.equal(stringWidth(line), columns, `border line width at ${columns} columns: ${line}`);
		assert.match(line, /[│┐┘]$/, `right border lost at ${columns} columns: ${line}`);
	}
}

/** A field's value in the detail pane, its wrapped rows joined (the pane is beside the list or under it). */
function detailValue(text: string, label: string): string {
	const lines = text.split('\n');
	const start = lines.findIndex(line => line.includes('Detail #'));
	const side = lines[start]!.indexOf('┌ Detail #');
	const rows = lines.slice(start + 1).map(line => line.slice(side + 1).replace(/│$/, ''));
	const first = rows.findIndex(row => row.startsWith(`${label} `));
	assert.ok(first !== -1, `no ${label} in the detail pane:\n${text}`);
	const value = [rows[first]!.slice(label.length).trimStart()];
	for (const row of rows.slice(first + 1)) {
		if (!row.startsWith(' ') || row.trim() === '') break;
		value.push(row.trimStart());
	}

	return value.map(part => part.trimEnd()).join('');
}

for (const columns of [32, 40, 41, 59, 60, 80, 99, 100, 101, 120]) {
	test(`${columns} columns: invisible characters and lone surrogates are placeholders in list and detail rows, borders intact`, async () => {
		const rows = 60;
		const {ingest, frame} = setup(columns, rows);
		// One list row per character, in the process and the resource...
		for (const [index, [, char]] of invisibles.entries()) {
			ingest.value(event(index, {ProcessName: `/usr/bin/P${char}Q`, Resource: `/etc/x${char}y`}), 'test');
		}

		// ...and the selected event holds all of them, so the detail pane shows each (the resource wraps).
		const all = invisibles.map(([, char], index) => `${String.fromCharCode(97 + index)}${char}`).join('');
		ingest.value(event(99, {PodName: `api${invisibles.map(([, char]) => char).join('-')}`, ProcessName: '/usr/bin/all', Resource: `/etc/${all}`}), 'test');
		const count = invisibles.length + 1;
		const text = await until(frame, text => text.includes(`${count} events`) || (columns < 40 && text.includes('too small')));
		const lines = text.split('\n');
		assert.ok(lines.length <= rows - 1, `${lines.length} lines`);
		for (const line of lines) assert.ok(stringWidth(line) <= columns, `too wide at ${columns}: ${line}`);
		if (columns >= 40) assertPanesIntact(text, columns);
		const shown = invisible.exec(text);
		assert.equal(shown, null, `U+${shown?.[0].codePointAt(0)?.toString(16)} reached the screen at ${columns} columns`);
		if (columns < 40) {
			assert.match(text.replaceAll('\n', ' '), /too small/);
			return;
		}

		// The list: a row per character, its placeholder in the process column.
		assert.equal(lines.filter(line => line.includes('P\uFFFDQ')).length, invisibles.length, text);
		// The detail: the pod and the resource, wrapped, one placeholder per character.
		assert.equal(detailValue(text, 'PodName'), `api${invisibles.map(() => '\uFFFD').join('-')}`);
		assert.equal(detailValue(text, 'Resource'), `/etc/${invisibles.map((_, index) => `${String.fromCharCode(97 + index)}\uFFFD`).join('')}`);
	});
}

test('a ZWJ inside a recommended emoji is kept; 50,000 emoji-joiner pairs neither wrap a row nor push the header off', async () => {
	const family = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}';
	for (const columns of [80, 120]) {
		const rows = 30;
		const {ingest, frame} = setup(columns, rows);
		ingest.value(event(1, {ProcessName: `/usr/bin/${family}`, Resource: '\u{1F600}\u200D'.repeat(50_000)}), 'test');
		const text = await until(frame, text => text.includes(' 1 event ') && text.includes('Resource'));
		const lines = text.split('\n');
		assert.match(lines[0]!, /^armorwatch/, 'the header is still on top');
		assert.ok(lines.length <= rows - 1, `${lines.length} lines`);
		assertPanesIntact(text, columns);
		// A terminal draws each of those emoji apart: measured one code point at a time, every row still fits.
		for (const line of paneLines(text).map(line => line.replaceAll(family, '\u{1F468}'))) {
			const drawn = [...line.replace(selectors, '')].reduce((sum, char) => sum + stringWidth(char), 0);
			assert.equal(drawn, columns, `as drawn: ${line.slice(0, 200)}`);
		}

		assert.ok(text.includes(family), 'the family emoji is shown whole');
		assert.ok(text.includes('\u{1F600}\uFFFD\u{1F600}'), 'a joiner between emoji that make no known one is a placeholder');
	}
});
