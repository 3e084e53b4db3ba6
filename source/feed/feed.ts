import type {LineSafety} from './line-splitter.js';

/** What the header shows about one source. */
export type SourceState =
	| 'starting'
	| 'reading'
	| 'following'
	| 'ended'
	| 'connecting'
	| 'connected'
	| 'reconnecting'
	| 'closed'
	| 'failed';

export type SourceStatus = {
	/** Short name of the source: "stdin", a file name, a URL without credentials. */
	label: string;
	state: SourceState;
	/** Words about the state: the last error, "attempt 3", "retrying in 4s". Never a secret. */
	detail?: string;
	/** When the current state began (ms since epoch). */
	since?: number;
	/** Shown in a warning colour for as long as it is set (e.g. TLS verification off). */
	warning?: string;
};

/** Where a feed delivers what it reads. The pipeline parses, normalizes, counts and stores. */
export type FeedSink = {
	/** One line of JSON text (NDJSON), and what is known of its characters (absent: nothing). */
	line(text: string, source: string, known?: LineSafety): void;
	/** An already-parsed value (demo, gRPC). */
	value(value: unknown, source: string): void;
	/** Input that could not be read as events; counted and shown, never fatal. */
	malformed(reason: string, source: string): void;
	/** A line or message longer than `limit` bytes was skipped without being held. */
	oversized(bytes: number, limit: number, source: string): void;
	status(status: SourceStatus): void;
};

/** Every transport implements this: start delivering, stop and let go of every resource. */
export type Feed = {
	readonly label: string;
	start(sink: FeedSink): void;
	stop(): void;
	/**
	 * Flow control: the output is behind (a pipe to a slow reader is full). Stop reading until resume(), so the
	 * source waits (the writer of a pipe blocks, TCP and HTTP/2 push back on the server) instead of this process
	 * buffering. What was already read may still be delivered. Calling it twice is harmless.
	 */
	pause(): void;
	resume(): void;
	/** Resolves when the source can deliver nothing more (end of input, or stopped). */
	readonly done: Promise<void>;
};
