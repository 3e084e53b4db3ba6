// `--last N` / `--since T` for one subject: an ordered, ephemeral JetStream consumer from where the history
// starts, which goes on delivering live messages once it has caught up. One consumer for the history and the
// live part means no gap and no duplicate between them (stream sequences are in order, each once). After a
// reconnect a new consumer starts just past the last sequence seen. On stop the consumer is deleted, and one
// left by a killed process removes itself after a minute without a client.

import type {Consumer, ConsumerMessages, JsMsg} from '@nats-io/jetstream';
import type {NatsConnection} from '@nats-io/transport-node';
import {findStream, historyError, lastStartSequence, type HistoryRequest} from './history.js';

/**
 * Messages asked for per pull: big enough to keep the server busy, small enough to hold little memory. Measured
 * with a bare ordered consumer over 200,000 events (3 interleaved rounds, load 8-11): 1,000 (the client pulls
 * again at 750 pending) 70.7k events/s; 1,000 pulling at 250 73.8k; 5,000 at 2,500 42.0k; 20,000 at 10,000 54.0k;
 * no setting stood out from the noise; 100,000 stalled for minutes (not traced).
 */
export const pullBatch = 1000;
// Why a pull consumer and not a push one read with a plain subscription (stream sequence from the reply subject,
// flow control answered): over 300,000 events, 5 runs of 3-7 interleaved rounds at load 8-14 on 2 cores, push
// took 1.22-1.36x less of this process's CPU per event (and, in the 4 runs that measured it, 1.23-1.33x less of the
// server's), but its events/s were 0.83-1.04x the pull consumer's (medians): on a busy machine not faster, so
// not worth a consumer of our own; on a quiet one the CPU saving may matter (not measured).
// (Without flow control the server dropped 52,000 of them in a row.)
const inactiveThresholdMs = 60_000;

export class SubjectReplay {
	/** Messages delivered, over every connection. */
	delivered = 0;
	/** `delivered` when the current consumer started: its catch-up is counted from there. */
	deliveredBefore = 0;
	/** What the server still had for this consumer after the last message (num_pending). */
	pending = 0;
	/** Caught up: nothing was pending at the last message (or at the start). */
	live = false;
	/** The consumer of the current connection is in place (so `pending` means something). */
	started = false;
	/** The output is behind: no pulling until release(). */
	private holding = false;
	private stream: string | undefined;
	private startSequence: number | undefined;
	private lastSequence = 0;
	private consumer: Consumer | undefined;
	/** The consumer a lost connection left on the server: deleted from the next one, not left to time out. */
	private orphan: string | undefined;
	private messages: ConsumerMessages | undefined;

	constructor(
		readonly subject: string,
		private readonly request: HistoryRequest,
		private readonly deliver: (data: Uint8Array) => void,
		/** Started, or caught up: worth saying at once. */
		private readonly onChange: () => void,
	) {}

	/** On each new connection: find the stream (once), and start a consumer where the history left off. */
	async open(connection: NatsConnection): Promise<void> {
		this.started = false;
		const {jetstream, jetstreamManager} = await import('@nats-io/jetstream');
		let jsm;
		try {
			jsm = await jetstreamManager(connection);
		} catch (error) {
			throw historyError(error, undefined);
		}

		this.stream ??= await findStream(jsm, this.subject, this.request.stream);
		const stream = this.stream;
		if (this.orphan) {
			await jsm.consumers.delete(stream, this.orphan).catch(() => undefined);
			this.orphan = undefined;
		}

		let start: {opt_start_seq: number} | {opt_start_time: string};
		if (this.lastSequence > 0) {
			start = {opt_start_seq: this.lastSequence + 1};
		} else if (this.request.last !== undefined) {
			this.startSequence ??= await lastStartSequence(jsm, stream, this.subject, this.request.last).catch(error => {
				throw historyError(error, `stream ${stream} is gone`);
			});
			start = {opt_start_seq: this.startSequence};
		} else {
			start = {opt_start_time: new Date(this.request.since ?? Date.now()).toISOString()};
		}

		let consumer: Consumer;
		try {
			consumer = await jetstream(connection).consumers.get(stream, {
				filter_subjects: this.subject,
				...start,
				inactive_threshold: inactiveThresholdMs,
			});
		} catch (error) {
			throw historyError(error, `stream ${stream} is gone`);
		}

		this.consumer = consumer;
		this.orphan = undefined;
		this.deliveredBefore = this.delivered;
		this.pending = (await consumer.info(true)).num_pending;
		this.live = false;
		this.started = true;
		if (this.pending === 0) this.live = true;
		this.onChange();
		// Held while this was being set up: pull nothing yet (release() starts again from here).
		if (this.holding) return;
		const messages = await consumer.consume({max_messages: pullBatch, callback: this.onMessage});
		if (this.holding) messages.stop(); // held while consume() was starting
		else this.messages = messages;
	}

	/** Stop pulling (the output is behind): what is already on its way still arrives, nothing more is asked for. */
	hold(): void {
		this.holding = true;
		this.messages?.stop();
		this.messages = undefined;
	}

	/** Pull again, from just past the last message delivered: a new consumer, the old one deleted. */
	async release(connection: NatsConnection): Promise<void> {
		if (!this.holding) return;
		this.holding = false;
		if (!this.started) return; // open() is still under way on this connection and will pull once it is done
		await this.consumer?.delete().catch(() => undefined);
		this.consumer = undefined;
		await this.open(connection);
	}

	/** The connection went away with the consumer still on the server: remember it, to delete it from the next one. */
	lost(): void {
		// The client renames an ordered consumer each time it recreates it; its current name is on the object.
		if (this.consumer) this.orphan = (this.consumer as {name?: string}).name;
		this.consumer = undefined;
		this.messages = undefined;
	}

	/** Delete the consumer: nothing is left behind on the server. */
	async close(): Promise<void> {
		const {messages, consumer} = this;
		this.messages = undefined;
		this.consumer = undefined;
		messages?.stop();
		await consumer?.delete().catch(() => undefined);
	}

	private readonly onMessage = (message: JsMsg): void => {
		this.lastSequence = message.seq;
		this.delivered++;
		this.pending = message.info.pending;
		this.deliver(message.data);
		if (this.pending === 0 && !this.live) {
			this.live = true;
			this.onChange();
		}
	};
}
