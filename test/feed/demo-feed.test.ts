import {test} from 'node:test';
import assert from 'node:assert/strict';
import {setTimeout as sleep} from 'node:timers/promises';
import {DemoFeed, demoEvents} from '../../source/feed/demo-feed.js';
import type {FeedSink, SourceStatus} from '../../source/feed/feed.js';
import {actions, operations} from '../../source/model/fields.js';
import {eventTime} from '../../source/model/event.js';
import {normalize} from '../../source/model/normalize.js';

const start = Date.UTC(2024, 0, 1, 12);
const events = demoEvents(5000, 7, start);

type Event = Record<string, unknown>;

const allTypes = ['MatchedPolicy', 'MatchedHostPolicy', 'MatchedNetworkPolicy', 'SystemEvent', 'ContainerLog', 'HostLog'];
const allEnforcers = ['AppArmor', 'BPFLSM', 'SELinux', 'eBPF Monitor', 'NetworkPolicyEnforcer', 'USBDeviceHandler'];
const isLog = (event: Event) => event['Type'] === 'ContainerLog' || event['Type'] === 'HostLog';
const isHost = (event: Event) => ['MatchedHostPolicy', 'MatchedNetworkPolicy', 'HostLog'].includes(event['Type'] as string);
const throttleable = (event: Event) =>
	event['Type'] === 'MatchedPolicy' && String(event['Action']).includes('Audit') && event['Enforcer'] === 'eBPF Monitor';
const timeOf = (event: Event) => Date.parse(event['UpdatedTime'] as string);

function values(list: Event[], key: string): Set<unknown> {
	return new Set(list.map(event => event[key]));
}

test('5,000 demo events cover every Type, Operation, Action, Enforcer and severity 1..10', () => {
	for (const seed of [7, 1, 99]) {
		const sample = seed === 7 ? events : demoEvents(5000, seed, start);
		const types = values(sample, 'Type');
		for (const type of allTypes) assert.ok(types.has(type), `seed ${seed}: Type ${type}`);
		const ops = values(sample, 'Operation');
		for (const operation of operations) assert.ok(ops.has(operation), `seed ${seed}: Operation ${operation}`);
		const seen = values(sample, 'Action');
		for (const action of actions) assert.ok(seen.has(action), `seed ${seed}: Action ${action}`);
		const enforcers = values(sample, 'Enforcer');
		for (const enforcer of allEnforcers) assert.ok(enforcers.has(enforcer), `seed ${seed}: Enforcer ${enforcer}`);
		const severities = values(sample, 'Severity');
		for (let s = 1; s <= 10; s++) assert.ok(severities.has(String(s)), `seed ${seed}: Severity "${s}"`);
		assert.ok(sample.some(event => event['PolicyName'] === 'DefaultPosture'), 'DefaultPosture hits');
	}

	for (const key of ['ClusterName', 'HostName', 'NamespaceName', 'PodName', 'ContainerName', 'PolicyName']) {
		assert.ok(values(events, key).size >= 3, `several values of ${key}`);
	}
});

test('every demo event normalizes, as an alert or a log according to its Type', () => {
	for (const event of events) {
		const normalized = normalize(event, 'demo', 0);
		assert.notEqual(typeof normalized, 'string', JSON.stringify(event));
		if (typeof normalized === 'string') continue;
		assert.equal(normalized.kind, isLog(event) ? 'log' : 'alert');
		assert.equal(eventTime(normalized), timeOf(event));
		// karmor always prints PPID and UID.
		assert.equal(typeof event['PPID'], 'number');
		assert.equal(typeof event['UID'], 'number');
	}
});

test('times: Timestamp in seconds, UpdatedTime with microseconds, in order after startMs', () => {
	let previous = start;
	for (const event of events) {
		assert.match(event['UpdatedTime'] as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
		const ms = timeOf(event);
		assert.equal(event['Timestamp'], Math.floor(ms / 1000));
		assert.ok(ms >= previous, 'non-decreasing');
		previous = ms;
	}

	// 5,000 events at 20/s (plus bursts) span a few minutes of simulated time.
	const seconds = (previous - start) / 1000;
	assert.ok(seconds > 150 && seconds < 250, `${seconds} s`);
});

test('alerts carry policy fields, logs carry none', () => {
	for (const event of events) {
		if (isLog(event)) {
			for (const key of ['Severity', 'PolicyName', 'Action', 'Enforcer', 'Tags', 'ATags', 'Message']) {
				assert.equal(event[key], undefined, `${key} on a log: ${JSON.stringify(event)}`);
			}

			assert.equal(event['Result'], 'Passed');
			continue;
		}

		if (event['Type'] === 'SystemEvent') continue;
		assert.equal(typeof event['PolicyName'], 'string');
		assert.equal(typeof event['Action'], 'string');
		assert.equal(typeof event['Enforcer'], 'string');
		// KubeArmor sends no Severity on DefaultPosture hits.
		if (event['PolicyName'] !== 'DefaultPosture') assert.match(event['Severity'] as string, /^([1-9]|10)$/);
		if (event['Tags'] !== undefined) assert.deepEqual(event['ATags'], (event['Tags'] as string).split(','));
		if (event['Action'] === 'Block') assert.notEqual(event['Result'], 'Passed');
		if (event['Action'] === 'Remove') assert.equal(event['Operation'], 'Device');
	}
});

test('container events carry the container identity; host events none, but a UserName', () => {
	for (const event of events) {
		if (isHost(event)) {
			for (const key of ['NamespaceName', 'PodName', 'ContainerID', 'ContainerName', 'Owner', 'Labels']) {
				assert.equal(event[key], undefined, `${key} on a host event`);
			}

			assert.equal(typeof event['UserName'], 'string');
			assert.equal(typeof event['HostName'], 'string');
			continue;
		}

		assert.match(event['ContainerID'] as string, /^[\da-f]{64}$/);
		assert.match(event['ContainerImage'] as string, /@sha256:[\da-f]{64}$/);
		assert.match(event['Labels'] as string, /^app=/);
		assert.deepEqual(event['Owner'], {Ref: 'Deployment', Name: (event['Labels'] as string).split(/[=,]/)[1], Namespace: event['NamespaceName']});
		assert.equal(event['UserName'], undefined);
		for (const key of ['ClusterName', 'HostName', 'NamespaceName', 'PodName', 'ContainerName']) {
			assert.equal(typeof event[key], 'string', key);
		}
	}

	// A pod always runs on the same node with the same container ID.
	const placement = new Map<unknown, string>();
	for (const event of events.filter(e => !isHost(e))) {
		const where = `${String(event['HostName'])} ${String(event['ContainerID'])}`;
		assert.equal(placement.get(event['PodName']) ?? where, where);
		placement.set(event['PodName'], where);
	}
});

test('realistic pairs: a process matches its resource', () => {
	const shadow = events.filter(e => e['Resource'] === '/etc/shadow');
	assert.ok(shadow.length > 0);
	for (const event of shadow) assert.equal(event['Source'], '/bin/cat /etc/shadow');
	const egress = events.filter(e => e['ProcessName'] === '/usr/bin/curl' && String(e['Data']).startsWith('syscall=SYS_CONNECT'));
	assert.ok(egress.length > 0);
	for (const event of egress) {
		const [, port, ip] = /sin_port=(\d+) sin_addr=([\d.]+)/.exec(event['Resource'] as string)!;
		assert.ok((event['Source'] as string).includes(`${ip}:${port}`), JSON.stringify(event));
	}

	const usb = events.filter(e => e['Operation'] === 'Device');
	for (const event of usb) {
		assert.equal(event['Enforcer'], 'USBDeviceHandler');
		assert.match(event['Resource'] as string, /^USB /);
		assert.equal(typeof (event['EventData'] as Record<string, string>)['Class'], 'string');
	}
});

test('AlertThreshold events look like KubeArmor\'s, about once a minute, and silence the container for 30 s', () => {
	const thresholds = events.filter(e => e['Operation'] === 'AlertThreshold');
	const span = (timeOf(events.at(-1)!) - start) / 60_000;
	assert.ok(thresholds.length >= Math.floor(span / 2) && thresholds.length <= Math.ceil(span * 2), `${thresholds.length} in ${span} min`);
	for (const event of thresholds) {
		assert.equal(event['Type'], 'SystemEvent');
		assert.equal(event['MaxAlertsPerSec'], 10);
		assert.equal(event['DroppingAlertsInterval'], 30);
		assert.equal(event['Result'], 'Passed');
		assert.equal(typeof event['Enforcer'], 'string');
		for (const key of ['ClusterName', 'HostName', 'NamespaceName', 'PodName', 'ContainerID', 'ContainerName', 'ContainerImage']) {
			assert.equal(typeof event[key], 'string', key);
		}

		for (const key of ['PolicyName', 'Severity', 'Action', 'Tags']) assert.equal(event[key], undefined, key);
		// KubeArmor drops the container's audit alerts until UpdatedTime + DroppingAlertsInterval.
		const from = timeOf(event);
		const dropped = events.filter(
			e => e['PodName'] === event['PodName'] && throttleable(e) && timeOf(e) > from && timeOf(e) <= from + 30_000,
		);
		assert.deepEqual(dropped, []);
	}

	// What tripped it: more than 10 audit alerts from that container just before.
	const first = thresholds[0];
	const before = events.filter(e => e['PodName'] === first['PodName'] && throttleable(e) && timeOf(e) <= timeOf(first) && timeOf(e) > timeOf(first) - 3000);
	assert.ok(before.length >= 10, `${before.length} audit alerts before the threshold`);
});

test('bursts: now and then several times the rate for a couple of seconds, mostly from one container', () => {
	const times = events.map(timeOf);
	const windowMs = 2000;
	const normal = (20 * windowMs) / 1000;
	let bursts = 0;
	let i = 0;
	let j = 0;
	while (i < times.length) {
		while (j < times.length && times[j] < times[i] + windowMs) j++;
		if (j - i >= normal * 3) {
			bursts++;
			const pods = new Map<unknown, number>();
			for (const event of events.slice(i, j)) pods.set(event['PodName'], (pods.get(event['PodName']) ?? 0) + 1);
			assert.ok(Math.max(...pods.values()) >= (j - i) / 2, 'one container dominates a burst');
			// Skip past this burst.
			const end = times[i] + 5000;
			while (i < times.length && times[i] < end) i++;
			continue;
		}

		i++;
	}

	const minutes = (times.at(-1)! - start) / 60_000;
	assert.ok(bursts >= minutes * 1.2 && bursts <= minutes * 3.5, `${bursts} bursts in ${minutes.toFixed(1)} min`);
});

test('the same seed gives the same events; another seed does not', () => {
	assert.deepEqual(demoEvents(500, 7, start), events.slice(0, 500));
	assert.notDeepEqual(demoEvents(500, 8, start), events.slice(0, 500));
	assert.deepEqual(demoEvents(0, 7, start), []);
	assert.throws(() => demoEvents(10, 7, start, 0), RangeError);
});

type Capture = FeedSink & {values: unknown[]; statuses: SourceStatus[]; sources: Set<string>};

function capture(): Capture {
	const sink: Capture = {
		values: [],
		statuses: [],
		sources: new Set(),
		line() {
			assert.fail('the demo feed delivers parsed values, not lines');
		},
		value(value, source) {
			sink.values.push(value);
			sink.sources.add(source);
		},
		malformed() {
			assert.fail('malformed');
		},
		oversized() {
			assert.fail('oversized');
		},
		status(status) {
			sink.statuses.push(status);
		},
	};
	return sink;
}

test('DemoFeed at rate 200 delivers about 200 events/s, then stop() stops it and resolves done', async () => {
	const feed = new DemoFeed({rate: 200, seed: 3});
	assert.equal(feed.label, 'demo');
	const sink = capture();
	const before = Date.now();
	feed.start(sink);
	try {
		assert.equal(sink.statuses.length, 1);
		const [status] = sink.statuses;
		assert.equal(status.label, 'demo');
		assert.equal(status.state, 'connected');
		assert.equal(status.detail, 'built-in demo feed, 200 events/s');
		assert.ok(status.since! >= before && status.since! <= Date.now());
		await sleep(1000);
	} finally {
		feed.stop();
	}

	const delivered = sink.values.length;
	assert.ok(delivered >= 120 && delivered <= 300, `${delivered} events in ~1 s`);
	assert.deepEqual([...sink.sources], ['demo']);
	for (const value of sink.values) assert.notEqual(typeof normalize(value, 'demo', 0), 'string');
	const last = sink.values.at(-1) as Event;
	assert.ok(Math.abs(timeOf(last) - Date.now()) < 1000, 'stamped with the clock');

	const resolved = await Promise.race([feed.done.then(() => true), sleep(200).then(() => false)]);
	assert.ok(resolved, 'done resolves after stop()');
	await sleep(150);
	assert.equal(sink.values.length, delivered, 'nothing after stop()');
});

test('DemoFeed carries fractions: rate 3 on a clock moving 250 ms per tick gives 0.75 events per tick', async () => {
	let clock = start;
	let calls = 0;
	const now = () => {
		calls++;
		clock += 250;
		return clock;
	};

	const feed = new DemoFeed({rate: 3, seed: 5, now});
	const sink = capture();
	feed.start(sink);
	await sleep(420);
	feed.stop();
	await feed.done;
	const ticks = calls - 1;
	assert.ok(ticks >= 4, `${ticks} ticks`);
	assert.equal(sink.values.length, Math.floor(ticks * 0.75));
	// Events are stamped from now(), spread across each tick rather than all at its end.
	const times = (sink.values as Event[]).map(timeOf);
	for (const ms of times) assert.ok(ms > start && ms <= clock);
	assert.equal(new Set(times).size, times.length);
});

test('DemoFeed at a rate no machine keeps up with makes a bounded batch per tick and keeps the loop free', async () => {
	let clock = start;
	const now = () => {
		clock += 1000; // every tick covers the most it may catch up: a million events owed each time
		return clock;
	};

	const feed = new DemoFeed({rate: 1_000_000, seed: 2, now});
	const sink = capture();
	feed.start(sink);
	// The loop stays free: a 100 ms timer spanning the first ticks (every 50 ms) fires on time, not after the
	// million events each of them is owed.
	const started = Date.now();
	await sleep(100);
	const waited = Date.now() - started;
	await sleep(100);
	feed.stop();
	await feed.done;
	assert.ok(waited < 1000, `a 100 ms timer fired after ${waited} ms`);
	assert.ok(sink.values.length > 0);
	assert.equal(sink.values.length % 20_000, 0, `${sink.values.length} events: whole batches of 20,000`);
});

test('DemoFeed: stop() before start() resolves done and start() then does nothing; a bad rate is refused', async () => {
	const feed = new DemoFeed({});
	feed.stop();
	await feed.done;
	const sink = capture();
	feed.start(sink);
	await sleep(120);
	assert.equal(sink.values.length, 0);
	assert.equal(sink.statuses.length, 0);
	assert.throws(() => new DemoFeed({rate: -1}), RangeError);
	assert.throws(() => new DemoFeed({rate: Number.NaN}), RangeError);
});
