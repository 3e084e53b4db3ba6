// The real terminal path: NDJSON piped into armorwatch inside tmux, keys sent to the terminal, the screen
// read back with capture-pane, and the terminal checked after every way out.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {test} from 'node:test';
import stringWidth from 'string-width';
import {samplesPath} from '../helpers/samples.js';
import {assertRestored, cli, keys, paneFlag, scratch, skip, start, tmux, waitForScreen as waitFor} from '../helpers/tmux.js';

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
	const text = await waitFor(session, / 1 event /);
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

