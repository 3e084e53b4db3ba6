import type {Feed} from '../feed/feed.js';
import {Ingest} from '../feed/ingest.js';
import type {MonitorEvent} from '../model/event.js';
import {sanitize} from '../model/sanitize.js';
import {filterQuery, type FilterState} from '../query/filter-state.js';
import {compileQuery, Vocabulary} from '../query/index.js';
import {EventStore} from '../store/event-store.js';
import {draftPolicy, type PolicyAction} from './policy-draft.js';

export type PolicyCommandOptions = {
	filter?: FilterState;
	/** The policy's action; the event's own by default. */
	action?: PolicyAction;
	out?: NodeJS.WritableStream;
	err?: NodeJS.WritableStream;
};

/**
 * `armorwatch policy SOURCE... [filters]`: read until the first event that matches, stop every source, and print
 * a KubeArmor policy drafted from it as YAML. Exit 1, saying why, when nothing matches or it cannot be drafted.
 */
export async function runPolicy(feeds: Feed[], options: PolicyCommandOptions): Promise<number> {
	const out = options.out ?? process.stdout;
	const err = options.err ?? process.stderr;
	const store = new EventStore({maxEvents: 16});
	const query = options.filter ? filterQuery(options.filter) : '';
	const compiled = compileQuery(query, new Vocabulary({source: store.events}));
	if (!compiled.ok) throw new Error(compiled.error);
	store.setFilter(compiled.predicate);

	let found: MonitorEvent | undefined;
	let matchedBefore = 0;
	const ingest = new Ingest(store, {
		onEvent(event) {
			const matched = store.view.matchedTotal !== matchedBefore; // the view tested the event as it was stored
			matchedBefore = store.view.matchedTotal;
			// Events already on their way when the first match stopped the sources are not looked at.
			if (!matched || found) return;
			found = event;
			for (const feed of feeds) feed.stop();
		},
	});
	for (const feed of feeds) feed.start(ingest);
	await Promise.all(feeds.map(async feed => feed.done));

	for (const status of store.sources.values()) {
		if (status.state === 'failed') err.write(`armorwatch: ${sanitize(status.label)}: ${sanitize(status.detail ?? 'failed')}\n`);
	}

	if (!found) {
		const read = store.counters.events;
		const what = query ? `none of the ${read} events read matches ${query}` : `no event was read`;
		const malformed = store.counters.malformed > 0 ? ` (${store.counters.malformed} lines were not events)` : '';
		err.write(`armorwatch: ${sanitize(what)}${malformed}\n`);
		return 1;
	}

	const draft = draftPolicy(found, options.action);
	if (!draft.ok) {
		err.write(`armorwatch: ${sanitize(draft.reason)} (event #${found.seq} of ${sanitize(found.source)})\n`);
		return 1;
	}

	// The YAML quotes and escapes what it carries from the event; the text goes to a pipe or a file as it is.
	await new Promise<void>(resolve => {
		out.write(draft.yaml, () => resolve());
	});
	return 0;
}
