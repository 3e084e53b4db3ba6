// The monitor drawn through its DiffOutput into a terminal in memory: what the terminal ends up showing must be
// ink's frame, after keys, bursts and resizes, while far fewer bytes go out.
import '../helpers/interactive.js';
import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import chalk from 'chalk';
import {render as renderInk} from 'ink';
import {render} from 'ink-testing-library';
import {Screen} from '../../source/ui/screen.js';
import {demoEvents} from '../../source/feed/demo-feed.js';
import {Ingest} from '../../source/feed/ingest.js';
import {EventStore} from '../../source/store/event-store.js';
import {DiffOutput} from '../../source/ui/diff-output.js';
import {ScreenModel} from '../../source/ui/screen-model.js';
import {RowPainterContext} from '../../source/ui/components/line.js';
import {fakeTerminal} from '../../bench/fake-terminal.js';
import {keys, until} from '../helpers/ui.js';

// Colours on, as in a terminal: styles are part of what the differ compares and sends.
chalk.level = 1;

const cleanups: Array<() => void> = [];
afterEach(() => {
	for (const cleanup of cleanups.splice(0)) cleanup();
});

/** painted: the lines' text drawn by the DiffOutput as the monitor draws it (row-painter.ts), not through ink's frame. */
function monitor(columns = 120, rows = 40, {painted = true, now}: {painted?: boolean; now?: () => number} = {}) {
	const store = new EventStore({maxEvents: 1000, notifyIntervalMs: 10, now});
	const ingest = new Ingest(store);
	const terminal = fakeTerminal(columns, rows);
	const output = new DiffOutput(terminal.stdout as unknown as NodeJS.WriteStream);
	// ink's own frames played into a terminal of their own: the screen a full redraw gives.
	const reference = new ScreenModel(columns, rows);
	if (painted) reference.rowText = marker => output.painter.text(marker);
	const write = output.write;
	output.write = (chunk, ...rest) => {
		reference.write(String(chunk));
		return write(chunk, ...rest);
	};

	terminal.stdout.on('resize', () => {
		reference.resize(terminal.stdout.columns, terminal.stdout.rows);
	});
	const screen = <Screen store={store} onRedraw={() => output.redraw()} />;
	const instance = renderInk(painted ? <RowPainterContext.Provider value={output.painter}>{screen}</RowPainterContext.Provider> : screen, {
		stdout: output as unknown as NodeJS.WriteStream,
		stdin: terminal.streams.stdin,
		stderr: terminal.streams.stderr,
		maxFps: 60,
		exitOnCtrlC: false,
		patchConsole: false,
	});
	cleanups.push(() => {
		instance.unmount();
		store.close();
	});
	const shown = () => terminal.stdout.screen.grid.text();
	/** Wait until the terminal shows `pattern` and what a full redraw would show. */
	const settled = async (pattern: RegExp) => {
		const text = await until(shown, text => pattern.test(text) && text === reference.grid.text());
		assert.match(text, pattern);
		assert.equal(text, reference.grid.text(), 'the terminal shows what a full redraw shows');
		return text;
	};

	return {store, ingest, terminal, output, shown, settled};
}

const hostile = [
	{NamespaceName: '日本語-ns', PodName: 'pod-😀', ProcessName: '/usr/bin/cafe\u0301', Resource: '/tmp/👩‍💻/\u{1F1E9}\u{1F1EA}'},
	{NamespaceName: 'evil', PodName: 'p', ProcessName: '/tmp/\u001B]0;PWNED\u0007x', Resource: '/etc/\u001B[2J\u001B[31mshadow\u202Eexe', ContainerName: 'a row marker \u00010.0\u0002 in an event'},
];

for (const painted of [true, false]) {
	test(`after keys, a burst, wide and hostile text and resizes the terminal shows exactly the full frame (${painted ? 'lines painted' : 'lines through ink'})`, async () => {
		await keysBurstsAndResizes(monitor(120, 40, {painted}));
	});
}

async function keysBurstsAndResizes({ingest, terminal, output, settled}: ReturnType<typeof monitor>): Promise<void> {
	for (const event of demoEvents(200, 3, Date.UTC(2026, 0, 1), 100)) ingest.value(event, 'demo');
	for (const [index, extra] of hostile.entries()) ingest.value({...demoEvents(1, index, Date.UTC(2026, 0, 1), 1)[0], ...extra}, 'demo');
	assert.match(await settled(/202 events/), /␛/, 'the hostile placeholders are on the screen');
	for (const key of ['j', 'j', keys.down, 'k', keys.enter, 'j', keys.escape, '?', '?', 'G', 'g', ' ']) {
		const before = output.bytesIn;
		terminal.stdin.press(key);
		// The frame for this key (ink may hold a lone Esc a moment), then the terminal must show it.
		await until(() => String(output.bytesIn), bytes => Number(bytes) > before, 500);
		await settled(/armorwatch/);
	}

	for (const event of demoEvents(500, 9, Date.UTC(2026, 0, 2), 1000)) ingest.value(event, 'demo');
	await settled(/702 events/);
	terminal.stdout.resize(90, 30);
	await settled(/armorwatch/);
	terminal.stdout.resize(120, 40);
	await settled(/armorwatch/);
}

test('lines painted by the DiffOutput give the screen, colours and all, that lines drawn through ink give', async () => {
	// One clock for both: each event's arrival is on the screen (the detail's "received").
	const now = () => Date.UTC(2026, 0, 1, 12);
	const painted = monitor(120, 40, {painted: true, now});
	const plain = monitor(120, 40, {painted: false, now});
	const cells = (model: ScreenModel) => model.grid.rows.map(row => [...row.style].map((style, column) => `${row.text[column]}${JSON.stringify(model.styles.value(style))}`).join('')).join('\n');
	const same = async (pattern: RegExp) => {
		await painted.settled(pattern);
		await plain.settled(pattern);
		// Both screens settled on their own frames; they must hold the same cells (read together: the clock moves).
		let expected = '';
		const text = await until(
			() => {
				expected = cells(plain.terminal.stdout.screen);
				return cells(painted.terminal.stdout.screen);
			},
			text => text === expected,
			2000,
		);
		assert.ok(text === expected, `the painted screen differs:\n${painted.shown()}\n---\n${plain.shown()}`);
	};

	for (const {ingest} of [painted, plain]) {
		for (const event of demoEvents(300, 4, Date.UTC(2026, 0, 1), 100)) ingest.value(event, 'demo');
		for (const [index, extra] of hostile.entries()) ingest.value({...demoEvents(1, index, Date.UTC(2026, 0, 1), 1)[0], ...extra}, 'demo');
	}

	await same(/302 events/);
	// The list with a selection bar, the detail pane focused, groups, a group opened, the help; a filter typed in
	// its prompt, a find and its next match, the raw view and the policy draft, a picker, the timeline focused.
	const typed = (text: string) => [...text];
	const sequence = [
		...['j', 'j', keys.enter, keys.escape, '=', 'j', keys.enter, keys.escape, '?', '?'],
		...['/', ...typed('nginx'), keys.enter, 'f', ...typed('etc'), keys.enter, 'n', 'r', 'r', 'P', keys.escape, 'x'],
		...[':', 'j', keys.escape, 't', 'T', 'h', 'h', keys.escape, 't'],
	];
	for (const key of sequence) {
		for (const {terminal} of [painted, plain]) terminal.stdin.press(key);
		await same(/armorwatch/);
	}
});

test('one j sends the cells that changed, not the screen; ^L and leaving the help send it whole', async () => {
	const {ingest, terminal, output, settled} = monitor();
	for (const event of demoEvents(100, 5, Date.UTC(2026, 0, 1), 100)) ingest.value(event, 'demo');
	await settled(/100 events/);
	const before = {in: output.bytesIn, out: terminal.stdout.bytes};
	terminal.stdin.press('j');
	await settled(/frozen/);
	const sent = terminal.stdout.bytes - before.out;
	assert.ok(sent < 4096, `one j sent ${sent} bytes`);
	assert.ok(sent < (output.bytesIn - before.in) / 2, `ink wrote ${output.bytesIn - before.in} bytes, the terminal got ${sent}`);

	const screenful = async (press: string) => {
		const start = terminal.stdout.bytes;
		terminal.stdin.press(press);
		await until(() => String(terminal.stdout.bytes - start), bytes => Number(bytes) > 4000);
		return terminal.stdout.bytes - start;
	};

	assert.ok((await screenful('\f')) > 4000, '^L draws the whole screen');
	terminal.stdin.press('?');
	await settled(/Help/);
	assert.ok((await screenful('?')) > 4000, 'leaving the help draws the whole screen');
	await settled(/frozen/);
});

test('^L asks for the whole screen to be drawn again, and so does leaving the help', async () => {
	const store = new EventStore({maxEvents: 10});
	let redraws = 0;
	const app = render(<Screen store={store} size={{columns: 100, rows: 30}} onRedraw={() => redraws++} />);
	cleanups.push(() => {
		app.unmount();
		store.close();
	});
	await until(() => app.lastFrame() ?? '', text => text.includes('armorwatch'));
	app.stdin.write('\f');
	await until(() => String(redraws), count => count === '1');
	assert.equal(redraws, 1);
	app.stdin.write('?');
	await until(() => app.lastFrame() ?? '', text => text.includes('Help'));
	app.stdin.write(keys.escape);
	await until(() => String(redraws), count => count === '2');
	assert.equal(redraws, 2);
});
