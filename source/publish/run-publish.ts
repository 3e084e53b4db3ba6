import type {Feed, FeedSink, SourceStatus} from '../feed/feed.js';
import {SubjectCache} from '../feed/nats/subjects.js';
import {eventJson, oversizedText, preview} from '../feed/message-text.js';
import type {LineSafety} from '../feed/line-splitter.js';
import {exitSignals} from '../exit-signals.js';
import {normalize, type NormalizeReport} from '../model/normalize.js';
import {sanitize} from '../model/sanitize.js';
import {NatsPublisher, withoutCountdown, type PublisherOptions} from './publisher.js';

export type RunPublishOptions = Pick<PublisherOptions, 'to' | 'auth' | 'tls' | 'prefix' | 'stream' | 'bufferEvents' | 'numberedSubjects' | 'backoff'> & {
	/** `--limit N`: stop after N events. */
	limit?: number;
	err?: NodeJS.WritableStream;
	/** For tests: resolves to stop as a signal would. */
	stopSignal?: Promise<void>;
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
		numberedSubjects: options.numberedSubjects,
		backoff: options.backoff,
		log,
	});
	let stopSources: () => void = () => undefined;
	const limitReached = new Promise<void>(resolve => {
		stopSources = resolve;
	});
	const sink = new PublishSink(publisher, options.prefix, log, options.limit, stopSources);
	log(`publishing ${feeds.map(feed => feed.label).join(', ')} to ${publisher.label} on ${options.prefix}.<alert|log>.<cluster>.<namespace>.<operation>`);
	publisher.start();
	for (const feed of feeds) feed.start(sink);

	let signalled = false;
	const signal =
		options.stopSignal ??
		new Promise<void>(resolve => {
			for (const name of exitSignals) process.once(name, () => resolve());
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
	const parts = [`${published.toLocaleString('en-US')} events published`];
	if (dropped > 0) parts.push(`${dropped.toLocaleString('en-US')} dropped while NATS was away`);
	if (left > 0) parts.push(`${left.toLocaleString('en-US')} not sent`);
	if (sink.malformedCount > 0) parts.push(`${sink.malformedCount.toLocaleString('en-US')} malformed lines skipped`);
	log(parts.join(', '));
	if (publisher.failure) {
		log(`error: ${publisher.failure}`);
		return 1;
	}

	return left > 0 ? 1 : 0;
}

/**
 * What the sources deliver, straight to the publisher: parse, normalize (every dialect into karmor's shape),
 * publish. No store: publish keeps nothing, and at 100,000 events a second the store's bookkeeping is a fifth
 * of the cost. The payload is what `--json` prints: the line as read when it is karmor's shape already and
 * holds nothing a terminal must not see, else the cleaned event's JSON (encoding it again costs what parsing it
 * did).
 */
export class PublishSink implements FeedSink {
	malformedCount = 0;
	private events = 0;
	private readonly statuses = new Map<string, SourceStatus>();
	private readonly subjects: SubjectCache;
	private readonly report: NormalizeReport = {verbatim: false};

	constructor(
		private readonly publisher: NatsPublisher,
		prefix: string,
		private readonly log: (line: string) => void,
		private readonly limit = Number.POSITIVE_INFINITY,
		private readonly onLimit: () => void = () => undefined,
	) {
		this.subjects = new SubjectCache(prefix);
	}

	line(text: string, source: string, known: LineSafety = 'unknown'): void {
		let value: unknown;
		try {
			value = JSON.parse(text);
		} catch {
			this.malformed(`not JSON: ${preview(text)}`, source);
			return;
		}

		this.take(value, source, text, known);
	}

	value(value: unknown, source: string): void {
		this.take(value, source, undefined, 'unknown');
	}

	private take(value: unknown, source: string, text: string | undefined, known: LineSafety): void {
		if (this.events >= this.limit) return;
		const event = normalize(value, source, Date.now(), this.report);
		if (typeof event === 'string') {
			this.malformed(event, source);
			return;
		}

		// Known ASCII (the splitter's word, see LineSafety) is copied into the message byte for byte, not encoded
		// as UTF-8: the same bytes. A printable line's cleaned JSON may hold what its escapes stood for, so not that.
		const payload = eventJson(event.fields, this.report.verbatim ? text : undefined, known);
		this.publisher.publish(this.subjects.subject(event.kind, event.fields), payload, known === 'plain' || (known === 'printable' && payload === text));
		if (++this.events === this.limit) this.onLimit();
	}

	malformed(reason: string, source: string): void {
		this.malformedCount++;
		this.log(`${source}: ${reason}`);
	}

	oversized(bytes: number, limit: number, source: string): void {
		this.malformed(oversizedText(bytes, limit), source);
	}

	/** One line per change of a source's state (a relay that drops, a file that ended), not per countdown tick. */
	status(status: SourceStatus): void {
		const previous = this.statuses.get(status.label);
		this.statuses.set(status.label, status);
		const words = (value: SourceStatus | undefined) => (value?.state === 'connected' ? 'connected' : `${value?.state} ${withoutCountdown(value?.detail)}`);
		if (previous && words(previous) === words(status)) return;
		this.log(`source ${status.label}: ${status.state}${status.detail ? ` (${status.detail})` : ''}`);
	}
}

