// Only what changed reaches the terminal, and the terminal still shows exactly what a full redraw shows: in
// tmux, the bytes armorwatch sends are counted with pipe-pane, and the pane (with its colours) is compared with
// the same state drawn whole by ^L, after keys, resizes, bursts, wide characters and hostile text.
import assert from 'node:assert/strict';
import {execFileSync, spawnSync} from 'node:child_process';
import {appendFileSync, mkdtempSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, test} from 'node:test';
import {setTimeout as sleep} from 'node:timers/promises';
import {demoEvents} from '../../source/feed/demo-feed.js';
import {cliPath} from '../helpers/cli.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const socket = `armorwatch-redraw-${process.pid}`;
const cli = cliPath;
const scratch = mkdtempSync(join(tmpdir(), 'armorwatch-redraw-'));
const skip = hasTmux ? false : process.env['CI'] ? false : 'tmux is not installed';

function tmux(...args: string[]): string {
	return execFileSync('tmux', ['-L', socket, ...args], {encoding: 'utf8'});
}

after(() => {
	if (hasTmux) spawnSync('tmux', ['-L', socket, 'kill-server']);
});

/**
 * The pane with its colours and attributes (-e), as the user sees it; in the title row the rate and its
 * sparkline, which move every second while the rate decays, are left out.
 */
function pane(session: string): string {
	const [title = '', ...rest] = tmux('capture-pane', '-p', '-e', '-t', session).split('\n');
	const still = title.replace(/[\d,.k]+((?:\u001B\[[\d;]*m)*\/s)/, '<rate>$1').replace(/[▁▂▃▄▅▆▇█]+/, '<sparkline>');
	return [still, ...rest].join('\n');
}

function plainPane(session: string): string {
	return tmux('capture-pane', '-p', '-t', session);
}

async function waitFor(what: string, check: () => boolean, ms = 15_000): Promise<void> {
	const deadline = Date.now() + ms;
	while (Date.now() < deadline) {
		if (check()) return;
		await sleep(50);
	}

	throw new Error(`timed out waiting for ${what}`);
}

/** Bytes armorwatch has written to the pane so far (pipe-pane copies them to a file). */
function sent(file: string): number {
	try {
		return statSync(file).size;
	} catch {
		return 0;
	}
}

/** Wait until the pane stops changing for `quietMs` (the frame after a key is drawn). */
async function quiet(session: string, quietMs = 400): Promise<string> {
	let last = pane(session);
	let since = Date.now();
	const deadline = Date.now() + 10_000;
	while (Date.now() < deadline) {
		await sleep(50);
		const now = pane(session);
		if (now !== last) {
			last = now;
			since = Date.now();
		} else if (Date.now() - since >= quietMs) return now;
	}

	return last;
}

/**
 * The pane drawn by the differ, then drawn whole by ^L: the same, cell for cell and colour for colour. The clock
 * and the rate line may move between two captures, so a few tries; a cell the differ left stale differs in
 * every try.
 */
async function assertSameAsFullRedraw(session: string, file: string, step: string): Promise<void> {
	let differ = '';
	let full = '';
	for (let attempt = 0; attempt < 5; attempt++) {
		differ = await quiet(session);
		const before = sent(file);
		tmux('send-keys', '-t', session, 'C-l');
		await waitFor('the ^L redraw', () => sent(file) - before > 3000);
		full = await quiet(session);
		if (differ === full) return;
	}

	assert.equal(differ, full, `after ${step}: the differ's screen is not what a full redraw draws`);
}

function start(session: string, command: string, file: string): void {
	tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '40', `${command}; sleep 60`);
	tmux('pipe-pane', '-t', session, '-o', `cat > ${file}`);
}

function eventsFile(name: string): string {
	const path = join(scratch, name);
	const base = Date.UTC(2026, 0, 1);
	const events: Array<Record<string, unknown>> = demoEvents(120, 11, base, 100).map(event => ({...event}));
	// Wide characters, a combining accent, emoji and hostile escapes among them, so the rows holding them move.
	const odd = [
		{NamespaceName: '日本語-prod', PodName: 'pod-😀-1', ProcessName: '/usr/bin/cafe\u0301'},
		{NamespaceName: 'evil', ProcessName: '/tmp/\u001B]0;PWNED\u0007x', Resource: '/etc/\u001B[2J\u001B[31mshadow\u202Eexe.txt'},
		{NamespaceName: 'wide', PodName: '中文容器', Resource: '/data/\u4F60\u597D/\u00E9t\u00E9.log'},
	];
	for (const [index, extra] of odd.entries()) Object.assign(events[events.length - 3 - index * 4], extra);
	writeFileSync(path, events.map(event => JSON.stringify(event)).join('\n') + '\n');
	return path;
}

test('keys, resizes, bursts, wide and hostile text: the pane is what a full redraw draws', {skip, timeout: 120_000}, async () => {
	const session = 'same';
	const file = join(scratch, 'same.bytes');
	const input = eventsFile('same.ndjson');
	start(session, `node ${cli} ${input} --follow`, file);
	await waitFor('the monitor', () => /120 events/.test(plainPane(session)));
	await assertSameAsFullRedraw(session, file, 'the first frame');

	for (const press of ['j', 'j', 'j', 'Down', 'Down', 'k', 'Enter', 'j', 'Escape', 'PageDown', 'G', 'g', 'j']) {
		tmux('send-keys', '-t', session, press);
		await sleep(60);
	}

	await assertSameAsFullRedraw(session, file, 'keys');
	assert.match(plainPane(session), /␛/, 'the hostile placeholders are on the screen');

	tmux('send-keys', '-t', session, '?');
	await waitFor('the help', () => /Help/.test(plainPane(session)));
	tmux('send-keys', '-t', session, '?');
	await assertSameAsFullRedraw(session, file, 'the help and back');

	// A burst appended to the followed file, then more in small pieces.
	appendFileSync(input, demoEvents(300, 12, Date.UTC(2026, 0, 2), 1000).map(event => JSON.stringify(event)).join('\n') + '\n');
	await waitFor('the burst', () => /420 events/.test(plainPane(session)));
	for (let round = 0; round < 5; round++) {
		appendFileSync(input, demoEvents(3, 20 + round, Date.UTC(2026, 0, 3), 10).map(event => JSON.stringify(event)).join('\n') + '\n');
		await sleep(120);
	}

	await waitFor('the last events', () => /435 events/.test(plainPane(session)));
	await assertSameAsFullRedraw(session, file, 'a burst');

	tmux('resize-window', '-t', session, '-x', '90', '-y', '30');
	await waitFor('the 30-row layout', () => {
		const lines = plainPane(session).trimEnd().split('\n');
		return lines.length <= 30 && lines.at(-1)!.includes('quit');
	});
	await assertSameAsFullRedraw(session, file, 'a resize to 90x30');
	tmux('resize-window', '-t', session, '-x', '120', '-y', '40');
	await assertSameAsFullRedraw(session, file, 'a resize back to 120x40');
	tmux('send-keys', '-t', session, 'q');
});

test('screen-reader mode (INK_SCREEN_READER=true): the screen as text, keys move the selection, no control character from an event reaches the terminal', {skip, timeout: 60_000}, async () => {
	const session = 'reader';
	const file = join(scratch, 'reader.bytes');
	start(session, `env INK_SCREEN_READER=true node ${cli} ${eventsFile('reader.ndjson')}`, file);
	await waitFor('the rows', () => /(BLOCK|AUDIT)/.test(plainPane(session)));
	// Down to the hostile event (the 7th from the newest, which is selected first), its detail drawn. The text
	// screen is longer than the terminal: what scrolls off the top is written and scrolled away.
	for (let press = 0; press < 6; press++) {
		tmux('send-keys', '-t', session, 'j');
		await sleep(60);
	}

	await waitFor('its detail', () => /Detail #114/.test(plainPane(session)) && /Namespace\S*\s+evil/.test(plainPane(session)));
	tmux('send-keys', '-t', session, 'q');
	await waitFor('the exit', () => !tmux('list-panes', '-t', session, '-F', '#{pane_current_command}').includes('node'));
	// The hostile event holds ESC ] 0;PWNED BEL (a window title) and ESC [2J (clear the screen).
	const bytes = readFileSync(file);
	assert.equal(bytes.indexOf(0x07), -1, 'a BEL reached the terminal');
	assert.equal(bytes.indexOf('\u001B]0;PWNED'), -1, "the event's title escape reached the terminal");
	assert.equal(bytes.indexOf('\u001B[2J'), -1, "the event's clear-screen reached the terminal");
});

test('idle, input ended: under 1 KB a second; one j: under 4 KB', {skip, timeout: 60_000}, async () => {
	const session = 'bytes';
	const file = join(scratch, 'bytes.bytes');
	start(session, `node ${cli} ${eventsFile('bytes.ndjson')}`, file);
	await waitFor('the input to end', () => /ended/.test(plainPane(session)));
	await quiet(session);

	const idleStart = sent(file);
	const startedAt = Date.now();
	await sleep(3000);
	const idleRate = ((sent(file) - idleStart) / (Date.now() - startedAt)) * 1000;
	assert.ok(idleRate <= 1024, `idle: ${idleRate.toFixed(0)} bytes a second`);

	const before = sent(file);
	tmux('send-keys', '-t', session, 'j');
	await waitFor('the frame for j', () => /frozen/.test(plainPane(session)));
	await quiet(session, 300);
	const oneKey = sent(file) - before;
	assert.ok(oneKey <= 4096, `one j: ${oneKey} bytes`);
	assert.ok(oneKey > 0);
	tmux('send-keys', '-t', session, 'q');
});

test('^L repaints what another program wrote over the screen', {skip, timeout: 60_000}, async () => {
	const session = 'garbled';
	const file = join(scratch, 'garbled.bytes');
	start(session, `node ${cli} ${eventsFile('garbled.ndjson')}`, file);
	await waitFor('the input to end', () => /ended/.test(plainPane(session)));
	await quiet(session);
	const body = () => plainPane(session).split('\n').slice(3).join('\n');
	const clean = body();
	// A wall message or a background job writing to the same terminal.
	const tty = tmux('display', '-p', '-t', session, '#{pane_tty}').trim();
	appendFileSync(tty, '\u001B[5;10HGARBAGE FROM ANOTHER PROGRAM');
	await waitFor('the garbage on screen', () => plainPane(session).includes('GARBAGE'));
	// Frames come (the clock moves) but send only what changed: the garbage stays until asked.
	await sleep(1500);
	assert.match(body(), /GARBAGE/);
	tmux('send-keys', '-t', session, 'C-l');
	await waitFor('the repaint', () => !plainPane(session).includes('GARBAGE'), 5000);
	assert.equal(body(), clean);
	tmux('send-keys', '-t', session, 'q');
});
