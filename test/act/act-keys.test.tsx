import '../helpers/interactive.js';
import assert from 'node:assert/strict';
import {existsSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, test} from 'node:test';
import {render} from 'ink-testing-library';
import {parse} from 'yaml';
import {Screen} from '../../source/ui/screen.js';
import {Ingest} from '../../source/feed/ingest.js';
import {EventStore} from '../../source/store/event-store.js';
import {runCli} from '../helpers/cli.js';
import {sampleLines} from '../helpers/samples.js';
import {keys, plain, until} from '../helpers/ui.js';

const scratch = mkdtempSync(join(tmpdir(), 'armorwatch-act-'));
const stores: EventStore[] = [];
const apps: Array<{unmount: () => void}> = [];
afterEach(() => {
	for (const app of apps.splice(0)) app.unmount();
	for (const store of stores.splice(0)) store.close();
});

/** The app with the samples read in as lines (so they keep their raw text); the terminal's bytes collected. */
function setup(lines = sampleLines()) {
	const store = new EventStore({maxEvents: 1000, notifyIntervalMs: 10});
	stores.push(store);
	const ingest = new Ingest(store);
	for (const line of lines) ingest.line(line, 'samples');
	const written: string[] = [];
	const clock = () => new Date(2026, 11, 2, 3, 15, 44);
	const app = render(<Screen store={store} size={{columns: 100, rows: 40}} writeTerminal={text => written.push(text)} inTmux={false} clock={clock} />);
	apps.push(app);
	return {store, app, written, frame: () => plain(app.lastFrame())};
}

/** What an OSC 52 sequence carries, decoded. */
function clipboard(sequence: string): string {
	const match = /^\u001B\]52;c;([A-Za-z\d+/=]*)\u0007$/.exec(sequence);
	assert.ok(match, `one OSC 52 sequence: ${JSON.stringify(sequence)}`);
	return Buffer.from(match[1]!, 'base64').toString('utf8');
}

test('y copies the selected event as one line of karmor JSON through OSC 52; the footer says what and how big', async () => {
	const lines = sampleLines();
	const {app, written, frame} = setup(lines);
	await until(frame, text => text.includes('Detail #69'));
	app.stdin.write('y');
	const shown = await until(frame, text => text.includes('copied event #69'));
	assert.equal(written.length, 1);
	const copied = clipboard(written[0]!);
	assert.ok(!copied.includes('\n'), 'one line');
	const original = JSON.parse(lines.at(-1)!) as Record<string, unknown>;
	const back = JSON.parse(copied) as Record<string, unknown>;
	assert.equal(back['Operation'], original['Operation']);
	assert.equal(back['Resource'], original['Resource']);
	assert.match(shown, new RegExp(`copied event #69 as JSON \\(${Buffer.byteLength(copied)} bytes\\)`));
});

test('w saves the view to the default name, oldest first, valid input that --summary counts the same; never replaces unasked', async () => {
	const {app, frame} = setup();
	const cwd = process.cwd();
	process.chdir(scratch);
	try {
		await until(frame, text => text.includes('Detail #69'));
		app.stdin.write('w');
		await until(frame, text => text.includes('Save the view to: armorwatch-20261202-031544.ndjson'));
		app.stdin.write(keys.enter);
		const done = await until(frame, text => text.includes('wrote 69 events'));
		const file = join(scratch, 'armorwatch-20261202-031544.ndjson');
		assert.match(done, /wrote 69 events/);
		assert.ok(existsSync(file));
		const [original, saved] = await Promise.all([runCli(['--summary', '-'], sampleLines().join('\n') + '\n'), runCli(['--summary', file])]);
		assert.equal(saved.stdout, original.stdout, 'the same counts read back');

		// Again: the file exists, so it asks; n keeps it, then a new name writes a filtered view.
		writeFileSync(file, 'keep me\n');
		app.stdin.write('w');
		await until(frame, text => text.includes('Save the view to:'));
		app.stdin.write(keys.enter);
		await until(frame, text => text.includes('exists: replace it?'));
		app.stdin.write('n');
		await until(frame, text => text.includes('Save the view to:'));
		assert.equal(readFileSync(file, 'utf8'), 'keep me\n', 'not replaced');
		app.stdin.write(keys.enter);
		await until(frame, text => text.includes('exists: replace it?'));
		app.stdin.write('y');
		await until(frame, text => text.includes('wrote 69 events'), 3000);
		assert.notEqual(readFileSync(file, 'utf8'), 'keep me\n', 'replaced when asked');
	} finally {
		process.chdir(cwd);
	}
});

test('a write error is shown in words and the monitor goes on', async () => {
	const {app, frame} = setup();
	await until(frame, text => text.includes('Detail #69'));
	app.stdin.write('w');
	await until(frame, text => text.includes('Save the view to:'));
	app.stdin.write('\u0015'); // ^U: clear the name
	app.stdin.write(join(scratch, 'no-such-dir', 'x.ndjson'));
	app.stdin.write(keys.enter);
	const shown = await until(frame, text => text.includes('no such directory'));
	assert.match(shown, /cannot write .*no such directory/);
	app.stdin.write(keys.escape);
	await until(frame, text => !text.includes('Save the view to:'));
	app.stdin.write('j');
	await until(frame, text => text.includes('Detail #68'));
	assert.match(frame(), /Detail #68/, 'keys still move the list');
});

test('r shows the event\'s JSON as received (pretty, sanitized), and back', async () => {
	const hostile = {Operation: 'File', Resource: '/tmp/\u001B]0;owned\u0007x', Extra_Field: 1.5, NamespaceName: 'n', PodName: 'p', Timestamp: 1700000000};
	const line = JSON.stringify(hostile);
	const {app, frame} = setup([line]);
	await until(frame, text => text.includes('Detail #1'));
	app.stdin.write('r');
	const raw = await until(frame, text => text.includes('Raw #1'));
	assert.match(raw, /"Extra_Field": 1\.5/);
	assert.match(raw, /"Timestamp": 1700000000/, 'the field as it came, not the normalized time');
	assert.match(raw, /\\u001b\]0;owned/, 'escaped, as JSON writes it');
	assert.doesNotMatch(app.lastFrame()!, /\u001B\]0;owned/, 'no escape sequence from the event reaches the terminal');
	app.stdin.write('r');
	await until(frame, text => text.includes('Detail #1'));
});

test('P drafts a policy from the selected alert; Tab changes its action; y copies it as YAML', async () => {
	const lines = sampleLines();
	const process = lines.findIndex(line => line.includes('"Resource":"/usr/bin/apt update"'));
	const {app, written, frame} = setup([lines[process]!]);
	await until(frame, text => text.includes('Detail #1'));
	app.stdin.write('P');
	const draft = await until(frame, text => text.includes('Policy draft from event #1'));
	assert.match(draft, /kind: KubeArmorPolicy/);
	assert.match(draft, /\[Block\]/);
	app.stdin.write(keys.tab);
	await until(frame, text => text.includes('[Audit]'));
	app.stdin.write('y');
	await until(frame, text => text.includes('copied the Audit policy'));
	const policy = parse(clipboard(written.at(-1)!)) as {spec: {action: string; process: unknown}};
	assert.equal(policy.spec.action, 'Audit');
	assert.deepEqual(policy.spec.process, {matchPaths: [{path: '/usr/bin/apt'}]});
	app.stdin.write(keys.escape);
	await until(frame, text => text.includes('Detail #1'));
});

test('P on an event no policy can express says why in the footer', async () => {
	const device = sampleLines().find(line => line.includes('"Operation":"Device"'))!;
	const {app, frame} = setup([device]);
	await until(frame, text => text.includes('Detail #1'));
	app.stdin.write('P');
	const shown = await until(frame, text => text.includes('no policy can be drafted'));
	assert.match(shown, /no policy can be drafted/);
});

test('in the group view w saves the groups as line mode prints them', async () => {
	const {app, frame} = setup();
	const cwd = process.cwd();
	process.chdir(scratch);
	try {
		await until(frame, text => text.includes('Detail #69'));
		app.stdin.write('=');
		await until(frame, text => / groups · by count/.test(text));
		app.stdin.write('w');
		await until(frame, text => text.includes('Save the view to:'));
		app.stdin.write('\u0015groups.ndjson');
		app.stdin.write(keys.enter);
		const done = await until(frame, text => /wrote \d+ groups/.test(text));
		const saved = readFileSync(join(scratch, 'groups.ndjson'), 'utf8').trimEnd().split('\n').map(line => JSON.parse(line) as {count: number; key: unknown});
		assert.equal(saved.length, Number(/wrote (\d+) groups/.exec(done)![1]));
		const printed = await runCli(['-', '--group-by', 'policy,op,action,proc,res,workload'], sampleLines().join('\n') + '\n');
		const lines = printed.stdout.trimEnd().split('\n').map(line => JSON.parse(line) as {count: number; key: unknown});
		const shape = (records: Array<{count: number; key: unknown}>) => records.map(({count, key}) => JSON.stringify({count, key})).sort();
		assert.deepEqual(shape(saved), shape(lines), 'the same groups and counts as --group-by prints');

	} finally {
		process.chdir(cwd);
	}
});

test('w in a policy draft saves the YAML under a .yaml default name', async () => {
	const lines = sampleLines();
	const apt = lines.find(line => line.includes('"Resource":"/usr/bin/apt update"'))!;
	const {app, frame} = setup([apt]);
	const cwd = process.cwd();
	process.chdir(scratch);
	try {
		await until(frame, text => text.includes('Detail #1'));
		app.stdin.write('P');
		await until(frame, text => text.includes('Policy draft from event #1'));
		app.stdin.write('w');
		await until(frame, text => text.includes('Save the policy to: armorwatch-20261202-031544.yaml'));
		app.stdin.write(keys.enter);
		await until(frame, text => text.includes('wrote'));
		const policy = parse(readFileSync(join(scratch, 'armorwatch-20261202-031544.yaml'), 'utf8')) as {kind: string; spec: {process: unknown}};
		assert.equal(policy.kind, 'KubeArmorPolicy');
		assert.deepEqual(policy.spec.process, {matchPaths: [{path: '/usr/bin/apt'}]});
	} finally {
		process.chdir(cwd);
	}
});
