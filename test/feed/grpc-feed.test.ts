import assert from 'node:assert/strict';
import {execFileSync, spawnSync} from 'node:child_process';
import {once} from 'node:events';
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createServer as createNetServer, type AddressInfo, type Socket} from 'node:net';
import {tmpdir} from 'node:os';
import {join, sep} from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {after, describe, test} from 'node:test';
import type {SourceStatus} from '../../source/feed/feed.js';
import {
	GrpcFeed,
	GrpcFeedConfigError,
	grpcTargetFromEnv,
	loadFeederDefinition,
	parseGrpcTarget,
	protoPath,
	toKarmorShape,
	type DaemonMessage,
	type GrpcFeedOptions,
} from '../../source/feed/grpc/grpc-feed.js';
import {Ingest} from '../../source/feed/ingest.js';
import {eventTime, type MonitorEvent} from '../../source/model/event.js';
import {jsonLine} from '../../source/model/sanitize.js';
import {EventStore} from '../../source/store/event-store.js';
import {FreezableProxy, TestLogServer, waitFor, type TestLogServerOptions} from '../helpers/grpc-server.js';

// ---------------------------------------------------------------------------------------------------------------
// Helpers: the monitor's real pipeline (EventStore + Ingest) as the sink, with the statuses recorded.

class RecordingIngest extends Ingest {
	readonly statuses: SourceStatus[] = [];

	override status(status: SourceStatus): void {
		this.statuses.push(status);
		super.status(status);
	}
}

type Rig = {feed: GrpcFeed; store: EventStore; sink: RecordingIngest; events: () => MonitorEvent[]; last: () => SourceStatus | undefined};

const servers = new Set<TestLogServer>();
const feeds = new Set<GrpcFeed>();

after(async () => {
	for (const feed of feeds) feed.stop();
	await Promise.all([...feeds].map(async feed => feed.done));
	for (const server of servers) await server.stop();
});

async function startServer(options: TestLogServerOptions = {}): Promise<TestLogServer> {
	const server = await TestLogServer.start(options);
	servers.add(server);
	return server;
}

/** Fast reconnects, fast timeouts: nothing in here waits for seconds. */
function rig(options: GrpcFeedOptions): Rig {
	const store = new EventStore({maxEvents: 100_000});
	const sink = new RecordingIngest(store);
	const feed = new GrpcFeed({backoff: {initialMs: 20, maxMs: 200}, connectTimeoutMs: 2000, ...options});
	feeds.add(feed);
	feed.start(sink);
	const events = (): MonitorEvent[] => {
		const list: MonitorEvent[] = [];
		for (let seq = store.events.oldestSeq; seq <= store.events.newestSeq; seq++) list.push(store.events.get(seq)!);
		return list;
	};

	return {feed, store, sink, events, last: () => store.sources.get(feed.label)};
}

async function stopRig({feed}: Rig): Promise<void> {
	feed.stop();
	await feed.done;
	feeds.delete(feed);
}

async function waitForState(r: Rig, state: SourceStatus['state'], detail?: RegExp, timeoutMs = 3000): Promise<SourceStatus> {
	await waitFor(
		() => r.sink.statuses.some(s => s.state === state && (!detail || detail.test(s.detail ?? ''))),
		`state ${state}${detail ? ` ${detail}` : ''}; saw ${JSON.stringify(r.sink.statuses.slice(-3))}`,
		timeoutMs,
	);
	return [...r.sink.statuses].reverse().find(s => s.state === state && (!detail || detail.test(s.detail ?? '')))!;
}

/** A complete Alert: every field of the table set, in the table's (and karmor's) order. */
function fullAlert(index = 0): Record<string, unknown> {
	return {
		Timestamp: 1_703_783_776 + index,
		UpdatedTime: '2023-12-28T17:16:16.123456Z',
		ClusterName: 'prod-eu',
		HostName: 'node-7',
		NamespaceName: 'wordpress-mysql',
		Owner: {Ref: 'Deployment', Name: 'wordpress', Namespace: 'wordpress-mysql'},
		PodName: 'wordpress-787f45786f-2q9wf',
		Labels: 'app=wordpress,tier=web',
		ContainerID: '72de193fc8d849cd052affae5a53a27111bcefb75385635dcb374acdf31a5548',
		ContainerName: 'wordpress',
		ContainerImage: 'docker.io/library/wordpress:4.8-apache',
		HostPPID: 495_804,
		HostPID: 496_390,
		PPID: 309_835,
		PID: 309_842 + index,
		UID: 33,
		ParentProcessName: '/bin/bash',
		ProcessName: '/bin/rm',
		PolicyName: 'harden-wordpress-file-integrity-monitoring',
		Severity: '7',
		Tags: 'NIST,NIST_800-53_AU-2,MITRE',
		ATags: ['NIST', 'NIST_800-53_AU-2', 'MITRE'],
		Message: 'Detected and prevented compromise to File integrity',
		Type: 'MatchedPolicy',
		Source: '/bin/rm -rf /usr/bin/x',
		Operation: 'File',
		Resource: '/usr/bin/x',
		Data: 'lsm=FILE_OPEN',
		EventData: {lsm: 'FILE_OPEN', flags: ''},
		Enforcer: 'BPFLSM',
		Action: 'Block',
		Result: 'Permission denied',
		Cwd: '/var/www/html/',
		TTY: 'pts0',
		MaxAlertsPerSec: 10,
		DroppingAlertsInterval: 30,
		ExecEvent: {ExecID: '2051393414387683', ExecutableName: 'rm'},
		KubeArmorVersion: 'v1.4.3',
		NodeID: 'c1e5fd0c0ba5f3e1',
		ProcessHash: 'sha256:1111',
		ParentHash: 'sha256:2222',
		ResourceHash: 'sha256:3333',
		HashAlgo: 'sha256',
		UserName: 'www-data',
	};
}

/** A complete Log: every field of the table set, in order. */
function fullLog(): Record<string, unknown> {
	return {
		Timestamp: 1_703_783_999,
		UpdatedTime: '2023-12-28T17:19:59.000001Z',
		ClusterName: 'prod-eu',
		HostName: 'node-7',
		NamespaceName: 'default',
		Owner: {Ref: 'StatefulSet', Name: 'db', Namespace: 'default'},
		PodName: 'db-0',
		Labels: 'app=db',
		ContainerID: 'abc123',
		ContainerName: 'postgres',
		ContainerImage: 'docker.io/library/postgres:16',
		HostPPID: 100,
		HostPID: 101,
		PPID: 1,
		PID: 2,
		UID: 999,
		ParentProcessName: '/usr/bin/bash',
		ProcessName: '/usr/bin/psql',
		Type: 'ContainerLog',
		Source: '/usr/bin/bash -c psql',
		Operation: 'Process',
		Resource: '/usr/bin/psql -U postgres',
		Data: 'syscall=SYS_EXECVE',
		EventData: {syscall: 'SYS_EXECVE'},
		Result: 'Passed',
		Cwd: '/',
		TTY: 'pts1',
		ExecEvent: {ExecID: '77', ExecutableName: 'psql'},
		NodeID: 'node-7-id',
		ProcessHash: 'p',
		ParentHash: 'q',
		ResourceHash: 'r',
		HashAlgo: 'sha256',
		UserName: 'postgres',
	};
}

// ---------------------------------------------------------------------------------------------------------------

describe('parseGrpcTarget', () => {
	test('accepts grpc://, grpcs://, host:port and a bare host (port 32767)', () => {
		assert.deepEqual(parseGrpcTarget('grpc://relay:1234'), {host: 'relay', port: 1234, tls: false});
		assert.deepEqual(parseGrpcTarget('grpcs://relay.kubearmor.svc:443/'), {host: 'relay.kubearmor.svc', port: 443, tls: true});
		assert.deepEqual(parseGrpcTarget('10.0.0.7:32767'), {host: '10.0.0.7', port: 32_767, tls: false});
		assert.deepEqual(parseGrpcTarget('relay'), {host: 'relay', port: 32_767, tls: false});
		assert.deepEqual(parseGrpcTarget('grpc://relay'), {host: 'relay', port: 32_767, tls: false});
		assert.deepEqual(parseGrpcTarget('[::1]:9000'), {host: '::1', port: 9000, tls: false});
		assert.deepEqual(parseGrpcTarget('grpcs://[fd00::1]'), {host: 'fd00::1', port: 32_767, tls: true});
	});

	test('refuses other schemes, paths and bad ports in words', () => {
		for (const bad of ['http://relay:80', 'relay:0', 'relay:70000', 'relay:abc', 'grpc://', 'grpc://relay/x', '']) {
			assert.throws(() => parseGrpcTarget(bad), GrpcFeedConfigError, bad);
		}
	});

	test('KUBEARMOR_SERVICE, as karmor reads it', () => {
		assert.equal(grpcTargetFromEnv({KUBEARMOR_SERVICE: ' relay:32767 '}), 'relay:32767');
		assert.equal(grpcTargetFromEnv({KUBEARMOR_SERVICE: ''}), undefined);
		assert.equal(grpcTargetFromEnv({}), undefined);
	});

	test('the feed label and bad options', () => {
		assert.equal(new GrpcFeed({target: 'relay'}).label, 'grpc://relay:32767');
		assert.equal(new GrpcFeed({target: 'relay:1', tls: true}).label, 'grpcs://relay:1');
		assert.throws(() => new GrpcFeed({target: 'relay', cert: Buffer.from('x')}), /both --cert and --key/);
		assert.throws(() => new GrpcFeed({target: 'relay', ca: '/no/such/ca.pem'}), /cannot read the CA file.*no such file/);
		assert.throws(() => new GrpcFeed({target: 'relay', logFilter: 'everything' as 'all'}), /policy, system or all/);
	});
});

describe('the .proto and the conversion', () => {
	test('the .proto is found from the compiled module and has the table field numbers', () => {
		assert.ok(existsSync(protoPath()), protoPath());
		assert.ok(protoPath().endsWith(['source', 'feed', 'grpc', 'kubearmor.proto'].join(sep)));
		assert.ok(import.meta.url.includes('/dist/'), 'this test runs from dist/');
		const numbers = (name: string): Record<string, number> => {
			const type = (loadFeederDefinition()[`feeder.${name}`] as {type: {field: Array<{name: string; number: number}>}}).type;
			return Object.fromEntries(type.field.map(field => [field.name, field.number]));
		};

		const alert = numbers('Alert');
		assert.deepEqual(
			[alert['Timestamp'], alert['Owner'], alert['Labels'], alert['ContainerImage'], alert['HostPPID'], alert['ATags'], alert['EventData'], alert['UserName']],
			[1, 31, 29, 24, 27, 30, 43, 44],
		);
		const log = numbers('Log');
		assert.deepEqual(
			[log['Owner'], log['Labels'], log['ContainerImage'], log['HostPPID'], log['Type'], log['EventData'], log['ExecEvent'], log['UserName']],
			[24, 23, 19, 22, 13, 33, 27, 34],
		);
		assert.deepEqual(numbers('Message'), {
			Timestamp: 1,
			UpdatedTime: 2,
			ClusterName: 3,
			HostName: 4,
			HostIP: 5,
			Type: 6,
			Level: 7,
			Message: 8,
		});
		assert.equal(Object.keys(alert).length, 44);
		assert.equal(Object.keys(log).length, 34);
	});

	test('int64 becomes seconds whatever the loader made of it; empty fields go, PPID and UID stay', () => {
		for (const timestamp of [1_703_783_776, '1703783776', 1_703_783_776n, {low: 1_703_783_776, high: 0, unsigned: false}]) {
			const shaped = toKarmorShape('Alert', {Timestamp: timestamp, HostName: 'n', PolicyName: '', ATags: [], EventData: {}, Owner: {Ref: '', Name: ''}});
			assert.equal(jsonLine(shaped), '{"Timestamp":1703783776,"HostName":"n","PPID":0,"UID":0}');
		}
	});

	test('an EventData key "__proto__" stays a key', () => {
		const shaped = toKarmorShape('Alert', {HostName: 'n', EventData: JSON.parse('{"__proto__":"x","k":"v"}') as unknown});
		assert.equal(jsonLine(shaped), '{"HostName":"n","PPID":0,"UID":0,"EventData":{"__proto__":"x","k":"v"}}');
	});
});

describe('GrpcFeed against a real LogService', () => {
	test('policy: WatchAlerts with Filter "policy"; alerts arrive as alerts', async () => {
		const server = await startServer();
		const r = rig({target: `grpc://${server.address}`});
		await server.waitForStreams('alerts');
		await waitForState(r, 'connected');
		assert.deepEqual(server.requests, [{kind: 'alerts', filter: 'policy'}]);
		server.send('alerts', {Timestamp: 1, UpdatedTime: '2024-01-02T03:04:05.000006Z', HostName: 'n1', PolicyName: 'p', Severity: '9', Type: 'MatchedPolicy', Action: 'Block'});
		await waitFor(() => r.events().length === 1, 'one alert');
		const [event] = r.events();
		assert.equal(event!.kind, 'alert');
		assert.equal(event!.severity, 9);
		assert.equal(eventTime(event!), Date.parse('2024-01-02T03:04:05.000006Z'));
		assert.equal(event!.source, 'grpc://' + server.address);
		assert.equal(r.feed.stats.alerts, 1);
		await stopRig(r);
	});

	test('system: WatchLogs with Filter "system"; logs arrive as logs', async () => {
		const server = await startServer();
		const r = rig({target: server.address, logFilter: 'system'});
		await server.waitForStreams('logs');
		assert.deepEqual(server.requests, [{kind: 'logs', filter: 'system'}]);
		server.send('logs', {Timestamp: 2, HostName: 'n1', Type: 'HostLog', Operation: 'Process', Resource: '/bin/ls'});
		await waitFor(() => r.events().length === 1, 'one log');
		assert.equal(r.events()[0]!.kind, 'log');
		assert.equal(r.events()[0]!.fields['Resource'], '/bin/ls');
		await stopRig(r);
	});

	test('all: both streams with Filter "all"; both kinds arrive', async () => {
		const server = await startServer();
		const r = rig({target: server.address, logFilter: 'all'});
		await server.waitForStreams('alerts');
		await server.waitForStreams('logs');
		assert.deepEqual(
			[...server.requests].sort((a, b) => a.kind.localeCompare(b.kind)),
			[
				{kind: 'alerts', filter: 'all'},
				{kind: 'logs', filter: 'all'},
			],
		);
		server.send('alerts', {Type: 'MatchedPolicy', PolicyName: 'a'});
		server.send('logs', {Type: 'ContainerLog', Operation: 'File'});
		await waitFor(() => r.events().length === 2, 'an alert and a log');
		assert.deepEqual(r.events().map(event => event.kind).sort(), ['alert', 'log']);
		assert.equal(r.store.counters.malformed, 0);
		await stopRig(r);
	});

	test('HealthCheck with a random nonce; a wrong echo is refused before any stream opens', async () => {
		const server = await startServer();
		const a = rig({target: server.address});
		await waitForState(a, 'connected');
		const b = rig({target: server.address});
		await waitForState(b, 'connected');
		assert.equal(server.nonces.length, 2);
		for (const nonce of server.nonces) assert.ok(Number.isInteger(nonce) && nonce > 0 && nonce < 2 ** 31, String(nonce));
		assert.notEqual(server.nonces[0], server.nonces[1]);
		await stopRig(a);
		await stopRig(b);

		const liar = await startServer();
		liar.healthReply = nonce => nonce ^ 1;
		const c = rig({target: liar.address});
		const status = await waitForState(c, 'reconnecting');
		assert.match(status.detail!, /^in \d+s \(attempt 1\): health check failed: the server answered \d+ to nonce \d+$/);
		assert.deepEqual(liar.requests, []);
		assert.ok(!c.sink.statuses.some(s => s.state === 'connected'));
		await stopRig(c);
	});

	test('the server stops and comes back: the header shows it and the monitor reconnects', async () => {
		const server = await startServer();
		const r = rig({target: server.address});
		await server.waitForStreams('alerts');
		server.send('alerts', {PolicyName: 'before', Type: 'MatchedPolicy'});
		await waitFor(() => r.events().length === 1, 'the first alert');

		await server.stop();
		const down = await waitForState(r, 'reconnecting');
		assert.match(down.detail!, /^in \d+s \(attempt 1\): connection lost/);
		// While it is down the attempts fail in words, not stack traces.
		await waitForState(r, 'reconnecting', /connection refused/);

		await server.restart();
		await server.waitForStreams('alerts');
		await waitFor(() => r.last()?.state === 'connected', 'connected again');
		assert.equal(r.feed.stats.connects, 2);
		server.send('alerts', {PolicyName: 'after', Type: 'MatchedPolicy'});
		await waitFor(() => r.events().length === 2, 'the alert after the restart');
		assert.deepEqual(r.events().map(event => event.fields['PolicyName']), ['before', 'after']);
		const states = r.sink.statuses.map(s => s.state);
		assert.deepEqual(states.slice(0, 2), ['connecting', 'connected']);
		assert.ok(states.indexOf('reconnecting') > 1);
		assert.ok(!r.sink.statuses.some(s => /\n\s+at /.test(s.detail ?? '')), 'no stack trace in a status');
		await stopRig(r);
	});

	test('a stream the server ends is reopened', async () => {
		const server = await startServer();
		const r = rig({target: server.address});
		await server.waitForStreams('alerts');
		server.endStreams('alerts');
		await waitForState(r, 'reconnecting', /the server ended the WatchAlerts stream/);
		await waitFor(() => server.requests.length === 2 && server.open('alerts') === 1, 'the stream reopened');
		await waitFor(() => r.last()?.state === 'connected', 'connected again');
		server.send('alerts', {PolicyName: 'again'});
		await waitFor(() => r.events().length === 1, 'an alert on the new stream');
		await stopRig(r);
	});

	test('keepalive pings find a relay that went silent', async () => {
		const server = await startServer();
		const proxy = new FreezableProxy(server.port);
		await proxy.listen();
		const r = rig({target: proxy.address, keepaliveMs: 200, keepaliveTimeoutMs: 200, healthIntervalMs: 0});
		// The control: no pings, no health checks. It cannot notice, which is the problem keepalive solves.
		const blind = rig({target: proxy.address, keepaliveMs: 0, healthIntervalMs: 0});
		await server.waitForStreams('alerts', 2);
		await waitForState(r, 'connected');
		await waitForState(blind, 'connected');
		proxy.freeze();
		const status = await waitForState(r, 'reconnecting', /./, 4000);
		assert.match(status.detail!, /connection lost/);
		assert.equal(blind.last()?.state, 'connected');
		await stopRig(r);
		await stopRig(blind);
		await proxy.close();
	});

	test('a server that accepts but never answers: "no answer", and stop() is immediate even then', async () => {
		const sockets = new Set<Socket>();
		const silent = createNetServer(socket => {
			sockets.add(socket);
			socket.on('error', () => {});
		});
		silent.listen(0, '127.0.0.1');
		await once(silent, 'listening');
		const {port} = silent.address() as AddressInfo;
		const r = rig({target: `127.0.0.1:${port}`, connectTimeoutMs: 300});
		const status = await waitForState(r, 'reconnecting');
		assert.match(status.detail!, /no answer from 127\.0\.0\.1:\d+ within 300ms/);
		await waitFor(() => r.last()?.state === 'connecting', 'the next attempt');
		const started = Date.now();
		await stopRig(r);
		assert.ok(Date.now() - started < 200, `stop took ${Date.now() - started} ms`);
		for (const socket of sockets) socket.destroy();
		silent.close();
	});

	test('the periodic health check runs while connected', async () => {
		const server = await startServer();
		const r = rig({target: server.address, healthIntervalMs: 50});
		await waitForState(r, 'connected');
		await waitFor(() => server.nonces.length >= 3, 'three health checks');
		assert.equal(r.feed.stats.connects, 1);
		await stopRig(r);
	});

	test('stop() cancels the streams, says closed and resolves done', async () => {
		const server = await startServer();
		const r = rig({target: server.address, logFilter: 'all', messages: true});
		await server.waitForStreams('alerts');
		await server.waitForStreams('logs');
		await server.waitForStreams('messages');
		await stopRig(r);
		assert.equal(r.last()?.state, 'closed');
		await waitFor(() => server.open('alerts') + server.open('logs') + server.open('messages') === 0, 'the server to see the cancels');
	});

	test('--messages: WatchMessages with an empty filter; daemon messages reach the status line', async () => {
		const server = await startServer();
		const received: DaemonMessage[] = [];
		const r = rig({target: server.address, messages: true, onMessage: message => received.push(message)});
		await server.waitForStreams('messages');
		assert.deepEqual(server.requests.find(request => request.kind === 'messages'), {kind: 'messages', filter: ''});
		server.send('messages', {Timestamp: 5, UpdatedTime: '2024-01-01T00:00:00Z', HostName: 'node-1', HostIP: '10.0.0.1', Type: 'Message', Level: 'INFO', Message: 'Started to protect a host'});
		await waitFor(() => received.length === 1, 'the daemon message');
		assert.deepEqual(received[0], {Timestamp: 5, UpdatedTime: '2024-01-01T00:00:00Z', HostName: 'node-1', HostIP: '10.0.0.1', Type: 'Message', Level: 'INFO', Message: 'Started to protect a host'});
		await waitForState(r, 'connected', /node-1 \[INFO\] Started to protect a host/);
		assert.equal(r.events().length, 0, 'a daemon message is not an event');
		await stopRig(r);
	});

	test('--messages against a server without WatchMessages keeps the events flowing', async () => {
		const server = await startServer({withoutMessages: true});
		const r = rig({target: server.address, messages: true});
		await server.waitForStreams('alerts');
		await waitForState(r, 'connected', /sends no daemon messages/);
		server.send('alerts', {PolicyName: 'still here'});
		await waitFor(() => r.events().length === 1, 'the alert');
		assert.equal(r.feed.stats.connects, 1);
		await stopRig(r);
	});

	test('every field of the table arrives complete, in karmor --json shape and order', async () => {
		const server = await startServer();
		const r = rig({target: server.address, logFilter: 'all'});
		await server.waitForStreams('alerts');
		await server.waitForStreams('logs');
		const alert = fullAlert();
		const log = fullLog();
		assert.equal(Object.keys(alert).length, 44, 'every Alert field');
		assert.equal(Object.keys(log).length, 34, 'every Log field');
		server.send('alerts', alert);
		await waitFor(() => r.events().length === 1, 'the alert');
		server.send('logs', log);
		await waitFor(() => r.events().length === 2, 'the log');
		const [gotAlert, gotLog] = r.events();
		// Map entries keep their value even when empty, as Go's encoding/json prints them.
		assert.equal(jsonLine(gotAlert!.fields), jsonLine(alert));
		assert.deepEqual(gotAlert!.fields, alert);
		assert.equal(jsonLine(gotLog!.fields), jsonLine(log));
		assert.equal(gotAlert!.kind, 'alert');
		assert.equal(gotAlert!.severity, 7);
		assert.equal(gotLog!.kind, 'log');

		// A sparse event: empty fields omitted, PPID and UID present as 0.
		server.send('alerts', {Timestamp: 9, HostName: 'h', Type: 'MatchedHostPolicy', PolicyName: 'p', PPID: 0, Tags: '', ATags: []});
		await waitFor(() => r.events().length === 3, 'the sparse alert');
		assert.equal(jsonLine(r.events()[2]!.fields), '{"Timestamp":9,"HostName":"h","PPID":0,"UID":0,"PolicyName":"p","Type":"MatchedHostPolicy"}');
		await stopRig(r);
	});

	test('a flood is ingested in slices: the event loop gets turns in between', async () => {
		const server = await startServer();
		const r = rig({target: server.address, sliceBudgetMs: 0});
		await server.waitForStreams('alerts');
		let turns = 0;
		const ticker = setInterval(() => {
			turns++;
		}, 0);
		const total = 2000;
		const progress = {written: 0, blocked: false};
		await server.flood('alerts', total, index => ({PolicyName: 'flood', PID: index + 1}), progress);
		await waitFor(() => r.events().length === total, `all ${total} alerts`, 10_000);
		clearInterval(ticker);
		assert.ok(r.feed.stats.pauses >= 10, `paused ${r.feed.stats.pauses} times`);
		assert.ok(turns >= 5, `the timer ran ${turns} times during the flood`);
		assert.equal(r.events().at(-1)!.fields['PID'], total);
		await stopRig(r);
	});

	test('backpressure: while the monitor is busy the stream is not read and the server is held back', async () => {
		const server = await startServer();
		let busy = true;
		// Health checks every 50 ms must keep passing while the alert stream is held back.
		const r = rig({target: server.address, busy: () => busy, healthIntervalMs: 50, connectTimeoutMs: 300});
		await server.waitForStreams('alerts');
		await waitForState(r, 'connected');
		const total = 3000;
		const padding = 'x'.repeat(1000);
		const progress = {written: 0, blocked: false};
		const flood = server.flood('alerts', total, index => ({PolicyName: 'flood', Message: padding, PID: index + 1}), progress);
		await waitFor(() => progress.blocked, 'the server to be blocked by flow control', 5000);
		const checks = server.nonces.length;
		await sleep(600);
		assert.ok(server.nonces.length >= checks + 3, 'health checks went on while the stream was paused');
		assert.equal(r.last()?.state, 'connected');
		const received = r.events().length;
		assert.ok(received <= 64, `received ${received} while busy`);
		// About one HTTP/2 flow-control window (64 KiB) plus the transports' buffers: far from all of it.
		assert.ok(progress.written < total / 3, `the server wrote ${progress.written} of ${total} while the monitor was busy`);
		assert.ok(r.feed.stats.pauses >= 1);

		busy = false;
		await flood;
		await waitFor(() => r.events().length === total, `all ${total} alerts after the monitor caught up`, 10_000);
		const pids = r.events().map(event => event.fields['PID']);
		assert.deepEqual(pids.slice(0, 3), [1, 2, 3]);
		assert.equal(pids.at(-1), total, 'in order, none lost');
		assert.equal(r.feed.stats.connects, 1, 'never reconnected');
		await stopRig(r);
	});
});

// ---------------------------------------------------------------------------------------------------------------
// TLS, with a CA and certificates made by openssl at test time.

type Pki = {dir: string; ca: Buffer; serverCert: Buffer; serverKey: Buffer; clientCert: Buffer; clientKey: Buffer; caPath: string; clientCertPath: string; clientKeyPath: string};

function makePki(): Pki | undefined {
	if (spawnSync('openssl', ['version']).status !== 0) return undefined;
	const dir = mkdtempSync(join(tmpdir(), 'armorwatch-grpc-tls-'));
	const run = (...args: string[]): void => {
		execFileSync('openssl', args, {cwd: dir, stdio: 'ignore', timeout: 10_000});
	};

	const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
	run('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=armorwatch test CA');
	run('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
	writeFileSync(join(dir, 'server.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
	run('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'server.ext');
	run('req', ...ec, '-keyout', 'client.key', '-out', 'client.csr', '-subj', '/CN=armorwatch');
	writeFileSync(join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
	run('x509', '-req', '-in', 'client.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'client.pem', '-days', '2', '-extfile', 'client.ext');
	const read = (name: string): Buffer => readFileSync(join(dir, name));
	return {
		dir,
		ca: read('ca.pem'),
		serverCert: read('server.pem'),
		serverKey: read('server.key'),
		clientCert: read('client.pem'),
		clientKey: read('client.key'),
		caPath: join(dir, 'ca.pem'),
		clientCertPath: join(dir, 'client.pem'),
		clientKeyPath: join(dir, 'client.key'),
	};
}

describe('TLS', () => {
	const pki = makePki();
	const skip = pki ? false : 'openssl is not available to make a test CA and certificates';
	after(() => {
		if (pki) rmSync(pki.dir, {recursive: true, force: true});
	});

	test('grpcs:// with --ca of a self-signed CA: connected, events arrive', {skip}, async () => {
		const server = await startServer({tls: {cert: pki!.serverCert, key: pki!.serverKey}});
		const r = rig({target: `grpcs://${server.address}`, ca: pki!.caPath});
		assert.equal(r.feed.label, `grpcs://${server.address}`);
		await server.waitForStreams('alerts');
		server.send('alerts', {PolicyName: 'over tls'});
		await waitFor(() => r.events().length === 1, 'the alert over TLS');
		assert.equal(r.last()?.warning, undefined);
		await stopRig(r);
	});

	test('a name the certificate is for (localhost) works too', {skip}, async () => {
		const server = await startServer({tls: {cert: pki!.serverCert, key: pki!.serverKey}});
		const r = rig({target: `grpcs://localhost:${server.port}`, ca: pki!.ca});
		await server.waitForStreams('alerts');
		await stopRig(r);
	});

	test('plaintext to a TLS server: "the server wants TLS"', {skip}, async () => {
		const server = await startServer({tls: {cert: pki!.serverCert, key: pki!.serverKey}});
		const r = rig({target: `grpc://${server.address}`});
		const status = await waitForState(r, 'reconnecting');
		assert.match(status.detail!, /the server wants TLS; try grpcs:\/\//);
		await stopRig(r);
	});

	test('TLS to a plaintext server: "the server does not use TLS"', {skip}, async () => {
		const server = await startServer();
		const r = rig({target: server.address, tls: true, ca: pki!.ca});
		const status = await waitForState(r, 'reconnecting');
		assert.match(status.detail!, /the server does not use TLS; try grpc:\/\//);
		await stopRig(r);
	});

	test('without --ca the self-signed CA is not trusted, said in words; --insecure connects with a warning', {skip}, async () => {
		const server = await startServer({tls: {cert: pki!.serverCert, key: pki!.serverKey}});
		const strict = rig({target: `grpcs://${server.address}`});
		const status = await waitForState(strict, 'reconnecting');
		assert.match(status.detail!, /not signed by a CA we trust; pass the relay's CA with --ca/);
		await stopRig(strict);

		const loose = rig({target: `grpcs://${server.address}`, insecure: true});
		await waitForState(loose, 'connected');
		assert.match(loose.last()!.warning ?? '', /TLS verification off/);
		await stopRig(loose);
	});

	test('mutual TLS: without --cert/--key the server refuses, with them it serves', {skip}, async () => {
		const server = await startServer({tls: {cert: pki!.serverCert, key: pki!.serverKey, ca: pki!.ca, requireClientCert: true}});
		const anonymous = rig({target: `grpcs://${server.address}`, ca: pki!.caPath});
		const status = await waitForState(anonymous, 'reconnecting');
		assert.match(status.detail!, /the server wants a client certificate; pass --cert and --key/);
		await stopRig(anonymous);

		const r = rig({target: `grpcs://${server.address}`, ca: pki!.caPath, cert: pki!.clientCertPath, key: pki!.clientKeyPath});
		await server.waitForStreams('alerts');
		server.send('alerts', {PolicyName: 'mtls'});
		await waitFor(() => r.events().length === 1, 'the alert over mutual TLS');
		await stopRig(r);
	});

	test('a key that does not belong to the certificate is refused before connecting', {skip}, () => {
		assert.throws(
			() => new GrpcFeed({target: 'relay', ca: pki!.ca, cert: pki!.clientCert, key: pki!.serverKey}),
			/--cert and --key do not belong together/,
		);
	});
});
