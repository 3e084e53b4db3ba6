import {readFileSync} from 'node:fs';
import {onExitSignal} from '../exit-signals.js';
import type {Feed} from '../feed/feed.js';
import {Ingest} from '../feed/ingest.js';
import {stderrLine} from '../messages.js';
import {sanitize} from '../model/sanitize.js';
import type {ServeSettings} from '../options.js';
import {EventStore} from '../store/event-store.js';
import {EventHub} from './event-hub.js';
import {startServer, type CompileFilter} from './serve.js';

export type RunServeOptions = ServeSettings & {
	cert?: string;
	key?: string;
	compileFilter?: CompileFilter;
	err?: NodeJS.WritableStream;
};

/** `armorwatch serve`: read the sources and broadcast every event to WebSocket clients until a signal. */
export async function runServe(feeds: Feed[], options: RunServeOptions): Promise<number> {
	const err = options.err ?? process.stderr;
	const log = (line: string) => err.write(stderrLine(line));
	// The server needs no history: clients get what arrives while they are connected.
	const store = new EventStore({maxEvents: 1024});
	const hub = new EventHub();
	const ingest = new Ingest(store, {
		onEvent: hub.publish,
		onMalformed(message) {
			log(sanitize(message));
		},
	});

	const server = await startServer({
		subscribe: hub.subscribe,
		host: options.host,
		port: options.port,
		token: options.token,
		cert: options.cert ? readFileSync(options.cert) : undefined,
		key: options.key ? readFileSync(options.key) : undefined,
		maxClients: options.maxClients,
		compileFilter: options.compileFilter,
		log,
	});
	log(`serving ${feeds.map(feed => sanitize(feed.label)).join(', ')} on ${server.address.url} (GET /healthz for status)`);

	// Source state changes are worth a log line too: a relay that drops, a file that ended.
	let lastStates = '';
	const unsubscribe = store.subscribe(() => {
		const states = [...store.sources.values()].map(s => `${sanitize(s.label)} ${s.state}${s.detail ? ` (${sanitize(s.detail)})` : ''}`).join(', ');
		if (states !== lastStates) log(`source: ${states}`);
		lastStates = states;
	});

	for (const feed of feeds) feed.start(ingest);
	let removeSignalHandlers = () => {};
	await new Promise<void>(resolve => {
		removeSignalHandlers = onExitSignal(() => {
			resolve();
		});
	});
	log('shutting down');
	unsubscribe();
	for (const feed of feeds) feed.stop();
	store.close();
	// Clients get the events still batched, then the close (1001).
	await server.close();
	removeSignalHandlers();
	// A server asked to stop has done its job: 0, as daemons exit (systemd counts 143 as a failure).
	return 0;
}
