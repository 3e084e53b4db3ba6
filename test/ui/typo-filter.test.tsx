import '../helpers/interactive.js';
import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {render} from 'ink-testing-library';
import {Screen} from '../../source/ui/screen.js';
import {Ingest} from '../../source/feed/ingest.js';
import {noFilter} from '../../source/query/filter-state.js';
import {EventStore} from '../../source/store/event-store.js';
import {sampleLines} from '../helpers/samples.js';
import {plain, until} from '../helpers/ui.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
	for (const cleanup of cleanups.splice(0)) cleanup();
});

function monitor(query: string) {
	const store = new EventStore({maxEvents: 1000, notifyIntervalMs: 10});
	const app = render(<Screen store={store} size={{columns: 100, rows: 40}} initialFilter={{...noFilter, query}} />);
	cleanups.push(() => {
		app.unmount();
		store.close();
	});
	return {store, ingest: new Ingest(store), app, frame: () => plain(app.lastFrame())};
}

test('a typo given at start (--filter) counts what the same typo typed after loading counts', async () => {
	// The samples reversed: the events holding the word arrive in another order than in the file.
	const lines = sampleLines().reverse();
	const started = monitor('DefaltPosture');
	await until(started.frame, text => text.includes('filter: DefaltPosture'));
	for (const line of lines) started.ingest.line(line, 'samples');
	const atStart = await until(started.frame, text => /\d+\/69 events/.test(text));
	assert.match(atStart, /13\/69 events/, 'the filter was there before the events');

	const loaded = monitor('');
	for (const line of lines) loaded.ingest.line(line, 'samples');
	await until(loaded.frame, text => text.includes('69 events'));
	loaded.app.stdin.write('/');
	await until(loaded.frame, text => /^\/ /m.test(text));
	loaded.app.stdin.write('DefaltPosture');
	const typed = await until(loaded.frame, text => /\d+\/69 events/.test(text));
	assert.match(typed, /13\/69 events/, 'typed at / after loading');
});
