/** Flow control for the sources behind an output: stop reading while it is behind, read again once it caught up. */
export type FlowControl = {
	/** The reader is behind (its pipe is full): stop reading input. */
	pause(): void;
	/** The reader caught up. */
	resume(): void;
	/** Nothing more can be written (the reader left, or a write failed): stop reading for good. */
	stop(): void;
};

/** Bytes per batch: about what one 256 KiB chunk of input prints. */
const batchBytes = 256 * 1024;
/** Batches kept for reuse once their write completed. */
const spareBatches = 4;

/**
 * Line mode's stdout. Lines are gathered into a reused buffer and written once per input chunk: a write per event
 * was a third of line mode's time, and a fresh string or buffer per batch costs more than encoding into one that
 * is already there. While the reader is behind (the stream over its high-water mark) the sources are paused until
 * it drains, so nothing piles up in memory and nothing is dropped; finish() waits until every byte was handed
 * over.
 */
export class LineOutput {
	/** The reader left (EPIPE), or a write failed: nothing more is written. */
	closed = false;
	/** Why a write failed (e.g. "no space left on device"), for one line on stderr; unset when the reader left. */
	failure: string | undefined;
	private batch: Buffer | undefined;
	private used = 0;
	private readonly spare: Buffer[] = [];
	private scheduled = false;
	private full = false;

	constructor(
		private readonly out: NodeJS.WritableStream,
		private readonly flow: FlowControl,
	) {
		out.on('error', this.fail);
		out.on('drain', this.drained);
	}

	/**
	 * Queue one line (without its newline) for the next batch. `ascii`: the caller knows every character is ASCII,
	 * so it is written as Latin-1 (the same bytes): V8 copies a string built by concatenation (a plain line) into
	 * the buffer piece by piece that way, where UTF-8 first makes a flat copy of it.
	 */
	writeLine(text: string, ascii = false): void {
		if (this.closed) return;
		// At most 3 bytes of UTF-8 per UTF-16 unit, and the newline.
		const room = ascii ? text.length + 1 : text.length * 3 + 1;
		if (room > batchBytes) {
			this.flush();
			this.send(text + '\n');
			return;
		}

		if (this.batch !== undefined && this.used + room > batchBytes) this.flush();
		const batch = (this.batch ??= this.spare.pop() ?? Buffer.allocUnsafe(batchBytes));
		this.used += ascii ? batch.write(text, this.used, 'latin1') : batch.write(text, this.used);
		batch[this.used++] = 0x0a;
		if (!this.scheduled) {
			// After the feed's synchronous run over its chunk: one write for all the lines it produced.
			this.scheduled = true;
			queueMicrotask(this.flush);
		}
	}

	/** Write what is pending; resolve once all of it reached the reader, or the output closed or failed. */
	async finish(): Promise<void> {
		this.flush();
		if (this.closed) return;
		await new Promise<void>(resolve => {
			// Callbacks run in order: this one runs after every earlier write completed, with an error if one failed.
			this.out.write('', (error?: Error | null) => {
				if (error) this.fail(error);
				resolve();
			});
		});
	}

	private readonly flush = (): void => {
		this.scheduled = false;
		const batch = this.batch;
		if (batch === undefined || this.closed) return;
		const bytes = batch.subarray(0, this.used);
		this.batch = undefined;
		this.used = 0;
		// The stream holds on to the bytes until they are written: reuse the buffer only after that.
		this.send(bytes, () => {
			if (this.spare.length < spareBatches) this.spare.push(batch);
		});
	};

	private send(data: Buffer | string, written?: () => void): void {
		const more = this.out.write(data, (error?: Error | null) => {
			if (!error) written?.();
		});
		if (!more && !this.full && !this.closed) {
			this.full = true;
			this.flow.pause();
		}
	}

	private readonly drained = (): void => {
		if (!this.full || this.closed) return;
		this.full = false;
		this.flow.resume();
	};

	private readonly fail = (error: NodeJS.ErrnoException): void => {
		if (this.closed) return;
		this.closed = true;
		this.batch = undefined;
		if (error.code !== 'EPIPE') this.failure = errorWords(error);
		this.flow.stop();
	};
}

/** "ENOSPC: no space left on device, write" -> "no space left on device". */
function errorWords(error: NodeJS.ErrnoException): string {
	return error.message.replace(/^[A-Z]+: /, '').replace(/, write$/, '') || String(error.code);
}

/** Resolves once everything written to `stream` was handed to the OS: a pipe's reader may be slow. */
export async function flushed(stream: NodeJS.WriteStream): Promise<void> {
	if (stream.writableLength === 0 || stream.destroyed) return;
	await new Promise<void>(resolve => {
		stream.write('', () => {
			resolve();
		});
	});
}
