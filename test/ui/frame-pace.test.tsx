import '../helpers/interactive.js';
import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {setTimeout as sleep} from 'node:timers/promises';
import {render} from 'ink-testing-library';
import {Screen} from '../../source/ui/screen.js';
import {pacedInterval} from '../../source/ui/hooks/use-frame-pace.js';
import {Ingest} from '../../source/feed/ingest.js';
import {EventStore} from '../../source/store/event-store.js';
import {plain, until} from '../helpers/ui.js';
import {sampleLines} from '../helpers/samples.js';

// How often the screen draws while events stream: the stream and the clock share one 100 ms slot, and a key
// draws at once (its frame also shows what arrived before it).

const stores: EventStore[] = [];
const apps: Array<{unmount: () => void}> = [];
afterEach(() => {
	for (const app of apps.splice(0)) app.unmount();
	for (const store of stores.splice(0)) store.close();
});

function setup() {
	const store = new EventStore({maxEvents: 10_000});
	stores.push(store);
	const ingest = new Ingest(store);
	const app = render(<Screen store={store} size={{columns: 100, rows: 30}} />);
	apps.push(app);
	return {store, ingest, app, frame: () => plain(app.lastFrame())};
}

/** Feed the samples, a few every 10 ms, for `ms`; call `each` after every batch with the time since the start. */
async function stream(ingest: Ingest, ms: number, each?: (elapsed: number) => void): Promise<void> {
	const lines = sampleLines();
	const start = Date.now();
	for (let sent = 0; Date.now() - start < ms; ) {
		for (let index = 0; index < 5; index++) ingest.line(lines[sent++ % lines.length]!, 'test');
		each?.(Date.now() - start);
		await sleep(10);
	}
}

test('while events stream and keys are typed, the screen draws one frame per 100 ms slot plus the keys', async () => {
	const {ingest, app, frame} = setup();
	ingest.line(sampleLines()[0]!, 'test');
	await until(frame, text => text.includes('1 event'));
	const framesBefore = app.frames.length;
	let keys = 0;
	let nextKey = 250;
	const ms = 2000;
	await stream(ingest, ms, elapsed => {
		if (elapsed < nextKey) return;
		nextKey += 250;
		app.stdin.write(keys++ % 2 === 0 ? 'j' : 'g');
	});
	const frames = app.frames.length - framesBefore;
	// Each 250 ms: the key's frame and at most two 100 ms slots after it. Drawn on their own, the store's ten a
	// second, the keys' four and the clock's one made about 15 a second.
	const most = Math.ceil((ms / 250) * 3) + 2;
	assert.ok(frames <= most, `${frames} frames in ${ms} ms with ${keys} keys: at most ${most}`);
	assert.ok(frames >= keys, `${frames} frames for ${keys} keys: every key drew`);
});

test('a key draws at once while the stream waits for its slot, and its frame shows what had arrived', async () => {
	const {ingest, app, frame} = setup();
	ingest.line(sampleLines()[0]!, 'test');
	await until(frame, text => text.includes('1 event'));
	// Let the slot pass, so the next store notification draws at once, then stream so one has just drawn.
	await sleep(150);
	ingest.line(sampleLines()[1]!, 'test');
	await until(frame, text => text.includes('2 events'));
	// Within the slot after that frame: the stream's new events wait, a key does not.
	ingest.line(sampleLines()[2]!, 'test');
	const before = app.frames.length;
	app.stdin.write('j');
	await sleep(15);
	assert.ok(app.frames.length > before, 'the key drew a frame without waiting for the 100 ms slot');
	assert.match(frame(), /3 events/, 'and the frame shows the event that arrived before the key');
	assert.match(frame(), /frozen/, 'the key did what it does (j freezes the list)');
});

test('while the process is busy, paced frames come less often: the wait follows its CPU share to a fifth of a core, between 1 and 2.5 slots', () => {
	// A quiet process keeps the 100 ms slot.
	assert.equal(pacedInterval(100, 100, 0), 100);
	assert.equal(pacedInterval(100, 100, 0.15), 100);
	// 40% of a core over the last 100 ms: the next wait is 200 ms, half the frames.
	assert.equal(pacedInterval(100, 100, 0.4), 200);
	// Settled: at the budget, the wait stays; under it, it comes back down, never under the slot.
	assert.equal(pacedInterval(200, 100, 0.2), 200);
	assert.equal(pacedInterval(200, 100, 0.15), 150);
	assert.equal(pacedInterval(120, 100, 0.1), 100);
	// However busy (a feed alone over budget), the screen still moves four times a second.
	assert.equal(pacedInterval(250, 100, 0.9), 250);
	assert.equal(pacedInterval(10, 10, 0.9), 25);
});
