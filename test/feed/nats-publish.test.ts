// `armorwatch publish` against a real nats-server: the subjects (alerts, logs, host events, odd values) and the
// karmor-shaped payloads, server-side filtering for a watcher, the JetStream stream it creates or updates, and
// buffering while NATS is away (oldest dropped and counted, one stderr line per change).
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Writable} from 'node:stream';
import {after, describe, test} from 'node:test';
import {connect, type Msg, type NatsConnection} from '@nats-io/transport-node';
import {jetstreamManager} from '@nats-io/jetstream';
import {Ingest} from '../../source/feed/ingest.js';
import {NatsFeed, sequenceOf} from '../../source/feed/nats/nats-feed.js';
import {SequenceGaps, sequenceHeader} from '../../source/feed/nats/sequence.js';
import {FileFeed} from '../../source/feed/ndjson-feed.js';
import {normalize} from '../../source/model/normalize.js';
import {jsonLine} from '../../source/model/sanitize.js';
import {runPublish, type RunPublishOptions} from '../../source/publish/run-publish.js';
import {EventStore} from '../../source/store/event-store.js';
import {cliPath, collect, runCli} from '../helpers/cli.js';
import {waitFor} from '../helpers/grpc-server.js';
import {disposeNatsServers, natsServerMissing, startNatsServer} from '../helpers/nats-server.js';
import {sampleLines} from '../helpers/samples.js';

const missing = natsServerMissing();
const directory = mkdtempSync(join(tmpdir(), 'armorwatch-publish-'));
const clients = new Set<NatsConnection>();
const feeds = new Set<NatsFeed>();
after(async () => {
	for (const feed of feeds) feed.stop();
	await Promise.all([...feeds].map(async feed => feed.done));
	await Promise.all([...clients].map(async client => client.close()));
	await disposeNatsServers();
	rmSync(directory, {recursive: true, force: true});
});

let files = 0;
function eventsFile(events: Array<Record<string, unknown> | string>): string {
	const path = join(directory, `events-${++files}.ndjson`);
	writeFileSync(path, events.map(event => (typeof event === 'string' ? event : JSON.stringify(event))).join('\n') + '\n');
	return path;
}

/** runPublish on files, its stderr lines collected. */
async function publishFiles(paths: string[], options: Omit<RunPublishOptions, 'prefix'> & {prefix?: string}) {
	const lines: string[] = [];
	const err = new Writable({
		write(chunk: Buffer, _encoding, done) {
			lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
			done();
		},
	});
	const code = runPublish(
		paths.map(path => new FileFeed(path)),
		{prefix: 'kubearmor', backoff: {initialMs: 50, maxMs: 300}, ...options, err},
	);
	return {code, lines};
}

async function subscriber(port: number, subject: string): Promise<Msg[]> {
	const nc = await connect({servers: `127.0.0.1:${port}`});
	clients.add(nc);
	const received: Msg[] = [];
	nc.subscribe(subject, {
		callback(_error, message) {
			received.push(message);
		},
	});
	await nc.flush();
	return received;
}

const base = JSON.parse(sampleLines()[0]!) as Record<string, unknown>;

/** Publish `lines` from a file to a fresh server: what a subscriber got, and what `--json` prints for the file. */
async function publishedAndPrinted(lines: string[]): Promise<{received: Msg[]; printed: string[]}> {
	const server = await startNatsServer();
	const received = await subscriber(server.port, 'kubearmor.>');
	const file = eventsFile(lines);
	const {code, lines: log} = await publishFiles([file], {to: server.url});
	assert.equal(await code, 0, log.join('\n'));
	await waitFor(() => received.length === lines.length, `${lines.length} messages`, 5000);
	const printed = await runCli([file, '--json']);
	assert.equal(printed.code, 0, printed.stderr);
	return {received, printed: printed.stdout.trimEnd().split('\n')};
}

describe('armorwatch publish', {skip: missing}, () => {
	test('subjects: alerts, logs, host events and odd values; payloads in karmor shape, numbered per subject', async () => {
		const server = await startNatsServer();
		const received = await subscriber(server.port, '>');
		const events = [
			{...base, Type: 'MatchedPolicy', ClusterName: 'prod', NamespaceName: 'payments', Operation: 'Process'},
			{...base, Type: 'ContainerLog', ClusterName: 'prod', NamespaceName: 'payments', Operation: 'File'},
			{...base, Type: 'MatchedHostPolicy', ClusterName: 'prod', NamespaceName: undefined, PodName: undefined, Operation: 'Syscall'},
			{...base, Type: 'HostLog', ClusterName: '', NamespaceName: undefined, Operation: 'Network'},
			{...base, Type: 'MatchedPolicy', ClusterName: 'prod.eu', NamespaceName: 'a b', Operation: '>'},
			{...base, Type: 'MatchedPolicy', ClusterName: 'c\u001b[31m', NamespaceName: 'ns*', Operation: 'Process'},
			{...base, Type: 'MatchedPolicy', ClusterName: 'prod', NamespaceName: 'payments', Operation: 'Process'},
			'not json',
		];
		const {code, lines} = await publishFiles([eventsFile(events)], {to: server.url});
		assert.equal(await code, 0, lines.join('\n'));
		await waitFor(() => received.length === 7, '7 messages', 5000);

		assert.deepEqual(
			received.map(message => message.subject),
			[
				'kubearmor.alert.prod.payments.Process',
				'kubearmor.log.prod.payments.File',
				'kubearmor.alert.prod._.Syscall',
				'kubearmor.log._._.Network',
				'kubearmor.alert._._._',
				'kubearmor.alert._._.Process',
				'kubearmor.alert.prod.payments.Process',
			],
		);
		for (const [index, message] of received.entries()) {
			const expected = normalize(events[index], 'x', 0);
			assert.ok(typeof expected !== 'string');
			assert.equal(message.string(), jsonLine(expected.fields), 'the payload is the event as --json prints it');
		}

		const numbers = received.map(message => message.headers?.get(sequenceHeader).split(' ')[0]);
		assert.deepEqual(numbers, ['1', '1', '1', '1', '1', '1', '2'], 'numbered per subject');
		for (const message of received) {
			// The monitor reads the header from the raw bytes (the client's message keeps them there in version 3).
			assert.equal(typeof (message as unknown as {_msg: {hdr: unknown}})._msg.hdr, 'number', 'the fast path is there');
			assert.equal(sequenceOf(message), message.headers?.get(sequenceHeader));
		}
		assert.ok(lines.some(line => /not JSON/.test(line)), 'the bad line is reported');
		assert.match(lines.at(-1)!, /^armorwatch publish: 7 events published, 1 malformed lines skipped$/);
	});

	test('past the subjects it numbers at once (hostile namespaces), numbering starts again under a new publisher id: no loss counted', async () => {
		const server = await startNatsServer();
		const received = await subscriber(server.port, 'kubearmor.>');
		const namespaces = ['a', 'b', 'a', 'c', 'c', 'a'];
		const events = namespaces.map(namespace => ({...base, Type: 'MatchedPolicy', ClusterName: 'prod', NamespaceName: namespace}));
		const {code, lines} = await publishFiles([eventsFile(events)], {to: server.url, numberedSubjects: 2});
		assert.equal(await code, 0, lines.join('\n'));
		await waitFor(() => received.length === events.length, `${events.length} messages`, 5000);

		const headers = received.map(message => message.headers!.get(sequenceHeader).split(' '));
		const ids = headers.map(([, id]) => id);
		// a, b, a again (2) under one id; c, a third subject, starts a new id, where c counts on and a starts at 1.
		assert.deepEqual(headers.map(([number]) => number), ['1', '1', '2', '1', '2', '1']);
		assert.deepEqual(ids.map(id => ids.indexOf(id)), [0, 0, 0, 3, 3, 3]);
		const gaps = new SequenceGaps();
		for (const message of received) gaps.note(message.subject, sequenceOf(message)!);
		assert.equal(gaps.missed, 0);
	});

	test('each payload is the line --json prints for it: as read when karmor-shaped, else cleaned and escaped', async () => {
		const spaced = JSON.stringify({...base, TestSeq: 1}, null, 0).replace('{"', '{ "').replace('":', '" :');
		const lines = [
			spaced, // karmor's shape with odd spacing: sent exactly as read
			JSON.stringify({...base, TestSeq: 2, Message: 'a ‮ b'}), // a bidi control a terminal must not get as it is
			JSON.stringify({...base, TestSeq: 3, ATags: null, Severity: '7'}), // cleaned: ATags dropped, Severity a number
			JSON.stringify({clusterName: 'prod', namespaceName: 'web', operation: 'File', type: 'MatchedPolicy', testSeq: 4}), // camelCase
			...sampleLines(),
		];
		const {received, printed} = await publishedAndPrinted(lines);
		assert.deepEqual(
			received.map(message => message.string()),
			printed,
		);
		assert.equal(received[0]!.string(), spaced);
		assert.match(received[1]!.string(), /a \\u202e b/);
		assert.equal((received[2]!.json() as Record<string, unknown>)['ATags'], undefined);
		assert.equal((received[3]!.json() as Record<string, unknown>)['ClusterName'], 'prod');
		assert.equal(received[3]!.subject, 'kubearmor.alert.prod.web.File');
	});

	test('an all-ASCII file (read without a scan per line) gives the same payloads: escapes kept as read, cleaned ones escaped', async () => {
		const lines = [
			JSON.stringify({...base, TestSeq: 1}), // karmor's shape, no backslash: sent as read
			JSON.stringify({...base, TestSeq: 2, ATags: null, Severity: '7'}), // cleaned, no backslash
			JSON.stringify({...base, TestSeq: 3, Message: 'a \u202E b'}).replace('\u202E', String.raw`\u202e`), // an escape, as read
			JSON.stringify({...base, TestSeq: 4, ATags: null, Message: 'c \u202E d'}).replace('\u202E', String.raw`\u202E`), // cleaned: escaped again
			JSON.stringify({...base, TestSeq: 5, Message: String.raw`tab\there`}),
		];
		assert.ok(lines.every(line => /^[\u0020-\u007E]+$/.test(line)), 'printable ASCII only');
		const {received, printed} = await publishedAndPrinted(lines);
		const payloads = received.map(message => message.string());
		assert.deepEqual(payloads, printed);
		assert.equal(payloads[0], lines[0]);
		assert.equal(payloads[2], lines[2]);
		assert.equal((JSON.parse(payloads[1]!) as Record<string, unknown>)['ATags'], undefined);
		assert.match(payloads[3]!, /c \\u202e d/);
		assert.doesNotMatch(payloads.join(''), /[^\u0020-\u007E]/, 'nothing a terminal must not get');
		assert.equal((received[3]!.json() as Record<string, unknown>)['Message'], 'c \u202E d');
	});
	test('--subject-prefix, and a watcher of kubearmor.alert.prod.payments.> gets just those: the server filters', async () => {
		const server = await startNatsServer();
		const store = new EventStore({maxEvents: 1000});
		const watcher = new NatsFeed({url: `${server.url}/ka.alert.prod.payments.>`});
		feeds.add(watcher);
		watcher.start(new Ingest(store));
		const everything = await subscriber(server.port, 'ka.>');
		await waitFor(() => store.sources.get(watcher.label)?.state === 'connected', 'the watcher', 10_000);
		const events = [];
		for (let n = 0; n < 60; n++) {
			events.push({
				...base,
				Type: n % 3 === 0 ? 'ContainerLog' : 'MatchedPolicy',
				ClusterName: n % 2 === 0 ? 'prod' : 'staging',
				NamespaceName: n % 5 === 0 ? 'payments' : 'web',
				TestSeq: n,
			});
		}

		const {code} = await publishFiles([eventsFile(events)], {to: server.url, prefix: 'ka'});
		assert.equal(await code, 0);
		const wanted = events.filter(event => event.Type === 'MatchedPolicy' && event.ClusterName === 'prod' && event.NamespaceName === 'payments');
		await waitFor(() => everything.length === 60, 'all 60 on ka.>', 5000);
		await waitFor(() => store.counters.events === wanted.length, `${wanted.length} for the watcher`, 5000);
		assert.equal(watcher.stats.messages, wanted.length, 'nothing else reached the watcher');
	});

	test('--stream creates a stream on <prefix>.> with --max-age and --max-bytes, and a later run updates it', async () => {
		const server = await startNatsServer();
		const file = eventsFile([base]);
		const first = await publishFiles([file], {to: server.url, stream: {name: 'KA', maxAgeMs: 3_600_000, maxBytes: 10 * 1024 * 1024}});
		assert.equal(await first.code, 0, first.lines.join('\n'));
		assert.ok(first.lines.some(line => /created stream KA on kubearmor\.>/.test(line)));
		const second = await publishFiles([file], {to: server.url, stream: {name: 'KA', maxAgeMs: 7_200_000}});
		assert.equal(await second.code, 0, second.lines.join('\n'));
		assert.ok(second.lines.some(line => /updated stream KA/.test(line)));

		const nc = await connect({servers: `127.0.0.1:${server.port}`});
		clients.add(nc);
		const info = await (await jetstreamManager(nc)).streams.info('KA');
		assert.deepEqual(info.config.subjects, ['kubearmor.>']);
		assert.equal(info.config.max_age, 7_200_000 * 1_000_000, 'max-age updated');
		assert.equal(info.config.max_bytes, 10 * 1024 * 1024, 'max-bytes kept');
		assert.equal(info.state.messages, 2);

		const noJetStream = await startNatsServer({jetstream: false});
		const refused = await publishFiles([file], {to: noJetStream.url, stream: {name: 'KA'}});
		assert.equal(await refused.code, 1);
		assert.match(refused.lines.at(-1)!, /error: the server has no JetStream/);
	});

	test('while NATS is away: events wait in a bounded queue, the oldest dropped and counted, one stderr line per change', async () => {
		const server = await startNatsServer();
		// A stream that was there before the outage keeps what arrives after it, so nothing races the publisher.
		const setup = await connect({servers: `127.0.0.1:${server.port}`});
		await (await jetstreamManager(setup)).streams.add({name: 'BUF', subjects: ['kubearmor.>']});
		await setup.close();
		await server.stop();

		const events = Array.from({length: 100}, (_, n) => ({...base, TestSeq: n + 1}));
		const {code, lines} = await publishFiles([eventsFile(events)], {to: server.url, bufferEvents: 60});
		await waitFor(() => lines.filter(line => /reconnecting/.test(line)).length >= 3, 'three failed attempts', 10_000);
		await server.restart();
		assert.equal(await code, 0, lines.join('\n'));

		const nc = await connect({servers: `127.0.0.1:${server.port}`});
		clients.add(nc);
		const jsm = await jetstreamManager(nc);
		assert.equal((await jsm.streams.info('BUF')).state.messages, 60);
		const first = await jsm.streams.getMessage('BUF', {seq: 1});
		assert.equal((first!.json() as {TestSeq: number}).TestSeq, 41, 'the oldest 40 were dropped');
		assert.equal(first!.header.get(sequenceHeader).split(' ')[0], '41', 'so a watcher counts them missed');

		const attempts = lines.filter(line => /reconnecting/.test(line));
		for (const line of attempts) assert.match(line, /^armorwatch publish: nats:\/\/127\.0\.0\.1:\d+: reconnecting in \d+s \(attempt \d+\): connection refused$/);
		assert.equal(new Set(attempts).size, attempts.length, 'one line per attempt, no countdown ticks');
		assert.equal(lines.filter(line => /queue full \(60 events\): dropping the oldest/.test(line)).length, 1);
		assert.ok(lines.some(line => /connected \(40 events dropped so far\)/.test(line)), lines.join('\n'));
		assert.match(lines.at(-1)!, /60 events published, 40 dropped while NATS was away$/);
	});

	test('the command line: publish a file, watch it with --json; a wrong token is refused in words', async () => {
		const token = 'pub-T0ken-42';
		const server = await startNatsServer({token});
		const file = eventsFile(sampleLines());
		const published = await runCli(['publish', file, '--to', server.url, '--nats-token', token, '--stream', 'KA']);
		assert.equal(published.code, 0, published.stderr);
		const watched = await runCli([server.url, '--json', '--last', '69', '--limit', '69'], undefined, 3000);
		assert.equal(watched.code, null, 'no token: it goes on retrying');
		assert.match(watched.stderr, /reconnecting in \d+s \(attempt 1\): the server wants credentials/);

		const env = {...process.env, ARMORWATCH_NATS_TOKEN: token};
		const child = spawn(process.execPath, [cliPath, server.url, '--json', '--last', '69', '--limit', '69'], {env, stdio: ['pipe', 'pipe', 'pipe']});
		const good = await collect(child, undefined, 20_000);
		assert.equal(good.code, 0, good.stderr);
		assert.equal(good.stdout.trimEnd().split('\n').length, 69);

		const wrong = await runCli(['publish', file, '--to', server.url, '--nats-token', 'Wr0ng-t0ken'], undefined, 3000);
		assert.match(wrong.stderr, /reconnecting in \d+s \(attempt 1\): the server refused the token/);
		for (const text of [published.stderr, watched.stderr, wrong.stderr, good.stderr]) assert.doesNotMatch(text, /T0ken|t0ken/);
	});
});
