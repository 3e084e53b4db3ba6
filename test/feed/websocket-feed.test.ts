import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createServer as createHttpServer, type IncomingMessage, type Server} from 'node:http';
import {createServer as createHttpsServer} from 'node:https';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {after, describe, test} from 'node:test';
import {makeCertificate} from '../helpers/tls.js';
import WebSocket, {WebSocketServer} from 'ws';
import type {FeedSink, SourceStatus} from '../../source/feed/feed.js';
import {Ingest, type IngestOptions} from '../../source/feed/ingest.js';
import {FileFeed} from '../../source/feed/ndjson-feed.js';
import {deliverText, redactUrl, WebSocketFeed, type WebSocketFeedOptions} from '../../source/feed/websocket-feed.js';
import {parseHeader} from '../../source/feed/websocket-header.js';
import {EventStore} from '../../source/store/event-store.js';

// ---------------------------------------------------------------------------------------------------------------
// Helpers: a real ws server on 127.0.0.1, a sink that records, and a bounded wait.

type TestServer = {
	port: number;
	url: string;
	requests: IncomingMessage[];
	sockets: Set<WebSocket>;
	/** Like a crash: every socket destroyed, the port released, no close frames. */
	kill(): Promise<void>;
};

type ServerOptions = {
	port?: number;
	tls?: {cert: Buffer; key: Buffer};
	autoPong?: boolean;
	perMessageDeflate?: boolean;
	/** Answer the upgrade with this HTTP status instead of accepting it. */
	refuse?: number;
	onConnection?: (socket: WebSocket, request: IncomingMessage) => void;
};

const servers = new Set<TestServer>();
const feeds = new Set<WebSocketFeed>();

after(async () => {
	for (const feed of feeds) feed.stop();
	await Promise.all([...feeds].map(async feed => feed.done));
	await Promise.all([...servers].map(async server => server.kill()));
});

async function startTestServer(options: ServerOptions = {}): Promise<TestServer> {
	const http: Server = options.tls ? createHttpsServer({cert: options.tls.cert, key: options.tls.key}) : createHttpServer();
	const wss = new WebSocketServer({
		noServer: true,
		autoPong: options.autoPong ?? true,
		perMessageDeflate: options.perMessageDeflate ?? false,
	});
	const requests: IncomingMessage[] = [];
	const sockets = new Set<WebSocket>();
	http.on('upgrade', (request: IncomingMessage, socket, head) => {
		requests.push(request);
		if (options.refuse) {
			socket.end(`HTTP/1.1 ${options.refuse} Nope\r\nConnection: close\r\nContent-Length: 12\r\n\r\ngo away now\n`);
			return;
		}

		wss.handleUpgrade(request, socket, head, ws => {
			sockets.add(ws);
			ws.on('close', () => sockets.delete(ws));
			ws.on('error', () => {});
			options.onConnection?.(ws, request);
		});
	});
	await new Promise<void>(resolve => {
		http.listen(options.port ?? 0, '127.0.0.1', resolve);
	});
	const {port} = http.address() as AddressInfo;
	let killed: Promise<void> | undefined;
	const server: TestServer = {
		port,
		url: `${options.tls ? 'wss' : 'ws'}://127.0.0.1:${port}`,
		requests,
		sockets,
		async kill() {
			killed ??= new Promise<void>(resolve => {
				for (const socket of sockets) socket.terminate();
				http.close(() => {
					resolve();
				});
				http.closeAllConnections();
				servers.delete(server);
			});
			return killed;
		},
	};
	servers.add(server);
	return server;
}

function recorder(options: IngestOptions = {}) {
	const store = new EventStore({maxEvents: 200_000});
	const problems: string[] = [];
	const ingest = new Ingest(store, {
		...options,
		onMalformed(message) {
			problems.push(message);
		},
	});
	const statuses: SourceStatus[] = [];
	const sink: FeedSink = {
		line: (text, source) => {
			ingest.line(text, source);
		},
		value: (value, source) => {
			ingest.value(value, source);
		},
		malformed: (reason, source) => {
			ingest.malformed(reason, source);
		},
		oversized: (bytes, limit, source) => {
			ingest.oversized(bytes, limit, source);
		},
		status: status => {
			statuses.push(status);
			ingest.status(status);
		},
	};
	return {store, sink, statuses, problems, last: () => statuses.at(-1)};
}

function startFeed(options: WebSocketFeedOptions, sink: FeedSink): WebSocketFeed {
	const feed = new WebSocketFeed({backoff: {initialMs: 40, maxMs: 200}, ...options});
	feeds.add(feed);
	feed.start(sink);
	return feed;
}

async function stopFeed(feed: WebSocketFeed): Promise<void> {
	feed.stop();
	await feed.done;
	feeds.delete(feed);
}

async function waitFor(what: string, condition: () => boolean, timeoutMs = 3000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await sleep(5);
	}
}

function event(index: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		Timestamp: 1_700_000_000 + index,
		HostName: 'node-a',
		NamespaceName: 'payments',
		PodName: 'api-1',
		Type: 'MatchedPolicy',
		PolicyName: 'block-egress',
		Severity: '7',
		Operation: 'Network',
		Action: 'Block',
		Resource: `/usr/bin/curl ${index}`,
		...extra,
	};
}

/** The attempt number of each reconnect the header announced ("in 1s (attempt 3): ..."; not its countdown). */
function reconnectAttempts(statuses: SourceStatus[]): string[] {
	return statuses
		.filter((s, index) => s.state === 'reconnecting' && statuses[index - 1]?.state !== 'reconnecting')
		.map(s => /\(attempt (\d+)\)/.exec(s.detail ?? '')?.[1] ?? '?');
}

function allEvents(store: EventStore) {
	const result = [];
	for (let seq = store.events.oldestSeq; seq <= store.events.newestSeq; seq++) result.push(store.events.get(seq)!);
	return result;
}


// ---------------------------------------------------------------------------------------------------------------

describe('WebSocketFeed', () => {
	test('events arrive as objects, arrays, NDJSON and UTF-8 binary frames, and reach the store', async () => {
		const server = await startTestServer({
			onConnection(ws) {
				ws.send(JSON.stringify(event(1)));
				ws.send(JSON.stringify([event(2), event(3)]));
				ws.send(`${JSON.stringify(event(4))}\n${JSON.stringify(event(5))}\r\n\n${JSON.stringify(event(6))}\n`);
				ws.send(Buffer.from(JSON.stringify(event(7))), {binary: true});
				ws.send(Buffer.from(`${JSON.stringify(event(8))}\n${JSON.stringify(event(9))}\n`), {binary: true});
			},
		});
		const {store, sink, problems} = recorder();
		const feed = startFeed({url: `${server.url}/events`}, sink);
		await waitFor('9 events', () => store.counters.events === 9);
		assert.deepEqual(problems, []);
		assert.equal(store.counters.malformed, 0);
		const events = allEvents(store);
		assert.deepEqual(
			events.map(e => e.fields['Resource']),
			[1, 2, 3, 4, 5, 6, 7, 8, 9].map(index => `/usr/bin/curl ${index}`),
		);
		assert.equal(events[0]!.source, `${server.url}/events`);
		assert.equal(events[0]!.severity, 7);
		const status = store.sources.get(feed.label)!;
		assert.equal(status.state, 'connected');
		assert.ok(status.since !== undefined && status.since <= Date.now());
		assert.equal(status.warning, undefined);
		await waitFor('the message count in the header', () => store.sources.get(feed.label)?.detail === '5 messages', 2000);
		assert.equal(feed.stats.messages, 5);
		assert.equal(feed.stats.connects, 1);
		await stopFeed(feed);
		assert.equal(store.sources.get(feed.label)?.state, 'closed');
		await server.kill();
	});

	test('malformed, non-UTF-8 and non-event messages are counted and the connection stays up', async () => {
		const server = await startTestServer({
			onConnection(ws) {
				ws.send('this is not json');
				ws.send(Buffer.from([0xff, 0xfe, 0x00, 0x80]), {binary: true});
				ws.send(Buffer.from([0xc3, 0x28]), {binary: false}); // Invalid UTF-8 in a text frame.
				ws.send('42');
				ws.send('[{"Type":"MatchedPolicy"}, 7, "x"]');
				ws.send('[not json either');
				ws.send('{}');
				ws.send('   '); // A keepalive: neither an event nor a problem.
				ws.send(JSON.stringify(event(1)));
			},
		});
		const {store, sink, problems} = recorder();
		const feed = startFeed({url: server.url}, sink);
		// The array holds one event among the junk; the last message is the other.
		await waitFor('the event after the junk', () => store.counters.events === 2);
		assert.equal(store.counters.malformed, 8, problems.join('\n'));
		// Bytes that are not UTF-8 are replacement characters, as in a file: the line they are in is not JSON.
		assert.ok(problems.some(problem => problem.includes('not JSON: "\uFFFD\uFFFD\\u0000\uFFFD"')), problems.join('\n'));
		assert.ok(problems.some(problem => problem.includes('not JSON: "\uFFFD("')), problems.join('\n'));
		assert.ok(problems.some(problem => problem.includes('not JSON: "this is not json"')));
		assert.equal(feed.stats.connects, 1, 'the connection stayed up');
		assert.equal(store.sources.get(feed.label)?.state, 'connected');
		await stopFeed(feed);
		await server.kill();
	});

	test('an oversized message is refused and counted, then the feed carries on', async () => {
		let connections = 0;
		const server = await startTestServer({
			onConnection(ws) {
				connections++;
				if (connections === 1) ws.send('x'.repeat(64 * 1024));
				ws.send(JSON.stringify(event(connections)));
			},
		});
		const {store, sink, problems} = recorder();
		const feed = startFeed({url: server.url, maxMessageBytes: 4096}, sink);
		await waitFor('an event after the refused message', () => store.counters.events >= 1);
		assert.equal(store.counters.oversized, 1);
		assert.equal(feed.stats.oversized, 1);
		assert.ok(problems.some(problem => problem.includes('65536')), problems.join('\n'));
		await stopFeed(feed);
		await server.kill();
	});

	test('one invalid UTF-8 byte spoils only its own line, as in a file', async () => {
		// B1, a line with a bad byte in the JSON, B3, and B4 with a bad byte inside a value (0xC3 then '"').
		const [before, after] = JSON.stringify(event(4)).split(' 4');
		const message = Buffer.concat([
			Buffer.from(`${JSON.stringify(event(1))}\n{bad `),
			Buffer.from([0xff]),
			Buffer.from(`}\n${JSON.stringify(event(3))}\n${before}`),
			Buffer.from([0xc3]),
			Buffer.from(after!),
		]);
		const server = await startTestServer({
			onConnection(ws) {
				ws.send(message, {binary: false});
				ws.send(message, {binary: true});
			},
		});
		const {store, sink, problems} = recorder();
		const feed = startFeed({url: server.url}, sink);
		await waitFor('the good events of both messages', () => store.counters.events === 6 && store.counters.malformed === 2);
		const resources = allEvents(store).map(e => e.fields['Resource']);
		assert.deepEqual(resources, [1, 3, 4, 1, 3, 4].map(index => (index === 4 ? '/usr/bin/curl\uFFFD' : `/usr/bin/curl ${index}`)));
		assert.deepEqual(problems.map(problem => problem.replace(/^[^:]*:\/\/[^:]*:\d+: /, '')), ['not JSON: "{bad \uFFFD}"', 'not JSON: "{bad \uFFFD}"']);
		assert.equal(feed.stats.connects, 1);
		await stopFeed(feed);
		await server.kill();

		// The same bytes from a file: the same events, the same line refused.
		const directory = mkdtempSync(join(tmpdir(), 'armorwatch-ws-utf8-'));
		const file = join(directory, 'bad-byte.ndjson');
		writeFileSync(file, message);
		const fromFile = recorder();
		const fileFeed = new FileFeed(file);
		fileFeed.start(fromFile.sink);
		await fileFeed.done;
		rmSync(directory, {recursive: true, force: true});
		assert.deepEqual(allEvents(fromFile.store).map(e => e.fields['Resource']), resources.slice(0, 3));
		assert.equal(fromFile.store.counters.malformed, 1);
	});

	test('a flapping server is retried from the first delay once it delivered an event', async () => {
		// Each connection: one event, then the server closes. Retries stay at the first delay (attempt 1).
		let connections = 0;
		const flapping = await startTestServer({
			onConnection(ws) {
				connections++;
				ws.send(JSON.stringify(event(connections)), () => ws.close(1012, 'restarting'));
			},
		});
		const {store, sink, statuses} = recorder();
		const backoff = {initialMs: 30, maxMs: 2000, jitter: 0};
		const feed = startFeed({url: flapping.url, backoff}, sink);
		await waitFor('five connections', () => store.counters.events >= 5, 5000);
		const attempts = reconnectAttempts(statuses);
		assert.ok(attempts.length >= 4, JSON.stringify(statuses));
		assert.deepEqual(new Set(attempts), new Set(['1']), `attempts ${attempts.join(', ')}`);
		await stopFeed(feed);
		await flapping.kill();

		// A server that accepts and closes without sending anything is still backed off.
		const silent = await startTestServer({
			onConnection(ws) {
				ws.close(1011, 'no');
			},
		});
		const second = recorder();
		const backedOff = startFeed({url: silent.url, backoff}, second.sink);
		await waitFor('three retries', () => reconnectAttempts(second.statuses).length >= 3, 5000);
		assert.deepEqual(reconnectAttempts(second.statuses).slice(0, 3), ['1', '2', '3']);
		await stopFeed(backedOff);
		await silent.kill();
	});

	test('a refused oversized message: the screen says it ended the connection, and a server resending it is backed off', async () => {
		// Every connection: an event, a message over the limit, an event that the closed connection loses.
		let connections = 0;
		const server = await startTestServer({
			onConnection(ws) {
				connections++;
				ws.send(JSON.stringify(event(connections)));
				ws.send('x'.repeat(64 * 1024));
				ws.send(JSON.stringify(event(100 + connections)));
			},
		});
		const {store, sink, statuses, problems} = recorder();
		const feed = startFeed({url: server.url, maxMessageBytes: 4096, backoff: {initialMs: 30, maxMs: 2000, jitter: 0}}, sink);
		await waitFor('three refusals', () => reconnectAttempts(statuses).length >= 3, 5000);
		const reconnects = statuses.filter(s => s.state === 'reconnecting');
		for (const status of reconnects) {
			assert.match(
				status.detail!,
				/refused a 64 KiB message, over --max-message 4 KiB; that closes the connection \(1009\), losing what the server sent after it/,
			);
		}

		// The event before each refusal arrived, yet the delays grow: no reconnect loop.
		assert.deepEqual(reconnectAttempts(statuses).slice(0, 3), ['1', '2', '3']);
		assert.ok(store.counters.events >= 3);
		assert.ok(allEvents(store).every(e => !String(e.fields['Resource']).includes('curl 10')), 'nothing after a refused message');
		assert.equal(store.counters.oversized, feed.stats.oversized);
		// Counted in the limit's words, as the status says it.
		assert.match(problems[0]!, /skipped \d+ bytes of input \(over the 4 KiB limit\)/);
		await stopFeed(feed);
		await server.kill();
	});

	test('headers reach the server and their values appear nowhere on screen', async () => {
		const secret = 'Bearer s3cret-token-value';
		const server = await startTestServer({
			onConnection(ws) {
				ws.send(JSON.stringify(event(1)));
			},
		});
		const {store, sink, statuses} = recorder();
		const feed = startFeed({url: server.url, headers: [['Authorization', secret], ['X-Team', 'blue']]}, sink);
		await waitFor('an event', () => store.counters.events === 1);
		assert.equal(server.requests[0]!.headers.authorization, secret);
		assert.equal(server.requests[0]!.headers['x-team'], 'blue');
		await stopFeed(feed);
		await server.kill();

		// A server that refuses: the error names the status, never the header.
		const refusing = await startTestServer({refuse: 401});
		const second = recorder();
		const refused = startFeed({url: `${refusing.url}/?token=querysecret`, headers: {Authorization: secret}}, second.sink);
		await waitFor('a refusal', () => second.last()?.state === 'reconnecting');
		assert.match(second.last()!.detail!, /HTTP 401/);
		assert.equal(refused.label, `${refusing.url}/?token=***`);
		await stopFeed(refused);
		await refusing.kill();
		const everything = JSON.stringify([...statuses, ...second.statuses, feed.label, refused.label]);
		assert.ok(!everything.includes('s3cret'), everything);
		assert.ok(!everything.includes('querysecret'), everything);
	});

	test('a killed server is shown as reconnecting, and the feed comes back when it restarts', async () => {
		let connection = 0;
		const onConnection = (ws: WebSocket): void => {
			connection++;
			ws.send(JSON.stringify(event(connection)));
		};

		const first = await startTestServer({onConnection});
		const {port} = first;
		const {store, sink, statuses} = recorder();
		const feed = startFeed({url: first.url}, sink);
		await waitFor('the first event', () => store.counters.events === 1);
		await first.kill();
		await waitFor('reconnecting', () => store.sources.get(feed.label)?.state === 'reconnecting');
		// Let it fail against the closed port a few times.
		await waitFor('a refused retry', () => statuses.some(s => s.state === 'reconnecting' && /connection refused/.test(s.detail ?? '')));
		const failing = store.sources.get(feed.label)!;
		assert.match(failing.detail!, /^in \d+s \(attempt \d+\): /);
		const second = await startTestServer({port, onConnection});
		await waitFor('the second event', () => store.counters.events === 2, 3000);
		assert.equal(store.sources.get(feed.label)?.state, 'connected');
		assert.equal(feed.stats.connects, 2);
		const states = statuses.map(s => s.state);
		assert.deepEqual(states.slice(0, 2), ['connecting', 'connected']);
		assert.ok(states.includes('reconnecting'));
		await stopFeed(feed);
		await second.kill();
	});

	test('a server that stops answering pings is detected within two intervals and replaced', async () => {
		const server = await startTestServer({autoPong: false});
		const {store, sink, statuses} = recorder();
		const pingIntervalMs = 200;
		const feed = startFeed({url: server.url, pingIntervalMs}, sink);
		await waitFor('connected', () => store.sources.get(feed.label)?.state === 'connected');
		const connectedAt = Date.now();
		await waitFor('the dead connection to be noticed', () => store.sources.get(feed.label)?.state === 'reconnecting', 2000);
		const noticedAfter = Date.now() - connectedAt;
		// Two intervals, plus slack for a loaded machine's timers.
		assert.ok(noticedAfter <= 2 * pingIntervalMs + 250, `noticed after ${noticedAfter} ms`);
		assert.ok(statuses.some(s => /no answer to ping/.test(s.detail ?? '')));
		await waitFor('a replacement connection', () => feed.stats.connects >= 2, 2000);
		await stopFeed(feed);
		await server.kill();
	});

	test('a live connection that answers pings is kept', async () => {
		const server = await startTestServer();
		const {store, sink} = recorder();
		const feed = startFeed({url: server.url, pingIntervalMs: 50}, sink);
		await waitFor('connected', () => store.sources.get(feed.label)?.state === 'connected');
		await sleep(400);
		assert.equal(feed.stats.connects, 1);
		assert.equal(store.sources.get(feed.label)?.state, 'connected');
		await stopFeed(feed);
		await server.kill();
	});

	test('when ingest is slow the socket is paused: nothing is lost and little is held', async () => {
		const total = 20_000;
		let maxBuffered = 0;
		const server = await startTestServer({
			onConnection(ws) {
				let sent = 0;
				const lines: string[] = [];
				const send = (): void => {
					while (sent < total && ws.bufferedAmount < 4 * 1024 * 1024) {
						lines.length = 0;
						for (let i = 0; i < 100; i++) lines.push(JSON.stringify(event(sent++)));
						ws.send(lines.join('\n'));
					}

					maxBuffered = Math.max(maxBuffered, ws.bufferedAmount);
					if (sent < total) setTimeout(send, 1);
				};

				send();
			},
		});
		const {store, sink} = recorder();
		// A sink that costs ~20 µs per event: 20k events take ~0.4 s of CPU, slower than the server sends.
		const slow: FeedSink = {
			...sink,
			line(text, source) {
				const until = performance.now() + 0.02;
				while (performance.now() < until) {
					// Busy: a monitor that cannot keep up.
				}

				sink.line(text, source);
			},
		};
		const feed = startFeed({url: server.url, sliceBudgetMs: 5}, slow);
		await waitFor('every event', () => store.counters.events === total, 10_000);
		assert.ok(feed.stats.pauses > 0, 'the socket was paused');
		assert.ok(feed.stats.maxQueuedBytes < 8 * 1024 * 1024, `held ${feed.stats.maxQueuedBytes} bytes`);
		assert.ok(maxBuffered > 0, 'the server felt the push-back');
		assert.equal(store.counters.malformed, 0);
		await stopFeed(feed);
		await server.kill();
	});

	test('one big NDJSON message is delivered in slices: a timer runs in between, every event arrives in order', async () => {
		const total = 500;
		const server = await startTestServer({
			onConnection(ws) {
				ws.send(Array.from({length: total}, (_, index) => JSON.stringify(event(index))).join('\n'));
			},
		});
		const {store, sink} = recorder();
		const seen: number[] = [];
		// ~0.1 ms per event: the message takes ~50 ms of ingest, ten 5 ms slices.
		const slow: FeedSink = {
			...sink,
			line(text, source) {
				const until = performance.now() + 0.1;
				while (performance.now() < until) {
					// Busy: ingest that takes a while.
				}

				seen.push((JSON.parse(text) as {Timestamp: number}).Timestamp - 1_700_000_000);
				sink.line(text, source);
			},
		};
		// What a key press waits for: a timer due every millisecond, counted while the message is being read.
		let ticksDuring = 0;
		const ticker = setInterval(() => {
			if (seen.length > 0 && seen.length < total) ticksDuring++;
		}, 1);
		try {
			const feed = startFeed({url: server.url, sliceBudgetMs: 5}, slow);
			await waitFor('every event', () => store.counters.events === total, 10_000);
			assert.deepEqual(seen, Array.from({length: total}, (_, index) => index));
			assert.ok(ticksDuring >= 3, `the event loop turned ${ticksDuring} times while the message was read`);
			await stopFeed(feed);
		} finally {
			clearInterval(ticker);
			await server.kill();
		}
	});

	test('messages over 64 KiB, decoded a piece at a time, deliver exactly what the whole message holds', async () => {
		const line = (index: number) => JSON.stringify(event(index, {Resource: `/tmp/é日本🙂-${'x'.repeat(index % 300)}`}));
		const many = Array.from({length: 1500}, (_, index) => line(index) + (index % 7 === 0 ? '\r\n' : index % 11 === 0 ? '\n\n  \n' : '\n')).join('');
		const invalid = Buffer.concat([Buffer.from(many.slice(0, 90_000)), Buffer.from([0xff, 0xc3]), Buffer.from(`\n${line(1)}\n`)]);
		const messages: Array<string | Buffer> = [
			many,
			`\uFEFF${many}`,
			// A line longer than a piece, in the middle and first.
			`${line(1)}\n${line(2).replace('"node-a"', `"${'n'.repeat(100_000)}"`)}\n${line(3)}`,
			`${line(4).replace('"node-a"', `"${'n'.repeat(70_000)}"`)}\n\n  \n${line(5)}\n`,
			// The first piece holds one line and blanks; the next line comes after them.
			`${line(6)}\n${' \n'.repeat(40_000)}${line(7)}`,
			// One value over several pieces: a pretty-printed array, and one line with blanks after it.
			JSON.stringify(Array.from({length: 400}, (_, index) => event(index)), null, 2),
			`${JSON.stringify(Array.from({length: 400}, (_, index) => event(index)))}\n   \n\n`,
			' \n'.repeat(50_000),
			invalid,
		];
		const server = await startTestServer({
			onConnection(ws) {
				for (const message of messages) ws.send(message);
			},
		});
		const got: string[] = [];
		const recording = (into: string[]): FeedSink => ({
			line: text => into.push(`line ${text}`),
			value: value => into.push(`value ${JSON.stringify(value)}`),
			malformed: reason => into.push(`malformed ${reason}`),
			oversized: bytes => into.push(`oversized ${bytes}`),
			status() {},
		});
		const expected: string[] = [];
		for (const message of messages) deliverText(Buffer.from(message).toString('utf8'), recording(expected), 'test');
		assert.ok(expected.length > 2300, `${expected.length} items`);
		const feed = startFeed({url: server.url}, recording(got));
		try {
			await waitFor('every item', () => got.length >= expected.length, 10_000);
			await sleep(50);
			assert.equal(got.length, expected.length);
			assert.deepEqual(got, expected);
		} finally {
			await stopFeed(feed);
			await server.kill();
		}
	});

	test('--compress negotiates permessage-deflate', async () => {
		let extensions = '';
		const server = await startTestServer({
			perMessageDeflate: true,
			onConnection(ws, request) {
				extensions = String(request.headers['sec-websocket-extensions'] ?? '');
				ws.send(JSON.stringify([event(1), event(2)]));
			},
		});
		const {store, sink} = recorder();
		const feed = startFeed({url: server.url, compress: true}, sink);
		await waitFor('2 events', () => store.counters.events === 2);
		assert.match(extensions, /permessage-deflate/);
		await stopFeed(feed);

		const plain = recorder();
		const uncompressed = startFeed({url: server.url}, plain.sink);
		await waitFor('2 events', () => plain.store.counters.events === 2);
		assert.equal(extensions, '', 'off by default');
		await stopFeed(uncompressed);
		await server.kill();
	});

	test('--limit stops line mode after N events', async () => {
		const server = await startTestServer({
			onConnection(ws) {
				ws.send(Array.from({length: 50}, (_, index) => JSON.stringify(event(index))).join('\n'));
			},
		});
		let limited = 0;
		const {store, sink} = recorder({
			limit: 10,
			onLimit() {
				limited++;
				feed.stop();
			},
		});
		const feed = startFeed({url: server.url}, sink);
		await feed.done;
		feeds.delete(feed);
		assert.equal(store.counters.events, 10);
		assert.equal(limited, 1);
		await server.kill();
	});

	test('stop() while the server is unreachable ends at once', async () => {
		const server = await startTestServer();
		const {port} = server;
		await server.kill();
		const {store, sink} = recorder();
		const feed = startFeed({url: `ws://127.0.0.1:${port}`}, sink);
		await waitFor('reconnecting', () => store.sources.get(feed.label)?.state === 'reconnecting');
		const started = Date.now();
		await stopFeed(feed);
		assert.ok(Date.now() - started < 500);
		assert.equal(store.sources.get(feed.label)?.state, 'closed');
	});

	describe('wss', () => {
		const certificate = makeCertificate();
		const skip = certificate ? false : 'openssl is not available to make a test certificate';

		test('a self-signed certificate is refused by default, with a hint', {skip}, async () => {
			const server = await startTestServer({tls: certificate});
			const {store, sink} = recorder();
			const feed = startFeed({url: server.url}, sink);
			await waitFor('a TLS refusal', () => store.sources.get(feed.label)?.state === 'reconnecting');
			assert.match(store.sources.get(feed.label)!.detail!, /TLS: .*--ca FILE, or --insecure/);
			await stopFeed(feed);
			await server.kill();
		});

		test('--ca trusts it', {skip}, async () => {
			const server = await startTestServer({
				tls: certificate,
				onConnection(ws) {
					ws.send(JSON.stringify(event(1)));
				},
			});
			const {store, sink} = recorder();
			const feed = startFeed({url: server.url, ca: certificate!.cert}, sink);
			await waitFor('an event over wss', () => store.counters.events === 1);
			assert.equal(store.sources.get(feed.label)?.warning, undefined);
			await stopFeed(feed);
			await server.kill();
		});

		test('--insecure connects and warns for as long as it runs', {skip}, async () => {
			const server = await startTestServer({
				tls: certificate,
				onConnection(ws) {
					ws.send(JSON.stringify(event(1)));
				},
			});
			const {store, sink, statuses} = recorder();
			const feed = startFeed({url: server.url, insecure: true}, sink);
			await waitFor('an event over wss', () => store.counters.events === 1);
			await stopFeed(feed);
			assert.ok(statuses.length >= 3);
			for (const status of statuses) assert.match(status.warning ?? '', /TLS verification off/);
			await server.kill();
		});
	});
});

describe('message text', () => {
	function collect(text: string) {
		const got: string[] = [];
		const sink: FeedSink = {
			line: line => got.push(`line ${line}`),
			value: value => got.push(`value ${JSON.stringify(value)}`),
			malformed: reason => got.push(`malformed ${reason}`),
			oversized: bytes => got.push(`oversized ${bytes}`),
			status() {},
		};
		deliverText(text, sink, 'test');
		return got;
	}

	test('one object, with a BOM or trailing newline', () => {
		assert.deepEqual(collect('{"a":1}'), ['line {"a":1}']);
		assert.deepEqual(collect('\uFEFF{"a":1}\n'), ['line {"a":1}\n']);
		assert.deepEqual(collect('  \n'), []);
	});

	test('NDJSON lines, CRLF and blank lines', () => {
		assert.deepEqual(collect('{"a":1}\r\n\r\n{"a":2}\n'), ['line {"a":1}', 'line {"a":2}']);
	});

	test('arrays, also as NDJSON lines', () => {
		assert.deepEqual(collect('[{"a":1},{"a":2}]'), ['value {"a":1}', 'value {"a":2}']);
		assert.deepEqual(collect('[{"a":1}]\n[{"a":2}]'), ['value {"a":1}', 'value {"a":2}']);
		assert.deepEqual(collect('[]'), []);
	});

	test('a pretty-printed object is one value, not lines', () => {
		assert.deepEqual(collect('{\n  "a": 1\n}\n'), ['line {\n  "a": 1\n}\n']);
	});
});

describe('labels and headers', () => {
	test('the label drops credentials and hides secret query values', () => {
		assert.equal(redactUrl('ws://user:pw@relay:8080/'), 'ws://relay:8080');
		assert.equal(redactUrl('wss://relay/events?token=abc&filter=ns:x#frag'), 'wss://relay/events?token=***&filter=ns:x');
		assert.equal(redactUrl('ws://relay/?api_key=1&Access-Token=2&sig=3'), 'ws://relay/?api_key=***&Access-Token=***&sig=***');
		const feed = new WebSocketFeed({url: 'ws://alice:hunter2@127.0.0.1:9/p?password=x'});
		assert.equal(feed.label, 'ws://127.0.0.1:9/p?password=***');
	});

	test('bad URLs and headers are refused without repeating secrets', () => {
		assert.throws(() => new WebSocketFeed({url: 'ftp://u:hunter2@host/'}), (error: Error) => !error.message.includes('hunter2'));
		assert.throws(() => new WebSocketFeed({url: 'not a url'}), /not a URL/);
		assert.throws(
			() => new WebSocketFeed({url: 'ws://127.0.0.1:9', headers: {Authorization: 'Bearer x\r\nEvil: 1'}}),
			(error: Error) => /control character/.test(error.message) && !error.message.includes('Bearer'),
		);
	});

	test('parseHeader', () => {
		assert.deepEqual(parseHeader('Authorization: Bearer abc:def'), ['Authorization', 'Bearer abc:def']);
		assert.deepEqual(parseHeader('X-Empty:'), ['X-Empty', '']);
		const missing = parseHeader('Bearer abc');
		assert.ok('error' in missing && !missing.error.includes('abc'));
		const badName = parseHeader('Bad Name: v');
		assert.ok('error' in badName);
		const handshake = parseHeader('Sec-WebSocket-Key: v');
		assert.ok('error' in handshake);
	});
});
