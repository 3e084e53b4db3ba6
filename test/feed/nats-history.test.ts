// --last and --since against a real nats-server with JetStream: the replay and what is published during it are
// each seen exactly once, across a server restart too; nothing is left on the server; clear errors when no stream
// holds the subject; line mode prints the history and follows.
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {createConnection, createServer, type AddressInfo, type Socket} from 'node:net';
import {after, describe, test} from 'node:test';
import {setTimeout as sleep} from 'node:timers/promises';
import {connect} from '@nats-io/transport-node';
import {jetstreamManager} from '@nats-io/jetstream';
import type {SourceStatus} from '../../source/feed/feed.js';
import {Ingest} from '../../source/feed/ingest.js';
import type {HistoryRequest} from '../../source/feed/nats/history.js';
import {NatsFeed} from '../../source/feed/nats/nats-feed.js';
import {eventSubject} from '../../source/feed/nats/subjects.js';
import type {MonitorEvent} from '../../source/model/event.js';
import {normalize} from '../../source/model/normalize.js';
import {jsonLine} from '../../source/model/sanitize.js';
import {NatsPublisher} from '../../source/publish/publisher.js';
import {EventStore} from '../../source/store/event-store.js';
import {cliPath, collect} from '../helpers/cli.js';
import {waitFor} from '../helpers/grpc-server.js';
import {disposeNatsServers, natsServerMissing, startNatsServer, type TestNatsServer} from '../helpers/nats-server.js';
import {sampleLines} from '../helpers/samples.js';

const missing = natsServerMissing();
const closers: Array<() => Promise<unknown>> = [];
after(async () => {
	for (const close of closers.reverse()) await close();
	await disposeNatsServers();
});

const lines = sampleLines();

/** Event number `n`: a sample event (cycling through them, so subjects vary) carrying TestSeq n. */
function numbered(n: number): {subject: string; payload: string} {
	const raw = {...(JSON.parse(lines[n % lines.length]!) as Record<string, unknown>), TestSeq: n};
	const event = normalize(raw, 'test', Date.now());
	if (typeof event === 'string') throw new Error(event);
	return {subject: eventSubject('kubearmor', event.kind, event.fields), payload: jsonLine(event.fields)};
}

async function publisherFor(server: TestNatsServer): Promise<NatsPublisher> {
	const publisher = new NatsPublisher({to: server.url, prefix: 'kubearmor', stream: {name: 'KA'}, log: () => undefined, bufferEvents: 1_000_000});
	publisher.start();
	closers.push(async () => publisher.close());
	return publisher;
}

async function publishRange(publisher: NatsPublisher, from: number, to: number, only?: (subject: string) => boolean): Promise<number[]> {
	const sent: number[] = [];
	for (let n = from; n <= to; n++) {
		const {subject, payload} = numbered(n);
		if (only && !only(subject)) continue;
		publisher.publish(subject, payload);
		sent.push(n);
	}

	assert.equal(await publisher.flush(20_000), 0, 'everything sent');
	return sent;
}

async function streamMessages(server: TestNatsServer, stream = 'KA'): Promise<{messages: number; consumers: number}> {
	const nc = await connect({servers: `127.0.0.1:${server.port}`});
	try {
		const jsm = await jetstreamManager(nc);
		const info = await jsm.streams.info(stream);
		return {messages: info.state.messages, consumers: info.state.consumer_count};
	} finally {
		await nc.close();
	}
}

function replayer(server: TestNatsServer, history: HistoryRequest, subject = 'kubearmor.>', onEvent?: (event: MonitorEvent) => void) {
	const store = new EventStore({maxEvents: 200_000});
	const statuses: SourceStatus[] = [];
	const seen = new Map<number, number>();
	const feed = new NatsFeed({url: `${server.url}/${subject}`, history, backoff: {initialMs: 50, maxMs: 200}});
	closers.push(async () => {
		feed.stop();
		await feed.done;
	});
	feed.start(
		new Ingest(store, {
			onEvent(event) {
				const n = event.fields['TestSeq'] as number;
				seen.set(n, (seen.get(n) ?? 0) + 1);
				onEvent?.(event);
			},
			onStatus(status) {
				statuses.push(status);
			},
		}),
	);
	return {feed, store, statuses, seen, last: () => statuses.at(-1)};
}

/** Every number in `expected` seen exactly once, and nothing else. */
function assertExactlyOnce(seen: Map<number, number>, expected: number[]): void {
	const twice = [...seen].filter(([, count]) => count > 1).map(([n]) => n);
	assert.deepEqual(twice.slice(0, 10), [], 'seen twice');
	const wanted = new Set(expected);
	const extra = [...seen.keys()].filter(n => !wanted.has(n));
	assert.deepEqual(extra.slice(0, 10), [], 'seen but not expected');
	const absent = expected.filter(n => !seen.has(n));
	assert.deepEqual(absent.slice(0, 10), [], 'expected but not seen');
}

describe('NATS history', {skip: missing}, () => {
	test('--last: the last N, then what is published during the replay, each exactly once; nothing left on the server', async () => {
		const server = await startNatsServer();
		const publisher = await publisherFor(server);
		await publishRange(publisher, 1, 20_000);
		await eventually(async () => (await streamMessages(server)).messages === 20_000, 'all 20,000 stored');

		// While the replay runs (at its first event), 5,000 more are published.
		let during: Promise<number[]> | undefined;
		const watcher = replayer(server, {last: 15_000}, 'kubearmor.>', () => {
			during ??= publishRange(publisher, 20_001, 25_000);
		});
		await waitFor(() => watcher.store.counters.events >= 20_000, '20,000 events', 30_000);
		// A last one: once it is here, anything published before it is too (a stream is in order).
		await during;
		await publishRange(publisher, 25_001, 25_001);
		await waitFor(() => watcher.seen.has(25_001), 'the last one', 10_000);
		assertExactlyOnce(watcher.seen, range(5001, 25_001));

		const replaying = watcher.statuses.map(status => status.detail ?? '').filter(detail => /^replaying [\d,]+ of [\d,]+$/.test(detail));
		assert.ok(replaying.length > 0, 'the header said "replaying N of M"');
		assert.match(replaying[0]!, / of (15,000|[12]\d,\d{3})$/);
		await waitFor(() => watcher.last()?.detail === 'live, 20,001 messages', 'live', 3000);

		assert.equal((await streamMessages(server)).consumers, 1, 'one ordered consumer while it runs');
		watcher.feed.stop();
		await watcher.feed.done;
		assert.equal((await streamMessages(server)).consumers, 0, 'the ordered consumer was deleted');
	});

	test('--last with a subject narrower than the stream, and --since a time with events published during it: exactly the history asked for, then live, each once', async () => {
		const server = await startNatsServer();
		const publisher = await publisherFor(server);
		const isLog = (subject: string) => subject.startsWith('kubearmor.log.');
		const before = await publishRange(publisher, 1, 3000);
		await sleep(30); // distinct store times on either side of `since`
		const since = Date.now();
		await sleep(30);
		const after = await publishRange(publisher, 3001, 5000);
		await eventually(async () => (await streamMessages(server)).messages === 5000, 'all 5,000 stored');

		const logs = [...before, ...after].filter(n => isLog(numbered(n).subject));
		assert.ok(logs.length > 700, `the samples hold logs too (${logs.length})`);
		const narrow = replayer(server, {last: 500}, 'kubearmor.log.>');
		await waitFor(() => narrow.store.counters.events === 500, 'the last 500 logs', 20_000);
		// While the --since replay runs (at its first event), 100 more are published.
		let during: Promise<number[]> | undefined;
		let replayedBefore = -1;
		const sinceWatcher = replayer(server, {since}, 'kubearmor.>', () => {
			if (during) return;
			replayedBefore = sinceWatcher.store.counters.events;
			during = publishRange(publisher, 5001, 5100);
		});
		await waitFor(() => during !== undefined, 'the --since replay started', 20_000);
		const more = await during!;
		assert.ok(replayedBefore < 2000, 'published while the history was still coming');
		await waitFor(() => sinceWatcher.seen.has(5100), 'live after the history', 10_000);
		const moreLogs = more.filter(n => isLog(numbered(n).subject));
		await waitFor(() => narrow.seen.has(moreLogs.at(-1)!), 'live logs', 10_000);

		assertExactlyOnce(narrow.seen, [...logs.slice(-500), ...moreLogs]);
		assertExactlyOnce(sinceWatcher.seen, [...after, ...more]);
	});

	test('a server restart during the replay: it resumes where it was, nothing twice, nothing missing', async () => {
		const server = await startNatsServer();
		const publisher = await publisherFor(server);
		await publishRange(publisher, 1, 20_000);
		await eventually(async () => (await streamMessages(server)).messages === 20_000, 'all 20,000 stored');
		let restarting: Promise<void> | undefined;
		const watcher = replayer(server, {last: 20_000}, 'kubearmor.>', event => {
			if (restarting === undefined && (event.fields['TestSeq'] as number) === 3000) restarting = server.stop().then(async () => server.restart());
		});
		await waitFor(() => restarting !== undefined, 'the restart started', 20_000);
		await restarting;
		await waitFor(() => watcher.feed.stats.connects >= 2, 'reconnected', 20_000);
		await publishRange(publisher, 20_001, 20_001);
		await waitFor(() => watcher.seen.has(20_001), 'the one after the restart', 20_000);
		assertExactlyOnce(watcher.seen, range(1, 20_001));
		assert.ok(watcher.statuses.some(status => status.state === 'reconnecting'), 'the header showed the restart');
	});

	test('a connection lost mid-replay (the server stays up): it resumes, and deletes the consumer it left behind', async () => {
		const server = await startNatsServer();
		const publisher = await publisherFor(server);
		await publishRange(publisher, 1, 20_000);
		await eventually(async () => (await streamMessages(server)).messages === 20_000, 'all 20,000 stored');
		const proxy = await tcpProxy(server.port);
		let dropped = false;
		const watcher = replayer({...server, url: `nats://127.0.0.1:${proxy.port}`} as TestNatsServer, {last: 20_000}, 'kubearmor.>', event => {
			if (!dropped && (event.fields['TestSeq'] as number) === 5000) {
				dropped = true;
				proxy.dropAll();
			}
		});
		await waitFor(() => watcher.feed.stats.connects >= 2 && watcher.seen.has(20_000), 'reconnected and caught up', 20_000);
		assertExactlyOnce(watcher.seen, range(1, 20_000));
		await eventually(async () => (await streamMessages(server)).consumers === 1, 'only the current consumer on the server');
		proxy.close();
	});

	test('pause() during a replay: it stops pulling (nothing piles up here), and resume() goes on, each event once', async () => {
		const server = await startNatsServer();
		const publisher = await publisherFor(server);
		await publishRange(publisher, 1, 20_000);
		await eventually(async () => (await streamMessages(server)).messages === 20_000, 'all 20,000 stored');
		let paused = false;
		const watcher = replayer(server, {last: 20_000}, 'kubearmor.>', () => {
			if (!paused && watcher.store.counters.events === 1000) {
				paused = true;
				watcher.feed.pause();
			}
		});
		await waitFor(() => paused, 'paused at 1,000', 20_000);
		// What was already on its way arrives (and waits in the feed); then nothing more is pulled.
		let received = -1;
		for (let round = 0; round < 20 && received !== watcher.feed.stats.messages; round++) {
			received = watcher.feed.stats.messages;
			await sleep(300);
		}

		assert.ok(received < 5000, `stopped pulling: ${received} of 20,000 received while held`);
		assert.equal(watcher.store.counters.events, 1000, 'nothing reaches the output while it is behind');
		watcher.feed.resume();
		await waitFor(() => watcher.seen.has(20_000), 'the rest after resume()', 20_000);
		assertExactlyOnce(watcher.seen, range(1, 20_000));
	});

	test('line mode with a slow reader: the replay waits for the pipe (paused), and every event is printed', async () => {
		const server = await startNatsServer();
		const publisher = await publisherFor(server);
		await publishRange(publisher, 1, 20_000);
		await eventually(async () => (await streamMessages(server)).messages === 20_000, 'all 20,000 stored');
		const child = spawn(process.execPath, [cliPath, `${server.url}/kubearmor.>`, '--json', '--last', '20000', '--limit', '20000'], {
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		closers.push(async () => child.kill('SIGKILL'));
		// A reader that takes nothing for a second (the pipe fills and the monitor must wait), then reads it all.
		child.stdout.pause();
		await sleep(1000);
		let lines = 0;
		let partial = '';
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
			const text = partial + chunk;
			const cut = text.lastIndexOf('\n');
			lines += text.slice(0, cut + 1).split('\n').length - 1;
			partial = text.slice(cut + 1);
		});
		child.stdout.resume();
		let stderr = '';
		child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
			stderr += chunk;
		});
		const code = await new Promise(resolve => child.once('close', resolve));
		assert.equal(code, 0, stderr);
		assert.equal(lines, 20_000);
	});

	test('no stream for the subject, no JetStream, no such --stream: the source fails with words', async () => {
		const server = await startNatsServer();
		const noJetStream = await startNatsServer({jetstream: false});
		const publisher = await publisherFor(server); // creates KA on kubearmor.>
		await publishRange(publisher, 1, 1);
		const cases: Array<[ReturnType<typeof replayer>, RegExp]> = [
			[replayer(server, {last: 5}, 'other.>'), /^no JetStream stream holds other\.>: create one with `armorwatch publish/],
			[replayer(server, {last: 5, stream: 'NOPE'}), /^no JetStream stream is named NOPE$/],
			[replayer(server, {last: 5, stream: 'KA'}, 'other.x'), /^stream KA holds kubearmor\.>, not all of other\.x/],
			[replayer(noJetStream, {since: Date.now() - 60_000}), /the server has no JetStream/],
		];
		for (const [watcher, words] of cases) {
			await waitFor(() => watcher.last()?.state === 'failed', `failed: ${words}`, 10_000);
			assert.match(watcher.last()!.detail!, words);
			await watcher.feed.done; // a failed source is done: line mode can exit
		}
	});

	test('line mode: --json --last N prints the history, then follows', async () => {
		const server = await startNatsServer();
		const publisher = await publisherFor(server);
		await publishRange(publisher, 1, 50);
		const child = spawn(process.execPath, [cliPath, `${server.url}/kubearmor.>`, '--json', '--last', '5', '--limit', '8'], {stdio: ['pipe', 'pipe', 'pipe']});
		closers.push(async () => child.kill('SIGKILL'));
		let printed = '';
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
			printed += chunk;
		});
		const result = collect(child, undefined, 20_000);
		await waitFor(() => printed.split('\n').length > 5, 'the history printed', 15_000);
		await publishRange(publisher, 51, 53);
		const {code, stdout, stderr} = await result;
		assert.equal(code, 0, stderr);
		assert.deepEqual(
			stdout.trimEnd().split('\n').map(line => (JSON.parse(line) as {TestSeq: number}).TestSeq),
			[46, 47, 48, 49, 50, 51, 52, 53],
		);
	});
});

/** A TCP relay to 127.0.0.1:`port` whose connections the test can cut, as a network would (the server stays up). */
async function tcpProxy(port: number): Promise<{port: number; dropAll: () => void; close: () => void}> {
	const sockets = new Set<Socket>();
	const server = createServer(client => {
		const upstream = createConnection(port, '127.0.0.1');
		for (const [from, to] of [
			[client, upstream],
			[upstream, client],
		] as const) {
			sockets.add(from);
			from.pipe(to);
			from.on('error', () => to.destroy());
			from.on('close', () => {
				sockets.delete(from);
				to.destroy();
			});
		}
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	return {
		port: (server.address() as AddressInfo).port,
		dropAll() {
			for (const socket of sockets) socket.destroy();
		},
		close() {
			for (const socket of sockets) socket.destroy();
			server.close();
		},
	};
}

/** Poll an async condition every 20 ms for up to 10 s. */
async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
	const deadline = Date.now() + 10_000;
	while (!(await check())) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await sleep(20);
	}
}

function range(from: number, to: number): number[] {
	return Array.from({length: to - from + 1}, (_, index) => from + index);
}
