import type {Feed} from '../feed/feed.js';
import {Ingest} from '../feed/ingest.js';
import {jsonLine, sanitize} from '../model/sanitize.js';
import {EventStore} from '../store/event-store.js';
import {plainLine} from '../ui/format.js';

export type LineModeOptions = {
	format: 'plain' | 'json' | 'summary';
	limit?: number;
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
	// Line mode prints events as they pass; it needs no history.
	const store = new EventStore({maxEvents: 1024});
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

	const ingest = new Ingest(store, {
		limit: options.limit,
		onLimit: stopAll,
		onEvent(event) {
			if (closed || options.format === 'summary') return;
			out.write((options.format === 'json' ? jsonLine(event.fields) : plainLine(event)) + '\n');
		},
		onMalformed(message) {
			err.write(`armorwatch: ${sanitize(message)}\n`);
		},
	});

	for (const feed of feeds) feed.start(ingest);
	await Promise.all(feeds.map(async feed => feed.done));

	if (options.format === 'summary' && !closed) out.write(jsonLine(store.counters.summary()) + '\n');
	let code = 0;
	for (const status of store.sources.values()) {
		if (status.state !== 'failed') continue;
		err.write(`armorwatch: ${sanitize(status.label)}: ${sanitize(status.detail ?? 'failed')}\n`);
		code = 1;
	}

	return code;
}
