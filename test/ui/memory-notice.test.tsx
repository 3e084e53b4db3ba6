import '../helpers/interactive.js';
import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {render} from 'ink-testing-library';
import {Screen} from '../../source/ui/screen.js';
import {Ingest} from '../../source/feed/ingest.js';
import {EventStore} from '../../source/store/event-store.js';
import {retention} from '../../source/store/memory-bound.js';
import {plain, until} from '../helpers/ui.js';
import {sampleLines} from '../helpers/samples.js';

const stores: EventStore[] = [];
const apps: Array<{unmount: () => void}> = [];
afterEach(() => {
	for (const app of apps.splice(0)) app.unmount();
	for (const store of stores.splice(0)) store.close();
});

function setup(maxAlerts: number, maxMemory: number) {
	const kept = retention(maxAlerts, maxMemory);
	const store = new EventStore({maxEvents: kept.maxEvents, maxBytes: kept.maxBytes, askedEvents: kept.maxAlerts, notifyIntervalMs: 10});
	stores.push(store);
	const app = render(<Screen store={store} size={{columns: 100, rows: 30}} />);
	apps.push(app);
	return {store, ingest: new Ingest(store), frame: () => plain(app.lastFrame())};
}

const footer = (frame: string) => frame.trimEnd().split('\n').at(-1) ?? '';

test('a --max-alerts the memory bound cannot hold: the footer says how many are kept of it, and the bound', async () => {
	// 64 KB holds about 120 typical events: --max-alerts 10,000,000 is capped at start.
	const {store, ingest, frame} = setup(10_000_000, 64 * 1024);
	const lines = sampleLines();
	assert.doesNotMatch(await until(frame, text => footer(text).includes('following')), /memory bound/, 'nothing let go of yet: no notice');
	for (let index = 0; index < 400; index++) ingest.line(lines[index % lines.length]!, 'test');
	const shown = await until(frame, text => /memory bound/.test(footer(text)));
	assert.match(footer(shown), new RegExp(`kept ${store.events.size.toLocaleString('en-US')} of --max-alerts 10,000,000: memory bound 64 KB`));
	assert.equal(store.counters.events, 400, 'every event counted');
	assert.ok(store.events.size < 400);
});

test('events over the bound by their size: the footer says so though --max-alerts was not capped', async () => {
	const {store, ingest, frame} = setup(50_000, 1024 * 1024);
	for (let index = 0; index < 200; index++) {
		ingest.line(JSON.stringify({NamespaceName: 'payments', Operation: 'File', Action: 'Block', Data: `${index} ${'x'.repeat(20_000)}`}), 'test');
	}

	const shown = await until(frame, text => /memory bound/.test(footer(text)));
	assert.match(footer(shown), /kept \d+ of --max-alerts 50,000: memory bound 1 MB/);
	assert.ok(store.events.size < 60, `kept ${store.events.size}`);
});
