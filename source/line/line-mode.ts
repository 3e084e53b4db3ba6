import type {Feed, SourceStatus} from '../feed/feed.js';
import {Ingest} from '../feed/ingest.js';
import {jsonLine, sanitize} from '../model/sanitize.js';
import {filterQuery, type FilterState} from '../query/filter-state.js';
import {compileQuery, Vocabulary} from '../query/index.js';
import {Counters} from '../store/counters.js';
import {EventStore} from '../store/event-store.js';

export type LineModeOptions = {
	format: 'plain' | 'json' | 'summary';
	/** Counted in events that pass the filter. */
	limit?: number;
	filter?: FilterState;
	out?: NodeJS.WritableStream;
	err?: NodeJS.WritableStream;
};

/**
 * For pipes and scripts: print each event as it arrives (plain or JSON), or read everything and print a
 * summary. Resolves with the exit code once every source has ended or the limit is reached.
 */
export async function runLineMode(feeds: Feed[], options: LineModeOptions): Promise<number> {
	const out = options.out ?? process.stdout;
	const err = options.err ?? process.stderr;
	// Only plain lines need the formatter: its string-width starts a grapheme segmenter (~30 ms) --json and --summary skip.
	const plainLine = options.format === 'plain' ? (await import('../ui/format.js')).plainLine : () => '';
	// Line mode prints events as they pass; it needs no history.
	const store = new EventStore({maxEvents: 1024});
	const query = options.filter ? filterQuery(options.filter) : '';
	const compiled = compileQuery(query, new Vocabulary({source: store.events}));
	if (!compiled.ok) throw new Error(compiled.error);
	// The store's view tests each event once as it arrives and keeps counters over the matches.
	store.setFilter(compiled.predicate);
	const limit = options.limit ?? Number.POSITIVE_INFINITY;
	let closed = false;
	const stopAll = () => {
		for (const feed of feeds) feed.stop();
	};

	out.on('error', (error: NodeJS.ErrnoException) => {
		// `armorwatch ... | head`: the reader left; stop quietly.
		if (error.code === 'EPIPE') {
			closed = true;
			stopAll();
		}
	});

	// What this run reports: the events that pass the filter, up to the limit (events already on their way
	// when the limit is reached are not counted).
	const accepted = new Counters();
	let matchedBefore = 0;
	const ingest = new Ingest(store, {
		onEvent(event) {
			const matched = store.view.matchedTotal !== matchedBefore; // the view tested the event as it was stored
			matchedBefore = store.view.matchedTotal;
			if (!matched || closed || accepted.events >= limit) return;
			accepted.add(event);
			if (options.format !== 'summary') out.write((options.format === 'json' ? jsonLine(event.fields) : plainLine(event)) + '\n');
			if (accepted.events >= limit) stopAll();
		},
		onMalformed(message) {
			err.write(`armorwatch: ${sanitize(message)}\n`);
		},
		onStatus(status, previous) {
			const message = statusNotice(status, previous);
			if (message) err.write(`armorwatch: ${sanitize(status.label)}: ${sanitize(message)}\n`);
		},
	});

	for (const feed of feeds) feed.start(ingest);
	await Promise.all(feeds.map(async feed => feed.done));

	if (options.format === 'summary' && !closed) {
		// Only what matches is counted; malformed input is counted either way.
		out.write(jsonLine({...accepted.summary(), malformed: store.counters.malformed}) + '\n');
	}

	let code = 0;
	for (const status of store.sources.values()) {
		if (status.state !== 'failed') continue;
		err.write(`armorwatch: ${sanitize(status.label)}: ${sanitize(status.detail ?? 'failed')}\n`);
		code = 1;
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
	return undefined;
}
