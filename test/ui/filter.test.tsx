import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {render} from 'ink-testing-library';
import {App} from '../../source/app.js';
import {Ingest} from '../../source/feed/ingest.js';
import {EventStore} from '../../source/store/event-store.js';
import {sampleLines} from '../helpers/samples.js';
import {keys, plain, until} from '../helpers/ui.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
	for (const cleanup of cleanups.splice(0)) cleanup();
});

/** The monitor on the 69 public samples, 100x40 (ink-testing-library's terminal is 100 columns). */
async function setup() {
	const store = new EventStore({maxEvents: 1000, notifyIntervalMs: 10});
	const ingest = new Ingest(store);
	for (const line of sampleLines()) ingest.line(line, 'samples');
	const app = render(<App store={store} size={{columns: 100, rows: 40}} />);
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

test('↑ and ↓ walk the history of queries', async () => {
	const {app, frame, type} = await setup();
	for (const query of ['ns:default', 'op:=Network']) {
		app.stdin.write('/');
		await until(frame, text => /^\//m.test(text.split('\n').at(-1) ?? ''));
		app.stdin.write('\u0015'); // ^U clears the line
		await type(query);
		app.stdin.write(keys.enter);
		await until(frame, text => text.includes(`filter: ${query}`));
	}

	// The prompt opens on the current query; ↑ walks back from the newest query, as a shell does.
	app.stdin.write('/');
	await until(frame, text => text.includes('/op:=Network '));
	app.stdin.write(keys.up);
	app.stdin.write(keys.up);
	const back = await until(frame, text => text.includes('/ns:default'));
	assert.match(back, /\/ns:default/);
	app.stdin.write(keys.down);
	assert.match(await until(frame, text => text.includes('/op:=Network')), /\/op:=Network/);
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

test('n opens a fuzzy namespace picker with counts; Enter picks', async () => {
	const {app, frame, type} = await setup();
	app.stdin.write('n');
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
