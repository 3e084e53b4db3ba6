import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {setImmediate as yieldToLoop, setTimeout as sleep} from 'node:timers/promises';
import {after, describe, test} from 'node:test';
import {makeCertificate} from '../helpers/tls.js';
import WebSocket from 'ws';
import {Ingest} from '../../source/feed/ingest.js';
import {WebSocketFeed} from '../../source/feed/websocket-feed.js';
import type {MonitorEvent} from '../../source/model/event.js';
import {EventHub} from '../../source/serve/event-hub.js';
import type {Health} from '../../source/serve/health.js';
import {parseListen} from '../../source/serve/listen.js';
import {startServer, type RunningServer, type ServeOptions} from '../../source/serve/serve.js';
import {EventStore} from '../../source/store/event-store.js';

// ---------------------------------------------------------------------------------------------------------------
// Helpers

const running = new Set<RunningServer>();
const sockets = new Set<WebSocket>();

after(async () => {
	for (const socket of sockets) socket.terminate();
	await Promise.all([...running].map(async server => server.close()));
});

type Started = {server: RunningServer; hub: EventHub; logs: string[]};

async function serve(options: Partial<ServeOptions> = {}): Promise<Started> {
	const hub = new EventHub();
	const logs: string[] = [];
	const server = await startServer({
		subscribe: hub.subscribe,
		port: 0,
		log(line) {
			logs.push(line);
		},
		...options,
	});
	running.add(server);
	return {server, hub, logs};
}

async function shutdown(server: RunningServer): Promise<void> {
	await server.close();
	running.delete(server);
}

let nextSeq = 1;

function monitorEvent(index: number, extra: Record<string, unknown> = {}, padding = 0): MonitorEvent {
	return {
		seq: nextSeq++,
		kind: 'alert',
		time: 1_700_000_000_000 + index,
		receivedAt: 1_700_000_000_000 + index,
		severity: 5,
		source: 'test',
		fields: {
			Timestamp: 1_700_000_000 + index,
			HostName: 'node-a',
			NamespaceName: 'payments',
			Type: 'MatchedPolicy',
			PolicyName: 'audit-all',
			Severity: '5',
			Operation: 'File',
			Action: 'Audit',
			Resource: `/etc/file-${index}`,
			...(padding > 0 ? {Data: 'x'.repeat(padding)} : {}),
			...extra,
		},
	};
}

type TestClient = {
	socket: WebSocket;
	/** Every line received (when kept). */
	lines: string[];
	events: number;
	messages: number;
	/** Largest number of lines in one message. */
	largest: number;
	closeCode: Promise<number>;
};

async function connect(url: string, options: {headers?: Record<string, string>; keep?: boolean} = {}): Promise<TestClient> {
	const socket = new WebSocket(url, {headers: options.headers, perMessageDeflate: false});
	sockets.add(socket);
	const client: TestClient = {
		socket,
		lines: [],
		events: 0,
		messages: 0,
		largest: 0,
		closeCode: new Promise(resolve => {
			socket.on('close', code => {
				resolve(code);
			});
		}),
	};
	socket.on('message', (data: Buffer) => {
		client.messages++;
		let count = 0;
		for (let index = data.indexOf(10); index !== -1; index = data.indexOf(10, index + 1)) count++;
		client.events += count;
		client.largest = Math.max(client.largest, count);
		if (options.keep ?? true) client.lines.push(...data.toString('utf8').split('\n').filter(Boolean));
	});
	await new Promise<void>((resolve, reject) => {
		socket.once('open', resolve);
		socket.once('error', reject);
	});
	return client;
}

/** Try to connect; resolve with the HTTP status and body of the refusal. */
async function refusal(url: string, headers?: Record<string, string>): Promise<{status: number; body: string}> {
	const socket = new WebSocket(url, {headers});
	sockets.add(socket);
	return new Promise((resolve, reject) => {
		socket.on('unexpected-response', (_request, response) => {
			let body = '';
			response.setEncoding('utf8');
			response.on('data', (chunk: string) => {
				body += chunk;
			});
			response.on('end', () => {
				resolve({status: response.statusCode ?? 0, body});
				socket.terminate();
			});
		});
		socket.on('error', () => {});
		socket.on('open', () => {
			reject(new Error('the connection was accepted'));
		});
	});
}

async function waitFor(what: string, condition: () => boolean, timeoutMs = 3000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await sleep(5);
	}
}

async function healthOf(server: RunningServer, headers: Record<string, string> = {}): Promise<{status: number; body: Health}> {
	const response = await fetch(`http://127.0.0.1:${server.address.port}/healthz`, {headers});
	return {status: response.status, body: (await response.json().catch(() => undefined)) as Health};
}


// ---------------------------------------------------------------------------------------------------------------

describe('armorwatch serve', () => {
	test('binds 127.0.0.1 by default and reports its address', async () => {
		const {server, logs} = await serve();
		assert.equal(server.address.host, '127.0.0.1');
		assert.ok(server.address.port > 0);
		assert.equal(server.address.url, `ws://127.0.0.1:${server.address.port}`);
		assert.ok(logs.some(line => line.includes('listening on ws://127.0.0.1:')));
		await shutdown(server);
	});

	test('broadcasts every event to every client as batched PascalCase NDJSON', async () => {
		const {server, hub, logs} = await serve();
		const first = await connect(server.address.url);
		const second = await connect(`${server.address.url}/any/path`);
		await waitFor('two clients', () => server.health().clientCount === 2);
		const sent = Array.from({length: 1200}, (_, index) => monitorEvent(index, {Message: 'evil \u001b[2J \u202e text'}));
		for (const event of sent) hub.publish(event);
		await waitFor('1200 events at both clients', () => first.events === 1200 && second.events === 1200);
		assert.ok(first.largest <= 500, `a message held ${first.largest} events`);
		assert.ok(first.messages >= 3);
		assert.deepEqual(first.lines.map(line => JSON.parse(line) as unknown), sent.map(event => event.fields));
		assert.deepEqual(second.lines, first.lines);
		// Terminal-safe JSON: no raw ESC or bidi override on the wire.
		assert.ok(!first.lines.some(line => line.includes('\u001b') || line.includes('\u202e')));
		first.socket.close();
		await waitFor('a disconnect line', () => logs.some(line => line.startsWith('disconnect 127.0.0.1:')));
		assert.ok(logs.some(line => /^connect 127\.0\.0\.1:\d+ \(client 1; 1 connected\)$/.test(line)), logs.join('\n'));
		assert.ok(logs.some(line => /^disconnect 127\.0\.0\.1:\d+ \(client 1\): client closed \(1005\); 1,200 events sent, 0 dropped$/.test(line)), logs.join('\n'));
		await shutdown(server);
		assert.equal(await second.closeCode, 1001);
	});

	test('a small batch goes out within about 50 ms', async () => {
		const {server, hub} = await serve();
		const client = await connect(server.address.url);
		await waitFor('the client', () => server.health().clientCount === 1);
		const started = Date.now();
		hub.publish(monitorEvent(1));
		await waitFor('the event', () => client.events === 1, 1000);
		assert.ok(Date.now() - started < 500);
		await shutdown(server);
	});

	test('a client that reads nothing never holds back the others; its drops are counted; it is closed when far behind for too long', async () => {
		const {server, hub, logs} = await serve({clientQueueEvents: 1000, clientHighWaterBytes: 256 * 1024, slowClientMs: 1500});
		const fast = await connect(server.address.url, {keep: false});
		const slow = await connect(server.address.url, {keep: false});
		slow.socket.pause(); // Reads nothing from now on: its TCP window fills, then its queue.
		await waitFor('two clients', () => server.health().clientCount === 2);
		const total = 40_000;
		const started = Date.now();
		for (let index = 0; index < total; ) {
			for (let chunk = 0; chunk < 500; chunk++) hub.publish(monitorEvent(index++, {}, 700));
			await yieldToLoop();
		}

		const published = Date.now();
		await waitFor('every event at the fast client', () => fast.events === total, 5000);
		const lag = Date.now() - published;
		assert.ok(lag < 1500, `the fast client got the last event ${lag} ms after it was published`);
		const health = server.health();
		const [fastHealth, slowHealth] = health.clients;
		assert.equal(fastHealth!.dropped, 0);
		assert.equal(fastHealth!.sent, total);
		assert.ok(slowHealth!.dropped > 10_000, `slow client dropped ${slowHealth!.dropped}`);
		assert.equal(health.eventsIn, total);
		assert.equal(health.eventsDropped, slowHealth!.dropped);
		assert.ok(Date.now() - started < 5000);

		// Keep it behind: after slowClientMs it is closed (1013) and the log says why.
		const until = Date.now() + 3000;
		while (server.health().clientCount === 2 && Date.now() < until) {
			for (let chunk = 0; chunk < 200; chunk++) hub.publish(monitorEvent(chunk, {}, 700));
			await sleep(20);
		}

		await waitFor('the slow client to be closed', () => logs.some(line => line.includes('too slow')), 3000);
		assert.ok(logs.some(line => /^disconnect 127\.0\.0\.1:\d+ \(client 2\): too slow: far behind for 1\.5s \(1013\); [\d,]+ events sent, [\d,]+ dropped$/.test(line)), logs.join('\n'));
		assert.equal(server.health().clientCount, 1);
		assert.equal(fast.socket.readyState, WebSocket.OPEN);
		await shutdown(server);
	});

	test('--token: 401 before the upgrade without it or with a wrong one; never logged', async () => {
		const token = 'tok-Zq81-secret';
		const {server, hub, logs} = await serve({token});
		const url = server.address.url;
		const none = await refusal(url);
		assert.equal(none.status, 401);
		const wrong = await refusal(url, {Authorization: 'Bearer tok-Zq81-secreT'});
		assert.equal(wrong.status, 401);
		const basic = await refusal(url, {Authorization: `Basic ${token}`});
		assert.equal(basic.status, 401);
		const client = await connect(url, {headers: {Authorization: `Bearer ${token}`}});
		hub.publish(monitorEvent(1));
		await waitFor('an event', () => client.events === 1);
		assert.equal((await healthOf(server)).status, 401);
		const health = await healthOf(server, {Authorization: `bearer ${token}`});
		assert.equal(health.status, 200);
		assert.equal(health.body.clientCount, 1);
		await shutdown(server);
		assert.equal(logs.filter(line => line.startsWith('refused 127.0.0.1:') && line.includes(': 401 ')).length, 3);
		assert.ok(!logs.join('\n').includes(token));
		assert.ok(!logs.join('\n').includes('secreT'));
	});

	test('?filter=QUERY limits what a client receives; a bad filter is a 400 with the reason', async () => {
		const {server, hub} = await serve({
			compileFilter(query) {
				if (query.startsWith('ns:')) {
					const namespace = query.slice(3);
					return {ok: true, predicate: event => event.fields['NamespaceName'] === namespace};
				}

				return {ok: false, error: `unknown term "${query}"`};
			},
		});
		const url = server.address.url;
		const bad = await refusal(`${url}/?filter=${encodeURIComponent('sev>>3')}`);
		assert.equal(bad.status, 400);
		assert.match(bad.body, /bad filter: unknown term "sev>>3"/);
		const filtered = await connect(`${url}/?filter=ns:kube-system`);
		const everything = await connect(url);
		await waitFor('two clients', () => server.health().clientCount === 2);
		for (let index = 0; index < 100; index++) {
			hub.publish(monitorEvent(index, {NamespaceName: index % 10 === 0 ? 'kube-system' : 'payments'}));
		}

		await waitFor('all events', () => everything.events === 100);
		await waitFor('the filtered events', () => filtered.events === 10);
		await sleep(80);
		assert.equal(filtered.events, 10);
		assert.ok(filtered.lines.every(line => (JSON.parse(line) as {NamespaceName: string}).NamespaceName === 'kube-system'));
		assert.deepEqual(server.health().clients.map(client => client.filtered), [true, false]);
		await shutdown(server);

		const {server: plain} = await serve();
		const unsupported = await refusal(`${plain.address.url}/?filter=ns:x`);
		assert.equal(unsupported.status, 400);
		await shutdown(plain);
	});

	test('--max-clients refuses one client too many with 503', async () => {
		const {server} = await serve({maxClients: 2});
		await connect(server.address.url);
		await connect(server.address.url);
		const third = await refusal(server.address.url);
		assert.equal(third.status, 503);
		assert.match(third.body, /too many clients/);
		await shutdown(server);
	});

	test('GET /healthz answers clients, events in and sent, drops per client and uptime', async () => {
		const {server, hub} = await serve();
		const client = await connect(server.address.url);
		await waitFor('the client', () => server.health().clientCount === 1);
		for (let index = 0; index < 7; index++) hub.publish(monitorEvent(index));
		await waitFor('7 events', () => client.events === 7);
		await waitFor('the write to complete', () => server.health().eventsSent === 7);
		const {status, body} = await healthOf(server);
		assert.equal(status, 200);
		assert.equal(body.status, 'ok');
		assert.equal(body.eventsIn, 7);
		assert.equal(body.eventsSent, 7);
		assert.equal(body.clientCount, 1);
		assert.equal(body.maxClients, 64);
		assert.equal(typeof body.uptimeSeconds, 'number');
		assert.deepEqual(Object.keys(body.clients[0]!).sort(), ['connectedSeconds', 'dropped', 'filtered', 'id', 'queued', 'remote', 'sent']);
		assert.match(body.clients[0]!.remote, /^127\.0\.0\.1:\d+$/);
		const root = await fetch(`http://127.0.0.1:${server.address.port}/`);
		assert.equal(root.status, 426);
		await root.text();
		await shutdown(server);
	});

	test('the monitor reads from serve end to end', async () => {
		const {server, hub} = await serve();
		const store = new EventStore({maxEvents: 10_000});
		const feed = new WebSocketFeed({url: server.address.url});
		feed.start(new Ingest(store));
		await waitFor('connected', () => server.health().clientCount === 1);
		const sent = Array.from({length: 2000}, (_, index) => monitorEvent(index, {Severity: String((index % 10) + 1)}));
		for (const event of sent) hub.publish(event);
		await waitFor('2000 events in the store', () => store.counters.events === 2000);
		assert.equal(store.counters.malformed, 0);
		const newest = store.events.get(store.events.newestSeq)!;
		assert.deepEqual(newest.fields, sent.at(-1)!.fields);
		assert.equal(newest.source, server.address.url);
		assert.equal(newest.severity, 10);
		assert.equal(store.sources.get(server.address.url)?.state, 'connected');
		feed.stop();
		await feed.done;
		await shutdown(server);
	});

	test('--cert/--key serve wss', {skip: makeCertificate() ? false : 'openssl is not available to make a test certificate'}, async () => {
		const certificate = makeCertificate()!;
		const {server, hub} = await serve({cert: certificate.cert, key: certificate.key});
		assert.equal(server.address.url, `wss://127.0.0.1:${server.address.port}`);
		const store = new EventStore({maxEvents: 100});
		const feed = new WebSocketFeed({url: server.address.url, ca: certificate.cert});
		feed.start(new Ingest(store));
		await waitFor('connected', () => server.health().clientCount === 1);
		hub.publish(monitorEvent(1));
		await waitFor('an event over wss', () => store.counters.events === 1);
		feed.stop();
		await feed.done;
		await shutdown(server);
	});

	test('a port in use is a clear error', async () => {
		const {server} = await serve();
		await assert.rejects(
			startServer({subscribe: new EventHub().subscribe, port: server.address.port, log() {}}),
			/cannot listen on 127\.0\.0\.1:\d+: the address is already in use/,
		);
		await shutdown(server);
	});

	test('a non-loopback address without a token is warned about', async () => {
		const {server, logs} = await serve({host: '0.0.0.0'});
		assert.ok(logs.some(line => line.startsWith('warning:') && line.includes('without --token')));
		await shutdown(server);
	});
});

describe('shutdown', () => {
	test('sends every event read before it (the batch still open, each queue), then closes with 1001', async () => {
		const {server, hub} = await serve();
		const client = await connect(server.address.url, {keep: false});
		await waitFor('the client', () => server.health().clientCount === 1);
		// 3.6 MB: more than a client's 1 MiB in flight, so part waits in its queue; the last 250 in the open batch.
		const total = 5250;
		for (let index = 0; index < total; index++) hub.publish(monitorEvent(index, {}, 600));
		await server.close();
		running.delete(server);
		assert.equal(await client.closeCode, 1001);
		assert.equal(client.events, total);
	});
});

describe('parseListen', () => {
	test('forms', () => {
		assert.deepEqual(parseListen('127.0.0.1:8765'), {host: '127.0.0.1', port: 8765});
		assert.deepEqual(parseListen('0.0.0.0:9000'), {host: '0.0.0.0', port: 9000});
		assert.deepEqual(parseListen('9000'), {host: '127.0.0.1', port: 9000});
		assert.deepEqual(parseListen(':9000'), {host: '127.0.0.1', port: 9000});
		assert.deepEqual(parseListen('[::1]:9000'), {host: '::1', port: 9000});
		assert.deepEqual(parseListen('localhost:0'), {host: 'localhost', port: 0});
		assert.ok('error' in parseListen('host:99999'));
		assert.ok('error' in parseListen('host:'));
		assert.ok('error' in parseListen('::1:9000'));
		assert.ok('error' in parseListen('host:port'));
	});
});
