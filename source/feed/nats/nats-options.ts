// The command line's NATS part: credentials, history (--last / --since / --stream) and `publish` (--to,
// --subject-prefix, --stream, --max-age, --max-bytes), checked together so a wrong mix gets one clear message.

import {sanitize} from '../../model/sanitize.js';
import {parseDuration, parseSince} from './durations.js';
import type {HistoryRequest} from './history.js';
import {isNatsUrl, NatsConfigError, parseNatsUrl} from './nats-url.js';
import {defaultSubjectPrefix, subjectProblem} from './subjects.js';

export type NatsSettings = {
	/** `--nats-token` or ARMORWATCH_NATS_TOKEN. */
	token?: string;
	/** `--nats-creds FILE`. */
	credsFile?: string;
	/** The monitor: replay before going live. */
	history?: HistoryRequest;
	/** `publish`: where to, the subjects' first part, and the stream for history. */
	to?: string;
	subjectPrefix: string;
	stream?: {name: string; maxAgeMs?: number; maxBytes?: number};
};

/** The flags as meow parsed them (strings); maxBytes already turned into bytes by the caller. */
export type NatsFlags = {
	natsToken?: string;
	natsCreds?: string;
	last?: string;
	since?: string;
	stream?: string;
	to?: string;
	subjectPrefix?: string;
	maxAge?: string;
	maxBytes?: number;
};

export function parseNatsOptions(
	flags: NatsFlags,
	context: {publishing: boolean; sources: string[]; env: NodeJS.ProcessEnv; now?: number},
): NatsSettings | {error: string} {
	if (flags.natsToken === '') return {error: '--nats-token needs a value'};
	const settings: NatsSettings = {
		token: flags.natsToken ?? (context.env['ARMORWATCH_NATS_TOKEN'] || undefined),
		credsFile: flags.natsCreds,
		subjectPrefix: defaultSubjectPrefix,
	};

	for (const source of context.sources.filter(source => isNatsUrl(source))) {
		try {
			parseNatsUrl(source);
		} catch (error) {
			if (error instanceof NatsConfigError) return {error: error.message};
			throw error;
		}
	}

	return context.publishing ? publishSettings(flags, settings) : watchSettings(flags, settings, context);
}

function watchSettings(flags: NatsFlags, settings: NatsSettings, context: {sources: string[]; now?: number}): NatsSettings | {error: string} {
	for (const name of ['to', 'subjectPrefix', 'maxAge', 'maxBytes'] as const) {
		if (flags[name] !== undefined) return {error: `--${kebab(name)} is for \`armorwatch publish\``};
	}

	if (flags.last === undefined && flags.since === undefined) {
		if (flags.stream !== undefined) return {error: '--stream names the stream --last or --since replays from (or, with publish, the one to create)'};
		return settings;
	}

	if (flags.last !== undefined && flags.since !== undefined) return {error: 'choose one of --last and --since'};
	if (!context.sources.some(source => isNatsUrl(source))) {
		return {error: '--last and --since replay history from NATS JetStream: give a nats:// source'};
	}

	const history: HistoryRequest = {};
	if (flags.stream !== undefined) {
		const problem = streamNameProblem(flags.stream);
		if (problem) return {error: problem};
		history.stream = flags.stream;
	}

	if (flags.last !== undefined) {
		if (!/^\d+$/.test(flags.last) || Number(flags.last) < 1 || !Number.isSafeInteger(Number(flags.last))) {
			return {error: `--last needs a whole number above 0, got "${sanitize(flags.last)}"`};
		}

		history.last = Number(flags.last);
	} else {
		const since = parseSince(flags.since!, context.now);
		if ('error' in since) return since;
		history.since = since.since;
	}

	return {...settings, history};
}

function publishSettings(flags: NatsFlags, settings: NatsSettings): NatsSettings | {error: string} {
	if (flags.last !== undefined || flags.since !== undefined) return {error: '--last and --since are for watching; publish sends what its sources read'};
	if (flags.to === undefined) return {error: 'publish needs --to nats://HOST[:PORT]'};
	try {
		parseNatsUrl(flags.to);
	} catch (error) {
		if (error instanceof NatsConfigError) return {error: `--to: ${error.message}`};
		throw error;
	}

	if (/^[a-z]+:\/\/[^/]*\/[^/]/i.test(flags.to.trim())) {
		return {error: `--to takes no subject: each event goes on ${flags.subjectPrefix ?? defaultSubjectPrefix}.<alert|log>.<cluster>.<namespace>.<operation> (--subject-prefix changes the first part)`};
	}

	const prefix = flags.subjectPrefix ?? defaultSubjectPrefix;
	const problem = subjectProblem(prefix, false);
	if (problem) return {error: `--subject-prefix ${JSON.stringify(sanitize(prefix))}: ${problem}`};
	if ((flags.maxAge !== undefined || flags.maxBytes !== undefined) && flags.stream === undefined) {
		return {error: '--max-age and --max-bytes set the limits of the stream --stream NAME creates'};
	}

	let stream: NatsSettings['stream'];
	if (flags.stream !== undefined) {
		const problem = streamNameProblem(flags.stream);
		if (problem) return {error: problem};
		stream = {name: flags.stream};
		if (flags.maxAge !== undefined) {
			const ms = parseDuration(flags.maxAge);
			if (ms === undefined) return {error: `--max-age needs a duration like 24h or 7d, got "${sanitize(flags.maxAge)}"`};
			stream.maxAgeMs = ms;
		}

		if (flags.maxBytes !== undefined) stream.maxBytes = flags.maxBytes;
	}

	return {...settings, to: flags.to, subjectPrefix: prefix, ...(stream ? {stream} : {})};
}

function streamNameProblem(name: string): string | undefined {
	if (/^[^\s.*>/\\]+$/.test(name)) return undefined;
	return `--stream ${JSON.stringify(sanitize(name))}: a stream name holds no spaces, dots, *, >, / or \\`;
}

function kebab(name: string): string {
	return name.replaceAll(/[A-Z]/g, c => `-${c.toLowerCase()}`);
}
