import '../helpers/interactive.js';
import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import chalk from 'chalk';
import {render} from 'ink-testing-library';
import {Screen} from '../../source/ui/screen.js';
import {Ingest} from '../../source/feed/ingest.js';
import {EventStore} from '../../source/store/event-store.js';
import {sampleLines} from '../helpers/samples.js';
import {keys, plain, until} from '../helpers/ui.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
	for (const cleanup of cleanups.splice(0)) cleanup();
});

/** The monitor on the 69 public samples (in another order if given), 100x40 (ink-testing-library's width). */
async function setup(lines = sampleLines()) {
	const store = new EventStore({maxEvents: 1000, notifyIntervalMs: 10});
	const ingest = new Ingest(store);
	for (const line of lines) ingest.line(line, 'samples');
	const app = render(<Screen store={store} size={{columns: 100, rows: 40}} />);
	cleanups.push(() => {
		app.unmount();
		store.close();
	});
	const frame = () => plain(app.lastFrame());
	await until(frame, text => text.includes('69 events'));
	const type = async (text: string) => {
		for (const char of text) {
			app.stdin.write(char);
			// eslint-disable-next-line no-await-in-loop
			await until(frame, () => true, 0);
		}
	};

	return {store, ingest, app, frame, type};
}

const listTitle = (text: string) => /Events \(newest first\) ([\d,]+)(?: of ([\d,]+) shown)?/.exec(text);

test('/ narrows the list live as you type; Enter keeps the filter and shows it as a chip', async () => {
	const {app, frame, type} = await setup();
	app.stdin.write('/');
	await until(frame, text => /^\/ /m.test(text));
	await type('wordpres');
	const narrowed = await until(frame, text => listTitle(text)?.[1] === '12');
	assert.equal(listTitle(narrowed)?.[1], '12', 'typo-tolerant: wordpres finds the wordpress events');
	assert.match(narrowed, /12\/69 events/, 'the counters say shown / total');
	app.stdin.write(keys.enter);
	const kept = await until(frame, text => text.includes('filter: wordpres'));
	assert.match(kept, /filter: wordpres/);
	assert.doesNotMatch(kept, /^\/wordpres/m, 'the prompt closed');
});

test('an invalid query says what is wrong under the prompt and the list keeps its filter', async () => {
	const {app, frame, type} = await setup();
	app.stdin.write('/');
	await type('op:=File');
	assert.equal(listTitle(await until(frame, text => listTitle(text)?.[1] === '19'))?.[1], '19');
	await type(' sev>=x');
	const text = await until(frame, text => text.includes('sev needs a whole number'));
	assert.match(text, /\^ sev needs a whole number/);
	assert.equal(listTitle(text)?.[1], '19', 'still the last good filter');
	app.stdin.write(keys.escape);
	const restored = await until(frame, text => listTitle(text)?.[1] === '69' && !text.includes('of 69 shown'));
	assert.equal(listTitle(restored)?.[1], '69', 'Esc restores the filter from before the prompt');
});

/** The prompt's line (the last of the frame), without the hint after it. */
const promptLine = (text: string) => /^\/(.*?)\s*(?:Enter keep|$)/.exec(text.split('\n').at(-1) ?? '')?.[1] ?? '(no prompt)';

test('/ opens empty: a new query replaces the old one; ↑ recalls it, ↓ past the newest gives back what was typed', async () => {
	const {app, frame, type} = await setup();
	for (const query of ['ns:default', 'op:=Network']) {
		app.stdin.write('/');
		await until(frame, text => promptLine(text) === '');
		await type(query);
		app.stdin.write(keys.enter);
		await until(frame, text => text.includes(`filter: ${query}`));
	}

	const replaced = await until(frame, text => listTitle(text)?.[1] === '17');
	assert.match(replaced, /filter: op:=Network/);
	assert.doesNotMatch(replaced, /ns:default/, 'the second query replaced the first, it was not added to it');
	assert.equal(listTitle(replaced)?.[1], '17', 'the Network events, all namespaces');

	app.stdin.write('/');
	assert.equal(promptLine(await until(frame, text => promptLine(text) === '')), '', 'the prompt opens empty');
	await type('sh');
	app.stdin.write(keys.up);
	assert.equal(promptLine(await until(frame, text => promptLine(text) === 'op:=Network')), 'op:=Network', 'the first ↑: the last query');
	app.stdin.write(keys.up);
	assert.equal(promptLine(await until(frame, text => promptLine(text) === 'ns:default')), 'ns:default');
	app.stdin.write(keys.down);
	await until(frame, text => promptLine(text) === 'op:=Network');
	app.stdin.write(keys.down);
	assert.equal(promptLine(await until(frame, text => promptLine(text) === 'sh')), 'sh', '↓ past the newest: the text being typed');
	app.stdin.write(keys.escape);
	const restored = await until(frame, text => promptLine(text) === '(no prompt)' && listTitle(text)?.[1] === '17');
	assert.match(restored, /filter: op:=Network/, 'Esc keeps the query from before');
});

test('the / prompt edits at the cursor like a shell line, and draws the cursor where it is', async () => {
	const {app, frame, type} = await setup();
	const step = async (keysPressed: string[], expected: string) => {
		for (const key of keysPressed) app.stdin.write(key);
		return until(frame, text => promptLine(text) === expected);
	};

	app.stdin.write('/');
	await type('op:Fle');
	await step([keys.left, keys.left, 'i'], 'op:File');
	assert.equal(listTitle(await until(frame, text => listTitle(text)?.[1] === '19'))?.[1], '19', 'typed at the cursor: op:File');
	chalk.level = 1;
	try {
		// Redraw with colours: the cursor is the inverted cell, on the "l" after the inserted "i".
		await step([keys.right, keys.left], 'op:File');
		const inverted = /op:Fi\u001B\[7ml\u001B\[27me/;
		assert.match(await until(() => app.lastFrame() ?? '', raw => inverted.test(raw)), inverted);
	} finally {
		chalk.level = 0;
	}

	await step([keys.home, '!'], '!op:File');
	assert.equal(listTitle(await until(frame, text => listTitle(text)?.[1] === '50'))?.[1], '50', 'Home, then ! at the start');
	await step([keys.end, keys.backspace], '!op:Fil');
	await step([keys.home, keys.delete], 'op:Fil');
	await step(['\u0005', ...' sev>=5'], 'op:Fil sev>=5'); // ^E
	await step(['\u0017'], 'op:Fil'); // ^W: the word before the cursor
	await step([keys.left, keys.left, '\u000B'], 'op:F'); // ^K: to the end
	await step(['\u0001', '\u000B'], ''); // ^A ^K
	await type('ns:a op:b');
	await step([keys.left, keys.left, keys.left, keys.left, '\u0015'], 'op:b'); // ^U: to the start
	assert.match(frame(), /^\/op:b/m);
});

test('matches are highlighted in the list rows and the detail pane', async () => {
	const {app, type} = await setup();
	app.stdin.write('/');
	await type('apt');
	app.stdin.write(keys.enter);
	const raw = await until(() => app.lastFrame() ?? '', text => text.includes('filter: apt') || plain(text).includes('filter: apt'));
	// Highlighted text is drawn with a yellow background (SGR 43) when colours are on; without colour
	// support in the test runner, fall back to checking the filter applied.
	if (/\u001B\[43m/.test(raw)) assert.match(raw, /\u001B\[43m[^\u001B]*apt/i);
	assert.match(plain(raw), /apt/);
});

test('o, a, s / S and x build filters from single keys, shown as chips', async () => {
	const {app, frame} = await setup();
	app.stdin.write('a');
	const action = await until(frame, text => text.includes('action:=Audit') && listTitle(text)?.[1] === '10');
	assert.match(action, /filter: action:=Audit/, 'the first action seen, alphabetically');
	assert.equal(listTitle(action)?.[1], '10');
	app.stdin.write('a');
	assert.match(await until(frame, text => text.includes('action:=Block')), /of 69 shown/);
	app.stdin.write('o');
	const both = await until(frame, text => text.includes('op:=Device'));
	assert.match(both, /filter: op:=Device action:=Block|filter: action:=Block op:=Device/);
	app.stdin.write('x');
	assert.doesNotMatch(await until(frame, text => !text.includes('filter:')), /filter:/);
	for (let i = 0; i < 5; i++) app.stdin.write('s');
	const severe = await until(frame, text => text.includes('sev>=5') && listTitle(text)?.[1] === '14');
	assert.equal(listTitle(severe)?.[1], '14');
	app.stdin.write('S');
	assert.match(await until(frame, text => text.includes('sev>=4')), /sev>=4/);
});

test(': opens a fuzzy namespace picker with counts; Enter picks', async () => {
	const {app, frame, type} = await setup();
	app.stdin.write(':');
	const picker = await until(frame, text => text.includes('Pick a namespace'));
	assert.match(picker, /default\s+26/);
	assert.match(picker, /wordpress-mysql\s+12/);
	await type('wrdpress');
	const narrowed = await until(frame, text => !/default\s+26/.test(text));
	assert.match(narrowed, /›wordpress-mysql/);
	app.stdin.write(keys.enter);
	const picked = await until(frame, text => text.includes('ns:=wordpress-mysql') && listTitle(text)?.[1] === '12');
	assert.equal(listTitle(picked)?.[1], '12');
	app.stdin.write('p');
	await until(frame, text => text.includes('Pick a policy'));
	app.stdin.write(keys.escape);
	assert.doesNotMatch(await until(frame, text => !text.includes('Pick a policy')), /Pick a policy/);
});

test('pickers count within the other filters, as facets do: what a picker says is what picking shows', async () => {
	const {app, frame, type} = await setup();
	const pick = async (key: string, search: string, picked: RegExp) => {
		app.stdin.write(key);
		await until(frame, text => text.includes('Pick a '));
		await type(search);
		const offered = await until(frame, text => text.includes(`search: ${search}`) && text.includes('›'));
		app.stdin.write(keys.enter);
		await until(frame, text => picked.test(text) && !text.includes('Pick a '));
		return offered;
	};

	await pick(':', 'wordpress-mysql', /ns:=wordpress-mysql/);
	app.stdin.write('p');
	const policies = await until(frame, text => text.includes('Pick a policy'));
	assert.match(policies, /DefaultPosture\s+3\b/, "wordpress-mysql's 3 of the 12 DefaultPosture events");
	assert.doesNotMatch(policies, /audit-home-rmdir/, 'a policy with no event in the namespace is not offered');
	app.stdin.write(keys.escape);
	await until(frame, text => !text.includes('Pick a policy'));

	const offered = await pick('p', 'ksp-wordpress-block-process', /policy:=ksp-wordpress-block-process/);
	assert.match(offered, /›ksp-wordpress-block-process\s+1\b/);
	assert.equal(listTitle(await until(frame, text => listTitle(text)?.[1] === '1'))?.[1], '1', 'the 1 it offered is the 1 shown');

	// The namespace picker counts within the policy, not within the namespace picked before.
	app.stdin.write(':');
	const namespaces = await until(frame, text => text.includes('Pick a namespace'));
	assert.match(namespaces, /wordpress-mysql\s+1\b/);
	assert.doesNotMatch(namespaces, /default\s+\d/, 'no event of that policy is in default');
	app.stdin.write(keys.escape);
	await until(frame, text => !text.includes('Pick a namespace'));

	// Host events (no namespace) are offered as "(host)", and picking it shows them.
	app.stdin.write('x');
	await until(frame, text => !text.includes('filter:'));
	const host = /›\(host\)\s+(\d+) │/.exec(await pick(':', 'host', /ns:=""/))?.[1];
	assert.equal(host, '20', 'the 20 events without a namespace');
	const shown = await until(frame, text => listTitle(text)?.[1] === host);
	assert.equal(listTitle(shown)?.[1], host);
	assert.equal(listTitle(shown)?.[2], '69');
	assert.match(shown, /filter: ns:=""/);
});

test('picker counts are the same whatever order the events came in', async () => {
	const lines = sampleLines();
	// As read, reversed, and interleaved: three orders of the same 69 events.
	const orders = [lines, [...lines].reverse(), [...lines.filter((_, index) => index % 2 === 0), ...lines.filter((_, index) => index % 2 === 1)]];
	const pickerRows = (text: string) => text.split('\n').filter(line => /\s\d+\s*│$/.test(line)).map(line => line.replace('›', ' ').trim());
	const answers: string[][] = [];
	for (const order of orders) {
		const {app, frame} = await setup(order);
		// Within the Block filter (a pressed twice: Audit, then Block).
		app.stdin.write('aa');
		await until(frame, text => text.includes('action:=Block'));
		app.stdin.write(':');
		answers.push(pickerRows(await until(frame, text => text.includes('Pick a namespace'))).toSorted());
	}

	assert.ok(answers[0]!.length > 3, 'the picker lists namespaces');
	assert.deepEqual(answers[1], answers[0]);
	assert.deepEqual(answers[2], answers[0]);
});

test('new events that match appear live; others do not', async () => {
	const {app, ingest, frame, type} = await setup();
	app.stdin.write('/');
	await type('ns:=payments');
	app.stdin.write(keys.enter);
	await until(frame, text => text.includes('No retained event matches'));
	ingest.value({Operation: 'Process', NamespaceName: 'payments', PodName: 'api-1', ProcessName: '/usr/bin/curl', Action: 'Block'}, 'test');
	ingest.value({Operation: 'Process', NamespaceName: 'other', PodName: 'x', ProcessName: '/usr/bin/wget', Action: 'Block'}, 'test');
	const text = await until(frame, text => text.includes('curl'));
	assert.match(text, /BLOCK\s+Process\s+payments\/a/);
	assert.doesNotMatch(text, /wget/);
	assert.equal(listTitle(text)?.[1], '1');
});
