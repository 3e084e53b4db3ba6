/** One message waiting for a client: NDJSON text (shared between clients when they get the same batch). */
export type QueuedMessage = {
	bytes: Buffer;
	/** Events in the message. */
	events: number;
};

/**
 * What one client has not been sent yet, bounded by a count of events. Past the bound the oldest messages are
 * dropped (and counted), so a client that reads slowly costs a bounded amount of memory and never holds back
 * the source or the other clients. The newest message is always kept. (`publish` queues its messages for NATS
 * in one too, with a subject and a number besides.)
 */
export class ClientQueue<M extends QueuedMessage = QueuedMessage> {
	/** Events dropped since the client connected. */
	dropped = 0;
	private items: Array<M | undefined> = [];
	private head = 0;
	private queuedEvents = 0;
	private queuedBytes = 0;

	constructor(readonly maxEvents: number) {
		if (!(maxEvents >= 1)) throw new RangeError('a client queue holds at least one event');
	}

	/** Events waiting. */
	get events(): number {
		return this.queuedEvents;
	}

	get bytes(): number {
		return this.queuedBytes;
	}

	get length(): number {
		return this.items.length - this.head;
	}

	/** Add a message; returns how many events were dropped from the front to make room. */
	push(message: M): number {
		this.items.push(message);
		this.queuedEvents += message.events;
		this.queuedBytes += message.bytes.length;
		let dropped = 0;
		while (this.queuedEvents > this.maxEvents && this.length > 1) {
			const oldest = this.shift()!;
			dropped += oldest.events;
		}

		this.dropped += dropped;
		return dropped;
	}

	/** The oldest message, removed. */
	shift(): M | undefined {
		if (this.head >= this.items.length) return undefined;
		const message = this.items[this.head]!;
		this.items[this.head++] = undefined;
		this.queuedEvents -= message.events;
		this.queuedBytes -= message.bytes.length;
		// Compact now and then instead of Array#shift on every message.
		if (this.head === this.items.length) {
			this.items = [];
			this.head = 0;
		} else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
			this.items = this.items.slice(this.head);
			this.head = 0;
		}

		return message;
	}

	clear(): void {
		this.items = [];
		this.head = 0;
		this.queuedEvents = 0;
		this.queuedBytes = 0;
	}
}
