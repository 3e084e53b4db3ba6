// The memory bound in a real terminal (tmux): a --max-alerts the heap cannot hold, with a fast feed into a small
// heap. Before the bound, V8 aborted this with its heap-limit stack trace after ~60k events.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {assertRestored, cli, keys, skip, start, waitForScreen} from '../helpers/tmux.js';

test('--max-alerts 10000000 into a 64 MB heap: capped with a notice, never an abort', {skip, timeout: 150_000}, async () => {
	const session = 'memory-cap';
	const sttyFile = start(session, `node --max-old-space-size=64 ${cli} demo --rate 1000000 --max-alerts 10000000`);
	// Several times what the bound holds has come through, and it still runs.
	const screen = await waitForScreen(session, /armorwatch\s+([3-9]\d\dk|\d+(\.\d)?M) events/, 120_000);
	const footer = screen.trimEnd().split('\n').at(-1) ?? '';
	assert.match(footer, /kept [\d,]+ of --max-alerts 10,000,000: memory bound \d+(\.\d)? MB/);
	await keys(session, 'q');
	await assertRestored(session, sttyFile, '0');
	// Said at start on stderr too: it is in the scrollback once the alternate screen is left.
	const after = await waitForScreen(session, /EXIT=0/);
	assert.match(after.replaceAll('\n', ''), /armorwatch: --max-alerts 10,000,000 will not fit in the memory bound of \d+(\.\d)? MB \(--max-memory\): keeping about [\d,]+ events at most/);
	assert.doesNotMatch(after, /heap limit|FATAL ERROR/);
});
