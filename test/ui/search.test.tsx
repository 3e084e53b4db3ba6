import '../helpers/interactive.js';
import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {render} from 'ink-testing-library';
import {Ingest} from '../../source/feed/ingest.js';
import {EventStore} from '../../source/store/event-store.js';
import {Screen} from '../../source/ui/screen.js';
import {plain, until} from '../helpers/ui.js';

const stores: EventStore[] = [];
const apps: Array<{unmount: () => void}> = [];
afterEach(() => {
	for (const app of apps.splice(0)) app.unmount();
	for (const store of stores.splice(0)) store.close();
});

function setup() {
	const store = new EventStore({maxEvents: 1000, notifyIntervalMs: 10});
	stores.push(store);
	const ingest = new Ingest(store);
	const app = render(<Screen store={store} size={{columns: 100, rows: 40}} />);
	apps.push(app);
	for (let pid = 1; pid <= 10; pid++) {
		ingest.value(
			{
				UpdatedTime: `2024-01-01T12:00:${String(pid).padStart(2, '0')}.000000Z`,
				NamespaceName: 'payments',
				PodName: 'api',
				ProcessName: `/usr/bin/proc${pid}`,
				Operation: 'Process',
				Action: pid % 3 === 0 ? 'Block' : 'Audit',
				Severity: '5',
				Type: 'MatchedPolicy',
				PolicyName: 'audit-all',
			},
			'test',
		);
	}

	return {app, frame: () => plain(app.lastFrame())};
}

/** The process of the event the detail pane shows: the selected one. */
function selected(frame: string): string | undefined {
	return /who\s+\S+.*→ \/usr\/bin\/(proc\d+)/.exec(frame)?.[1];
}

test('f finds without hiding: the selection jumps to the nearest match, n N go older / newer, "match 2 of 3"', async () => {
	const {app, frame} = setup();
	await until(frame, text => selected(text) === 'proc10');
	app.stdin.write('faction:=Block\r');
	let text = await until(frame, text => selected(text) === 'proc9');
	assert.equal(selected(text), 'proc9', text);
	assert.match(text, /Events \(newest first\) 10 .*match 1 of 3/, 'every event stays listed');
	// Matches are marked in the list.
	assert.equal(text.split('\n').filter(line => /^│•/.test(line)).length, 2, 'two marked rows besides the selected one');
	app.stdin.write('n');
	text = await until(frame, text => selected(text) === 'proc6');
	assert.match(text, /match 2 of 3/);
	app.stdin.write('n');
	assert.match(await until(frame, text => selected(text) === 'proc3'), /match 3 of 3/);
	app.stdin.write('n');
	assert.match(await until(frame, text => /no older match/.test(text)), /no older match/);
	assert.equal(selected(frame()), 'proc3');
	app.stdin.write('N');
	assert.match(await until(frame, text => selected(text) === 'proc6'), /match 2 of 3/);
	// Keys read together each go one match further.
	app.stdin.write('NN');
	assert.match(await until(frame, text => /no newer match/.test(text)), /no newer match \(find action/);
	assert.equal(selected(frame()), 'proc9');
	// An empty find ends it.
	app.stdin.write('f\r');
	assert.doesNotMatch(await until(frame, text => !/find /.test(text)), /match/);
});

test('in the group list n and N do not move the find: back in the events the selection is where it was', async () => {
	const {app, frame} = setup();
	await until(frame, text => selected(text) === 'proc10');
	app.stdin.write('faction:=Block\r');
	await until(frame, text => /match 1 of 3/.test(text));
	app.stdin.write('=');
	await until(frame, text => /groups · by count/.test(text));
	app.stdin.write('nnN');
	app.stdin.write('=');
	const text = await until(frame, text => /Events \(newest first\)/.test(text));
	assert.equal(selected(text), 'proc9', text);
	assert.match(text, /match 1 of 3/);
});

test('a bad find says what is wrong under the prompt and keeps it open', async () => {
	const {app, frame} = setup();
	await until(frame, text => selected(text) === 'proc10');
	app.stdin.write('fsev>=x\r');
	const text = await until(frame, text => /\^ /.test(text));
	assert.match(text, /find sev>=x/);
	assert.match(text, /\^ /);
});
