// Signals to the full-screen monitor in a real terminal (tmux): each restores the terminal and exits with the
// status a shell expects; and sources that are pipes rather than files (a FIFO, `<(command)`).
import {execFileSync} from 'node:child_process';
import {join} from 'node:path';
import {test} from 'node:test';
import {samplesPath} from '../helpers/samples.js';
import {assertRestored, cli, keys, scratch, signalMonitor, skip, start, waitForScreen} from '../helpers/tmux.js';

for (const [signal, code] of [
	['INT', '130'],
	['TERM', '143'],
	['HUP', '129'],
	// Its default action ends the process on the spot, leaving the alternate screen on.
	['QUIT', '131'],
] as const) {
	test(`SIG${signal} restores the terminal and exits ${code}`, {skip, timeout: 60_000}, async () => {
		const session = `sig${signal.toLowerCase()}`;
		const sttyFile = start(session, `node ${cli} demo --rate 50`);
		await waitForScreen(session, /demo ● connected/);
		signalMonitor(session, signal);
		await assertRestored(session, sttyFile, code);
	});
}

test('process substitution: <(cat file) is read to its end on the live screen', {skip, timeout: 60_000}, async () => {
	const session = 'substitution';
	const sttyFile = start(session, `node ${cli} <(cat ${samplesPath})`);
	await waitForScreen(session, /69 events/);
	await waitForScreen(session, /ended/);
	await keys(session, 'q');
	await assertRestored(session, sttyFile, '0');
});

test('a named FIFO is read as it is written, on the live screen', {skip, timeout: 60_000}, async () => {
	const session = 'fifo';
	const fifo = join(scratch, 'alerts.fifo');
	execFileSync('mkfifo', [fifo]);
	const sttyFile = start(session, `(sleep 1; cat ${samplesPath} > ${fifo}) & node ${cli} ${fifo}`);
	await waitForScreen(session, /69 events/);
	await waitForScreen(session, /alerts\.fifo ● ended/);
	await keys(session, 'q');
	await assertRestored(session, sttyFile, '0');
});
