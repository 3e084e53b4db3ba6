import '../helpers/interactive.js';
import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {render} from 'ink-testing-library';
import {Ingest} from '../../source/feed/ingest.js';
import {EventStore} from '../../source/store/event-store.js';
import {parseGroupBy, type GroupField} from '../../source/store/group-fields.js';
import {Screen} from '../../source/ui/screen.js';
import {stormEvents} from '../helpers/storm.js';
import {keys, plain, until} from '../helpers/ui.js';

const stores: EventStore[] = [];
const apps: Array<{unmount: () => void}> = [];
afterEach(() => {
	for (const app of apps.splice(0)) app.unmount();
	for (const store of stores.splice(0)) store.close();
});

function setup(groupBy?: GroupField[], maxGroups?: number) {
	const store = new EventStore({maxEvents: 5000, notifyIntervalMs: 10, maxGroups});
	stores.push(store);
	const ingest = new Ingest(store);
	const app = render(<Screen store={store} size={{columns: 100, rows: 40}} initialGroupBy={groupBy} />);
	apps.push(app);
	return {store, ingest, app, frame: () => plain(app.lastFrame())};
}

/** A storm (see stormEvents): the audits, and one Block half-way through. */
function storm(ingest: Ingest, audits: number) {
	for (const event of stormEvents(audits, [Math.floor(audits / 2)])) ingest.value(event, 'test');
}

/** The group rows of the list: ×count and the key values. */
function groupRows(frame: string): string[] {
	return frame.split('\n').filter(line => /^│[› ] *×\d/.test(line));
}

test('= collapses a storm into one group per key, the workload without the pods\' suffixes; = goes back', async () => {
	const {ingest, app, frame} = setup();
	storm(ingest, 300);
	await until(frame, text => /Events \(newest first\) 301/.test(text));
	app.stdin.write('=');
	const text = await until(frame, text => groupRows(text).length === 2);
	const rows = groupRows(text);
	assert.equal(rows.length, 2, text);
	assert.match(text, /2 groups · by count · of policy,op,action,proc/);
	assert.match(rows[0]!, /×300 .*DefaultPosture · File · Au/);
	assert.match(rows[1]!, /×1 .*block-reverse-shell · Netw/);
	// The detail pane shows the group's key and its sample event.
	assert.match(text, /Group ×300/);
	assert.match(text, /Workload\s+payments\/api/);
	app.stdin.write('=');
	assert.match(await until(frame, text => /Events \(newest first\)/.test(text)), /Events \(newest first\) 301/);
});

test('O cycles the order: count, last seen, severity (the Block first)', async () => {
	const {ingest, app, frame} = setup(parseGroupBy('policy') as GroupField[]);
	storm(ingest, 50);
	await until(frame, text => groupRows(text).length === 2);
	assert.match(groupRows(frame())[0]!, /DefaultPosture/);
	app.stdin.write('O');
	await until(frame, text => /by last seen/.test(text));
	// The last audit is at 12:04, after the Block at 12:02:30.
	assert.match(groupRows(frame())[0]!, /DefaultPosture/);
	app.stdin.write('O');
	await until(frame, text => /by severity/.test(text));
	assert.match(groupRows(frame())[0]!, /block-reverse-shell/);
});

test('groups update live and follow the filter; Enter opens a group\'s events, Esc goes back to the groups', async () => {
	const {ingest, app, frame} = setup(parseGroupBy('policy,action') as GroupField[]);
	storm(ingest, 20);
	await until(frame, text => groupRows(text).length === 2);
	storm(ingest, 10);
	assert.match(groupRows(await until(frame, text => /×30\b/.test(text)))[0]!, /×30 .*DefaultPosture · Audit/);
	app.stdin.write('j');
	app.stdin.write(keys.enter);
	const opened = await until(frame, text => / 2 of 32 shown/.test(text));
	assert.match(opened, /Events \(newest first\) 2 of 32 shown · one group/);
	assert.match(opened, /group:policy=block-reverse-shell,action=Block/);
	app.stdin.write(keys.escape);
	assert.equal(groupRows(await until(frame, text => groupRows(text).length === 2)).length, 2);
	// The filter applies to the groups.
	app.stdin.write('/Block\r');
	const filtered = await until(frame, text => groupRows(text).length === 1);
	assert.equal(groupRows(filtered).length, 1, filtered);
	assert.match(groupRows(filtered)[0]!, /×2 .*block-reverse-shell/);
});

test('F picks the fields: a field taken out of the key merges its groups', async () => {
	const {ingest, app, frame} = setup(parseGroupBy('policy,pod') as GroupField[]);
	storm(ingest, 30);
	// Three replicas: three DefaultPosture groups, and the Block's.
	await until(frame, text => groupRows(text).length === 4);
	app.stdin.write('F');
	await until(frame, text => /Group by/.test(text));
	app.stdin.write('pod');
	await until(frame, text => /›\[x\] pod/.test(text));
	app.stdin.write(keys.enter);
	await until(frame, text => /›\[ \] pod/.test(text));
	app.stdin.write(keys.escape);
	const merged = await until(frame, text => /by count · of policy\b/.test(text) && groupRows(text).length === 2);
	assert.match(groupRows(merged)[0]!, /×30 .*DefaultPosture/);
});

test('at most --max-groups kept: the least recently seen dropped first, and counted on screen', async () => {
	const {ingest, frame} = setup(parseGroupBy('pod') as GroupField[], 2);
	storm(ingest, 9);
	const text = await until(frame, text => /dropped/.test(text));
	assert.match(text, /2 groups \(\d+ dropped\)/);
	assert.equal(groupRows(text).length, 2);
});

test('Enter on a group draws only its events from the first frame on, and Esc only the groups', async () => {
	const {ingest, app, frame} = setup(parseGroupBy('policy') as GroupField[]);
	storm(ingest, 40);
	await until(frame, text => groupRows(text).length === 2);
	app.stdin.write('j');
	await until(frame, text => /›.*block-reverse-shell/.test(text));
	const before = app.frames.length;
	app.stdin.write(keys.enter);
	const opened = await until(frame, text => / 1 of 41 shown · one group/.test(text));
	assert.match(opened, /\/bin\/nc/);
	const afterEnter = app.frames.slice(before).map(plain);
	assert.ok(afterEnter.length > 0);
	for (const text of afterEnter) {
		// Every frame is the group list still, or the opened group's one event: never an audit of the storm.
		if (groupRows(text).length > 0) continue;
		assert.doesNotMatch(text, /\/usr\/bin\/apt/, `a frame after Enter shows an event outside the group:\n${text}`);
		assert.match(text, / 1 of 41 shown · one group/, text);
	}

	const beforeEscape = app.frames.length;
	app.stdin.write(keys.escape);
	await until(frame, text => groupRows(text).length === 2);
	for (const text of app.frames.slice(beforeEscape).map(plain)) {
		// The opened group's list, or the groups (both of them, never an empty or half-built list).
		if (/one group/.test(text)) continue;
		assert.equal(groupRows(text).length, 2, `a frame after Esc:\n${text}`);
	}
});
