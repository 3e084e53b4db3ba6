/** Flow control for the sources behind an output: stop reading while it is behind, read again once it caught up. */
export type FlowControl = {
	/** The reader is behind (its pipe is full): stop reading input. */
	pause(): void;
	/** The reader caught up. */
	resume(): void;
	/** Nothing more can be written (the reader left, or a write failed): stop reading for good. */
	stop(): void;
};

/** A batch bigger than this is written at once, without waiting for the end of the input chunk. */
const maxBatchChars = 256 * 1024;

/**
 * Line mode's stdout. Lines are gathered and written once per input chunk (a write per event was a third of line
 * mode's time). While the reader is behind (the stream over its high-water mark) the sources are paused until it
 * drains, so nothing piles up in memory and nothing is dropped; finish() waits until every byte was handed over.
 */
export class LineOutput {
	/** The reader left (EPIPE): quiet, as `| head` expects. */
	closed = false;
	/** Why a write failed (e.g. "no space left on device"), for one line on stderr. */
	failure: string | undefined;
	private pending = '';
	private scheduled = false;
	private full = false;

	constructor(
		private readonly out: NodeJS.WritableStream,
		private readonly flow: FlowControl,
	) {
		out.on('error', this.fail);
		out.on('drain', this.drained);
	}

	/** Queue text (whole lines) for the next batch. */
	write(text: string): void {
		if (this.closed) return;
		this.pending += text;
		if (this.pending.length >= maxBatchChars) {
			this.flush();
		} else if (!this.scheduled) {
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
		if (this.pending === '' || this.closed) return;
		const text = this.pending;
		this.pending = '';
		if (!this.out.write(text) && !this.full && !this.closed) {
			this.full = true;
			this.flow.pause();
		}
	};

	private readonly drained = (): void => {
		if (!this.full || this.closed) return;
		this.full = false;
		this.flow.resume();
	};

	private readonly fail = (error: NodeJS.ErrnoException): void => {
		if (this.closed) return;
		this.closed = true;
		this.pending = '';
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
