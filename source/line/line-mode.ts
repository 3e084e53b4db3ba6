import {onExitSignal, signalExitCode} from '../exit-signals.js';
import type {Feed, SourceStatus} from '../feed/feed.js';
import type {LineSafety} from '../feed/line-splitter.js';
import {Ingest} from '../feed/ingest.js';
import {eventJson} from '../feed/message-text.js';
import type {MonitorEvent} from '../model/event.js';
import {jsonLine, sanitize} from '../model/sanitize.js';
import {filterQuery, type FilterState} from '../query/filter-state.js';
import {compileQuery, Vocabulary} from '../query/index.js';
import {EventStore} from '../store/event-store.js';
import type {GroupField} from '../store/group-fields.js';
import {GroupTable} from '../store/groups.js';
import {groupReport} from './group-report.js';
import {LineOutput} from './line-output.js';
import {LineStore} from './line-store.js';

export type LineModeOptions = {
	/** `groups`: print nothing per event, and at the end one JSON object per group of `groupBy`. */
	format: 'plain' | 'json' | 'summary' | 'groups';
	groupBy?: readonly GroupField[];
	maxGroups?: number;
	/** Counted in events that pass the filter. */
	limit?: number;
	filter?: FilterState;
	out?: NodeJS.WritableStream;
	err?: NodeJS.WritableStream;
};

/**
 * What a format prints (lines, without their newline): one per event as it passes, and last words when reading
 * ends, however it ends (end of input, --limit, a signal): the summary of everything read.
 */
type Printer = {
	/** `text`: the input line, when it holds exactly the event's fields; `known`: what is known of its characters. */
	event(event: MonitorEvent, text: string | undefined, known: LineSafety): string | undefined;
	/** Whether the line event() made of these is known to be ASCII (see LineOutput.writeLine). */
	ascii?(text: string | undefined, known: LineSafety): boolean;
	end(): string | undefined;
};

/** The printer of --group-by, --json or --plain (--summary's is summaryPrinter). */
async function printerFor(options: LineModeOptions, err: NodeJS.WritableStream): Promise<Printer> {
	const {format} = options;
	if (format === 'groups') {
		// Each event that passes goes into its group; the groups are the last words, most frequent first.
		const table = new GroupTable(options.groupBy ?? [], options.maxGroups);
		return {
			event(event) {
				table.add(event);
				return undefined;
			},
			end() {
				if (table.dropped > 0) err.write(`armorwatch: ${table.dropped} groups left out, the least recently seen (--max-groups ${table.maxGroups})\n`);
				return table.size > 0 ? groupReport(table).trimEnd() : undefined;
			},
		};
	}

	if (format === 'json') {
		return {
			// The line as it came when it is already the event's JSON (and safe for a terminal): serializing the
			// event again cost as much as parsing it.
			event: (event, text, known) => eventJson(event.fields, text, known),
			// The line as read, from a chunk of ASCII.
			ascii: (text, known) => text !== undefined && known !== 'unknown',
			end: () => undefined,
		};
	}

	// Only plain lines need the formatter: its string-width starts a grapheme segmenter (~30 ms) --json and
	// --summary skip.
	const {plainLine} = await import('../ui/format.js');
	// From a line with nothing escaped, every string is printable ASCII: nothing to sanitize.
	return {
		event: (event, _text, known) => plainLine(event, known === 'plain'),
		ascii: (_text, known) => known === 'plain',
		end: () => undefined,
	};
}

/** --summary: nothing per event, and at the end the counts of `store`. */
function summaryPrinter(store: EventStore): Printer {
	return {
		event: () => undefined,
		// The store counted what was taken (the limit stops it taking more); with a filter, its view counted the
		// matches. Malformed input is counted either way.
		end: () => jsonLine({...(store.view.counters ?? store.counters).summary(), malformed: store.counters.malformed}),
	};
}

/**
 * For pipes and scripts: print each event as it arrives (plain or JSON), or read everything and print a
 * summary. Resolves with the exit code once every source has ended, the limit is reached, the reader of stdout
 * left or a signal came, and everything printed has reached the reader.
 */
export async function runLineMode(feeds: Feed[], options: LineModeOptions): Promise<number> {
	const out = options.out ?? process.stdout;
	const err = options.err ?? process.stderr;
	const query = options.filter ? filterQuery(options.filter) : '';
	// A vocabulary of terms for typo-tolerant words, without packed chunks of retained events (there are none).
	const compiled = compileQuery(query, new Vocabulary());
	if (!compiled.ok) throw new Error(compiled.error);
	// Line mode prints or counts each event as it passes and keeps none (8,000 events of 1 MB kept 2.7 GB). Only
	// the summary needs a store: its counters, and its view's counters over the matches (the view tests each
	// event once as it arrives). The other formats test the filter here.
	const summary = options.format === 'summary' ? new EventStore({maxEvents: 1}) : undefined;
	summary?.setFilter(compiled.predicate);
	const store = summary ?? new LineStore();
	let matched = 0;
	const passes: (event: MonitorEvent) => boolean = summary
		? () => summary.view.matchedTotal > matched
		: (compiled.predicate ?? (() => true));
	const limit = options.limit ?? Number.POSITIVE_INFINITY;
	const printer = summary ? summaryPrinter(summary) : await printerFor(options, err);

	const stopReading = () => {
		ingest.stop();
		for (const feed of feeds) feed.stop();
	};

	// A paused pipe pauses the sources; the reader leaving (`| head`) or a failed write stops them.
	const output = new LineOutput(out, {
		pause() {
			for (const feed of feeds) feed.pause();
		},
		resume() {
			for (const feed of feeds) feed.resume();
		},
		stop: stopReading,
	});

	const ingest = new Ingest(store, {
		// Nothing shows an event's line as read (the screen's raw view does): no copy of it.
		keepRaw: false,
		onEvent(event, text, known) {
			if (!passes(event)) return;
			matched++;
			const line = printer.event(event, text, known);
			if (line !== undefined) output.writeLine(line, printer.ascii?.(text, known));
			// What the feeds still deliver after this (the rest of their chunk) is not taken.
			if (matched >= limit) stopReading();
		},
		onMalformed(message) {
			err.write(`armorwatch: ${sanitize(message)}\n`);
		},
		onStatus(status, previous) {
			const message = statusNotice(status, previous);
			if (message) err.write(`armorwatch: ${sanitize(status.label)}: ${sanitize(message)}\n`);
		},
	});

	// SIGINT, SIGTERM, SIGHUP: stop reading and print what was read, as at the end of input.
	let signalled: NodeJS.Signals | undefined;
	const removeSignalHandlers = onExitSignal(signal => {
		signalled = signal;
		stopReading();
	});
	try {
		for (const feed of feeds) feed.start(ingest);
		await Promise.all(feeds.map(async feed => feed.done));
		const last = printer.end();
		if (last !== undefined) output.writeLine(last);
		await output.finish();
	} finally {
		removeSignalHandlers();
		summary?.close();
	}

	if (output.failure) {
		err.write(`armorwatch: cannot write to stdout: ${output.failure}\n`);
		return 1;
	}

	let code = signalled ? signalExitCode(signalled) : 0;
	for (const status of store.sources.values()) {
		if (status.state !== 'failed') continue;
		err.write(`armorwatch: ${sanitize(status.label)}: ${sanitize(status.detail ?? 'failed')}\n`);
		code ||= 1;
	}

	return code;
}

/**
 * What a script's stderr should hear while sources run, as tail -F and curl say it: a followed file truncated or
 * replaced, a connection lost (once per loss, with the reason and the retry). Not the header's every-second
 * countdowns and message counts; failures are reported once, at the end.
 */
export function statusNotice(status: SourceStatus, previous: SourceStatus | undefined): string | undefined {
	if (status.state === 'reconnecting' && previous?.state !== 'reconnecting') return `reconnecting ${status.detail ?? ''}`.trim();
	// A followed file says something only when it happens (truncated, replaced): each such status is news.
	if (status.state === 'following' && status.detail) return status.detail;
	// A warning that appears or changes (TLS verification off, messages a NATS server dropped) is news too.
	if (status.warning && status.warning !== previous?.warning) return status.warning;
	return undefined;
}
