// Triage in a real terminal: a storm collapsed into groups, one opened and left, a find moved with n and N.
import assert from 'node:assert/strict';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {test} from 'node:test';
import {stormEvents} from '../helpers/storm.js';
import {assertRestored, cli, keys, scratch, skip, start, tmux, waitForScreen as waitFor} from '../helpers/tmux.js';

/** 300 DefaultPosture audits from three replicas of one deployment, with two Blocks among them. */
function stormFile(): string {
	const file = join(scratch, 'storm.ndjson');
	writeFileSync(file, stormEvents(300, [100, 200]).map(event => JSON.stringify(event)).join('\n') + '\n');
	return file;
}

test('groups: a storm is one row, Enter opens a group and Esc goes back; f finds, n and N move', {skip, timeout: 90_000}, async () => {
	const session = 'triage';
	const sttyFile = start(session, `node ${cli} ${stormFile()}`);
	await waitFor(session, /302 events/);

	await keys(session, '=');
	let text = await waitFor(session, /2 groups · by count/);
	assert.match(text, /×300 .*DefaultPosture/);
	assert.match(text, /×2 .*block-reverse-shell/);
	assert.match(text, /Workload\s+payments\/api\b/);

	await keys(session, 'j', 'Enter');
	text = await waitFor(session, / 2 of 302 shown/);
	assert.match(text, /one group/);
	assert.match(text, /group:policy=block-reverse-shell/);
	await keys(session, 'Escape');
	await waitFor(session, /2 groups · by count/);

	await keys(session, '=');
	await waitFor(session, /Events \(newest first\) 302/);
	tmux('send-keys', '-t', session, '-l', 'faction:=Block\r');
	text = await waitFor(session, /match 1 of 2/);
	assert.match(text, /Events \(newest first\) 302 · match 1 of 2/, 'the find hides nothing');
	await keys(session, 'n');
	await waitFor(session, /match 2 of 2/);
	await keys(session, 'n');
	await waitFor(session, /no older match/);
	await keys(session, 'N');
	await waitFor(session, /match 1 of 2/);

	await keys(session, 'q');
	await assertRestored(session, sttyFile, '0');
});
