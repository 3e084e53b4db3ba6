// History from JetStream: which stream holds a subject and where `--last N` starts in it. The replay itself is
// an ordered consumer (replay.ts); `--since` is read in durations.ts.

import type {JetStreamManager} from '@nats-io/jetstream';
import {sanitize} from '../../model/sanitize.js';
import {NatsPermanentError} from './nats-link.js';
import {subjectCovers} from './subjects.js';

/** `--last N` / `--since T` / `--stream NAME`. */
export type HistoryRequest = {
	last?: number;
	/** ms since the epoch. */
	since?: number;
	stream?: string;
};

/** Which stream to replay `subject` from: the named one, or the only one whose subjects cover it. */
export async function findStream(jsm: JetStreamManager, subject: string, named?: string): Promise<string> {
	if (named !== undefined) {
		let subjects: string[];
		try {
			subjects = (await jsm.streams.info(named)).config.subjects ?? [];
		} catch (error) {
			throw historyError(error, `no JetStream stream is named ${sanitize(named)}`);
		}

		if (!subjects.some(pattern => subjectCovers(pattern, subject))) {
			throw new NatsPermanentError(
				`stream ${sanitize(named)} holds ${describeSubjects(subjects)}, not all of ${sanitize(subject)}: name a narrower subject in the URL`,
			);
		}

		return named;
	}

	const candidates: string[] = [];
	try {
		for await (const name of jsm.streams.names(subject)) candidates.push(name);
	} catch (error) {
		throw historyError(error, undefined);
	}

	const covering: string[] = [];
	const partial: string[] = [];
	for (const name of candidates.sort()) {
		const subjects = (await jsm.streams.info(name)).config.subjects ?? [];
		(subjects.some(pattern => subjectCovers(pattern, subject)) ? covering : partial).push(name);
	}

	if (covering.length === 1) return covering[0]!;
	if (covering.length > 1) {
		throw new NatsPermanentError(`streams ${covering.map(name => sanitize(name)).join(', ')} all hold ${sanitize(subject)}: choose one with --stream NAME`);
	}

	const hint = 'create one with `armorwatch publish ... --stream NAME --max-age 24h`, or name one with --stream';
	if (partial.length > 0) {
		throw new NatsPermanentError(
			`no JetStream stream holds all of ${sanitize(subject)} (${partial.map(name => sanitize(name)).join(', ')} hold part of it: name a narrower subject, or ${hint})`,
		);
	}

	throw new NatsPermanentError(`no JetStream stream holds ${sanitize(subject)}: ${hint}`);
}

/**
 * The stream sequence where the last `last` messages on `subject` begin. When the subject takes in the whole
 * stream and nothing was deleted from its middle, that is plain arithmetic; otherwise a binary search over start
 * sequences, each probe a consumer the server counts for (num_pending) and that is deleted at once.
 */
export async function lastStartSequence(jsm: JetStreamManager, stream: string, subject: string, last: number): Promise<number> {
	const info = await jsm.streams.info(stream);
	const {first_seq: first, last_seq: lastSeq, messages} = info.state;
	if (messages === 0) return lastSeq + 1;
	const whole = (info.config.subjects ?? []).every(pattern => subjectCovers(subject, pattern));
	if (whole && !info.state.num_deleted) return Math.max(first, lastSeq - last + 1);

	const pendingFrom = async (sequence: number): Promise<number> => {
		const probe = await jsm.consumers.add(stream, {
			filter_subject: subject,
			deliver_policy: 'by_start_sequence',
			opt_start_seq: sequence,
			ack_policy: 'none',
			mem_storage: true,
			num_replicas: 1,
			// Gone by itself if this process dies before deleting it.
			inactive_threshold: 10_000_000_000,
		});
		await jsm.consumers.delete(stream, probe.name).catch(() => undefined);
		return probe.num_pending;
	};

	if ((await pendingFrom(first)) <= last) return first;
	// The largest start whose pending count still reaches `last`: pending only falls as the start moves up.
	let low = first;
	let high = lastSeq;
	while (low < high) {
		const middle = Math.floor((low + high + 1) / 2);
		if ((await pendingFrom(middle)) >= last) low = middle;
		else high = middle - 1;
	}

	return low;
}

/** A JetStream API error in words; permanent when retrying cannot help. */
export function historyError(error: unknown, notFound: string | undefined): Error {
	const name = (error as Error)?.constructor?.name;
	const message = (error as Error)?.message ?? String(error);
	if (name === 'JetStreamNotEnabled' || /jetstream (is )?not enabled/i.test(message)) {
		return new NatsPermanentError('the server has no JetStream, so no history (start nats-server with -js, or drop --last/--since)');
	}

	if (notFound && (name === 'StreamNotFoundError' || /stream not found/i.test(message))) return new NatsPermanentError(notFound);
	return error instanceof Error ? error : new Error(String(error));
}

function describeSubjects(subjects: string[]): string {
	return subjects.length === 0 ? 'no subjects' : subjects.map(subject => sanitize(subject)).join(', ');
}
