// Taking what was found along, in a real terminal: y puts the event on tmux's clipboard through OSC 52, w saves
// the view to a file that reads back as the same events.
import assert from 'node:assert/strict';
import {existsSync, mkdirSync, readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {test} from 'node:test';
import {sampleLines, samplesPath} from '../helpers/samples.js';
import {cli, keys, scratch, skip, start, tmux, waitForScreen as waitFor} from '../helpers/tmux.js';
import {until} from '../helpers/ui.js';

// Its own directory: w saves to the working directory.
const directory = join(scratch, 'act');
mkdirSync(directory, {recursive: true});

test('in tmux: y copies the selected event to the clipboard (OSC 52), w saves the view as NDJSON', {skip, timeout: 60_000}, async () => {
	const session = 'act';
	start(session, `cd ${directory} && cat ${samplesPath} | node ${cli}`);
	// tmux takes OSC 52 into its paste buffer when set-clipboard is on.
	tmux('set', '-g', 'set-clipboard', 'on');
	await waitFor(session, /stdin ● ended/);
	await waitFor(session, /Detail #69/);

	await keys(session, 'j', 'y');
	await waitFor(session, /copied event #68 as JSON/);
	const buffer = await until(
		() => {
			try {
				return tmux('show-buffer');
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

	await keys(session, 'w');
	await waitFor(session, /Save the view to: armorwatch-\d{8}-\d{6}\.ndjson/);
	await keys(session, 'Enter');
	const text = await waitFor(session, /wrote 69 events/);
	const name = /armorwatch-\d{8}-\d{6}\.ndjson/.exec(text)![0];
	assert.ok(existsSync(join(directory, name)), `${name} in the working directory: ${readdirSync(directory).join(' ')}`);
	const saved = readFileSync(join(directory, name), 'utf8').trimEnd().split('\n');
	assert.equal(saved.length, 69);
	// Oldest first, each one line of JSON: the first saved is the first read.
	assert.equal((JSON.parse(saved[0]!) as Record<string, unknown>)['PodName'], (JSON.parse(sampleLines()[0]!) as Record<string, unknown>)['PodName']);

	await keys(session, 'q');
	await waitFor(session, /EXIT=0/);
});
