// Files that cannot be read at an offset: a named FIFO, `<(command)`, /dev/stdin. They are read as streams.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {createWriteStream, mkdtempSync, readdirSync, readlinkSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, test} from 'node:test';
import {runShell, startCli} from '../helpers/cli.js';
import {sampleLines, samplesPath} from '../helpers/samples.js';
import {waitFor} from '../helpers/wait.js';

const scratch = mkdtempSync(join(tmpdir(), 'armorwatch-pipes-'));
after(() => {
	rmSync(scratch, {recursive: true, force: true});
});

function fifo(name: string): string {
	const path = join(scratch, name);
	execFileSync('mkfifo', [path]);
	return path;
}

/** Open the FIFO for writing (that waits for armorwatch to open it for reading), write `text`, close it. */
async function writeTo(path: string, text: string): Promise<void> {
	const stream = createWriteStream(path);
	await new Promise<void>((resolve, reject) => {
		stream.once('error', reject);
		stream.end(text, resolve);
	});
}

const samples = sampleLines().join('\n') + '\n';

test('a named FIFO is read to its end, with and without --follow', {timeout: 60_000}, async () => {
	for (const follow of [[], ['--follow']]) {
		const path = fifo(`alerts${follow.length}.fifo`);
		const running = startCli(['--summary', ...follow, path]);
		await writeTo(path, samples);
		const {code, stdout, stderr} = await running.result;
		assert.equal(code, 0, stderr);
		assert.equal(stderr, '');
		assert.equal((JSON.parse(stdout) as {events: number}).events, 69, follow.join(' '));
	}
});

test('process substitution and /dev/stdin are read like files', {timeout: 60_000}, async () => {
	const substituted = await runShell(`$AW --summary <(cat ${samplesPath})`);
	assert.equal(substituted.code, 0, substituted.stderr);
	assert.equal((JSON.parse(substituted.stdout) as {events: number}).events, 69);

	const stdin = await runShell(`cat ${samplesPath} | $AW --json /dev/stdin`);
	assert.equal(stdin.code, 0, stdin.stderr);
	assert.equal(stdin.stdout.trimEnd().split('\n').length, 69);
});

test('a FIFO into a slow reader: the FIFO waits, every line arrives', {timeout: 60_000}, async () => {
	const path = fifo('many.fifo');
	const events = Array.from({length: 20_000}, (_, index) => sampleLines()[index % 69]).join('\n') + '\n';
	const reading = runShell(`$AW --plain ${path} | (sleep 1; wc -l)`);
	await writeTo(path, events);
	const {code, stdout, stderr} = await reading;
	assert.equal(code, 0, stderr);
	assert.equal(stdout.trim(), '20000');
});

test('a FIFO nobody writes to: Ctrl-C still prints the (empty) summary and exits 130 at once', {timeout: 60_000}, async () => {
	const path = fifo('silent.fifo');
	const running = startCli(['--summary', path]);
	await waitFor(() => holdsOpen(running.child.pid!, path), 'armorwatch to open the FIFO', 15_000);
	running.child.kill('SIGINT');
	const {code, stdout} = await running.result;
	assert.equal(code, 130);
	assert.equal((JSON.parse(stdout) as {events: number}).events, 0);
});

/** Whether process `pid` has `path` open (Linux: its /proc/PID/fd links). */
function holdsOpen(pid: number, path: string): boolean {
	try {
		return readdirSync(`/proc/${pid}/fd`).some(fd => {
			try {
				return readlinkSync(`/proc/${pid}/fd/${fd}`) === path;
			} catch {
				return false;
			}
		});
	} catch {
		return false;
	}
}
