// The CLI against real servers on 127.0.0.1: armorwatch serve -> armorwatch ws://, and a grpc-js LogService.
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {after, test} from 'node:test';
import {setTimeout as sleep} from 'node:timers/promises';
import {cliPath, collect, runCli} from '../helpers/cli.js';
import {TestLogServer} from '../helpers/grpc-server.js';
import {sampleLines} from '../helpers/samples.js';

const children: Array<{kill: (signal?: NodeJS.Signals) => boolean}> = [];
after(() => {
	for (const child of children) child.kill('SIGKILL');
});

/** Start `armorwatch serve` on a free port and wait for its "listening" line; returns the URL. */
async function serve(args: string[]): Promise<{url: string; stderr: () => string; stop: () => Promise<number | null>}> {
	const child = spawn(process.execPath, [cliPath, 'serve', ...args, '--listen', '127.0.0.1:0'], {stdio: ['pipe', 'pipe', 'pipe']});
	children.push(child);
	let stderr = '';
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
		stderr += chunk;
	});
	const deadline = Date.now() + 10_000;
	while (!/listening on (ws:\/\/\S+)/.test(stderr) && Date.now() < deadline) await sleep(50);
	const url = /listening on (ws:\/\/\S+)/.exec(stderr)?.[1];
	assert.ok(url, `serve did not start: ${stderr}`);
	return {
		url,
		stderr: () => stderr,
		async stop() {
			child.kill('SIGINT');
			return new Promise(resolve => child.once('close', resolve));
		},
	};
}

test('the monitor reads from armorwatch serve: every event arrives, in karmor shape', async () => {
	const server = await serve(['demo', '--rate', '400']);
	const client = spawn(process.execPath, [cliPath, server.url, '--json', '--limit', '200'], {stdio: ['pipe', 'pipe', 'pipe']});
	children.push(client);
	const {code, stdout, stderr} = await collect(client, undefined, 15_000);
	assert.equal(code, 0, stderr);
	const events = stdout.trimEnd().split('\n').map(line => JSON.parse(line) as Record<string, unknown>);
	assert.equal(events.length, 200);
	for (const event of events) assert.equal(typeof event['Operation'], 'string');
	assert.match(server.stderr(), /connect 127\.0\.0\.1/);
	assert.equal(await server.stop(), 0);
	assert.match(server.stderr(), /disconnect 127\.0\.0\.1.*events sent/);
});

test('serve with a token: the monitor with the right header gets events; the token never shows', async () => {
	const token = 'sekret-token-123';
	const server = await serve(['demo', '--rate', '200', '--token', token]);
	const good = await runCli([server.url, '--summary', '--limit', '50', '--header', `Authorization: Bearer ${token}`]);
	assert.equal(good.code, 0, good.stderr);
	assert.equal((JSON.parse(good.stdout) as {events: number}).events, 50);

	const bad = spawn(process.execPath, [cliPath, server.url, '--summary', '--header', 'Authorization: Bearer wrong-token'], {stdio: ['pipe', 'pipe', 'pipe']});
	children.push(bad);
	const badResult = collect(bad, undefined, 10_000);
	await sleep(1500);
	bad.kill('SIGTERM');
	const {stdout, stderr} = await badResult;
	for (const text of [stdout, stderr, server.stderr()]) {
		assert.doesNotMatch(text, /sekret-token-123|wrong-token/);
	}

	assert.match(server.stderr(), /401|unauthori[sz]ed/i);
	await server.stop();
});

test('gRPC: --json from the relay has the karmor shape, for each --log-filter', async () => {
	const relay = await TestLogServer.start();
	try {
		const lines = sampleLines().map(line => JSON.parse(line) as Record<string, unknown>);
		const alert = lines.find(event => event['PolicyName'] === 'DefaultPosture' && event['Timestamp'])!;
		for (const [filter, kind] of [
			['policy', 'alerts'],
			['system', 'logs'],
		] as const) {
			const child = spawn(process.execPath, [cliPath, `grpc://${relay.address}`, '--json', '--limit', '3', '--log-filter', filter], {
				stdio: ['pipe', 'pipe', 'pipe'],
			});
			children.push(child);
			const result = collect(child, undefined, 15_000);
			await relay.waitForStreams(kind, 1, 10_000);
			for (let i = 0; i < 3; i++) relay.send(kind, {...alert, Timestamp: 1_700_000_000 + i, Type: kind === 'logs' ? 'ContainerLog' : 'MatchedPolicy'});
			const {code, stdout, stderr} = await result;
			assert.equal(code, 0, stderr);
			const events = stdout.trimEnd().split('\n').map(line => JSON.parse(line) as Record<string, unknown>);
			assert.equal(events.length, 3);
			assert.deepEqual(
				events.map(event => event['Timestamp']),
				[1_700_000_000, 1_700_000_001, 1_700_000_002],
				'Timestamp arrives as a number of seconds',
			);
			assert.equal(events[0]['NamespaceName'], alert['NamespaceName']);
			assert.equal(events[0]['PPID'], alert['PPID']);
		}

		assert.deepEqual(
			relay.requests.map(request => `${request.kind}:${request.filter}`),
			['alerts:policy', 'logs:system'],
		);
	} finally {
		await relay.stop();
	}
});

test('a bad gRPC target or WebSocket URL is a usage error in words', async () => {
	const grpc = await runCli(['grpc://host:notaport', '--summary']);
	assert.equal(grpc.code, 2);
	assert.match(grpc.stderr, /^armorwatch: .*port/m);
	const header = await runCli(['ws://127.0.0.1:1/', '--header', 'no colon here']);
	assert.equal(header.code, 2);
	const scheme = await runCli(['ftp://example/']);
	assert.equal(scheme.code, 2);
	assert.match(scheme.stderr, /unsupported source/);
});

test('serve ?filter= limits what a client receives; a bad filter is refused with 400', async () => {
	const server = await serve(['demo', '--rate', '400']);
	const url = `${server.url.replace(/\/$/, '')}/?filter=${encodeURIComponent('action:=Block sev>=5')}`;
	const {code, stdout, stderr} = await runCli([url, '--json', '--limit', '30']);
	assert.equal(code, 0, stderr);
	const events = stdout.trimEnd().split('\n').map(line => JSON.parse(line) as Record<string, unknown>);
	assert.equal(events.length, 30);
	for (const event of events) {
		assert.equal(event['Action'], 'Block');
		assert.ok(Number(event['Severity']) >= 5);
	}

	const bad = spawn(process.execPath, [cliPath, `${server.url.replace(/\/$/, '')}/?filter=${encodeURIComponent('sev>=x')}`, '--summary'], {
		stdio: ['pipe', 'pipe', 'pipe'],
	});
	children.push(bad);
	const badResult = collect(bad, undefined, 10_000);
	await sleep(1200);
	bad.kill('SIGTERM');
	await badResult;
	assert.match(server.stderr(), /400|bad filter/i);
	await server.stop();
});
