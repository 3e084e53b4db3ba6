#!/usr/bin/env node
import process from 'node:process';
import {flushed} from './line/line-output.js';
import {stderrLine} from './messages.js';
import {parseOptions, PrintAndExit, RuntimeError, usageLine, UsageError} from './options.js';

// `ps`, `top` and `pkill -x armorwatch` see the command's name, not "node".
process.title = 'armorwatch';

// SIGUSR1 would open Node's inspector on 127.0.0.1:9229, where any user of a shared jump host could connect and
// run code as us. A listener of our own keeps it closed.
process.on('SIGUSR1', () => {});

// React's development build records a timing entry per render and keeps them all: at 5,000 events/s the heap
// grew 3.5 MB/s. React loads later (dynamic import), so this still takes effect.
process.env['NODE_ENV'] ??= 'production';

// Colours must be settled before ink (and chalk) load: honour NO_COLOR and --no-color.
if ((process.env['NO_COLOR'] && !process.env['FORCE_COLOR']) || process.argv.includes('--no-color')) {
	process.env['FORCE_COLOR'] = '0';
}

async function main(): Promise<number> {
	let options;
	try {
		options = parseOptions(process.argv.slice(2), Boolean(process.stdin.isTTY), Boolean(process.stdout.isTTY));
	} catch (error) {
		if (error instanceof PrintAndExit) {
			process.stdout.write(error.message);
			return 0;
		}

		if (error instanceof UsageError) {
			process.stderr.write(`${stderrLine(error)}${usageLine}\n`);
			return 2;
		}

		if (error instanceof RuntimeError) {
			process.stderr.write(stderrLine(error));
			return 1;
		}

		throw error;
	}

	const {openSources} = await import('./feed/open-sources.js');
	let feeds;
	try {
		// In serve mode --cert/--key are the server's own, not a client certificate for the sources.
		const network = options.mode === 'serve' ? {...options.network, cert: undefined, key: undefined} : options.network;
		feeds = await openSources(options.sources, {follow: options.follow, rate: options.rate, network, nats: options.nats});
	} catch (error) {
		// A source the feeds cannot use (a bad URL or target, TLS files that do not fit): words for the user.
		process.stderr.write(`${stderrLine(error)}${usageLine}\n`);
		return 2;
	}

	if (options.mode === 'serve') {
		const {runServe} = await import('./serve/run-serve.js');
		const {compilePredicate} = await import('./query/index.js');
		return runServe(feeds, {
			...options.serve,
			cert: options.network.cert,
			key: options.network.key,
			compileFilter: compilePredicate,
		});
	}

	if (options.mode === 'publish') {
		const {runPublish} = await import('./publish/run-publish.js');
		const {natsTls} = await import('./feed/open-sources.js');
		const {nats} = options;
		return runPublish(feeds, {
			to: nats.to!,
			auth: {token: nats.token, credsFile: nats.credsFile},
			tls: natsTls(options.network),
			prefix: nats.subjectPrefix,
			stream: nats.stream,
			limit: options.limit,
		});
	}

	if (options.mode === 'policy') {
		const {runPolicy} = await import('./act/run-policy.js');
		return runPolicy(feeds, {filter: options.filter, action: options.policyAction});
	}

	let mode = options.mode;
	let keyboard: NodeJS.ReadStream | undefined;
	if (mode === 'tui') {
		const {openKeyboard} = await import('./ui/terminal.js');
		keyboard = openKeyboard(options.sources.includes('-'));
		if (!keyboard) {
			process.stderr.write('armorwatch: no terminal to read keys from; printing lines instead\n');
			mode = 'plain';
		}
	}

	if (mode === 'tui' && keyboard) {
		// ink renders only the last frame when it thinks it runs in CI; here a person is at a real terminal.
		delete process.env['CI'];
		delete process.env['CONTINUOUS_INTEGRATION'];
		const {runTui} = await withoutFetch(async () => import('./ui/run-tui.js'));
		return runTui(feeds, {maxAlerts: options.maxAlerts, maxMemory: options.maxMemory, maxGroups: options.maxGroups, groupBy: options.groupBy, limit: options.limit, keyboard, filter: options.filter});
	}

	const {runLineMode} = await import('./line/line-mode.js');
	const format = options.groupBy ? 'groups' : mode === 'json' || mode === 'summary' ? mode : 'plain';
	return runLineMode(feeds, {format, limit: options.limit, filter: options.filter, groupBy: options.groupBy, maxGroups: options.maxGroups});
}

/**
 * Run `load` with globalThis.fetch hidden. ink's layout engine (yoga-layout) carries its WebAssembly inline as a
 * data: URL and fetches it when fetch exists, which loads Node's HTTP client (undici) first: 60-130 ms of the
 * time to the first frame. Without fetch it decodes the same bytes itself. The descriptor is moved aside, never
 * read through: reading globalThis.fetch is what loads undici.
 */
async function withoutFetch<T>(load: () => Promise<T>): Promise<T> {
	const fetch = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
	if (!fetch?.configurable) return load();
	Reflect.deleteProperty(globalThis, 'fetch');
	try {
		return await load();
	} finally {
		Object.defineProperty(globalThis, 'fetch', fetch);
	}
}

/** Exit once stdout and stderr reached their readers: process.exit() drops what a slow pipe has not taken yet. */
async function exit(code: number): Promise<never> {
	await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
	process.exit(code);
}

try {
	await exit(await main());
} catch (error) {
	process.stderr.write(stderrLine(error));
	await exit(1);
}
