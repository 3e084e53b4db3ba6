// NATS benchmarks against a local nats-server (skipped, with the reason, when the binary is missing):
// - ingest: a live subscription through NatsFeed -> Ingest -> EventStore, against a bare client subscription with
//   JSON.parse of the same messages; a worker thread publishes, so the measured side has a core of its own.
// - publish: `armorwatch publish`'s path (file -> split -> parse -> normalize -> subject + the line or JSON ->
//   NatsPublisher) against the client publishing the same pre-serialized messages.
// - replay: `--last N` through an ordered consumer into the store, against a bare ordered consumer with JSON.parse.
//
// Each row: the median of interleaved rounds (the machine is shared: best runs flatter), and this process's CPU
// per event next to the baseline's (load-insensitive; nats-server's own CPU is not in it).
//
// Run alone: node dist/bench/nats-bench.js [--nats-scale=0.1]   (the replay's 1,000,000 events times the scale)

import {spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {performance} from 'node:perf_hooks';
import {fileURLToPath} from 'node:url';
import {isMainThread, parentPort, Worker, workerData} from 'node:worker_threads';
import {connect, type MsgHdrs, type NatsConnection} from '@nats-io/transport-node';
import {jetstream, jetstreamManager} from '@nats-io/jetstream';
import {Ingest} from '../source/feed/ingest.js';
import {NatsFeed, type NatsFeedOptions} from '../source/feed/nats/nats-feed.js';
import {sequenceHeaderBlock, sequenceValue} from '../source/feed/nats/sequence.js';
import {eventSubject} from '../source/feed/nats/subjects.js';
import {FileFeed} from '../source/feed/ndjson-feed.js';
import {normalize} from '../source/model/normalize.js';
import {jsonLine} from '../source/model/sanitize.js';
import {EncodedHeader, NatsPublisher} from '../source/publish/publisher.js';
import {PublishSink} from '../source/publish/run-publish.js';
import {EventStore} from '../source/store/event-store.js';
import {startNatsServer, type TestNatsServer} from '../test/helpers/nats-server.js';
import {quantile, renderTable, type BenchRow} from './table.js';
import {pullBatch} from '../source/feed/nats/replay.js';

const fixture = new URL('../../test/fixtures/kubearmor-public.ndjson', import.meta.url);
const ingestEvents = 100_000;
const publishEvents = 100_000;
const replayEvents = 1_000_000;
const retained = 1024;
const repeats = 3;
const replayRounds = 3;

/** A rate, and this process's CPU over the same span (events per CPU-second). */
type Rate = {perSecond: number; perCpuSecond: number};

const median = (values: readonly number[]) => quantile(values, 0.5);

function cpuSeconds(): number {
	const {user, system} = process.cpuUsage();
	return (user + system) / 1e6;
}

function medians(rates: Rate[]): Rate {
	return {perSecond: median(rates.map(rate => rate.perSecond)), perCpuSecond: median(rates.map(rate => rate.perCpuSecond))};
}

function cpuNote(measured: Rate, baseline: Rate): string {
	const figure = (value: number) => Math.round(value).toLocaleString('en-US');
	return `this process: ${figure(measured.perCpuSecond)} events per CPU-second, baseline ${figure(baseline.perCpuSecond)}`;
}

type Message = {subject: string; payload: string};
type PublishJob = {port: number; messages: Message[]};

function now(): number {
	return performance.timeOrigin + performance.now();
}

function collect(): void {
	(globalThis as {gc?: () => void}).gc?.();
}

/** The fixture events as publish puts them on NATS: subject and karmor-shaped JSON. */
function fixtureMessages(): Message[] {
	return readFileSync(fixture, 'utf8')
		.split('\n')
		.filter(line => line.trim() !== '')
		.map(line => {
			const event = normalize(JSON.parse(line), 'bench', 0);
			if (typeof event === 'string') throw new Error(event);
			return {subject: eventSubject('kubearmor', event.kind, event.fields), payload: jsonLine(event.fields)};
		});
}

/** Publish `count` of `messages` (cycling), numbered per subject as publish numbers them (its header too), a flush every 1,000. */
async function publishBare(nc: NatsConnection, messages: Message[], count: number, numbered: boolean): Promise<void> {
	const encoded = messages.map(message => ({subject: message.subject, data: new TextEncoder().encode(message.payload)}));
	const numbers = new Map<string, number>();
	const inFlight: Array<Promise<void>> = [];
	for (let index = 0; index < count; index++) {
		const {subject, data} = encoded[index % encoded.length]!;
		if (numbered) {
			const sequence = (numbers.get(subject) ?? 0) + 1;
			numbers.set(subject, sequence);
			const header = new EncodedHeader(sequenceHeaderBlock(sequenceValue(sequence, 'bench')));
			nc.publish(subject, data, {headers: header as unknown as MsgHdrs});
		} else {
			nc.publish(subject, data);
		}

		if (index % 1000 === 999) {
			inFlight.push(nc.flush());
			if (inFlight.length >= 4) await inFlight.shift();
		}
	}

	await Promise.all(inFlight);
	await nc.flush();
}

// ---------------------------------------------------------------------------------------------------------------
// The publishing worker (for the ingest rows)

if (!isMainThread && (workerData as {armorwatchNatsBench?: PublishJob} | undefined)?.armorwatchNatsBench) {
	const job = (workerData as {armorwatchNatsBench: PublishJob}).armorwatchNatsBench;
	const nc = await connect({servers: `127.0.0.1:${job.port}`});
	parentPort!.on('message', async (count: number | 'stop') => {
		if (count === 'stop') {
			await nc.close();
			parentPort!.close();
			return;
		}

		await publishBare(nc, job.messages, count, true);
		parentPort!.postMessage('published');
	});
	parentPort!.postMessage('ready');
}

async function next(worker: Worker): Promise<unknown> {
	return new Promise((resolve, reject) => {
		worker.once('message', resolve);
		worker.once('error', reject);
	});
}

// ---------------------------------------------------------------------------------------------------------------
// Ingest

/** Baseline: a bare subscription, UTF-8 decode + JSON.parse of each message, from the first message to the last. */
async function bareSubscribe(server: TestNatsServer, worker: Worker, total: number): Promise<Rate> {
	const nc = await connect({servers: `127.0.0.1:${server.port}`});
	const decoder = new TextDecoder();
	let count = 0;
	let objects = 0;
	let first = 0;
	let last = 0;
	let cpuFirst = 0;
	let cpuLast = 0;
	const finished = new Promise<void>(resolve => {
		nc.subscribe('kubearmor.>', {
			callback(_error, message) {
				if (count === 0) {
					first = now();
					cpuFirst = cpuSeconds();
				}

				if (typeof JSON.parse(decoder.decode(message.data)) === 'object') objects++;
				if (++count === total) {
					last = now();
					cpuLast = cpuSeconds();
					resolve();
				}
			},
		});
	});
	await nc.flush();
	worker.postMessage(total);
	await finished;
	await next(worker);
	await nc.close();
	if (objects !== total) throw new Error('parse mismatch');
	return {perSecond: (total / (last - first)) * 1000, perCpuSecond: total / (cpuLast - cpuFirst)};
}

/**
 * Run a NatsFeed into Ingest -> EventStore (headless retention, as line mode) until `total` events; `start` is
 * called once it is connected. Returns the events/s from `from()` (the start, or the first event) to the last.
 */
async function feedRate(options: NatsFeedOptions, total: number, start: () => void, fromFirstEvent: boolean): Promise<Rate> {
	const store = new EventStore({maxEvents: retained});
	let first = fromFirstEvent ? 0 : now();
	let cpuFirst = fromFirstEvent ? 0 : cpuSeconds();
	let last = 0;
	let cpuLast = 0;
	const feed = new NatsFeed(options);
	await new Promise<void>(resolve => {
		const ingest = new Ingest(store, {
			limit: total,
			onLimit() {
				last = now();
				cpuLast = cpuSeconds();
				resolve();
			},
			onEvent() {
				if (first === 0) {
					first = now();
					cpuFirst = cpuSeconds();
				}
			},
			onStatus(status, previous) {
				// The subscription follows "connected" within a round trip.
				if (status.state === 'connected' && previous?.state !== 'connected') setTimeout(start, 200);
			},
		});
		feed.start(ingest);
	});
	feed.stop();
	await feed.done;
	store.close();
	if (store.counters.malformed > 0 || feed.stats.missed > 0) throw new Error(`${store.counters.malformed} malformed, ${feed.stats.missed} missed`);
	return {perSecond: (total / (last - first)) * 1000, perCpuSecond: total / (cpuLast - cpuFirst)};
}

/** The real thing, live: the worker publishes once the subscription is in place. */
async function feedSubscribe(server: TestNatsServer, worker: Worker, total: number): Promise<Rate> {
	const published = next(worker);
	const rate = await feedRate({url: `${server.url}/kubearmor.>`}, total, () => worker.postMessage(total), true);
	await published;
	return rate;
}

async function benchIngest(server: TestNatsServer, messages: Message[]): Promise<BenchRow> {
	const worker = new Worker(fileURLToPath(import.meta.url), {workerData: {armorwatchNatsBench: {port: server.port, messages}}});
	await next(worker);
	const bare: Rate[] = [];
	const feed: Rate[] = [];
	try {
		await bareSubscribe(server, worker, 10_000);
		await feedSubscribe(server, worker, 10_000);
		for (let run = 0; run < repeats; run++) {
			collect();
			bare.push(await bareSubscribe(server, worker, ingestEvents));
			collect();
			feed.push(await feedSubscribe(server, worker, ingestEvents));
		}
	} finally {
		worker.postMessage('stop');
		await worker.terminate();
	}

	const measured = medians(feed);
	const baseline = medians(bare);
	return {
		name: `NATS ingest, live subscription, headless (${retained.toLocaleString('en-US')} retained), 1 event/message: receive+parse+normalize+store, ${ingestEvents.toLocaleString('en-US')} events, median of ${repeats} interleaved (${cpuNote(measured, baseline)})`,
		value: measured.perSecond,
		unit: 'events/s',
		baseline: {name: 'bare client subscription + JSON.parse, same messages', value: baseline.perSecond, unit: 'events/s'},
		target: '>= 100000 events/s and >= 0.5 x baseline',
		pass: measured.perSecond >= 100_000 && measured.perSecond / baseline.perSecond >= 0.5,
	};
}

// ---------------------------------------------------------------------------------------------------------------
// Publish

async function barePublish(server: TestNatsServer, messages: Message[], total: number): Promise<Rate> {
	const nc = await connect({servers: `127.0.0.1:${server.port}`});
	const started = now();
	const cpu = cpuSeconds();
	await publishBare(nc, messages, total, false);
	const elapsed = now() - started;
	const cpuUsed = cpuSeconds() - cpu;
	await nc.close();
	return {perSecond: (total / elapsed) * 1000, perCpuSecond: total / cpuUsed};
}

/** runPublish's pipeline on a file: every event read, normalized, put on its subject; done when the server has read it all. */
async function pipelinePublish(server: TestNatsServer, file: string, total: number): Promise<Rate> {
	const publisher = new NatsPublisher({to: server.url, prefix: 'kubearmor', log: () => undefined, bufferEvents: total});
	publisher.start();
	while (publisher.stats.connects === 0) await new Promise(resolve => setTimeout(resolve, 5));
	const started = now();
	const cpu = cpuSeconds();
	const feed = new FileFeed(file);
	feed.start(new PublishSink(publisher, 'kubearmor', () => undefined));
	await feed.done;
	const left = await publisher.flush(60_000);
	const elapsed = now() - started;
	const cpuUsed = cpuSeconds() - cpu;
	const {published, dropped} = publisher.stats;
	await publisher.close();
	if (left > 0 || dropped > 0 || published !== total) throw new Error(`published ${published} of ${total}, ${dropped} dropped`);
	return {perSecond: (total / elapsed) * 1000, perCpuSecond: total / cpuUsed};
}

async function benchPublish(server: TestNatsServer, messages: Message[]): Promise<BenchRow> {
	const directory = mkdtempSync(join(tmpdir(), 'armorwatch-nats-bench-'));
	const lines = readFileSync(fixture, 'utf8').split('\n').filter(line => line.trim() !== '');
	const file = join(directory, 'events.ndjson');
	writeFileSync(file, Array.from({length: publishEvents}, (_, index) => lines[index % lines.length]).join('\n') + '\n');
	const bare: Rate[] = [];
	const pipeline: Rate[] = [];
	try {
		await barePublish(server, messages, 10_000);
		for (let run = 0; run < repeats; run++) {
			collect();
			bare.push(await barePublish(server, messages, publishEvents));
			collect();
			pipeline.push(await pipelinePublish(server, file, publishEvents));
		}
	} finally {
		rmSync(directory, {recursive: true, force: true});
	}

	const measured = medians(pipeline);
	const baseline = medians(bare);
	return {
		name: `publish ${publishEvents.toLocaleString('en-US')} events from a file (read+split+parse+normalize+subject+payload (the line as read or JSON)+publish, flushed), median of ${repeats} interleaved (${cpuNote(measured, baseline)})`,
		value: measured.perSecond,
		unit: 'events/s',
		baseline: {name: 'bare client publishing the same pre-serialized messages', value: baseline.perSecond, unit: 'events/s'},
		target: '>= 100000 events/s',
		pass: measured.perSecond >= 100_000,
	};
}

// ---------------------------------------------------------------------------------------------------------------
// Replay

async function fillStream(server: TestNatsServer, messages: Message[], total: number): Promise<void> {
	const nc = await connect({servers: `127.0.0.1:${server.port}`});
	const jsm = await jetstreamManager(nc);
	await jsm.streams.add({name: 'BENCH', subjects: ['kubearmor.>'], storage: 'file'});
	await publishBare(nc, messages, total, true);
	const deadline = Date.now() + 120_000;
	while ((await jsm.streams.info('BENCH')).state.messages < total) {
		if (Date.now() > deadline) throw new Error('the stream did not fill');
		await new Promise(resolve => setTimeout(resolve, 100));
	}

	await nc.close();
}

/** Baseline: the client's ordered consumer, pulling as the feed does, over the same messages, JSON.parse of each. */
async function bareReplay(server: TestNatsServer, total: number): Promise<Rate> {
	const nc = await connect({servers: `127.0.0.1:${server.port}`});
	const consumer = await jetstream(nc).consumers.get('BENCH', {filter_subjects: 'kubearmor.>'});
	const decoder = new TextDecoder();
	let count = 0;
	const started = now();
	const cpu = cpuSeconds();
	let last = 0;
	let cpuLast = 0;
	await new Promise<void>(resolve => {
		void consumer.consume({
			max_messages: pullBatch,
			callback(message) {
				JSON.parse(decoder.decode(message.data));
				if (++count === total) {
					last = now();
					cpuLast = cpuSeconds();
					resolve();
				}
			},
		});
	});
	await consumer.delete().catch(() => undefined);
	await nc.close();
	return {perSecond: (total / (last - started)) * 1000, perCpuSecond: total / (cpuLast - cpu)};
}

/** `armorwatch nats://... --last N`: from the feed's start (stream lookup included) to the Nth event stored. */
async function feedReplay(server: TestNatsServer, total: number): Promise<Rate> {
	return feedRate({url: `${server.url}/kubearmor.>`, history: {last: total}}, total, () => undefined, false);
}

async function benchReplay(server: TestNatsServer, messages: Message[], total: number): Promise<BenchRow> {
	await fillStream(server, messages, total);
	const bare: Rate[] = [];
	const feed: Rate[] = [];
	for (let round = 0; round < replayRounds; round++) {
		collect();
		bare.push(await bareReplay(server, total));
		collect();
		feed.push(await feedReplay(server, total));
	}

	const measured = medians(feed);
	const baseline = medians(bare);
	return {
		name: `replay --last ${total.toLocaleString('en-US')} from JetStream (ordered consumer, ${pullBatch.toLocaleString('en-US')} per pull -> parse+normalize+store, ${retained.toLocaleString('en-US')} retained), median of ${replayRounds} interleaved (${cpuNote(measured, baseline)})`,
		value: measured.perSecond,
		unit: 'events/s',
		baseline: {name: `bare ordered consumer (${pullBatch.toLocaleString('en-US')} per pull) + JSON.parse, same stream`, value: baseline.perSecond, unit: 'events/s'},
		target: '>= 100000 events/s',
		pass: measured.perSecond >= 100_000,
	};
}

// ---------------------------------------------------------------------------------------------------------------

function skippedRows(reason: string): BenchRow[] {
	return ['NATS ingest', 'publish', 'replay --last'].map(name => ({
		name: `${name}: skipped (${reason})`,
		value: 0,
		unit: '',
		target: 'not measured',
		pass: false,
	}));
}

function scale(): number {
	const argument = process.argv.find(value => value.startsWith('--nats-scale='));
	const value = argument ? Number(argument.slice('--nats-scale='.length)) : 1;
	return Number.isFinite(value) && value > 0 && value <= 1 ? value : 1;
}

export async function benchNats(): Promise<BenchRow[]> {
	const probe = spawnSync('nats-server', ['--version'], {encoding: 'utf8', timeout: 10_000});
	if (probe.error || probe.status !== 0) return skippedRows('nats-server is not installed; apt-get install nats-server');
	const messages = fixtureMessages();
	const rows: BenchRow[] = [];
	const live = await startNatsServer({jetstream: false});
	try {
		rows.push(await benchIngest(live, messages), await benchPublish(live, messages));
	} finally {
		await live.dispose();
	}

	const history = await startNatsServer();
	try {
		rows.push(await benchReplay(history, messages, Math.round(replayEvents * scale())));
	} finally {
		await history.dispose();
	}

	return rows;
}

if (isMainThread && process.argv[1] === fileURLToPath(import.meta.url)) {
	const rows = await benchNats();
	console.log(renderTable(rows));
	process.exit(0);
}
