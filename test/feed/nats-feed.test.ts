// The NATS source against a real nats-server on 127.0.0.1: live events and malformed messages, the header's
// states through a restart, token and user/password auth, TLS with a self-signed CA, and a slow consumer's drops.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {Worker} from 'node:worker_threads';
import {readFileSync} from 'node:fs';
import {connect, credsAuthenticator, type NatsConnection} from '@nats-io/transport-node';
import type {SourceStatus} from '../../source/feed/feed.js';
import {Ingest} from '../../source/feed/ingest.js';
import {NatsFeed, type NatsFeedOptions} from '../../source/feed/nats/nats-feed.js';
import {EventStore} from '../../source/store/event-store.js';
import {waitFor} from '../helpers/grpc-server.js';
import {disposeNatsServers, natsServerMissing, startNatsServer} from '../helpers/nats-server.js';
import {sampleLines} from '../helpers/samples.js';
import {makeCertificate} from '../helpers/tls.js';

const missing = natsServerMissing();
const feeds = new Set<NatsFeed>();
const clients = new Set<NatsConnection>();

after(async () => {
	for (const feed of feeds) feed.stop();
	await Promise.all([...feeds].map(async feed => feed.done));
	await Promise.all([...clients].map(async client => client.close()));
	await disposeNatsServers();
});

/** A feed into a real pipeline, with every status it reported. */
function watch(options: NatsFeedOptions, onEvent?: () => void) {
	const store = new EventStore({maxEvents: 100_000});
	const statuses: SourceStatus[] = [];
	const feed = new NatsFeed({backoff: {initialMs: 50, maxMs: 200}, ...options});
	feeds.add(feed);
	feed.start(
		new Ingest(store, {
			onEvent,
			onStatus(status) {
				statuses.push(status);
			},
		}),
	);
	const last = () => statuses.at(-1);
	return {feed, store, statuses, last, shown: () => statuses.map(status => JSON.stringify(status)).join('\n')};
}

async function client(port: number, options: Parameters<typeof connect>[0] = {}): Promise<NatsConnection> {
	const connection = await connect({servers: `127.0.0.1:${port}`, ...options});
	clients.add(connection);
	return connection;
}

const [alert, second, third] = sampleLines();

describe('NATS source', {skip: missing}, () => {
	test('paused (the output is behind), messages are held and delivered on resume, none lost', async () => {
		const server = await startNatsServer();
		const {feed, store, last} = watch({url: `${server.url}/kubearmor.>`});
		await waitFor(() => last()?.state === 'connected', 'connected', 10_000);
		const publisher = await client(server.port);
		feed.pause();
		for (let i = 0; i < 50; i++) publisher.publish('kubearmor.alert.x', alert);
		await publisher.flush();
		await waitFor(() => feed.stats.messages === 50, 'all 50 messages arrived', 10_000);
		assert.equal(store.counters.events, 0, 'nothing ingested while paused');
		feed.resume();
		assert.equal(store.counters.events, 50);
		assert.equal(store.counters.malformed, 0);
	});

	test('live: one event, an array, NDJSON and the sidekick envelope are events; anything else is counted and the feed goes on', async () => {
		const server = await startNatsServer();
		const {store, last, statuses} = watch({url: `${server.url}/kubearmor.>`});
		await waitFor(() => last()?.state === 'connected', 'connected', 10_000);
		assert.equal(last()?.label, `nats://127.0.0.1:${server.port}/kubearmor.>`);
		assert.deepEqual(statuses.slice(0, 2).map(status => status.state), ['connecting', 'connected']);

		const nc = await client(server.port);
		const sidekick = JSON.stringify({Timestamp: 1, ClusterName: 'c', EventType: 'Alert', Detail: JSON.parse(alert!) as unknown});
		const messages: Array<string | Uint8Array> = [
			alert!,
			`[${second},${third}]`,
			`${alert}\n${second}\r\n\n${third}\n`,
			sidekick,
			JSON.stringify(JSON.parse(alert!) as unknown, undefined, 2), // pretty-printed: one event over many lines
			'not json at all',
			new Uint8Array([0xff, 0xfe, 0x7b]),
			// A bad byte spoils its own line only, as in a file.
			Buffer.concat([Buffer.from(`${second}\n{bad `), Buffer.from([0xff]), Buffer.from(`}\n${third}`)]),
			'42',
			'', // a keepalive: nothing to count
			third!,
		];
		for (const message of messages) nc.publish('kubearmor.alert.c.ns.File', message);
		nc.publish('elsewhere.x', alert!); // not subscribed: never seen
		await nc.flush();

		await waitFor(() => store.counters.events === 11 && store.counters.malformed === 4, '11 events and 4 malformed', 5000);
		assert.equal(store.events.get(store.events.newestSeq)?.fields['ClusterName'], JSON.parse(third!).ClusterName, 'the event after the bad ones arrived');
		assert.equal(last()?.state, 'connected');
	});

	test('paused past what it may hold: the rest is dropped, counted with the server drops and shown', async () => {
		const server = await startNatsServer();
		const {feed, store, last} = watch({url: `${server.url}/kubearmor.>`, maxHeldBytes: 10 * 1024});
		await waitFor(() => last()?.state === 'connected', 'connected', 10_000);
		const publisher = await client(server.port);
		feed.pause();
		for (let i = 0; i < 50; i++) publisher.publish('kubearmor.alert.x', alert!);
		await publisher.flush();
		await waitFor(() => feed.stats.messages === 50, 'all 50 messages arrived', 10_000);
		feed.resume();
		const kept = Math.floor((10 * 1024) / Buffer.byteLength(alert!));
		assert.equal(store.counters.events, kept, 'what fitted in 10 KiB');
		assert.equal(feed.stats.missed, 50 - kept);
		assert.match(last()!.warning!, new RegExp(`${50 - kept} dropped while the output was behind`));
	});

	test('the header says why it reconnects, and counts what comes after a server restart', async () => {
		const server = await startNatsServer();
		await server.stop();
		const {store, last, feed} = watch({url: server.url});
		await waitFor(() => last()?.state === 'reconnecting', 'reconnecting', 10_000);
		assert.match(last()!.detail!, /^in \d+s \(attempt \d+\): connection refused$/);

		await server.restart();
		await waitFor(() => last()?.state === 'connected', 'connected after the server started', 10_000);
		const nc = await client(server.port, {maxReconnectAttempts: -1, reconnectTimeWait: 50});
		for (let index = 0; index < 10; index++) nc.publish('kubearmor.log.c.ns.Process', alert!);
		await nc.flush();
		await waitFor(() => store.counters.events === 10, '10 events', 5000);

		await server.stop();
		await waitFor(() => last()?.state === 'reconnecting', 'reconnecting after the restart', 10_000);
		assert.match(last()!.detail!, /the server closed the connection|connection refused|connection reset/);
		// That connection worked (events came): the retries start again from the first delay.
		assert.match(last()!.detail!, /\(attempt 1\)/);
		await server.restart();
		await waitFor(() => last()?.state === 'connected' && feed.stats.connects === 2, 'connected again', 10_000);
		// The test's own client reconnects by itself too: a flush answers once it is back (bounded: 100 x 50 ms).
		for (let tries = 1; ; tries++) {
			try {
				await nc.flush();
				break;
			} catch (error) {
				if (tries === 100) throw error;
				await new Promise(resolve => setTimeout(resolve, 50));
			}
		}

		for (let index = 0; index < 7; index++) nc.publish('kubearmor.log.c.ns.Process', alert!);
		await nc.flush();
		await waitFor(() => store.counters.events === 17, '17 events', 5000);
	});

	test('token auth: the right token gets events, a wrong or missing one gets words, and no token is ever shown', async () => {
		const token = 'Tok3n-sekret-77';
		const server = await startNatsServer({token});
		const good = watch({url: server.url, auth: {token}});
		const wrong = watch({url: server.url, auth: {token: 'Wr0ng-token-99'}});
		const none = watch({url: server.url});
		const inUrl = watch({url: `nats://${token}@127.0.0.1:${server.port}`});
		await waitFor(() => good.last()?.state === 'connected' && inUrl.last()?.state === 'connected', 'the right token connects', 10_000);
		await waitFor(() => wrong.last()?.state === 'reconnecting' && none.last()?.state === 'reconnecting', 'the others reconnect', 10_000);
		assert.match(wrong.last()!.detail!, /refused the token/);
		assert.match(none.last()!.detail!, /wants credentials: --nats-token/);

		const nc = await client(server.port, {token});
		nc.publish('kubearmor.alert.a.b.c', alert!);
		await nc.flush();
		await waitFor(() => good.store.counters.events === 1 && inUrl.store.counters.events === 1, 'the event', 5000);
		for (const watcher of [good, wrong, none, inUrl]) assert.doesNotMatch(watcher.shown(), /Tok3n|Wr0ng/);
	});

	test('user and password in the URL: right ones connect, wrong ones get words, the password never shows', async () => {
		const server = await startNatsServer({user: 'alice', password: 'pa55-w0rd-xyz'});
		const good = watch({url: `nats://alice:pa55-w0rd-xyz@127.0.0.1:${server.port}`});
		const bad = watch({url: `nats://alice:nope-nope@127.0.0.1:${server.port}`});
		await waitFor(() => good.last()?.state === 'connected', 'connected', 10_000);
		await waitFor(() => bad.last()?.state === 'reconnecting', 'refused', 10_000);
		assert.match(bad.last()!.detail!, /refused the user name and password/);
		for (const watcher of [good, bad]) assert.doesNotMatch(watcher.shown(), /pa55|nope-nope/);
	});

	test('a subscription the server refuses: the header says so in a warning, and the other subjects still flow', async () => {
		const server = await startNatsServer({
			config: 'authorization { users: [{user: "watcher", password: "w-pass-1", permissions: {subscribe: {deny: "kubearmor.alert.>"}}}] }',
		});
		const watcher = watch({url: `nats://watcher:w-pass-1@127.0.0.1:${server.port}/kubearmor.alert.>,kubearmor.log.>`});
		await waitFor(() => /not allowed/.test(watcher.last()?.warning ?? ''), 'the refusal', 10_000);
		assert.match(watcher.last()!.warning!, /not allowed: Permissions Violation for Subscription to "?kubearmor\.alert\.>/);
		const nc = await client(server.port, {user: 'watcher', pass: 'w-pass-1'});
		nc.publish('kubearmor.log.a.b.c', alert!);
		nc.publish('kubearmor.alert.a.b.c', alert!);
		await nc.flush();
		await waitFor(() => watcher.store.counters.events === 1, 'the log event', 5000);
		assert.equal(watcher.last()?.state, 'connected');
	});

	test('a creds file (JWT + NKey seed): it connects; an unknown user or an unreadable file gets words; no seed is shown', async () => {
		const server = await startNatsServer({operator: true, jetstream: false});
		const good = watch({url: server.url, auth: {credsFile: server.creds()}});
		const unknown = watch({url: server.url, auth: {credsFile: server.creds(false)}});
		const gone = watch({url: server.url, auth: {credsFile: '/nonexistent/user.creds'}});
		await waitFor(() => good.last()?.state === 'connected', 'connected with creds', 10_000);
		await waitFor(() => unknown.last()?.state === 'reconnecting' && gone.last()?.state === 'reconnecting', 'refused', 10_000);
		assert.match(unknown.last()!.detail!, /refused the credentials file/);
		assert.match(gone.last()!.detail!, /cannot read the --nats-creds file: ENOENT/);
		const nc = await client(server.port, {authenticator: credsAuthenticator(readFileSync(server.creds()))});
		nc.publish('kubearmor.alert.a.b.c', alert!);
		await nc.flush();
		await waitFor(() => good.store.counters.events === 1, 'the event', 5000);
		for (const watcher of [good, unknown, gone]) assert.doesNotMatch(watcher.shown(), /SU[A-Z2-7]{50,}|eyJ/, 'no seed, no JWT');
	});

	test('TLS with a self-signed CA: trusted with --ca, refused in words without it', async t => {
		const certificate = makeCertificate();
		if (!certificate) {
			t.skip('openssl is not installed');
			return;
		}

		const server = await startNatsServer({tls: certificate});
		const trusted = watch({url: `tls://127.0.0.1:${server.port}`, tls: {ca: certificate.cert}});
		const untrusted = watch({url: `tls://127.0.0.1:${server.port}`});
		const plainUrl = watch({url: `nats://127.0.0.1:${server.port}`, tls: {ca: certificate.cert}});
		const insecure = watch({url: `nats://127.0.0.1:${server.port}`, tls: {insecure: true}});
		await waitFor(
			() => [trusted, plainUrl, insecure].every(watcher => watcher.last()?.state === 'connected'),
			'TLS connects (a nats:// URL is upgraded when the server asks for TLS)',
			10_000,
		);
		assert.equal(insecure.last()?.warning, 'TLS verification off (--insecure)');
		assert.equal(trusted.last()?.warning, undefined);
		await waitFor(() => untrusted.last()?.state === 'reconnecting', 'refused', 10_000);
		assert.match(untrusted.last()!.detail!, /TLS: self-signed certificate \(trust its CA with --ca FILE, or --insecure\)/);

		const nc = await client(server.port, {tls: {ca: certificate.cert.toString()}});
		nc.publish('kubearmor.alert.a.b.c', alert!);
		await nc.flush();
		await waitFor(() => trusted.store.counters.events === 1, 'the event over TLS', 5000);
	});

	test('a slow consumer: the server cuts it off, it reconnects, and what the server dropped is counted and shown', async () => {
		const server = await startNatsServer({maxPending: 256 * 1024});
		// The publisher runs in a worker, so it goes on while this thread stalls; it raises the flag once the server
		// has read everything it sent.
		const flag = new Int32Array(new SharedArrayBuffer(4));
		const total = 20_000;
		let worker: Worker | undefined;
		// The monitor stalls at its first event until all the rest is on the server (as a monitor drowning in
		// events would fall behind): more than the server holds for one subscriber.
		let stalled = false;
		const slow = watch({url: server.url}, () => {
			if (stalled) return;
			stalled = true;
			Atomics.wait(flag, 0, 0, 30_000);
		});
		await waitFor(() => slow.last()?.state === 'connected', 'connected', 10_000);
		worker = new Worker(new URL('../helpers/nats-publish-worker.js', import.meta.url), {
			workerData: {url: server.url, line: alert, count: total - 1, flag},
		});
		const answers: string[] = [];
		worker.on('message', (message: string) => answers.push(message));
		await waitFor(() => answers.includes('published'), 'the publisher done', 30_000);
		await waitFor(() => slow.feed.stats.connects >= 2, 'the monitor cut off and back', 30_000);
		// One more on the same subject, after it came back, closes the gap.
		worker.postMessage('more');
		await waitFor(() => slow.store.counters.events + slow.feed.stats.missed === total, 'every event seen or counted', 20_000);
		worker.postMessage('close');
		await new Promise(resolve => worker!.once('exit', resolve));

		const {missed} = slow.feed.stats;
		assert.ok(missed > 0, 'the server dropped some');
		assert.ok(slow.store.counters.events > 1);
		await waitFor(() => /dropped by the server/.test(slow.last()?.warning ?? ''), 'the warning', 3000);
		assert.match(slow.last()!.warning!, new RegExp(`${missed.toLocaleString('en-US')} dropped by the server`));
		assert.match(server.log(), /Slow Consumer Detected/);
	});
});

before(() => {
	if (missing) process.stderr.write(`# NATS tests skipped: ${missing}\n`);
});
