import '../helpers/interactive.js';
import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {render} from 'ink-testing-library';
import {Ingest} from '../../source/feed/ingest.js';
import {EventStore} from '../../source/store/event-store.js';
import {buildTimeline} from '../../source/store/timeline.js';
import {Screen} from '../../source/ui/screen.js';
import {timelineCells} from '../../source/ui/timeline-rows.js';
import {keys, plain, until} from '../helpers/ui.js';

const stores: EventStore[] = [];
const apps: Array<{unmount: () => void}> = [];
afterEach(() => {
	for (const app of apps.splice(0)) app.unmount();
	for (const store of stores.splice(0)) store.close();
});

/** Events at 12:00:00..12:00:09, one more each second (1, 2, ... 10), the one at :05 a Block. */
function setup(rows: number, now?: () => number) {
	const store = new EventStore({maxEvents: 1000, notifyIntervalMs: 10, now});
	stores.push(store);
	const ingest = new Ingest(store);
	const app = render(<Screen store={store} size={{columns: 100, rows}} />);
	apps.push(app);
	for (let second = 0; second < 10; second++) {
		for (let index = 0; index <= second; index++) {
			ingest.value(
				{
					UpdatedTime: `2024-01-01T12:00:0${second}.000000Z`,
					NamespaceName: 'payments',
					PodName: 'api',
					ProcessName: `/usr/bin/proc${second}`,
					Operation: 'Process',
					Action: second === 5 ? 'Block' : 'Audit',
					Severity: second === 5 ? '9' : '3',
					Type: 'MatchedPolicy',
					PolicyName: 'audit-all',
				},
				'test',
			);
		}
	}

	return {store, app, frame: () => plain(app.lastFrame())};
}

test('bars grow with their bucket, the most severe band on top', () => {
	const store = new EventStore({maxEvents: 100});
	const ingest = new Ingest(store);
	for (const [time, severity] of [['12:00:00', '3'], ['12:00:01', '3'], ['12:00:01', '3'], ['12:00:01', '9']] as const) {
		ingest.value({UpdatedTime: `2024-01-01T${time}.000000Z`, Operation: 'File', Severity: severity, Type: 'MatchedPolicy'}, 'test');
	}

	const cells = timelineCells(buildTimeline(store.view.retained(), 10), 2);
	// Two buckets of 1 and 3 events: a third of the peak, and the peak, over two rows of eighths.
	assert.deepEqual(
		cells.map(row => row.map(cell => cell.glyph).join('')),
		[' █', '▅█'],
	);
	assert.equal(cells[0]![1]!.band, 'crit', 'the crit event on top of its bar');
	assert.equal(cells[1]![1]!.band, 'low');
	assert.equal(cells[1]![0]!.band, 'low');
	store.close();
});

test('the timeline shows where there is room; t hides it; T, ← and Enter move the list to that second', async () => {
	const {app, frame} = setup(50);
	let text = await until(frame, text => /Timeline · 1 s buckets · peak 10/.test(text));
	assert.match(text, /Timeline · 1 s buckets · peak 10/);
	app.stdin.write('T');
	text = await until(frame, text => /12:00:09 10 events/.test(text));
	// Four buckets back: 12:00:05, the Block's second.
	app.stdin.write(keys.left.repeat(4));
	text = await until(frame, text => /12:00:05 6 events/.test(text));
	app.stdin.write(keys.enter);
	text = await until(frame, text => /who\s+\S+.*proc5/.test(text) && /frozen/.test(text));
	assert.match(text, /Action\s+Block/, "the list is on the bucket's newest event");
	app.stdin.write('t');
	assert.doesNotMatch(await until(frame, text => !/Timeline/.test(text)), /Timeline/);
});

test('the timeline follows the filter, and hides by default on a short terminal', async () => {
	const {app, frame} = setup(50);
	await until(frame, text => /peak 10/.test(text));
	app.stdin.write('/sev>=9\r');
	assert.match(await until(frame, text => /Timeline · 1 s buckets · peak 6\b/.test(text)), /peak 6/);
	const short = setup(30);
	await until(short.frame, text => /Events \(newest first\) 55/.test(text));
	assert.doesNotMatch(short.frame(), /Timeline/);
	short.app.stdin.write('t');
	assert.match(await until(short.frame, text => /Timeline/.test(text)), /Timeline · 1 s buckets/);
});

test('while events stream in, the timeline is counted again once a second of the store\'s clock', async () => {
	let clock = Date.UTC(2024, 0, 1, 12);
	const {store, frame} = setup(50, () => clock);
	const ingest = new Ingest(store);
	const more = (count: number) => {
		for (let index = 0; index < count; index++) {
			ingest.value({UpdatedTime: '2024-01-01T12:00:09.000000Z', Operation: 'File', Severity: '3', Type: 'MatchedPolicy'}, 'test');
		}
	};

	await until(frame, text => /peak 10\b/.test(text));
	more(5);
	await until(frame, text => /Events \(newest first\) 60/.test(text));
	// A second passes on the wall, not on the store's clock (a replay, a test): not counted again.
	await new Promise(resolve => setTimeout(resolve, 1100));
	more(1);
	assert.match(await until(frame, text => /Events \(newest first\) 61/.test(text)), /peak 10\b/);
	clock += 1000;
	more(1);
	assert.match(await until(frame, text => /peak 17/.test(text)), /Events \(newest first\) 62/);
});
