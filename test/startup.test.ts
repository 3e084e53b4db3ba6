import assert from 'node:assert/strict';
import {test} from 'node:test';
import {runCliListingModules} from './helpers/cli.js';
import {natsServerMissing, startNatsServer} from './helpers/nats-server.js';
import {samplesPath} from './helpers/samples.js';

// What start-up must not pay for: each transport (and the full-screen UI) loads only when it is used.
// The modules are the bundle's inputs (see runCliListingModules), paths from the repo's root, or the URLs of what
// loads from node_modules as it is (the gRPC and NATS clients).
const heavy = {
	websocket: /^source\/feed\/websocket-feed\.ts$|^node_modules\/ws\//,
	grpc: /^source\/feed\/grpc\/grpc-feed\.ts$|(^|\/)node_modules\/@grpc\//,
	serve: /^source\/serve\/(serve|run-serve)\.ts$/,
	nats: /^source\/feed\/nats\/nats-feed\.ts$|(^|\/)node_modules\/@nats-io\//,
	ui: /^node_modules\/(ink|react)\//,
};

function loaded(modules: string[]): string[] {
	return Object.entries(heavy)
		.filter(([, pattern]) => modules.some(url => pattern.test(url)))
		.map(([name]) => name);
}

test('--version, --help and line mode load no transport and no UI', async () => {
	const version = await runCliListingModules(['--version']);
	assert.equal(version.code, 0, `${version.signal ?? ''} ${version.stderr}`);
	assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
	// The hook saw the CLI itself: an empty list would prove nothing.
	assert.ok(version.modules.some(url => url === 'source/options.ts'), version.modules.join('\n'));
	assert.deepEqual(loaded(version.modules), []);

	const help = await runCliListingModules(['--help']);
	assert.equal(help.code, 0, help.stderr);
	assert.deepEqual(loaded(help.modules), []);

	const summary = await runCliListingModules(['--summary'], '');
	assert.equal(summary.code, 0, summary.stderr);
	assert.match(summary.stdout, /^\{"events":0,/);
	assert.ok(summary.modules.some(url => url === 'source/line/line-mode.ts'));
	assert.deepEqual(loaded(summary.modules), []);

	const plain = await runCliListingModules(['--plain', '--limit', '3', samplesPath]);
	assert.equal(plain.code, 0, plain.stderr);
	assert.equal(plain.stdout.trimEnd().split('\n').length, 3);
	assert.deepEqual(loaded(plain.modules), []);
});

test('a transport loads when a source of its kind is named, and only then', async () => {
	// Addresses the feeds refuse before connecting: the process exits at once, after loading what it needed.
	const websocket = await runCliListingModules(['ws://bad host:1/']);
	assert.equal(websocket.code, 2, websocket.stderr);
	assert.deepEqual(loaded(websocket.modules), ['websocket']);

	const grpc = await runCliListingModules(['grpc://relay:99999']);
	assert.equal(grpc.code, 2, grpc.stderr);
	assert.match(grpc.stderr, /bad port in gRPC address/);
	assert.deepEqual(loaded(grpc.modules), ['grpc']);
});

test('a NATS source loads the NATS client and no other transport', {skip: natsServerMissing()}, async () => {
	// A server without JetStream and --last: the source fails at once, and the process exits after the client loaded.
	const server = await startNatsServer({jetstream: false});
	try {
		const nats = await runCliListingModules([server.url, '--last', '5', '--json']);
		assert.equal(nats.code, 1, nats.stderr);
		assert.match(nats.stderr, /the server has no JetStream/);
		assert.deepEqual(loaded(nats.modules), ['nats']);
	} finally {
		await server.dispose();
	}
});
