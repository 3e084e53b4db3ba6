import {constants, createReadStream, open as openCallback, type BigIntStats} from 'node:fs';
import {open, stat, type FileHandle} from 'node:fs/promises';
import {Socket} from 'node:net';
import {basename} from 'node:path';
import type {Readable} from 'node:stream';
import {setTimeout as sleep} from 'node:timers/promises';
import {promisify} from 'node:util';
import type {Feed, FeedSink} from './feed.js';
import {defaultMaxLineBytes, LineSplitter} from './line-splitter.js';

const chunkBytes = 256 * 1024;
// A bare descriptor, not a FileHandle: the stream that reads a FIFO owns it and closes it.
const openFd = promisify(openCallback);
const followPollMs = 250;

function splitterFor(sink: FeedSink, label: string): LineSplitter {
	return new LineSplitter({
		line(text, known) {
			sink.line(text, label, known);
		},
		oversized(bytes) {
			sink.oversized(bytes, defaultMaxLineBytes, label);
		},
	});
}

/** NDJSON from a readable stream: stdin (`karmor logs --json | armorwatch`), or a pipe or FIFO named as a file. */
export class StreamFeed implements Feed {
	readonly done: Promise<void>;
	private stopped = false;
	private finish!: () => void;

	constructor(
		private readonly stream: Readable,
		readonly label = 'stdin',
	) {
		this.done = new Promise(resolve => {
			this.finish = resolve;
		});
	}

	start(sink: FeedSink): void {
		const splitter = splitterFor(sink, this.label);
		sink.status({label: this.label, state: 'reading', since: Date.now()});
		this.stream.on('data', (chunk: Buffer | string) => {
			splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
		});
		this.stream.once('end', () => {
			// Stopped (--limit, the reader of stdout left): the line cut off there is not input that ended badly.
			if (this.stopped) return;
			splitter.end();
			sink.status({label: this.label, state: 'ended', detail: 'input ended', since: Date.now()});
			this.finish();
		});
		this.stream.on('error', (error: Error) => {
			if (this.stopped) return;
			sink.status({label: this.label, state: 'failed', detail: error.message, since: Date.now()});
			this.finish();
		});
	}

	pause(): void {
		this.stream.pause();
	}

	resume(): void {
		if (!this.stopped) this.stream.resume();
	}

	stop(): void {
		this.stopped = true;
		this.stream.pause();
		this.stream.removeAllListeners('data');
		if ('destroy' in this.stream && this.stream !== process.stdin) this.stream.destroy();
		this.finish();
	}
}

/**
 * NDJSON from a file; with `follow`, keeps reading what is appended, like `tail -f`, and follows the path through
 * log rotation (truncation, or a new file in its place) like `tail -F`. A path that is not a regular file (a
 * FIFO, `<(command)`, /dev/stdin) cannot be read at an offset: it is read as a stream, to its end.
 */
export class FileFeed implements Feed {
	readonly done: Promise<void>;
	readonly label: string;
	private stopped = false;
	private finish!: () => void;
	/** While paused: what the read loop waits for before its next read. */
	private held: Promise<void> | undefined;
	private release: (() => void) | undefined;
	/** A path that is not a regular file, once opened. */
	private stream: StreamFeed | undefined;

	constructor(
		private readonly path: string,
		private readonly follow = false,
		label?: string,
	) {
		this.label = label ?? basename(path);
		this.done = new Promise(resolve => {
			this.finish = resolve;
		});
	}

	start(sink: FeedSink): void {
		void this.read(sink).finally(this.finish);
	}

	stop(): void {
		this.stopped = true;
		this.stream?.stop();
		this.resume();
		// Nothing more will be delivered: done now, not after the read under way returns.
		this.finish();
	}

	pause(): void {
		this.stream?.pause();
		this.held ??= new Promise(resolve => {
			this.release = resolve;
		});
	}

	resume(): void {
		this.stream?.resume();
		this.release?.();
		this.held = undefined;
		this.release = undefined;
	}

	/** The file now at the path, opened, when it is no longer the one `handle` reads (else undefined). */
	private async openIfReplaced(handle: FileHandle): Promise<FileHandle | undefined> {
		let now: BigIntStats;
		try {
			now = await stat(this.path, {bigint: true});
		} catch {
			return undefined; // Renamed away and not yet created again: keep reading the old one.
		}

		const current = await handle.stat({bigint: true});
		if (now.ino === current.ino && now.dev === current.dev) return undefined;
		try {
			return await open(this.path, 'r');
		} catch {
			return undefined; // Gone again, or not readable yet: the next poll looks again.
		}
	}

	private async read(sink: FeedSink): Promise<void> {
		try {
			const kind = await stat(this.path);
			if (!kind.isFile()) {
				await this.readStream(sink, kind.isFIFO());
				return;
			}
		} catch (error) {
			sink.status({label: this.label, state: 'failed', detail: (error as Error).message, since: Date.now()});
			return;
		}

		const splitter = splitterFor(sink, this.label);
		let handle: FileHandle | undefined;
		try {
			handle = await open(this.path, 'r');
			sink.status({label: this.label, state: this.follow ? 'following' : 'reading', since: Date.now()});
			const buffer = Buffer.allocUnsafe(chunkBytes);
			let position = 0;
			while (!this.stopped) {
				if (this.held) await this.held;
				if (this.stopped) break;
				const {bytesRead} = await handle.read(buffer, 0, chunkBytes, position);
				if (bytesRead > 0) {
					position += bytesRead;
					splitter.push(buffer.subarray(0, bytesRead));
					continue;
				}

				if (!this.follow) break;
				await sleep(followPollMs);
				const {size} = await handle.stat();
				if (size > position) continue;
				const replacement = await this.openIfReplaced(handle);
				if (replacement) {
					// Rotated by rename (logrotate's default): the old file is read to its end, then the new one from its
					// start, as tail -F does. What is written to the old file after this is not seen.
					splitter.end();
					await handle.close();
					handle = replacement;
					position = 0;
					sink.status({label: this.label, state: 'following', detail: 'file replaced (rotated); reading the new one', since: Date.now()});
				} else if (size < position) {
					// Truncated (log rotation by copy-truncate): start again from the top, as tail -f does.
					splitter.end();
					position = 0;
					sink.status({label: this.label, state: 'following', detail: 'file truncated; reading from the start', since: Date.now()});
				}
			}

			// Stopped (--limit, the reader of stdout left): the line cut off there is not a line that ended badly.
			if (this.stopped) return;
			splitter.end();
			sink.status({label: this.label, state: 'ended', detail: 'end of file', since: Date.now()});
		} catch (error) {
			sink.status({label: this.label, state: 'failed', detail: (error as Error).message, since: Date.now()});
		} finally {
			await handle?.close();
		}
	}

	/**
	 * A FIFO or pipe through the event loop (a Socket), anything else (a character device) through a file stream.
	 * A FIFO is opened without waiting for a writer: a blocking open() would hold a thread, and the process could
	 * not exit until someone wrote to it. The Socket still waits for the writer: the kernel reports the end only
	 * after one has come and gone.
	 */
	private async readStream(sink: FeedSink, fifo: boolean): Promise<void> {
		const fd = await openFd(this.path, fifo ? constants.O_RDONLY | constants.O_NONBLOCK : constants.O_RDONLY);
		const stream = fifo ? new Socket({fd, readable: true, writable: false}) : createReadStream('', {fd});
		if (this.stopped) {
			stream.destroy();
			return;
		}

		this.stream = new StreamFeed(stream, this.label);
		if (this.held) this.stream.pause();
		this.stream.start(sink);
		await this.stream.done;
	}
}
