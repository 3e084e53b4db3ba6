import '../helpers/interactive.js';
import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {render} from 'ink-testing-library';
import stringWidth from 'string-width';
import {Screen} from '../../source/ui/screen.js';
import {Ingest} from '../../source/feed/ingest.js';
import {EventStore} from '../../source/store/event-store.js';
import {keys, plain, until} from '../helpers/ui.js';
import {sampleLines} from '../helpers/samples.js';

// Unmount everything even when an assertion failed, or the clock timers keep the run alive.
const stores: EventStore[] = [];
const apps: Array<{unmount: () => void}> = [];
afterEach(() => {
	for (const app of apps.splice(0)) app.unmount();
	for (const store of stores.splice(0)) store.close();
});

// ink-testing-library's fake terminal is 100 columns wide: sizes here stay within it.
function setup(size = {columns: 100, rows: 40}) {
	const store = new EventStore({maxEvents: 1000, notifyIntervalMs: 10});
	stores.push(store);
	const ingest = new Ingest(store);
	const app = render(<Screen store={store} size={size} />);
	apps.push(app);
	return {store, ingest, app, frame: () => plain(app.lastFrame())};
}

function event(pid: number, extra: Record<string, unknown> = {}) {
	return {
		UpdatedTime: '2024-01-01T12:00:00.000000Z',
		NamespaceName: 'payments',
		PodName: `api-${pid}`,
		ProcessName: `/usr/bin/proc${pid}`,
		Operation: 'Process',
		Action: 'Audit',
		Severity: '5',
		Type: 'MatchedPolicy',
		PolicyName: 'audit-all',
		PID: pid,
		...extra,
	};
}

/** The list row that is drawn inverted is the selected one; find it by its process name. */
function selectedDetail(frame: string): string | undefined {
	return /who\s+\S+.*→ \/usr\/bin\/(proc\d+)/.exec(frame)?.[1];
}

test('the list shows the newest event first and the detail follows the selection', async () => {
	const {ingest, app, frame} = setup();
	for (let pid = 1; pid <= 5; pid++) ingest.value(event(pid), 'test');
	await until(frame, text => selectedDetail(text) === 'proc5');
	const lines = frame().split('\n');
	const rowOf = (name: string) => lines.findIndex(line => line.includes(` ${name} `) && line.includes('AUDIT'));
	assert.ok(rowOf('proc5') < rowOf('proc4') && rowOf('proc4') < rowOf('proc1'), frame());
	assert.equal(selectedDetail(frame()), 'proc5');
	app.stdin.write('j');
	assert.equal(selectedDetail(await until(frame, text => selectedDetail(text) === 'proc4')), 'proc4');
	app.stdin.write(keys.down);
	assert.equal(selectedDetail(await until(frame, text => selectedDetail(text) === 'proc3')), 'proc3');
	app.stdin.write('k');
	assert.equal(selectedDetail(await until(frame, text => selectedDetail(text) === 'proc4')), 'proc4');
	app.unmount();
});

test('moving away freezes the list with an "N new" badge; g goes back to following', async () => {
	const {ingest, app, frame} = setup();
	for (let pid = 1; pid <= 5; pid++) ingest.value(event(pid), 'test');
	await until(frame, text => selectedDetail(text) === 'proc5');
	app.stdin.write('j');
	await until(frame, text => selectedDetail(text) === 'proc4');
	ingest.value(event(6, {Action: 'Block'}), 'test');
	ingest.value(event(7), 'test');
	assert.match(await until(frame, text => /2 new/.test(text)), /2 new \(1 Block\)/);
	assert.equal(selectedDetail(frame()), 'proc4', 'the selection stays on the same event');
	assert.doesNotMatch(frame(), /proc7/, 'the frozen list does not show new events');
	app.stdin.write('g');
	assert.equal(selectedDetail(await until(frame, text => selectedDetail(text) === 'proc7')), 'proc7');
	assert.doesNotMatch(frame(), /\d+ new/);
	ingest.value(event(8), 'test');
	const following = await until(frame, text => selectedDetail(text) === 'proc8');
	assert.equal(selectedDetail(following), 'proc8', 'following keeps the newest selected');
	app.unmount();
});

test('space pauses: the list freezes, counters keep counting, the footer counts new and Block', async () => {
	const {ingest, app, frame} = setup();
	for (let pid = 1; pid <= 3; pid++) ingest.value(event(pid), 'test');
	await until(frame, text => selectedDetail(text) === 'proc3');
	app.stdin.write(' ');
	await until(frame, text => /paused/.test(text));
	for (let pid = 4; pid <= 9; pid++) ingest.value(event(pid, {Action: pid % 3 === 0 ? 'Block' : 'Audit'}), 'test');
	assert.match(await until(frame, text => /6 new/.test(text)), /paused: 6 new \(2 Block\)/);
	assert.match(frame(), /9 events/, 'the header keeps counting');
	assert.doesNotMatch(frame(), /proc9/);
	app.stdin.write(' ');
	assert.doesNotMatch(await until(frame, text => !/paused/.test(text)), /paused/);
	assert.equal(selectedDetail(frame()), 'proc9');
	app.unmount();
});

test('the detail pane shows every field, grouped, unknown fields included', async () => {
	// Narrow layout: Enter opens the detail full width.
	const {ingest, app, frame} = setup({columns: 99, rows: 60});
	ingest.line(sampleLines()[1], 'samples.ndjson');
	await until(frame, text => text.includes('Detail #'));
	app.stdin.write(keys.enter);
	const text = await until(frame, text => text.includes('other fields'));
	for (const expected of [
		'what happened',
		'where',
		'process lineage',
		'what it touched',
		'other fields',
		'DefaultPosture',
		'? (194, host 10997) → /bin/ls (204, host 11105)',
		'/run/secrets/kubernetes.io/serviceaccount',
		'cluster_id',
		'3664',
		'HashID',
		'samples.ndjson',
	]) {
		assert.ok(text.includes(expected), `missing ${expected}\n${text}`);
	}

	app.unmount();
});

/** A short screen with a long event (#2) selected and the detail pane focused, showing its top. */
async function longEventDetail() {
	const screen = setup({columns: 100, rows: 16});
	screen.ingest.line(sampleLines()[0], 'samples');
	screen.ingest.line(sampleLines()[2], 'samples');
	await until(screen.frame, text => text.includes('Detail #2'));
	screen.app.stdin.write(keys.enter);
	const top = await until(screen.frame, text => /detail \(Esc back\)/.test(text) && /↓ \d+ more/.test(text));
	return {...screen, top};
}

test('Enter focuses the detail pane and j scrolls it; Esc goes back to the list', async () => {
	const {app, frame, top: before} = await longEventDetail();
	assert.match(before, /detail \(Esc back\)/);
	const hidden = /↓ (\d+) more/.exec(before);
	assert.ok(hidden, 'a long event does not fit: the title says how much more');
	app.stdin.write('j');
	app.stdin.write('j');
	const expected = Number(hidden[1]) - 2;
	const after = /↓ (\d+) more/.exec(await until(frame, text => /↓ (\d+) more/.exec(text)?.[1] === String(expected)));
	assert.equal(Number(after?.[1] ?? 0), expected);
	app.stdin.write(keys.escape);
	assert.doesNotMatch(await until(frame, text => !/detail \(Esc back\)/.test(text)), /detail \(Esc back\)/);
	app.unmount();
});

test('with the detail pane focused, g / Home and G / End go to its top and its end; the list keeps its place', async () => {
	const {app, frame, top} = await longEventDetail();
	const hidden = /↓ (\d+) more/.exec(top)?.[1];
	assert.ok(hidden, 'a long event does not fit: the title says how much more');
	for (const [end, start] of [['G', 'g'], [keys.end, keys.home]]) {
		app.stdin.write(end);
		const bottom = await until(frame, text => !/↓ \d+ more/.test(text));
		assert.doesNotMatch(bottom, /↓ \d+ more/, 'at the end of the detail');
		assert.match(bottom, /Detail #2/, 'the same event: the list did not move to the oldest');
		assert.match(bottom, /detail \(Esc back\)/, 'the detail keeps the focus');
		app.stdin.write(start);
		const again = await until(frame, text => /↓ (\d+) more/.exec(text)?.[1] === hidden);
		assert.equal(/↓ (\d+) more/.exec(again)?.[1], hidden, 'back at the top');
		assert.match(again, /Detail #2/);
	}

	// Back in the list, G and g move the selection again.
	app.stdin.write(keys.escape);
	await until(frame, text => !/detail \(Esc back\)/.test(text));
	app.stdin.write('G');
	assert.match(await until(frame, text => text.includes('Detail #1')), /Detail #1/);
});

test('in the help, q and Esc close it: the monitor goes on (^C still quits)', async () => {
	const {ingest, app, frame} = setup();
	for (let pid = 1; pid <= 3; pid++) ingest.value(event(pid), 'test');
	await until(frame, text => selectedDetail(text) === 'proc3');
	for (const close of ['q', keys.escape, '?']) {
		app.stdin.write('?');
		await until(frame, text => text.includes('Help ('));
		app.stdin.write(close);
		const closed = await until(frame, text => !text.includes('Help ('));
		assert.doesNotMatch(closed, /Help \(/, `${JSON.stringify(close)} closes the help`);
	}

	app.stdin.write('j');
	assert.equal(selectedDetail(await until(frame, text => selectedDetail(text) === 'proc2')), 'proc2', 'still running: j moves');
	app.stdin.write('?');
	await until(frame, text => text.includes('Help ('));
	app.stdin.write('\u0003');
	// Had ^C not quit, the q would close the help (or quit from the list): either way the help would go.
	app.stdin.write('q');
	assert.match(await until(frame, text => !text.includes('Help ('), 500), /Help \(/, '^C quit: nothing is drawn any more');
});

test('keys that arrive in one read (fast typing, a slow link, a paste) are each handled, in order', async () => {
	const {ingest, app, frame} = setup();
	for (let pid = 1; pid <= 9; pid++) ingest.value(event(pid), 'test');
	await until(frame, text => selectedDetail(text) === 'proc9');
	// Three moves down at once: proc9 -> proc6.
	app.stdin.write('jjj');
	assert.equal(selectedDetail(await until(frame, text => selectedDetail(text) === 'proc6')), 'proc6');
	// A filter typed with its Enter in one read: applied, and the prompt closed.
	app.stdin.write('/proc4\r');
	const filtered = await until(frame, text => text.includes('1 of 9 shown') && !text.includes('Enter keep'));
	assert.match(filtered, /1 of 9 shown/);
	assert.doesNotMatch(filtered, /Enter keep/);
	// "?" then "j" in one read: the j scrolls the help that the ? opened.
	app.stdin.write('x?jj');
	const help = await until(frame, text => /Help \(Esc or q closes, j ↓ \d+ more\)/.test(text) && !text.includes('1 of 9'));
	const more = Number(/j ↓ (\d+) more/.exec(help)?.[1]);
	app.stdin.write(keys.escape);
	await until(frame, text => !text.includes('Help ('));
	app.stdin.write('?');
	const fresh = await until(frame, text => text.includes('Help ('));
	assert.equal(Number(/j ↓ (\d+) more/.exec(fresh)?.[1]), more + 2, 'the two j scrolled the help by two');
	app.unmount();
});

test('? shows the help overlay generated from the keymap; Esc closes it', async () => {
	const {app, frame} = setup();
	await until(frame, text => text.includes('Waiting for events'));
	app.stdin.write('?');
	const text = await until(frame, text => text.includes('Help'));
	for (const expected of ['Help', 'j ↓', 'select the next (older) event', 'space', 'pause', 'q ^C', 'quit']) {
		assert.ok(text.includes(expected), `missing ${expected}`);
	}

	app.stdin.write('?');
	assert.doesNotMatch(await until(frame, text => !/select the next/.test(text)), /select the next/);
	app.unmount();
});

test('80x24: nothing wraps, every line fits, hostile and wide strings keep the columns', async () => {
	const {ingest, app, frame} = setup({columns: 80, rows: 24});
	for (const line of sampleLines().slice(0, 30)) ingest.line(line, 'samples');
	ingest.value(event(1, {ProcessName: '/tmp/\u001B[2J\u001B]0;pwned\u0007evil', Resource: '日本語/ファイル/🚀/\u202Etxt.exe'}), 'test');
	const text = await until(frame, text => text.includes('31 events'));
	const lines = text.split('\n');
	assert.ok(lines.length <= 23, `${lines.length} lines`);
	for (const line of lines) assert.ok(stringWidth(line) <= 80, `too wide (${stringWidth(line)}): ${line}`);
	assert.doesNotMatch(app.lastFrame() ?? '', /\u001B\[2J|\u001B\]0;|\u0007|\u202E/);
	assert.match(text, /␛\[2J/);
	const borders = lines.filter(line => line.startsWith('│') || line.startsWith('└') || line.startsWith('┌'));
	assert.ok(borders.length > 10);
	for (const line of borders) assert.equal(stringWidth(line), 80, `border line width: ${line}`);
	app.unmount();
});

test('below 40x10 the screen says it is too small instead of drawing broken panes; 40x10 draws them', async () => {
	const small = setup({columns: 30, rows: 8});
	for (const line of sampleLines().slice(0, 5)) small.ingest.line(line, 'samples');
	const text = await until(small.frame, text => text.includes('too small'));
	assert.match(text.replaceAll('\n', ' '), /Terminal too small \(30x8\): armorwatch needs at least 40x10/);
	const lines = text.split('\n');
	assert.ok(lines.length <= 7, `${lines.length} lines`);
	for (const line of lines) assert.ok(stringWidth(line) <= 30, `too wide: ${line}`);
	small.app.unmount();

	const {ingest, app, frame} = setup({columns: 40, rows: 10});
	for (const line of sampleLines().slice(0, 5)) ingest.line(line, 'samples');
	const drawn = await until(frame, text => text.includes('5 events'));
	const rows = drawn.split('\n');
	assert.ok(rows.length <= 9, `${rows.length} lines`);
	for (const line of rows) assert.ok(stringWidth(line) <= 40, `too wide (${stringWidth(line)}): ${line}`);
	// A row wider than its pane would overwrite the pane's right border.
	for (const line of rows.filter(line => line.startsWith('│'))) assert.equal(stringWidth(line), 40, `border lost: ${line}`);
	assert.match(drawn, /Events \(newest first\)/);
	assert.match(drawn, /Detail #5/);
	app.unmount();
});

test('a combining accent and emoji sequences (ZWJ, flag, VS16) take the columns a terminal gives them', async () => {
	const {ingest, app, frame} = setup({columns: 80, rows: 24});
	// One character each on screen, several code points each in the string: drawn one cell per code point,
	// the row overflows its pane and pushes the border out (ink's ansi-tokenize before 0.2.5 did that).
	const family = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}';
	ingest.value(event(1, {ProcessName: '/usr/bin/cafe\u0301', Resource: `/${family}/\u{1F1E9}\u{1F1EA}/\u2764\uFE0F`}), 'test');
	const text = await until(frame, text => text.includes(family) && text.includes('cafe\u0301'));
	const lines = text.split('\n');
	const borders = lines.filter(line => line.startsWith('│') || line.startsWith('└') || line.startsWith('┌'));
	assert.ok(borders.length > 10);
	for (const line of borders) {
		assert.equal(stringWidth(line), 80, `border line width: ${line}`);
		assert.ok(line.endsWith('│') || line.endsWith('┐') || line.endsWith('┘'), `right border lost: ${line}`);
	}

	app.unmount();
});

test('malformed input shows in the footer; retained N of M when the ring drops events', async () => {
	const store = new EventStore({maxEvents: 3, notifyIntervalMs: 10});
	stores.push(store);
	const ingest = new Ingest(store);
	const app = render(<Screen store={store} size={{columns: 100, rows: 30}} />);
	apps.push(app);
	for (let pid = 1; pid <= 5; pid++) ingest.value(event(pid), 'test');
	ingest.line('{oops', 'stdin');
	const text = await until(() => plain(app.lastFrame()), text => text.includes('malformed'));
	assert.match(text, /1 malformed/);
	assert.match(text, /retained 3 of 5/);
	app.unmount();
});

test('an AlertThreshold event lists its container as throttled in the header until it expires', async () => {
	let now = Date.parse('2024-01-01T12:00:05Z');
	const store = new EventStore({maxEvents: 100, notifyIntervalMs: 10, now: () => now});
	stores.push(store);
	const app = render(<Screen store={store} size={{columns: 100, rows: 30}} />);
	apps.push(app);
	const frame = () => plain(app.lastFrame());
	new Ingest(store).value(
		{
			UpdatedTime: '2024-01-01T12:00:00.000000Z',
			Type: 'SystemEvent',
			Operation: 'AlertThreshold',
			NamespaceName: 'payments',
			PodName: 'api-1',
			ContainerName: 'api',
			MaxAlertsPerSec: 10,
			DroppingAlertsInterval: 30,
		},
		'test',
	);
	const until30 = new Date(Date.parse('2024-01-01T12:00:30Z'));
	const clock = `${String(until30.getHours()).padStart(2, '0')}:${String(until30.getMinutes()).padStart(2, '0')}:30`;
	const text = await until(frame, text => text.includes('throttled'));
	assert.ok(text.includes(`throttled: payments/api-1/api (until ${clock})`), text.split('\n').slice(0, 3).join('\n'));
	now = Date.parse('2024-01-01T12:00:31Z');
	// The header's clock ticks every second; the throttle is gone once it passes.
	assert.doesNotMatch(await until(frame, text => !text.includes('throttled'), 2500), /throttled/);
});
