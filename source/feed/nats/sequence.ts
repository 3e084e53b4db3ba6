// Counting what the server dropped. A NATS server does not queue for a subscriber that falls behind: it closes
// the connection (a "slow consumer") and what was on its way is gone, without a word to the client. So
// `armorwatch publish` numbers the messages of each subject, per publisher, in one header, and the monitor
// counts the numbers it never saw. Per subject, because a watcher of `kubearmor.alert.prod.>` sees every message
// of the subjects it matches and none of the others, so only a gap within one subject is a loss.

export const sequenceHeader = 'Armorwatch-Seq';

const maxPublishers = 1000;
/**
 * (publisher, subject) numbers remembered, at most, so hostile subjects cannot grow the monitor without end.
 * Past it all are forgotten: a subject's next message then starts it again, a gap missed at worst, never a false one.
 */
const maxRememberedSubjects = 100_000;

/** The header's value: `<number> <publisher id>`. */
export function sequenceValue(sequence: number, publisher: string): string {
	return `${sequence} ${publisher}`;
}

/** The whole header block of a message carrying only the sequence header, as the protocol has it (HPUB). */
export function sequenceHeaderText(value: string): string {
	return `NATS/1.0\r\n${sequenceHeader}: ${value}\r\n\r\n`;
}

export function sequenceHeaderBlock(value: string): Buffer {
	return Buffer.from(sequenceHeaderText(value), 'latin1');
}

const headerLine = Buffer.from(`\r\n${sequenceHeader}:`, 'latin1');

/**
 * The sequence header's value in a raw header block (`NATS/1.0\r\nName: value\r\n...`), or undefined. The
 * client's own parsing builds a map of every header per message, which costs a fifth of ingesting an event;
 * this finds the one line. Header names are case-insensitive, but publish writes exactly this one.
 */
export function findSequenceHeader(block: Uint8Array): string | undefined {
	const bytes = Buffer.isBuffer(block) ? block : Buffer.from(block.buffer, block.byteOffset, block.byteLength);
	const at = bytes.indexOf(headerLine);
	if (at === -1) return undefined;
	const start = at + headerLine.length;
	const end = bytes.indexOf(13, start);
	return bytes.toString('latin1', start, end === -1 ? bytes.length : end).trim();
}

export class SequenceGaps {
	/** Messages never seen between ones that were. */
	missed = 0;
	private readonly last = new Map<string, Map<string, number>>();
	/** Entries in all of last's maps. */
	private remembered = 0;

	constructor(private readonly maxSubjects = maxRememberedSubjects) {}

	/** One message on `subject` with the header's value; returns how many went missing just before it. */
	note(subject: string, value: string): number {
		const space = value.indexOf(' ');
		if (space <= 0) return 0;
		const sequence = Number(value.slice(0, space));
		if (!Number.isSafeInteger(sequence) || sequence < 1) return 0;
		return this.count(subject, sequence, value.slice(space + 1));
	}

	/**
	 * note() for a message's raw header block, bytes[0, end): the same answer, but publish's plain `<digits> <id>`
	 * is read from the bytes, without the four strings findSequenceHeader() and note() make (together with the
	 * subject's decoding, a tenth of ingesting an event). Anything else goes their way. `message.subject` is read
	 * only when the header is there.
	 */
	noteBlock(message: {readonly subject: string}, bytes: Buffer, end: number): number {
		const at = bytes.indexOf(headerLine);
		if (at === -1 || at + headerLine.length > end) return 0;
		const start = at + headerLine.length;
		let lineEnd = bytes.indexOf(13, start);
		if (lineEnd === -1 || lineEnd > end) lineEnd = end;
		let index = start;
		while (index < lineEnd && bytes[index] === 32) index++;
		const digits = index;
		let sequence = 0;
		// At most 15 digits: always a safe integer (a 16th is not a digit below, so it goes the slow way).
		while (index < lineEnd && index - digits < 15 && bytes[index]! >= 48 && bytes[index]! <= 57) sequence = sequence * 10 + bytes[index++]! - 48;
		const last = bytes[lineEnd - 1]!;
		// What trim() would take off the end (CR cannot be there), or no number, space and id: the slow way.
		if (index === digits || index + 1 >= lineEnd || bytes[index] !== 32 || last <= 32 || last === 0xa0) {
			const value = findSequenceHeader(bytes.subarray(0, end));
			return value ? this.note(message.subject, value) : 0;
		}

		if (sequence < 1) return 0;
		return this.count(message.subject, sequence, bytes.toString('latin1', index + 1, lineEnd));
	}

	private count(subject: string, sequence: number, publisher: string): number {
		let subjects = this.last.get(publisher);
		if (subjects === undefined) {
			subjects = new Map();
			this.last.set(publisher, subjects);
			// Each restart of a publisher has a new id: forget the oldest rather than grow without end.
			if (this.last.size > maxPublishers) {
				const oldest = this.last.keys().next().value!;
				this.remembered -= this.last.get(oldest)!.size;
				this.last.delete(oldest);
			}
		}

		const previous = subjects.get(subject);
		// A number at or below the last one is a repeat (two subscriptions that overlap): nothing missed.
		if (previous !== undefined && sequence <= previous) return 0;
		if (previous === undefined && ++this.remembered > this.maxSubjects) {
			for (const numbers of this.last.values()) numbers.clear();
			this.remembered = 1;
		}

		subjects.set(subject, sequence);
		const gap = previous === undefined ? 0 : sequence - previous - 1;
		this.missed += gap;
		return gap;
	}
}
