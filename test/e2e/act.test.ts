// Taking what was found along, in a real terminal: y puts the event on tmux's clipboard through OSC 52, w saves
// the view to a file that reads back as the same events.
import assert from 'node:assert/strict';
import {existsSync, mkdtempSync, readdirSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, test} from 'node:test';
import {repoRoot, sampleLines, samplesPath} from '../helpers/samples.js';
import {tmuxServer, tmuxSkip} from '../helpers/tmux.js';
import {until} from '../helpers/ui.js';

const server = tmuxServer(`armorwatch-act-${process.pid}`);
const cli = join(repoRoot, 'dist/source/cli.js');
const scratch = mkdtempSync(join(tmpdir(), 'armorwatch-act-e2e-'));

after(() => {
	if (!tmuxSkip) server.kill();
});

test('in tmux: y copies the selected event to the clipboard (OSC 52), w saves the view as NDJSON', {skip: tmuxSkip, timeout: 60_000}, async () => {
	const session = 'act';
	server.start(session, `cd ${scratch} && cat ${samplesPath} | node ${cli}`);
	// tmux takes OSC 52 into its paste buffer when set-clipboard is on.
	server.tmux('set', '-g', 'set-clipboard', 'on');
	await server.waitFor(session, /stdin ● ended/);
	await server.waitFor(session, /Detail #69/);

	await server.keys(session, 'j', 'y');
	await server.waitFor(session, /copied event #68 as JSON/);
	const buffer = await until(
		() => {
			try {
				return server.tmux('show-buffer');
			} catch {
				return '';
			}
		},
		text => text !== '',
		10_000,
	);
	const copied = JSON.parse(buffer) as Record<string, unknown>;
	const original = JSON.parse(sampleLines()[67]!) as Record<string, unknown>;
	assert.equal(copied['Operation'] ?? copied['operation'], original['Operation'] ?? original['operation']);
	assert.equal(copied['HostName'], original['HostName'] ?? original['hostName']);

	await server.keys(session, 'w');
	await server.waitFor(session, /Save the view to: armorwatch-\d{8}-\d{6}\.ndjson/);
	await server.keys(session, 'Enter');
	const text = await server.waitFor(session, /wrote 69 events/);
	const name = /armorwatch-\d{8}-\d{6}\.ndjson/.exec(text)![0];
	assert.ok(existsSync(join(scratch, name)), `${name} in the working directory: ${readdirSync(scratch).join(' ')}`);
	const saved = readFileSync(join(scratch, name), 'utf8').trimEnd().split('\n');
	assert.equal(saved.length, 69);
	// Oldest first, each one line of JSON: the first saved is the first read.
	assert.equal((JSON.parse(saved[0]!) as Record<string, unknown>)['PodName'], (JSON.parse(sampleLines()[0]!) as Record<string, unknown>)['PodName']);

	await server.keys(session, 'q');
	await server.waitFor(session, /EXIT=0/);
});
