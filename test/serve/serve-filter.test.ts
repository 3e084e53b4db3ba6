// serve ?filter= compiles with the query engine (the same function `armorwatch serve` passes): a hostile
// pattern from one client cannot freeze the server for the others.

import assert from 'node:assert/strict';
import {setTimeout as sleep} from 'node:timers/promises';
import {test} from 'node:test';
import WebSocket from 'ws';
import {compilePredicate} from '../../source/query/index.js';
import {EventHub} from '../../source/serve/event-hub.js';
import {startServer} from '../../source/serve/serve.js';
import {makeEvent} from '../helpers/samples.js';

async function waitFor(what: string, condition: () => boolean, timeoutMs = 5000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await sleep(5);
	}
}

async function client(url: string): Promise<{socket: WebSocket; lines: string[]}> {
	const socket = new WebSocket(url, {perMessageDeflate: false});
	const lines: string[] = [];
	socket.on('message', (data: Buffer) => lines.push(...data.toString('utf8').split('\n').filter(Boolean)));
	await new Promise<void>((resolve, reject) => {
		socket.once('open', resolve);
		socket.once('error', reject);
	});
	return {socket, lines};
}

const hostile = 'a'.repeat(30) + '!';

test('?filter=/(a+)+$/ compiles and tests an event with 30 `a` and `!` in under 100 ms', () => {
	// CPU time, not wall time: on a loaded machine the wait for a core says nothing about the pattern.
	const start = process.cpuUsage();
	const compiled = compilePredicate('/(a+)+$/');
	assert.ok(compiled.ok);
	assert.equal(compiled.predicate(makeEvent({Operation: 'File', Resource: hostile})), false);
	assert.equal(compiled.predicate(makeEvent({Operation: 'File', Resource: 'aaa'})), true);
	const used = process.cpuUsage(start);
	const ms = (used.user + used.system) / 1000;
	assert.ok(ms < 100, `${ms.toFixed(1)} ms`);
	const refused = compilePredicate('/(a)\\1/');
	assert.ok(!refused.ok);
	assert.match(refused.error, /backreference/);
});

test('a client with a hostile ?filter= gets its matches and the other clients get everything, promptly', async () => {
	const hub = new EventHub();
	const server = await startServer({subscribe: hub.subscribe, port: 0, log() {}, compileFilter: compilePredicate});
	try {
		const filtered = await client(`${server.address.url}/?filter=${encodeURIComponent('res:/(a+)+$/')}`);
		const everything = await client(server.address.url);
		await waitFor('two clients', () => server.health().clientCount === 2);
		const start = performance.now();
		for (let i = 0; i < 20; i++) hub.publish(makeEvent({Operation: 'File', Resource: hostile}));
		hub.publish(makeEvent({Operation: 'File', Resource: 'aaaa'}));
		await waitFor('every event at the unfiltered client', () => everything.lines.length === 21);
		await waitFor('the match at the filtered client', () => filtered.lines.length === 1);
		assert.ok(performance.now() - start < 2000);
		assert.equal((JSON.parse(filtered.lines[0]!) as {Resource: string}).Resource, 'aaaa');
		filtered.socket.terminate();
		everything.socket.terminate();
	} finally {
		await server.close();
	}
});
