// The real terminal path: NDJSON piped into armorwatch inside tmux, keys sent to the terminal, the screen
// read back with capture-pane, and the terminal checked after every way out.
import assert from 'node:assert/strict';
import {execFileSync, spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, test} from 'node:test';
import {setTimeout as sleep} from 'node:timers/promises';
import stringWidth from 'string-width';
import {repoRoot, samplesPath} from '../helpers/samples.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const socket = `armorwatch-e2e-${process.pid}`;
const cli = join(repoRoot, 'dist/source/cli.js');
const scratch = mkdtempSync(join(tmpdir(), 'armorwatch-e2e-'));
// CI must have tmux (.ci/run installs it); elsewhere a missing tmux skips with a reason.
const skip = hasTmux ? false : process.env['CI'] ? false : 'tmux is not installed';

function tmux(...args: string[]): string {
	return execFileSync('tmux', ['-L', socket, ...args], {encoding: 'utf8'});
}

function screen(session: string): string {
	return tmux('capture-pane', '-p', '-t', session);
}

function paneFlag(session: string, flag: string): string {
	return tmux('display', '-p', '-t', session, `#{${flag}}`).trim();
}

/** Poll the screen until it matches, at most `ms`. */
async function waitFor(session: string, pattern: RegExp, ms = 15_000): Promise<string> {
	const deadline = Date.now() + ms;
	let last = '';
	while (Date.now() < deadline) {
		last = screen(session);
		if (pattern.test(last)) return last;
		await sleep(100);
	}

	throw new Error(`screen never matched ${String(pattern)}:\n${last}`);
}

async function keys(session: string, ...presses: string[]): Promise<void> {
	for (const press of presses) {
		tmux('send-keys', '-t', session, press);
		await sleep(150);
	}
}

/** Start armorwatch in a fresh 120x40 tmux session; afterwards the shell prints the exit code and stty. */
function start(session: string, command: string): string {
	const sttyFile = join(scratch, `${session}.stty`);
	const script = `${command}; echo "EXIT=$?"; stty -a > ${sttyFile}; sleep 60`;
	tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '40', script);
	return sttyFile;
}

after(() => {
	if (hasTmux) spawnSync('tmux', ['-L', socket, 'kill-server']);
});

async function assertRestored(session: string, sttyFile: string, exitCode: string): Promise<void> {
	const text = await waitFor(session, /EXIT=\d+/);
	assert.match(text, new RegExp(`EXIT=${exitCode}`));
	assert.doesNotMatch(text, /Events \(newest first\)/, 'the monitor screen is gone: alternate screen left');
	assert.equal(paneFlag(session, 'alternate_on'), '0');
	assert.equal(paneFlag(session, 'cursor_flag'), '1', 'cursor shown');
	// The shell writes the stty file after printing EXIT: wait for it (a loaded machine takes a while).
	const deadline = Date.now() + 10_000;
	while (!existsSync(sttyFile) || statSync(sttyFile).size === 0) {
		if (Date.now() > deadline) throw new Error(`no ${sttyFile} from the shell`);
		await sleep(50);
	}

	const stty = readFileSync(sttyFile, 'utf8');
	assert.match(stty, /(^|\s)icanon(\s|$)/, 'raw mode off: canonical input back');
	assert.match(stty, /(^|\s)echo(\s|$)/, 'raw mode off: echo back');
}

test('piped samples: live screen, keys from the terminal, quit restores the terminal', {skip, timeout: 60_000}, async () => {
	const session = 'main';
	const sttyFile = start(session, `cat ${samplesPath} | node ${cli}`);
	let text = await waitFor(session, /69 events/);
	text = await waitFor(session, /stdin ● ended/);
	assert.equal(paneFlag(session, 'alternate_on'), '1', 'runs on the alternate screen');
	assert.match(text, /SEV\s+crit 3 high 1 med 10 low 20/);
	assert.match(text, /ACTION Block 37 Audit 10/);
	assert.match(text, /Detail #69/, 'the newest event is selected');

	await keys(session, 'j', 'j');
	text = await waitFor(session, /Detail #67/);
	assert.match(text, /frozen/);

	await keys(session, 'Enter');
	text = await waitFor(session, /detail \(Esc back\)/);
	await keys(session, 'Escape');
	await waitFor(session, /^(?![\s\S]*detail \(Esc back\))/);

	await keys(session, '?');
	// Until its bottom border spans the screen: a capture can come while tmux is still reading the frame.
	text = await waitFor(session, /Help \(Esc or q closes[\s\S]*└─{118}┘/);
	assert.match(text, /space\s+pause \/ resume/);
	const help = text.slice(text.indexOf('┌ Help'), text.lastIndexOf('└'));
	assert.doesNotMatch(help, /…|more\)/, 'at 120x40 the whole help shows, no line cut');
	assert.match(help, /\^K\s+delete to the end of the line/);
	await keys(session, 'q');
	await waitFor(session, /Events \(newest first\)/);

	await keys(session, 'g');
	await waitFor(session, /Detail #69/);

	// The filter prompt in a real terminal: typed in one burst with its Enter, as a paste or fast typing over a
	// slow link arrives (one read: the Enter must not be lost).
	tmux('send-keys', '-t', session, '-l', '/wordpres\r');
	text = await waitFor(session, /12 of 69 shown/);
	assert.match(text, /filter: wordpres/);
	assert.doesNotMatch(text, /Enter keep/, 'the prompt closed');
	await keys(session, 'x');
	await waitFor(session, /Events \(newest first\) 69 ─/);

	// Editing at the cursor with the terminal's own keys: Backspace (DEL) before it, Delete (ESC [3~) under it.
	await keys(session, '/');
	tmux('send-keys', '-t', session, '-l', 'Ywordpresxs');
	await keys(session, 'Left', 'BSpace', 'Home', 'DC', 'Enter');
	text = await waitFor(session, /filter: wordpress\b/);
	assert.match(text, /12 of 69 shown/);
	await keys(session, 'x');
	await waitFor(session, /Events \(newest first\) 69 ─/);

	// Too small to draw the panes: a line that says so, and the panes again once there is room.
	tmux('resize-window', '-t', session, '-x', '30', '-y', '8');
	text = await waitFor(session, /Terminal too small \(30x8\)/);
	tmux('resize-window', '-t', session, '-x', '120', '-y', '40');
	await waitFor(session, /Events \(newest first\) 69/);

	await keys(session, 'q');
	await assertRestored(session, sttyFile, '0');
});

test('keys keep working after the program feeding stdin exits and resets the terminal', {skip, timeout: 60_000}, async () => {
	const session = 'producer';
	// A Node producer: its stdin is the same terminal, and as it exits Node puts back the terminal modes it found
	// when it started (cooked: armorwatch starts after it). It prints the samples, then exits when told to.
	const producer = join(scratch, 'producer.cjs');
	const go = join(scratch, 'producer.go');
	writeFileSync(
		producer,
		`const fs = require('node:fs');
process.stdout.write(fs.readFileSync(${JSON.stringify(samplesPath)}));
const deadline = Date.now() + 30000;
const timer = setInterval(() => {
	if (fs.existsSync(${JSON.stringify(go)}) || Date.now() > deadline) clearInterval(timer);
}, 50);
`,
	);
	const sttyFile = start(session, `node ${producer} | (sleep 0.5; exec node ${cli})`);
	let text = await waitFor(session, /69 events/);
	assert.match(text, /stdin ● reading/, 'the producer is still running');
	await keys(session, 'j');
	await waitFor(session, /Detail #68/);

	writeFileSync(go, '');
	await waitFor(session, /stdin ● ended/);
	// Without raw mode the j would be echoed under the frame and wait for Enter.
	await keys(session, 'j');
	text = await waitFor(session, /Detail #67/);
	assert.doesNotMatch(text, /^j$/m);
	const tty = paneFlag(session, 'pane_tty');
	assert.match(execFileSync('stty', ['-F', tty, '-a'], {encoding: 'utf8'}), /-icanon/, 'raw mode: no line editing');
	await keys(session, 'q');
	await assertRestored(session, sttyFile, '0');
});

test('hostile strings never reach the terminal as escape sequences', {skip, timeout: 60_000}, async () => {
	const session = 'hostile';
	const hostile = join(scratch, 'hostile.ndjson');
	const event = {
		Operation: 'File',
		Action: 'Block',
		Severity: '9',
		NamespaceName: 'evil',
		PodName: 'pod',
		ProcessName: '/tmp/\u001B]0;PWNED-TITLE\u0007x',
		Resource: '/etc/\u001B[2J\u001B[31mshadow\u202Eexe.txt',
	};
	execFileSync('bash', ['-c', `cat > ${hostile}`], {input: JSON.stringify(event) + '\n'});
	const sttyFile = start(session, `node ${cli} ${hostile}`);
	const text = await waitFor(session, /1 events/);
	assert.match(text, /␛\[2J␛\[31mshadow/);
	assert.notEqual(tmux('display', '-p', '-t', session, '#{pane_title}').trim(), 'PWNED-TITLE');
	await keys(session, 'C-c');
	await assertRestored(session, sttyFile, '0');
});

test('invisible characters and lone surrogates: every row keeps its pane in a real terminal', {skip, timeout: 60_000}, async () => {
	const session = 'invisible';
	const input = join(scratch, 'invisible.ndjson');
	const characters = ['\u200B', '\u200C', '\u200D', '\u200E', '\u2060', '\uFEFF', '\u00AD', '\u180E', '\u{E0041}', '\uD800', '\u3164'];
	const events = characters.map((char, index) => ({
		Operation: 'File',
		Action: 'Block',
		Severity: '5',
		NamespaceName: 'ns',
		PodName: `pod${index}`,
		ProcessName: `/usr/bin/P${char}Q`,
		Resource: `/etc/x${char}y`,
	}));
	// Selected, so in the detail pane: emoji-joiner pairs, which made one giant grapheme that pushed the header off.
	events.push({Operation: 'File', Action: 'Block', Severity: '5', NamespaceName: 'ns', PodName: 'last', ProcessName: '/usr/bin/all', Resource: `/etc/${'\u{1F600}\u200D'.repeat(2000)}`});
	execFileSync('bash', ['-c', `cat > ${input}`], {input: events.map(event => JSON.stringify(event)).join('\n') + '\n'});
	const sttyFile = start(session, `node ${cli} ${input}`);
	const text = await waitFor(session, /12 events/);
	const lines = text.split('\n');
	assert.match(lines[0]!, /^armorwatch/, `the header is on top:\n${text}`);
	// What tmux holds, one cell per column: each code point as wide as tmux makes it (an emoji two columns).
	const panes = lines.filter(line => line.startsWith('│'));
	assert.ok(panes.length > 30, text);
	for (const line of panes) {
		const drawn = [...line].reduce((sum, char) => sum + stringWidth(char), 0);
		assert.equal(drawn, 120, `row off its pane: ${line}`);
		assert.ok(line.endsWith('│'), `right border lost: ${line}`);
	}

	assert.equal(lines.filter(line => line.includes('P\uFFFDQ')).length, characters.length, text);
	await keys(session, 'q');
	await assertRestored(session, sttyFile, '0');
});

test('SIGTERM also leaves the terminal as it was', {skip, timeout: 60_000}, async () => {
	const session = 'term';
	const sttyFile = start(session, `node ${cli} demo --rate 50`);
	await waitFor(session, /demo ● connected/);
	// The pane runs a shell whose child is armorwatch (cli.tsx sets the process title to the command name).
	const shell = paneFlag(session, 'pane_pid');
	execFileSync('pkill', ['-TERM', '-P', shell, '-x', 'armorwatch']);
	await assertRestored(session, sttyFile, '0');
});
