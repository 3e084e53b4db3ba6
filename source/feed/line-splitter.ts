import {isAscii} from 'node:buffer';

export const defaultMaxLineBytes = 1024 * 1024;
/** Most bytes of complete lines decoded into one string (see push). */
const decodePieceBytes = 64 * 1024;

/**
 * What the splitter vouches for about a line's characters, from native scans of its chunk (a few per chunk,
 * instead of a regular expression over every line); each level holds the one before:
 * - 'unknown': nothing (a line across chunks; non-ASCII, a TAB or a DEL in the chunk).
 * - 'printable': every byte ASCII, none a TAB or DEL. JSON allows no other control character (TAB only between
 *   tokens), so a line JSON.parse accepts is printable ASCII as it stands: it can be written as read.
 * - 'plain': printable, and no backslash either: nothing in it is escaped, so every string parsed from it is
 *   printable ASCII too, and what is made of those strings needs no sanitizing.
 */
export type LineSafety = 'unknown' | 'printable' | 'plain';

export type LineHandlers = {
	line(text: string, known: LineSafety): void;
	/** A line longer than the limit was skipped; `bytes` is how long it was. */
	oversized(bytes: number): void;
};

/**
 * Splits a byte stream into lines. Lines are decoded only when complete, so a multi-byte character split
 * across chunks is never broken. A line over the limit is skipped while it streams past: at most the limit is
 * ever held. A line ends at LF, CRLF or a CR alone (old Mac files, some serial exporters); a UTF-8 BOM opening
 * any line is removed (`cat a.ndjson b.ndjson` where b was saved with one); blank lines are dropped. A line
 * handed on may be a slice of its chunk's decoded text, which it keeps alive: a handler that keeps lines
 * should copy them.
 */
export class LineSplitter {
	private parts: Buffer[] = [];
	private partBytes = 0;
	/** Bytes of the current over-long line seen so far; -1 when not skipping. */
	private skipped = -1;

	constructor(
		private readonly handlers: LineHandlers,
		private readonly maxLineBytes = defaultMaxLineBytes,
	) {}

	push(chunk: Buffer): void {
		// A CR is rare (CRLF or CR-only input): without one, every search is for LF alone, as fast as it gets.
		// A forward search to find out: memchr, faster than the backward one.
		const lastCr = chunk.indexOf(13) === -1 ? -1 : chunk.lastIndexOf(13);
		let start = 0;
		// A line begun in an earlier chunk (or being skipped) ends at this chunk's first line end. When that chunk
		// ended in the CR of a CRLF, this LF ends an empty line, which is dropped.
		if (this.partBytes > 0 || this.skipped >= 0) {
			const end = lastCr === -1 ? chunk.indexOf(10) : new LineEnds((code, from) => chunk.indexOf(code, from)).next(0);
			if (end === -1) {
				this.take(chunk, start, chunk.length, false);
				return;
			}

			this.take(chunk, start, end, true);
			start = end + 1;
		}

		const last = Math.max(chunk.lastIndexOf(10), lastCr);
		if (last >= start) {
			if (last - start <= this.maxLineBytes) {
				// No line in here can be over the limit: decode the complete lines in a few calls (a CR or LF byte is
				// never inside a multi-byte character) and cut the text, instead of one decode per line.
				if (lastCr >= start) this.emitPiece(chunk, start, last, true);
				else {
					// Pieces of at most about 64 KiB, cut at an LF: a longer string is allocated in V8's large-object
					// space, and decoding a file's 256 KiB chunks whole cost 6x as much as in 64 KiB pieces.
					while (last - start > decodePieceBytes) {
						const cut = pieceCut(chunk, start);
						this.emitPiece(chunk, start, cut, false);
						start = cut + 1;
					}

					this.emitPiece(chunk, start, last, false);
				}
			} else {
				// Not one loop shared with the trailing partial line below: that measured 3-13% slower (A/B).
				const ends = new LineEnds((code, from) => chunk.indexOf(code, from));
				while (start <= last) {
					const end = ends.next(start);
					this.take(chunk, start, end, true);
					start = end + 1;
				}
			}

			start = last + 1;
		}

		if (start < chunk.length) this.take(chunk, start, chunk.length, false);
	}

	/** The input ended: a last line without a newline still counts. */
	end(): void {
		if (this.skipped >= 0) this.finishSkip();
		else if (this.partBytes > 0) this.emit(Buffer.concat(this.parts, this.partBytes), 0, this.partBytes);
		this.parts = [];
		this.partBytes = 0;
	}

	private take(chunk: Buffer, start: number, end: number, complete: boolean): void {
		const length = end - start;
		if (this.skipped >= 0) {
			this.skipped += length;
			if (complete) this.finishSkip();
			return;
		}

		if (this.partBytes + length > this.maxLineBytes) {
			this.skipped = this.partBytes + length;
			this.parts = [];
			this.partBytes = 0;
			if (complete) this.finishSkip();
			return;
		}

		if (!complete) {
			// Copy: the caller may reuse the chunk's memory.
			this.parts.push(Buffer.from(chunk.subarray(start, end)));
			this.partBytes += length;
			return;
		}

		if (this.partBytes === 0) {
			this.emit(chunk, start, end);
			return;
		}

		this.parts.push(chunk.subarray(start, end));
		const whole = Buffer.concat(this.parts, this.partBytes + length);
		this.parts = [];
		this.partBytes = 0;
		this.emit(whole, 0, whole.length);
	}

	private finishSkip(): void {
		const bytes = this.skipped;
		this.skipped = -1;
		this.handlers.oversized(bytes);
	}

	/** The complete lines of chunk[start, end) (end: the last one's line end), decoded together. */
	private emitPiece(chunk: Buffer, start: number, end: number, withCr: boolean): void {
		// ASCII bytes decode to the same text as Latin-1, a plain copy.
		const ascii = isAscii(chunk.subarray(start, end));
		const text = chunk.toString(ascii ? 'latin1' : 'utf8', start, end);
		const known = ascii ? asciiSafety(chunk, start) : 'unknown';
		if (withCr) this.emitTextWithCr(text, known);
		else this.emitText(text, known);
	}

	/** Complete lines, decoded together and separated by LF. */
	private emitText(text: string, known: LineSafety): void {
		let start = 0;
		while (start <= text.length) {
			let end = text.indexOf('\n', start);
			if (end === -1) end = text.length;
			this.emitLine(text.slice(start, end), known);
			start = end + 1;
		}
	}

	/** Complete lines separated by LF, CRLF or CR. Inlined LineEnds: this runs for every line of CRLF input. */
	private emitTextWithCr(text: string, known: LineSafety): void {
		let start = 0;
		let lf = text.indexOf('\n');
		let cr = text.indexOf('\r');
		while (start <= text.length) {
			if (lf !== -1 && lf < start) lf = text.indexOf('\n', start);
			if (cr !== -1 && cr < start) cr = text.indexOf('\r', start);
			let end = cr === -1 || (lf !== -1 && lf < cr) ? lf : cr;
			if (end === -1) end = text.length;
			this.emitLine(text.slice(start, end), known);
			start = end === cr && lf === cr + 1 ? end + 2 : end + 1;
		}
	}

	private emitLine(text: string, known: LineSafety): void {
		// A UTF-8 BOM: removed here, once decoded, so it is found even when split across chunks.
		const first = text.charCodeAt(0);
		if (first === 0xfeff) text = text.slice(1);
		// A line that opens with a printable ASCII character is not blank: no trim() for nearly every line.
		else if (first > 0x20 && first < 0x7f) {
			this.handlers.line(text, known);
			return;
		}

		if (text === '' || text.trim() === '') return;
		this.handlers.line(text, known);
	}

	private emit(buffer: Buffer, start: number, end: number): void {
		if (end <= start) return;
		this.emitLine(buffer.toString('utf8', start, end), 'unknown');
	}
}

/**
 * Where a piece of text decoded from `bytes` at `start` ends: the last LF within 64 KiB of it, else the first LF
 * after (a longer line); -1 when no LF follows. Decoding in such pieces keeps each string out of V8's
 * large-object space (see push); an LF is never inside a multi-byte character.
 */
export function pieceCut(bytes: Buffer, start: number): number {
	const cut = bytes.lastIndexOf(10, start + decodePieceBytes);
	return cut >= start ? cut : bytes.indexOf(10, start + decodePieceBytes);
}

/**
 * A copy of `line` of its own, for a handler that keeps it: a line handed on is a slice of its chunk's decoded
 * text (64 KiB), and keeping the slice keeps the whole chunk alive, which the garbage collector then copies
 * from the young generation to the old one. Joined to a character and cut again: V8 flattens the join into a new
 * string of the line's length, and the cut refers to that string alone.
 */
export function ownLine(line: string): string {
	return ` ${line}`.slice(1);
}

/**
 * What every line of an ASCII stretch of `chunk` from `start` is known to be (see LineSafety). A TAB, DEL or
 * backslash found after the stretch only costs the faster answer: the answer is never wrong.
 */
function asciiSafety(chunk: Buffer, start: number): LineSafety {
	if (chunk.indexOf(9, start) !== -1 || chunk.indexOf(0x7f, start) !== -1) return 'unknown';
	return chunk.indexOf(0x5c, start) === -1 ? 'plain' : 'printable';
}

/**
 * The next line end (LF or CR) at or after a position, for positions that only grow. Where the next of each
 * is found is remembered, so nothing is searched twice: one CR far after many LF lines (or the reverse) does
 * not make it quadratic.
 */
class LineEnds {
	private lf = -2; // -2: not searched yet; -1: none left
	private cr = -2;

	constructor(private readonly find: (code: 10 | 13, from: number) => number) {}

	next(from: number): number {
		if (this.lf !== -1 && this.lf < from) this.lf = this.find(10, from);
		if (this.cr !== -1 && this.cr < from) this.cr = this.find(13, from);
		return this.cr === -1 || (this.lf !== -1 && this.lf < this.cr) ? this.lf : this.cr;
	}
}
