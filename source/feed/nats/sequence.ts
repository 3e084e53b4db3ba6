// Counting what the server dropped. A NATS server does not queue for a subscriber that falls behind: it closes
// the connection (a "slow consumer") and what was on its way is gone, without a word to the client. So
// `armorwatch publish` numbers the messages of each subject, per publisher, in one header, and the monitor
// counts the numbers it never saw. Per subject, because a watcher of `kubearmor.alert.prod.>` sees every message
// of the subjects it matches and none of the others, so only a gap within one subject is a loss.

export const sequenceHeader = 'Armorwatch-Seq';

const maxPublishers = 1000;

/** The header's value: `<number> <publisher id>`. */
export function sequenceValue(sequence: number, publisher: string): string {
	return `${sequence} ${publisher}`;
}

export class SequenceGaps {
	/** Messages never seen between ones that were. */
	missed = 0;
	private readonly last = new Map<string, Map<string, number>>();

	/** One message on `subject` with the header's value; returns how many went missing just before it. */
	note(subject: string, value: string): number {
		const space = value.indexOf(' ');
		if (space <= 0) return 0;
		const sequence = Number(value.slice(0, space));
		if (!Number.isSafeInteger(sequence) || sequence < 1) return 0;
		const publisher = value.slice(space + 1);
		let subjects = this.last.get(publisher);
		if (subjects === undefined) {
			subjects = new Map();
			this.last.set(publisher, subjects);
			// Each restart of a publisher has a new id: forget the oldest rather than grow without end.
			if (this.last.size > maxPublishers) this.last.delete(this.last.keys().next().value!);
		}

		const previous = subjects.get(subject);
		// A number at or below the last one is a repeat (two subscriptions that overlap): nothing missed.
		if (previous !== undefined && sequence <= previous) return 0;
		subjects.set(subject, sequence);
		const gap = previous === undefined ? 0 : sequence - previous - 1;
		this.missed += gap;
		return gap;
	}
}
