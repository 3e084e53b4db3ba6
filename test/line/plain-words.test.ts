import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {test} from 'node:test';
import {cliPath, collect, runCli} from '../helpers/cli.js';
import {samplesPath} from '../helpers/samples.js';

// The README's recipe, through a real pipe into the real grep.
async function plainThroughGrep(args: string[], input?: string): Promise<string[]> {
	const script = 'node="$1"; cli="$2"; shift 2; "$node" "$cli" --plain "$@" | grep -w BLOCK';
	const child = spawn('sh', ['-c', script, 'sh', process.execPath, cliPath, ...args], {
		stdio: ['pipe', 'pipe', 'pipe'],
	});
	const {stdout} = await collect(child, input, 20_000);
	return stdout.split('\n').filter(Boolean);
}

test('armorwatch --plain | grep -w BLOCK selects exactly the Block events of the public samples', async () => {
	const [plain, json] = await Promise.all([runCli(['--plain', samplesPath]), runCli(['--json', samplesPath])]);
	const lines = plain.stdout.trimEnd().split('\n');
	const events = json.stdout.trimEnd().split('\n').map(line => JSON.parse(line) as Record<string, unknown>);
	assert.equal(lines.length, events.length);
	// Events without a time of their own print when they arrived, which differs from run to run.
	const arrival = (line: string) => line.replace(/^received=\S+/, 'received=…');
	const blockLines = lines.filter((_, index) => events[index]['Action'] === 'Block').map(arrival);
	assert.equal(blockLines.length, 37);
	assert.deepEqual((await plainThroughGrep([samplesPath])).map(arrival), blockLines);
});

test('grep -w BLOCK leaves out audit-mode events, and resources holding SOCK_NONBLOCK', async () => {
	const socket = 'domain=AF_INET type=SOCK_STREAM|SOCK_NONBLOCK protocol=0';
	const input = ['Block', 'Audit (Block)', 'Audit', 'Allow', 'Audit (Allow)']
		.map(Action => JSON.stringify({UpdatedTime: '2024-01-01T00:00:00Z', Operation: 'Network', Action, Resource: socket, PodName: Action}))
		.join('\n');
	const selected = await plainThroughGrep([], input + '\n');
	assert.equal(selected.length, 1, selected.join('\n'));
	assert.match(selected[0], / BLOCK Network \/Block /);
});

test('an event without a time of its own is printed with its arrival marked received=, never as its time', async () => {
	const before = Date.now();
	const {stdout} = await runCli(['--plain', samplesPath]);
	const first = stdout.split('\n')[0];
	const stamp = /^received=(\S+) ALERT /.exec(first);
	assert.ok(stamp, first);
	assert.ok(Date.parse(stamp[1]) >= before - 1000, 'the arrival time, marked');
	const timed = stdout.split('\n')[1];
	assert.match(timed, /^2023-09-28T12:13:09\.159Z ALERT BLOCK /);
});
