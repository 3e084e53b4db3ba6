import type {Feed} from '../feed/feed.js';
import {Ingest} from '../feed/ingest.js';
import type {NatsAuth, NatsTls} from '../feed/nats/nats-link.js';
import {eventSubject} from '../feed/nats/subjects.js';
import {jsonLine, sanitize} from '../model/sanitize.js';
import {EventStore} from '../store/event-store.js';
import {NatsPublisher, type PublisherOptions, type StreamSettings} from './publisher.js';

export type RunPublishOptions = {
	to: string;
	auth?: NatsAuth;
	tls?: NatsTls;
	prefix: string;
	stream?: StreamSettings;
	bufferEvents?: number;
	/** `--limit N`: stop after N events. */
	limit?: number;
	err?: NodeJS.WritableStream;
	/** For tests: resolves to stop as a signal would. */
	stopSignal?: Promise<void>;
	backoff?: PublisherOptions['backoff'];
};

/**
 * `armorwatch publish SOURCE... --to nats://HOST:PORT`: read the sources and publish every event, karmor-shaped,
 * on `<prefix>.<alert|log>.<cluster>.<namespace>.<operation>`. Runs until the sources end (then sends what is
 * queued) or a signal (then gives the queue two seconds). Exit 0, or 1 when events were left unsent or NATS
 * refused for good (no JetStream for --stream, say). Events dropped while NATS was away are in the last line.
 */
export async function runPublish(feeds: Feed[], options: RunPublishOptions): Promise<number> {
	const err = options.err ?? process.stderr;
	const log = (line: string) => err.write(`armorwatch publish: ${sanitize(line)}\n`);
	const publisher = new NatsPublisher({
		to: options.to,
		auth: options.auth,
		tls: options.tls,
		prefix: options.prefix,
		stream: options.stream,
		bufferEvents: options.bufferEvents,
		backoff: options.backoff,
		log,
	});
	// Publishing needs no history: the store only turns every dialect into karmor's shape and counts.
	const store = new EventStore({maxEvents: 1024});
	let stopSources: () => void = () => undefined;
	const limitReached = new Promise<void>(resolve => {
		stopSources = resolve;
	});
	const ingest = new Ingest(store, {
		limit: options.limit,
		onLimit: stopSources,
		onEvent(event) {
			publisher.publish(eventSubject(options.prefix, event.kind, event.fields), jsonLine(event.fields));
		},
		onMalformed(message) {
			log(message);
		},
		onStatus(status, previous) {
			// One line per change of a source's state (a relay that drops, a file that ended), not per countdown tick.
			if (status.state === previous?.state && (status.state !== 'reconnecting' || previous.detail?.replace(/^in \d+s /, '') === status.detail?.replace(/^in \d+s /, ''))) return;
			if (status.state === 'connected' && previous?.state === 'connected') return;
			log(`source ${status.label}: ${status.state}${status.detail ? ` (${status.detail})` : ''}`);
		},
	});

	log(`publishing ${feeds.map(feed => feed.label).join(', ')} to ${publisher.label} on ${options.prefix}.<alert|log>.<cluster>.<namespace>.<operation>`);
	publisher.start();
	for (const feed of feeds) feed.start(ingest);

	let signalled = false;
	const signal =
		options.stopSignal ??
		new Promise<void>(resolve => {
			for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(name, () => resolve());
		});
	const sourcesEnded = Promise.all(feeds.map(async feed => feed.done));
	await Promise.race([
		sourcesEnded,
		limitReached,
		publisher.done,
		signal.then(() => {
			signalled = true;
		}),
	]);
	for (const feed of feeds) feed.stop();

	// Sources ended: send what is queued, however long NATS takes to come back, unless a signal says stop.
	const left = publisher.failure
		? publisher.stats.queued
		: await (signalled ? publisher.flush(2000) : Promise.race([publisher.flush(), signal.then(async () => publisher.flush(2000))]));
	const {published, dropped} = publisher.stats;
	await publisher.close();
	store.close();
	const parts = [`${published.toLocaleString('en-US')} events published`];
	if (dropped > 0) parts.push(`${dropped.toLocaleString('en-US')} dropped while NATS was away`);
	if (left > 0) parts.push(`${left.toLocaleString('en-US')} not sent`);
	if (store.counters.malformed > 0) parts.push(`${store.counters.malformed.toLocaleString('en-US')} malformed lines skipped`);
	log(parts.join(', '));
	if (publisher.failure) {
		log(`error: ${publisher.failure}`);
		return 1;
	}

	return left > 0 ? 1 : 0;
}
