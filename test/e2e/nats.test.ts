// The NATS source in a real terminal: the header's states as a user sees them (connecting, connected, the server
// gone and the reason in words, back and counting again), and `--last` saying "replaying N of M" until it is live.
import assert from 'node:assert/strict';
import {after, test} from 'node:test';
import {setTimeout as sleep} from 'node:timers/promises';
import {connect, type NatsConnection} from '@nats-io/transport-node';
import {jetstreamManager} from '@nats-io/jetstream';
import {disposeNatsServers, natsServerMissing, startNatsServer, type TestNatsServer} from '../helpers/nats-server.js';
import {assertRestored, cli, keys, screen, skip as noTmux, start, tmux, waitForScreen} from '../helpers/tmux.js';

const skip = noTmux || natsServerMissing() || false;
after(async () => disposeNatsServers());

/** A small alert numbered `n`, on the subject publish would give it. */
function alert(n: number): {subject: string; data: string} {
	const event = {Type: 'MatchedPolicy', ClusterName: 'prod', NamespaceName: 'payments', Operation: 'File', PolicyName: 'e2e', Resource: `/tmp/f${n}`};
	return {subject: 'kubearmor.alert.prod.payments.File', data: JSON.stringify(event)};
}

async function publish(server: TestNatsServer, from: number, to: number): Promise<void> {
	const nc: NatsConnection = await connect({servers: `127.0.0.1:${server.port}`});
	try {
		for (let n = from; n <= to; n++) {
			const {subject, data} = alert(n);
			nc.publish(subject, data);
			if (n % 1000 === 0) await nc.flush();
		}

		await nc.flush();
	} finally {
		await nc.close();
	}
}

/** The header's first line, where the source and its state are. */
function header(session: string): string {
	return screen(session).split('\n')[0] ?? '';
}

test('NATS header: connecting, connected, reconnecting with the reason when the server stops, connected again and counting', {skip, timeout: 120_000}, async () => {
	const server = await startNatsServer({jetstream: false});
	const url = server.url;
	await server.stop();
	const session = 'nats-states';
	const sttyFile = start(session, `node ${cli} ${url}`);
	// Wide enough for the whole reason: the header cuts what does not fit.
	tmux('resize-window', '-t', session, '-x', '220', '-y', '40');

	// No server yet: it keeps trying, saying so.
	await waitForScreen(session, /nats:\/\/127\.0\.0\.1:\d+\/kubearmor\.> ● (connecting|reconnecting)/, 20_000);
	const refused = await waitForScreen(session, /● reconnecting \(in \d+s \(attempt \d+\): connection refused\)/, 20_000);
	assert.match(refused, /0 events/);

	await server.restart();
	await waitForScreen(session, /● connected \d+s \(0 messages\)/, 30_000);
	await publish(server, 1, 3);
	let text = await waitForScreen(session, /3 events .*● connected \d+s \(3 messages\)/, 15_000);
	assert.match(text, /\/tmp\/f3/);

	// The server goes away while connected: the reason is in words, and it says when it tries again.
	await server.stop();
	text = await waitForScreen(session, /● reconnecting \(in \d+s \(attempt \d+\): (the server closed the connection|connection refused)\)/, 20_000);
	assert.match(header(session), /3 events/, 'what came before stays counted');

	await server.restart();
	await waitForScreen(session, /● connected \d+s \(0 messages\)|● connected \d+s \(3 messages\)/, 30_000);
	await publish(server, 4, 5);
	text = await waitForScreen(session, /5 events .*● connected/, 15_000);
	assert.match(text, /\/tmp\/f5/, 'events after the restart are shown');

	await keys(session, 'q');
	await assertRestored(session, sttyFile, '0');
});

test('NATS --last: the header says "replaying N of M" until it has caught up, then live, and new events count', {skip, timeout: 180_000}, async () => {
	const server = await startNatsServer();
	const setup = await connect({servers: `127.0.0.1:${server.port}`});
	await (await jetstreamManager(setup)).streams.add({name: 'E2E', subjects: ['kubearmor.>']});
	await setup.close();
	// Enough history that replaying it takes a while on any machine: the screen is read every 100 ms.
	const history = 150_000;
	await publish(server, 1, history);

	const session = 'nats-replay';
	const sttyFile = start(session, `node ${cli} ${server.url} --last ${history}`);
	tmux('resize-window', '-t', session, '-x', '220', '-y', '40');
	const progress: Array<[number, number]> = [];
	const deadline = Date.now() + 120_000;
	let line = '';
	while (Date.now() < deadline) {
		line = header(session);
		const replaying = /replaying ([\d,]+) of ([\d,]+)/.exec(line);
		if (replaying) progress.push([Number(replaying[1]!.replaceAll(',', '')), Number(replaying[2]!.replaceAll(',', ''))]);
		if (/● connected \d+s \(live, /.test(line)) break;
		await sleep(100);
	}

	assert.match(line, /● connected \d+s \(live, 150,000 messages\)/, 'live once the history is in');
	assert.ok(progress.length > 0, `"replaying N of M" was on screen before it went live; last header: ${line}`);
	for (const [done, total] of progress) {
		assert.equal(total, history, 'M is the history asked for');
		assert.ok(done >= 0 && done <= total);
	}

	assert.ok(progress.every(([done], index) => index === 0 || done >= progress[index - 1]![0]), 'N only grows');

	// Live from here: what is published now is counted once, after the history.
	await publish(server, history + 1, history + 3);
	await waitForScreen(session, /● connected \d+s \(live, 150,003 messages\)/, 15_000);
	await keys(session, 'q');
	await assertRestored(session, sttyFile, '0');
});
