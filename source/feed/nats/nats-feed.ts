// Events from NATS: `armorwatch nats://HOST[:PORT][/SUBJECT,...]`. Live, a plain subscription per subject (the
// server filters on the wildcards); with `--last N` or `--since T`, an ordered JetStream consumer per subject that
// replays the history and then goes on live (replay.ts). A message holds what a WebSocket message may hold (one
// event, a JSON array, NDJSON lines) or the sidekick's envelope; anything else is counted as malformed.

import {Buffer, isAscii} from 'node:buffer';
import type {Msg, NatsConnection} from '@nats-io/transport-node';
import type {Feed, FeedSink, SourceState, SourceStatus} from '../feed.js';
import {deliverText} from '../message-text.js';
import type {BackoffOptions} from '../backoff.js';
import type {HistoryRequest} from './history.js';
import {NatsLink, type NatsAuth, type NatsTls} from './nats-link.js';
import {parseNatsUrl, type NatsUrl} from './nats-url.js';
import {SubjectReplay} from './replay.js';
import {findSequenceHeader, SequenceGaps, sequenceHeader} from './sequence.js';

export type NatsFeedOptions = {
	/** nats://[user:pass@]HOST[:PORT][/SUBJECT,...] or tls://..., or that URL parsed. */
	url: string | NatsUrl;
	auth?: NatsAuth;
	tls?: NatsTls;
	/** `--last N` / `--since T` (/ `--stream NAME`): replay from JetStream first. */
	history?: HistoryRequest;
	/** What the header calls this source (default: the URL without credentials). */
	label?: string;
	connectTimeoutMs?: number;
	pingIntervalMs?: number;
	backoff?: Partial<BackoffOptions>;
	random?: () => number;
	/** Live messages held while paused, at most (default 64 MiB); past that they are dropped and counted. */
	maxHeldBytes?: number;
};

export type NatsFeedStats = {
	connects: number;
	/** Messages received (live and replayed). */
	messages: number;
	bytes: number;
	/** Messages the server never delivered, counted from gaps in the publisher's numbering. */
	missed: number;
};

/** What a paused feed holds for the output to catch up (messages past it are dropped and counted). */
const defaultMaxHeldBytes = 64 * 1024 * 1024;

export class NatsFeed implements Feed {
	readonly label: string;
	readonly done: Promise<void>;
	private readonly link: NatsLink;
	private readonly subjects: string[];
	private readonly replays: SubjectReplay[];
	private readonly gaps = new SequenceGaps();
	private readonly insecure: boolean;
	private readonly maxHeldBytes: number;
	private sink: FeedSink | undefined;
	private messages = 0;
	private bytes = 0;
	private refused: string | undefined;
	/** A message arrived on the current connection (the link is told once per connection). */
	private working = false;
	private state: SourceState = 'connecting';
	private stateSince = 0;
	/** The output is behind (pause()): live messages wait in `held` until resume(). */
	private paused = false;
	private held: Uint8Array[] = [];
	private heldBytes = 0;
	private droppedWhilePaused = 0;

	constructor(options: NatsFeedOptions) {
		const url = typeof options.url === 'string' ? parseNatsUrl(options.url) : options.url;
		this.label = options.label ?? url.label;
		this.subjects = url.subjects;
		this.insecure = options.tls?.insecure ?? false;
		this.maxHeldBytes = options.maxHeldBytes ?? defaultMaxHeldBytes;
		const history = options.history;
		this.replays =
			history && (history.last !== undefined || history.since !== undefined)
				? this.subjects.map(subject => new SubjectReplay(subject, history, this.deliver, this.refresh))
				: [];
		this.link = new NatsLink({
			url,
			auth: options.auth,
			tls: options.tls,
			name: 'armorwatch',
			connectTimeoutMs: options.connectTimeoutMs,
			pingIntervalMs: options.pingIntervalMs,
			backoff: options.backoff,
			random: options.random,
			onConnect: async connection => this.onConnect(connection),
			onDisconnect: () => {
				for (const replay of this.replays) replay.lost();
			},
			report: (state, detail) => {
				this.report(state, detail);
			},
			connectedDetail: () => this.connectedDetail(),
		});
		this.done = this.link.done;
	}

	get stats(): Readonly<NatsFeedStats> {
		return {connects: this.link.connects, messages: this.messages, bytes: this.bytes, missed: this.missed};
	}

	/** Messages lost: gaps in the publishers' numbers (the server's drops), and drops while the output was behind. */
	private get missed(): number {
		return this.gaps.missed + this.droppedWhilePaused;
	}

	start(sink: FeedSink): void {
		if (this.sink) throw new Error(`${this.label}: started twice`);
		this.sink = sink;
		this.link.start();
	}

	/**
	 * Flow control (the output is behind). A replay stops pulling from its stream and starts again where it was on
	 * resume(): JetStream waits, nothing is lost and little is held. A live subscription cannot be asked to wait
	 * (the server would hold what it cannot send for a while, then cut the subscriber off), so its messages are
	 * held here, up to 64 MiB, and delivered on resume(); past that they are dropped and counted with the
	 * server's drops.
	 */
	pause(): void {
		if (this.paused) return;
		this.paused = true;
		for (const replay of this.replays) replay.hold();
	}

	resume(): void {
		if (!this.paused) return;
		this.paused = false;
		// Delivering what was held can fill the output again (pause() is then called from within): keep the rest.
		let index = 0;
		while (!this.paused && index < this.held.length) {
			const data = this.held[index++]!;
			this.heldBytes -= data.length;
			this.ingest(data);
		}

		this.held = index === this.held.length ? [] : this.held.slice(index);
		if (this.paused) return; // behind again: the replays stay held too
		if (this.droppedWhilePaused > 0) this.refresh(); // the count of what did not fit, as it is now
		const connection = this.link.current;
		for (const replay of this.replays) {
			if (connection) {
				replay.release(connection).catch(() => {
					// It cannot start again on this connection: a new one will (onConnect opens every replay).
					void connection.close();
				});
			}
		}
	}

	stop(): void {
		void this.link.stop(async () => {
			await Promise.all(this.replays.map(async replay => replay.close()));
		});
	}

	private async onConnect(connection: NatsConnection): Promise<void> {
		this.refused = undefined;
		this.working = false;
		if (this.replays.length > 0) {
			try {
				for (const replay of this.replays) await replay.open(connection);
			} catch (error) {
				// One subject's history cannot be had: the consumers already made for the others go too.
				await Promise.all(this.replays.map(async replay => replay.close()));
				throw error;
			}

			return;
		}

		for (const subject of this.subjects) connection.subscribe(subject, {callback: this.onMessage});
		// The subscriptions are in place (or refused, which the callback hears) once the server answers.
		await connection.flush();
	}

	private readonly onMessage = (error: Error | null, message: Msg): void => {
		if (error) {
			// A subscription the server refused (permissions): the connection stays up for the others.
			this.refused = this.link.describe(error);
			this.refresh();
			return;
		}

		const raw = message as unknown as RawMsg;
		const length = raw._msg?.hdr;
		if (typeof length === 'number' && Buffer.isBuffer(raw._rdata)) {
			// The header block as the client holds it (see sequenceOf), read without its parsing.
			if (length > 0 && this.gaps.noteBlock(message, raw._rdata, length) > 0) this.refresh();
		} else {
			const value = sequenceOf(message);
			if (value && this.gaps.note(message.subject, value) > 0) this.refresh();
		}

		this.deliver(message.data);
	};

	private readonly deliver = (data: Uint8Array): void => {
		this.messages++;
		this.bytes += data.length;
		if (this.paused) {
			this.hold(data);
			return;
		}

		this.ingest(data);
	};

	private hold(data: Uint8Array): void {
		if (this.heldBytes + data.length > this.maxHeldBytes) {
			// Counted and shown with what the server dropped: either way a message that never reached the screen.
			if (++this.droppedWhilePaused === 1) this.refresh();
			return;
		}

		// The client reuses its read buffer: keep a copy.
		this.held.push(data.slice());
		this.heldBytes += data.length;
	}

	private ingest(data: Uint8Array): void {
		const sink = this.sink;
		if (sink === undefined || data.length === 0) return;
		if (!this.working) {
			this.working = true;
			this.link.noteWorking();
		}

		// Bytes that are not UTF-8 become replacement characters, as in files and WebSocket messages: a bad byte
		// spoils its own line (or shows as � in a value), never the other lines of the message. ASCII (nearly every
		// message) is the same text read as latin1, which skips UTF-8's decoding: a native scan, then a copy.
		const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
		deliverText(bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8'), sink, this.label);
	}

	/** Say at once what changed (caught up, messages missed), not at the next second's tick. */
	private readonly refresh = (): void => {
		if (this.state === 'connected') this.report('connected', this.connectedDetail());
	};

	private connectedDetail(): string {
		if (this.replays.some(replay => !replay.started)) return 'finding the history';
		if (this.replays.some(replay => !replay.live)) {
			let done = 0;
			let total = 0;
			for (const replay of this.replays) {
				const caughtUp = replay.delivered - replay.deliveredBefore;
				done += caughtUp;
				total += caughtUp + replay.pending;
			}

			return `replaying ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')}`;
		}

		const count = `${this.messages.toLocaleString('en-US')} ${this.messages === 1 ? 'message' : 'messages'}`;
		return this.replays.length > 0 ? `live, ${count}` : count;
	}

	private report(state: SourceState, detail: string | undefined): void {
		if (state !== this.state || this.stateSince === 0) this.stateSince = Date.now();
		this.state = state;
		const status: SourceStatus = {label: this.label, state, since: this.stateSince};
		if (detail !== undefined) status.detail = detail;
		const warnings = [
			this.insecure ? 'TLS verification off (--insecure)' : '',
			this.gaps.missed > 0 ? `${this.gaps.missed.toLocaleString('en-US')} dropped by the server (this monitor fell behind, or was away)` : '',
			this.droppedWhilePaused > 0 ? `${this.droppedWhilePaused.toLocaleString('en-US')} dropped while the output was behind` : '',
			this.refused ?? '',
		].filter(Boolean);
		if (warnings.length > 0) status.warning = warnings.join('; ');
		this.sink?.status(status);
	}
}

/** Where version 3 of the client keeps a message's header length and bytes (headers first, then the data). */
type RawMsg = {_msg?: {hdr?: unknown}; _rdata?: unknown};

/**
 * A message's sequence header. Read from its raw header bytes when the client's message object holds them where
 * version 3 keeps them: its own parsing builds a map of every header, about a fifth of what ingesting an event
 * costs. Else (another client version) through that parsing. A test checks both give the same.
 */
export function sequenceOf(message: Msg): string | undefined {
	const raw = message as unknown as RawMsg;
	const length = raw._msg?.hdr;
	if (typeof length === 'number' && raw._rdata instanceof Uint8Array) {
		return length > 0 ? findSequenceHeader(raw._rdata.subarray(0, length)) : undefined;
	}

	return message.headers?.get(sequenceHeader) || undefined;
}
