// Line mode stopped by a signal: it prints what it read (the summary), then exits 128+signal as shells expect.
import assert from 'node:assert/strict';
import {once} from 'node:events';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, test} from 'node:test';
import {WebSocketServer} from 'ws';
import {startCli, type RunningCli} from '../helpers/cli.js';
import {sampleLines} from '../helpers/samples.js';
import {waitFor} from '../helpers/wait.js';

const scratch = mkdtempSync(join(tmpdir(), 'armorwatch-signals-'));
after(() => {
	rmSync(scratch, {recursive: true, force: true});
});

// The last line is not JSON: its message on stderr says the whole file was read, so the test knows when to signal.
const followed = join(scratch, 'followed.ndjson');
writeFileSync(followed, sampleLines().join('\n') + '\nnot json\n');

/** Start armorwatch following the file, and wait until it has read all of it. */
async function followToEnd(format: string): Promise<RunningCli> {
	const running = startCli([format, '--follow', followed]);
	await waitFor(() => running.stderr().includes('not JSON'), 'the last line to be read', 15_000);
	return running;
}

test('--summary --follow prints the summary of what it read on SIGINT, SIGTERM and SIGHUP, and exits 130, 143, 129', async () => {
	for (const [signal, expected] of [
		['SIGINT', 130],
		['SIGTERM', 143],
		['SIGHUP', 129],
	] as const) {
		const running = await followToEnd('--summary');
		running.child.kill(signal);
		const {code, stdout} = await running.result;
		assert.equal(code, expected, signal);
		const summary = JSON.parse(stdout) as Record<string, number>;
		assert.equal(summary['events'], 69, signal);
		assert.equal(summary['malformed'], 1, signal);
	}
});

test('--plain --follow stopped by SIGINT: every line printed, exit 130', async () => {
	const running = await followToEnd('--plain');
	running.child.kill('SIGINT');
	const {code, stdout} = await running.result;
	assert.equal(code, 130);
	assert.equal(stdout.trimEnd().split('\n').length, 69);
});

test('SIGUSR1 does not open the inspector, and does not stop the monitor', async () => {
	const running = await followToEnd('--summary');
	running.child.kill('SIGUSR1');
	// Node prints "Debugger listening on ws://127.0.0.1:9229/..." when the signal opens it. A wait for something
	// not to happen: it cannot fail when the inspector stays closed, however loaded the machine.
	await new Promise(resolve => setTimeout(resolve, 300));
	running.child.kill('SIGINT');
	const {code, stdout, stderr} = await running.result;
	assert.equal(code, 130);
	assert.doesNotMatch(stderr, /Debugger|inspector/i);
	assert.equal((JSON.parse(stdout) as {events: number}).events, 69);
});

test('--summary of a network source without --limit prints what it read on SIGINT', async () => {
	// A WebSocket server on 127.0.0.1 that sends the samples, then a line that is not JSON (the sign, on
	// stderr, that everything before it was read), and keeps the connection open.
	const wss = new WebSocketServer({host: '127.0.0.1', port: 0});
	await once(wss, 'listening');
	wss.on('connection', socket => {
		socket.send(sampleLines().join('\n') + '\nnot json\n');
	});
	try {
		const running = startCli(['--summary', `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`]);
		await waitFor(() => running.stderr().includes('not JSON'), 'the last line to be read', 15_000);
		running.child.kill('SIGINT');
		const {code, stdout} = await running.result;
		assert.equal(code, 130);
		const summary = JSON.parse(stdout) as Record<string, number>;
		assert.equal(summary['events'], 69);
		assert.equal(summary['malformed'], 1);
	} finally {
		for (const client of wss.clients) client.terminate();
		await new Promise(resolve => wss.close(resolve));
	}
});
