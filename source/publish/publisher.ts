// The NATS side of `armorwatch publish`: each event on its own subject, numbered per subject (so watchers can
// count what the server drops), through one connection kept up forever (nats-link.ts). Events wait in a bounded
// queue while NATS is away or behind; when it is full the oldest are dropped and counted. Every 1,000 messages
// a flush (a PING the server answers once it has read everything before it) bounds what is in flight.

import {randomBytes} from 'node:crypto';
import type {MsgHdrs, NatsConnection} from '@nats-io/transport-node';
import type {SourceState} from '../feed/feed.js';
import type {BackoffOptions} from '../feed/backoff.js';
import {NatsLink, NatsPermanentError, type NatsAuth, type NatsTls} from '../feed/nats/nats-link.js';
import {historyError} from '../feed/nats/history.js';
import {parseNatsUrl, type NatsUrl} from '../feed/nats/nats-url.js';
import {sequenceHeaderText, sequenceValue} from '../feed/nats/sequence.js';
import {sanitize} from '../model/sanitize.js';
import {ClientQueue, type QueuedMessage} from '../serve/client-queue.js';

export const defaultBufferEvents = 100_000;
export const defaultBufferBytes = 64 * 1024 * 1024;
export const defaultStreamMaxAgeMs = 24 * 3_600_000;

/** `--stream NAME --max-age 24h --max-bytes N`: a JetStream stream on the published subjects, for history. */
export type StreamSettings = {name: string; maxAgeMs?: number; maxBytes?: number};

export type PublisherOptions = {
	/** `--to nats://HOST[:PORT]` (or tls://). */
	to: string;
	auth?: NatsAuth;
	tls?: NatsTls;
	/** The first part of every subject (`--subject-prefix`, default kubearmor). */
	prefix: string;
	stream?: StreamSettings;
	/** Events held while NATS is away or behind, at most (default 100,000 and 64 MiB). */
	bufferEvents?: number;
	bufferBytes?: number;
	/** Subjects numbered under one publisher id, at most (default defaultNumberedSubjects). */
	numberedSubjects?: number;
	/** One line per state change (connected, reconnecting, dropping). Never a secret. */
	log: (line: string) => void;
	connectTimeoutMs?: number;
	backoff?: Partial<BackoffOptions>;
	random?: () => number;
};

export type PublisherStats = {
	/** Handed to the server (and flushed). */
	published: number;
	/** Waiting in the queue now. */
	queued: number;
	/** Dropped from a full queue, oldest first. */
	dropped: number;
	/** Refused by the client before sending (bigger than the server's max_payload). */
	refused: number;
	connects: number;
};

/** One event's JSON, its subject and its numbered header. */
type Queued = QueuedMessage & {subject: string; header: Buffer};

/**
 * The one header publish sends, encoded when queued. The client's MsgHdrs costs about 3 µs a message to build,
 * check and encode (a fifth of publishing an event); its publish() asks a header object only for encode().
 */
export class EncodedHeader {
	constructor(public block: Buffer) {}

	encode(): Uint8Array {
		return this.block;
	}
}

/** What the client gathers before writing to the socket: a file read's worth of events (256 KiB) and more. */
const socketWriteBytes = 1024 * 1024;

/** Bytes per slab, and the longest text written into one (longer ones get a buffer of their own). */
const slabBytes = 1024 * 1024;
const maxSlabText = 16 * 1024;

/**
 * Headers and payloads written one after the other into shared 1 MiB buffers: an allocation per thousand
 * events instead of two per event (a tenth of publishing one). A slab is freed once the client has written its
 * last message to the socket, or the queue dropped it; the queue is first in, first out, so what it holds spans
 * consecutive slabs and costs at most two slabs more than its bytes.
 */
class Slab {
	private buffer = Buffer.allocUnsafe(slabBytes);
	private used = 0;

	bytes(text: string, encoding: 'utf8' | 'latin1'): Buffer {
		const most = encoding === 'latin1' ? text.length : text.length * 3;
		if (most > maxSlabText) return Buffer.from(text, encoding);
		if (this.used + most > slabBytes) {
			this.buffer = Buffer.allocUnsafe(slabBytes);
			this.used = 0;
		}

		const start = this.used;
		this.used += this.buffer.write(text, start, encoding);
		return this.buffer.subarray(start, this.used);
	}
}

/**
 * Subjects numbered at once, at most: a cluster publishes on a few hundred, hostile input (a new namespace per
 * event) on as many as it likes, and each keeps a counter. Past it, numbering starts again under a new publisher
 * id: watchers keep numbers per id, so that is a new publisher to them, never a false gap.
 */
export const defaultNumberedSubjects = 65_536;

/** Messages per flush, and flushes in flight before the queue waits for the server. */
const flushEvery = 1000;
const flushesInFlight = 4;

export class NatsPublisher {
	readonly label: string;
	/** Resolves when the publisher can send nothing more (closed, or a permanent error). */
	readonly done: Promise<void>;
	private readonly url: NatsUrl;
	private readonly link: NatsLink;
	/** Who numbers the messages (changed when the subjects numbered reach their bound). */
	private id = newPublisherId();
	/** The last number given on each subject, under `id`. */
	private readonly sequences = new Map<string, {last: number}>();
	private readonly numberedSubjects: number;
	private readonly header = new EncodedHeader(Buffer.alloc(0));
	/** The client reads these options at once and keeps nothing of them: one object serves every message. */
	private readonly publishOptions = {headers: this.header as unknown as MsgHdrs};
	private readonly slab = new Slab();
	private readonly capacity: number;
	private readonly maxBytes: number;
	private readonly queue: ClientQueue<Queued>;
	private connection: NatsConnection | undefined;
	private sinceFlush = 0;
	private flushing = 0;
	private published = 0;
	private dropped = 0;
	private droppedReported = 0;
	private refused = 0;
	private failed: string | undefined;
	private closed = false;
	private idle: Array<() => void> = [];

	constructor(private readonly options: PublisherOptions) {
		this.url = parseNatsUrl(options.to);
		this.label = this.url.label.replace(/\/[^/]*$/, '');
		this.capacity = Math.max(1, options.bufferEvents ?? defaultBufferEvents);
		this.maxBytes = Math.max(1, options.bufferBytes ?? defaultBufferBytes);
		this.numberedSubjects = Math.max(1, options.numberedSubjects ?? defaultNumberedSubjects);
		this.queue = new ClientQueue(this.capacity);
		this.link = new NatsLink({
			url: this.url,
			auth: options.auth,
			tls: options.tls,
			name: 'armorwatch publish',
			pendingLimit: socketWriteBytes,
			connectTimeoutMs: options.connectTimeoutMs,
			backoff: options.backoff,
			random: options.random,
			onConnect: async connection => this.onConnect(connection),
			onDisconnect: () => {
				this.connection = undefined;
				this.flushing = 0;
			},
			report: (state, detail) => {
				this.report(state, detail);
			},
		});
		this.done = this.link.done;
	}

	get stats(): Readonly<PublisherStats> {
		return {published: this.published, queued: this.size, dropped: this.dropped, refused: this.refused, connects: this.link.connects};
	}

	/** The permanent error that stopped the publisher, if one did (no JetStream for --stream, say). */
	get failure(): string | undefined {
		return this.failed;
	}

	start(): void {
		this.link.start();
	}

	/**
	 * Send one event's JSON on its subject: at once when NATS is there and keeping up (the client gathers what is
	 * published in one turn into one socket write), else into the queue. `ascii`: the caller knows the payload is
	 * ASCII, so its characters are its bytes (copied, not encoded).
	 */
	publish(subject: string, payload: string, ascii = false): void {
		let counter = this.sequences.get(subject);
		if (counter === undefined) {
			if (this.sequences.size >= this.numberedSubjects) {
				this.sequences.clear();
				this.id = newPublisherId();
			}

			counter = {last: 0};
			this.sequences.set(subject, counter);
		}

		const header = this.slab.bytes(sequenceHeaderText(sequenceValue(++counter.last, this.id)), 'latin1');
		const bytes = this.slab.bytes(payload, ascii ? 'latin1' : 'utf8');
		if (this.connection && this.queue.length === 0 && this.flushing < flushesInFlight) {
			this.send(this.connection, subject, bytes, header);
			return;
		}

		let dropped = this.queue.push({bytes, events: 1, subject, header});
		while (this.queue.bytes > this.maxBytes && this.queue.length > 1) {
			this.queue.shift();
			dropped++;
		}

		if (dropped > 0) this.noteDropped(dropped);
		if (this.connection) this.drain();
	}

	/**
	 * Resolves once every queued event has been sent and the server has read it, or after `timeoutMs` (then with
	 * the number still queued). While NATS is away this waits for it to come back.
	 */
	async flush(timeoutMs = Number.POSITIVE_INFINITY): Promise<number> {
		const deadline = Date.now() + timeoutMs;
		while (!this.failed && !this.closed && Date.now() < deadline && (this.size > 0 || this.flushing > 0 || this.sinceFlush > 0)) {
			if (this.connection && this.size === 0 && this.flushing === 0) this.flushNow();
			await new Promise<void>(resolve => {
				const timer = setTimeout(resolve, Math.min(200, Math.max(0, deadline - Date.now())));
				this.idle.push(() => {
					clearTimeout(timer);
					resolve();
				});
			});
		}

		return this.size;
	}

	async close(): Promise<void> {
		this.closed = true;
		this.wakeIdle();
		await this.link.stop();
	}

	private async onConnect(connection: NatsConnection): Promise<void> {
		if (this.options.stream) await this.ensureStream(connection, this.options.stream);
		this.connection = connection;
		this.sinceFlush = 0;
		this.flushing = 0;
		if (this.size > 0) this.options.log(`${this.label}: sending ${this.size.toLocaleString('en-US')} queued events`);
		this.drain();
	}

	/** Create the stream on `<prefix>.>`, or bring an existing one to what was asked (adding the subjects). */
	private async ensureStream(connection: NatsConnection, settings: StreamSettings): Promise<void> {
		const {jetstreamManager} = await import('@nats-io/jetstream');
		const subject = `${this.options.prefix}.>`;
		const nanos = (ms: number) => ms * 1_000_000;
		try {
			const jsm = await jetstreamManager(connection);
			let existing;
			try {
				existing = await jsm.streams.info(settings.name);
			} catch (error) {
				if (!/stream not found/i.test((error as Error).message)) throw error;
			}

			if (existing === undefined) {
				await jsm.streams.add({
					name: settings.name,
					subjects: [subject],
					max_age: nanos(settings.maxAgeMs ?? defaultStreamMaxAgeMs),
					...(settings.maxBytes ? {max_bytes: settings.maxBytes} : {}),
					storage: 'file',
					discard: 'old',
				});
				this.options.log(`${this.label}: created stream ${sanitize(settings.name)} on ${sanitize(subject)}`);
				return;
			}

			const config = existing.config;
			const subjects = config.subjects ?? [];
			const wanted = {
				subjects: subjects.includes(subject) ? subjects : [...subjects, subject],
				max_age: settings.maxAgeMs === undefined ? config.max_age : nanos(settings.maxAgeMs),
				max_bytes: settings.maxBytes ?? config.max_bytes,
			};
			if (wanted.subjects !== subjects || wanted.max_age !== config.max_age || wanted.max_bytes !== config.max_bytes) {
				await jsm.streams.update(settings.name, wanted);
				this.options.log(`${this.label}: updated stream ${sanitize(settings.name)} (${sanitize(wanted.subjects.join(', '))})`);
			}
		} catch (error) {
			const problem = historyError(error, undefined);
			if (problem instanceof NatsPermanentError) throw problem;
			const message = (error as {code?: unknown; message?: string}).message ?? String(error);
			// 10065 (subjects overlap), 10058 (a name in use), a bad name: retrying cannot mend any of them.
			if (/overlap|already in use|invalid|name/i.test(message)) {
				throw new NatsPermanentError(`cannot set up stream ${sanitize(settings.name)}: ${sanitize(message.slice(0, 200))}`);
			}

			throw error;
		}
	}

	private get size(): number {
		return this.queue.length;
	}

	private noteDropped(count: number): void {
		this.dropped += count;
		if (this.dropped - this.droppedReported >= this.capacity || this.droppedReported === 0) {
			// Said once when dropping starts, then once per queue-full of drops: not a line per event.
			this.droppedReported = this.dropped;
			this.options.log(
				`${this.label}: queue full (${this.capacity.toLocaleString('en-US')} events): dropping the oldest, ${this.dropped.toLocaleString('en-US')} so far`,
			);
		}
	}

	/** Send what is queued while the connection is up and the server keeps up with the flushes. */
	private drain(): void {
		const connection = this.connection;
		while (connection && this.size > 0 && connection === this.connection && this.flushing < flushesInFlight) {
			const {subject, bytes, header} = this.queue.shift()!;
			this.send(connection, subject, bytes, header);
		}
	}

	private send(connection: NatsConnection, subject: string, bytes: Buffer, header: Buffer): void {
		// The client asks the header object only for encode(), at once: one object serves every message.
		this.header.block = header;
		try {
			connection.publish(subject, bytes, this.publishOptions);
			this.published++;
		} catch (error) {
			// Over the server's max_payload: this event cannot be sent, the others can.
			this.refused++;
			this.options.log(`${this.label}: an event on ${sanitize(subject)} was not sent: ${sanitize(this.link.describe(error))}`);
		}

		if (++this.sinceFlush >= flushEvery) this.flushNow();
	}

	private flushNow(): void {
		const connection = this.connection;
		if (!connection) return;
		this.sinceFlush = 0;
		this.flushing++;
		connection.flush().then(
			() => {
				if (connection !== this.connection) return;
				this.link.noteWorking();
				this.flushing--;
				this.drain();
				this.wakeIdle();
			},
			() => undefined,
		);
	}

	private wakeIdle(): void {
		const waiting = this.idle;
		this.idle = [];
		for (const wake of waiting) wake();
	}

	/** One line per change: connected, each failed attempt with its reason and delay, failed; not the countdown's ticks. */
	private report(state: SourceState, detail: string | undefined): void {
		if (state === 'failed') this.failed = detail ?? 'failed';
		const line = state === 'connected' ? 'connected' : `${state}${detail ? ` ${withoutCountdown(detail)}` : ''}`;
		if (state !== 'closed' && !(state === 'connecting' && detail) && line !== this.lastLine) {
			const dropped = state === 'connected' && this.dropped > 0 ? ` (${this.dropped.toLocaleString('en-US')} events dropped so far)` : '';
			this.options.log(`${this.label}: ${state}${detail && state !== 'connected' ? ` ${detail}` : ''}${dropped}`);
		}

		this.lastLine = line;
		this.wakeIdle();
	}

	private lastLine: string | undefined;
}

/** A state's detail without its reconnect countdown ("in 3s "): one line per change of state, not per tick. */
export function withoutCountdown(detail: string | undefined): string {
	return (detail ?? '').replace(/^in \d+s /, '');
}

/** A publisher's id in its messages' sequence header: random, so two runs never share one. */
function newPublisherId(): string {
	return randomBytes(9).toString('base64url');
}
