// Every feed stops reading on pause() and reads on after resume(), so a full output holds the source back (the
// writer of a pipe blocks, TCP and HTTP/2 push back on the server) instead of this process buffering. Real files,
// pipes and servers on 127.0.0.1.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {PassThrough} from 'node:stream';
import {after, test} from 'node:test';
import {setTimeout as sleep} from 'node:timers/promises';
import {WebSocketServer, type WebSocket} from 'ws';
import {DemoFeed} from '../../source/feed/demo-feed.js';
import type {Feed, FeedSink} from '../../source/feed/feed.js';
import {GrpcFeed} from '../../source/feed/grpc/grpc-feed.js';
import {FileFeed, StreamFeed} from '../../source/feed/ndjson-feed.js';
import {WebSocketFeed} from '../../source/feed/websocket-feed.js';
import {TestLogServer} from '../helpers/grpc-server.js';
import {waitFor} from '../helpers/wait.js';

const scratch = mkdtempSync(join(tmpdir(), 'armorwatch-flow-'));
after(() => {
	rmSync(scratch, {recursive: true, force: true});
});

/** While paused, what a feed delivers in this long must stay within what it had already read. */
const pausedMs = 300;

/** Counts what a feed delivers; `onFirst` runs at the first event (to pause the feed right there). */
function counter(onFirst: () => void = () => {}): FeedSink & {count: () => number} {
	let count = 0;
	const one = () => {
		if (count++ === 0) onFirst();
	};

	return {
		count: () => count,
		line: one,
		value: one,
		malformed() {},
		oversized() {},
		status() {},
	};
}

const line = (index: number) => JSON.stringify({Operation: 'File', PID: index, Resource: 'x'.repeat(200)});
const ndjson = (count: number) => Array.from({length: count}, (_, index) => line(index)).join('\n') + '\n';

/** Paused at the first event: at most `already` more arrive while paused; after resume(), all `total`. */
async function assertHeld(feed: Feed, sink: ReturnType<typeof counter>, total: number, already: number, alsoWhilePaused = () => {}): Promise<void> {
	await waitFor(() => sink.count() > 0, 'the first event', 10_000);
	await sleep(pausedMs);
	const whilePaused = sink.count();
	assert.ok(whilePaused <= already, `${whilePaused} delivered while paused (at most ${already} were already read)`);
	alsoWhilePaused();
	feed.resume();
	await waitFor(() => sink.count() === total, `all ${total} after resume (have ${sink.count()})`, 10_000);
	feed.stop();
	await feed.done;
}

test('a file: no read while paused', async () => {
	const path = join(scratch, 'big.ndjson');
	const total = 20_000; // about 4 MB: many reads of 256 KiB
	writeFileSync(path, ndjson(total));
	const feed = new FileFeed(path);
	const sink = counter(() => {
		feed.pause();
	});
	feed.start(sink);
	// The read that was under way when it paused: one chunk of lines of ~240 bytes.
	await assertHeld(feed, sink, total, Math.ceil((256 * 1024) / 240));
});

test('a stream (stdin, a FIFO): paused while paused', async () => {
	const stream = new PassThrough();
	const feed = new StreamFeed(stream, 'stdin');
	const sink = counter(() => {
		feed.pause();
	});
	feed.start(sink);
	const total = 5000;
	// As a pipe delivers it: in reads of 64 KiB.
	const bytes = Buffer.from(ndjson(total));
	for (let offset = 0; offset < bytes.length; offset += 64 * 1024) stream.write(bytes.subarray(offset, offset + 64 * 1024));
	stream.end();
	await assertHeld(feed, sink, total, Math.ceil((64 * 1024) / 240));
});

test('the demo feed makes nothing while paused, and owes nothing for that time', async () => {
	const feed = new DemoFeed({rate: 1000});
	const sink = counter(() => {
		feed.pause();
	});
	feed.start(sink);
	await waitFor(() => sink.count() > 0, 'the first events', 10_000);
	const first = sink.count();
	await sleep(pausedMs);
	assert.equal(sink.count(), first, 'nothing made while paused');
	feed.resume();
	await waitFor(() => sink.count() > first, 'events after resume', 10_000);
	// No burst to catch up on 300 ms of owed events: the next tick covers only the time since resume.
	assert.ok(sink.count() - first < 300, `${sink.count() - first} events right after resume`);
	feed.stop();
	await feed.done;
});

test('a WebSocket: the socket is not read while paused (TCP holds the server back), then every message arrives', async () => {
	const wss = new WebSocketServer({host: '127.0.0.1', port: 0});
	await new Promise(resolve => wss.once('listening', resolve));
	const total = 16_000; // 16 MB of messages: far more than the kernel's socket buffers hold
	const message = (index: number) => JSON.stringify({Operation: 'File', PID: index, Resource: 'x'.repeat(1000)});
	let server: WebSocket | undefined;
	wss.on('connection', socket => {
		server = socket;
		for (let index = 0; index < total; index++) socket.send(message(index));
	});
	const {port} = wss.address() as AddressInfo;
	const feed = new WebSocketFeed({url: `ws://127.0.0.1:${port}`});
	const sink = counter(() => {
		feed.pause();
	});
	feed.start(sink);
	try {
		// The kernel's buffers on both sides hold a few MB: what the socket may have read before it paused.
		await assertHeld(feed, sink, total, total / 2, () => {
			assert.ok(server!.bufferedAmount > 0, 'the server waits for the client to read');
		});
	} finally {
		feed.stop();
		await new Promise(resolve => wss.close(resolve));
	}
});

test('gRPC: the streams are not read while paused (HTTP/2 flow control holds the relay back)', async () => {
	const server = await TestLogServer.start();
	const feed = new GrpcFeed({target: server.address, connectTimeoutMs: 2000});
	const sink = counter();
	feed.start(sink);
	try {
		await server.waitForStreams('alerts');
		feed.pause();
		const total = 3000;
		const progress = {written: 0, blocked: false};
		const padding = 'x'.repeat(1000);
		const flood = server.flood('alerts', total, index => ({PolicyName: 'flood', Message: padding, PID: index + 1}), progress);
		await waitFor(() => progress.blocked, 'the server to be blocked by flow control', 5000);
		await sleep(pausedMs);
		// The first message's delivery notices the pause; about one HTTP/2 window (64 KiB) is written, not all.
		assert.ok(sink.count() <= 64, `${sink.count()} delivered while paused`);
		assert.ok(progress.written < total / 3, `the server wrote ${progress.written} of ${total} while paused`);
		feed.resume();
		await flood;
		await waitFor(() => sink.count() === total, `all ${total} alerts after resume`, 10_000);
	} finally {
		feed.stop();
		await feed.done;
		await server.stop();
	}
});
