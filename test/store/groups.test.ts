import assert from 'node:assert/strict';
import {test} from 'node:test';
import {Ingest} from '../../source/feed/ingest.js';
import {eventTime, text, type MonitorEvent} from '../../source/model/event.js';
import {podWorkload} from '../../source/model/workload.js';
import {compileQuery} from '../../source/query/index.js';
import {EventStore} from '../../source/store/event-store.js';
import {defaultGroupBy, groupField, groupFieldNames, parseGroupBy, type GroupField} from '../../source/store/group-fields.js';
import {GroupTable, type Group} from '../../source/store/groups.js';
import {makeEvent, sampleLines} from '../helpers/samples.js';
import {shuffled} from '../helpers/shuffle.js';

function fields(spec: string): GroupField[] {
	const parsed = parseGroupBy(spec);
	if ('error' in parsed) throw new Error(parsed.error);
	return parsed;
}

function storeWith(lines: readonly string[], maxEvents = 1000): EventStore {
	const store = new EventStore({maxEvents, now: () => Date.UTC(2024, 0, 1, 12)});
	const ingest = new Ingest(store);
	for (const line of lines) ingest.line(line, 'samples');
	return store;
}

/** What a group shows, without the sample's identity (which event of an exact tie is the sample may differ). */
function shape(group: Group) {
	return {key: group.key, count: group.count, first: group.first, last: group.last, severity: group.severity, minutes: [...group.minutes], sampleSeverity: group.sample.severity, sampleTime: eventTime(group.sample)};
}

test('pod names lose the suffixes Kubernetes generates, and keep their own words', () => {
	const cases: Array<[string, string]> = [
		['wordpress-7c966b5d85-42jwx', 'wordpress'], // Deployment: template hash + random
		['knoxautopolicy-f69c455-9824f', 'knoxautopolicy'],
		['ubuntu-1-deployment-8dc5d8d48-5s8pf', 'ubuntu-1-deployment'],
		['oai-amf.core.eurecom-c69f45c8f-lx24c', 'oai-amf.core.eurecom'],
		['my-daemonset-xhrr9', 'my-daemonset'], // DaemonSet / Job: random only
		['backup-28945230-x7kq2', 'backup'], // CronJob: scheduled minute + random
		['vault-0', 'vault'], // StatefulSet ordinal
		['mysql-12', 'mysql'],
		['ubuntu', 'ubuntu'],
		['web-front', 'web-front'], // vowels: a word, not a generated suffix
		['api-server', 'api-server'],
	];
	for (const [pod, workload] of cases) assert.equal(podWorkload(pod), workload, pod);
});

test('--group-by names: query fields and aliases, duplicates once, unknown ones in words', () => {
	assert.deepEqual(fields('policy, op,operation').map(field => field.label), ['PolicyName', 'Operation']);
	assert.deepEqual(fields(defaultGroupBy.join(',')).map(field => field.name), ['policy', 'op', 'action', 'proc', 'res', 'workload']);
	const bad = parseGroupBy('policy,colour');
	assert.ok('error' in bad && bad.error.includes('"colour"') && bad.error.includes('workload'));
	assert.ok('error' in parseGroupBy(' , '));
});

test('groups count what a plain tally of the same events counts', () => {
	const events = [...storeWith(sampleLines()).view.retained()];
	const table = GroupTable.of(fields('policy,op'), events);
	const tally = new Map<string, number>();
	for (const event of events) {
		const key = `${text(event, 'PolicyName')}|${text(event, 'Operation')}`;
		tally.set(key, (tally.get(key) ?? 0) + 1);
	}

	assert.equal(table.size, tally.size);
	for (const group of table.sorted()) assert.equal(group.count, tally.get(group.values.join('|')), group.values.join('|'));
	const counts = table.sorted().map(group => group.count);
	assert.deepEqual(counts, [...counts].sort((a, b) => b - a), 'most frequent first');
	assert.equal(counts.reduce((a, b) => a + b, 0), 69);
});

test('the same groups, counts, times and order whatever order the events arrive in', () => {
	const lines = sampleLines();
	const expected = GroupTable.of(fields(defaultGroupBy.join(',')), storeWith(lines).view.retained());
	for (const order of ['count', 'last', 'severity'] as const) {
		for (const seed of [1, 2, 3, 42, 1234]) {
			const table = GroupTable.of(fields(defaultGroupBy.join(',')), storeWith(shuffled(lines, seed)).view.retained());
			assert.deepEqual(table.sorted(order).map(shape), expected.sorted(order).map(shape), `order ${order}, seed ${seed}`);
		}
	}
});

test('kept live, the store\'s groups equal groups rebuilt from scratch, and follow the filter', () => {
	const lines = sampleLines();
	const store = storeWith(lines.slice(0, 20));
	store.setGrouping(fields('ns,op'));
	const ingest = new Ingest(store);
	for (const line of lines.slice(20)) ingest.line(line, 'samples');
	const rebuilt = GroupTable.of(fields('ns,op'), store.view.retained());
	assert.deepEqual(store.groups!.sorted().map(shape), rebuilt.sorted().map(shape));

	const compiled = compileQuery('op:file');
	assert.ok(compiled.ok);
	store.setFilter(compiled.predicate);
	assert.ok(store.groups!.sorted().every(group => group.values[1] === 'File'));
	const files = [...store.view.retained()].length;
	assert.equal(store.groups!.sorted().reduce((sum, group) => sum + group.count, 0), files);
	ingest.value({Operation: 'Process', NamespaceName: 'late', Type: 'MatchedPolicy'}, 't');
	ingest.value({Operation: 'File', NamespaceName: 'late', Type: 'MatchedPolicy'}, 't');
	assert.equal(store.groups!.get('late\u0000File')?.count, 1);
	assert.equal(store.groups!.get('late\u0000Process'), undefined);
	store.setGrouping(undefined);
	assert.equal(store.groups, undefined);
});

test('kept live, a field the store codes groups by its text when its value is a number or missing, as a rebuild does', () => {
	const store = storeWith([]);
	store.setGrouping(fields('op,action,proc'));
	const ingest = new Ingest(store);
	for (const Operation of [7, 'File', 7, undefined, 'File', '']) ingest.value({Operation, Action: 'Block', ProcessName: 'sh', Type: 'MatchedPolicy'}, 't');
	const rebuilt = GroupTable.of(fields('op,action,proc'), store.view.retained());
	assert.deepEqual(store.groups!.sorted().map(shape), rebuilt.sorted().map(shape));
	assert.deepEqual(store.groups!.sorted().map(group => [group.values[0], group.count]), [['', 2], ['7', 2], ['File', 2]]);
});

test('at most maxGroups kept: the least recently seen is dropped first and counted', () => {
	const table = new GroupTable(fields('proc'), 3);
	const event = (proc: string): MonitorEvent => makeEvent({ProcessName: proc, Type: 'MatchedPolicy', Operation: 'Process'});
	for (const proc of ['a', 'b', 'c', 'a', 'd', 'e']) table.add(event(proc));
	assert.equal(table.size, 3);
	assert.equal(table.dropped, 2);
	assert.deepEqual(table.sorted('count').map(group => group.values[0]), ['a', 'd', 'e'], 'ties by key');
	assert.equal(table.events, 6);
});

test('first, last, highest severity, the most severe sample and a per-minute sparkline', () => {
	const at = (minute: number, severity: number) =>
		makeEvent({ProcessName: 'curl', Type: 'MatchedPolicy', Severity: String(severity), UpdatedTime: new Date(Date.UTC(2025, 4, 1, 10, minute)).toISOString()});
	const events = [at(0, 2), at(3, 7), at(9, 5), at(9, 1), at(1, 3)];
	const table = GroupTable.of(fields('proc'), events);
	const [group] = table.sorted();
	assert.equal(group.count, 5);
	assert.equal(group.first, Date.UTC(2025, 4, 1, 10, 0));
	assert.equal(group.last, Date.UTC(2025, 4, 1, 10, 9));
	assert.equal(group.severity, 7);
	assert.equal(group.sample, events[1]);
	// Minutes 2..9: minute 3 once, minute 9 twice; minutes 0 and 1 are before the window.
	assert.deepEqual(group.minutes, [0, 1, 0, 0, 0, 0, 0, 2]);
});

test('the first rows of each order, found without sorting them all, are the sorted list\'s, as events keep arriving', () => {
	const lines = sampleLines();
	const store = storeWith(lines.slice(0, 10));
	store.setGrouping(fields('proc,op'));
	const ingest = new Ingest(store);
	const table = store.groups!;
	for (const [index, line] of lines.slice(10).entries()) {
		ingest.line(line, 'samples');
		if (index % 7 !== 0) continue;
		for (const order of ['count', 'last', 'severity'] as const) {
			for (const count of [1, 3, 10, table.size, table.size + 5]) {
				// top() first: sorted() would otherwise hand it its own answer from the cache.
				const top = table.top(order, count).map(group => group.key);
				assert.deepEqual(top, table.sorted(order).slice(0, count).map(group => group.key), `${order}, ${count} after ${index + 11} events`);
			}
		}
	}

	assert.ok(table.size > 10, 'more groups than the rows asked for');
});

test('every group field reads what the query language names it: the event\'s value as text', () => {
	const events = [...storeWith(sampleLines()).view.retained()];
	for (const name of groupFieldNames.filter(each => each !== 'workload')) {
		const field = groupField(name)!;
		const seen = new Set(events.map(event => field.read(event)));
		for (const event of events) assert.equal(field.read(event), text(event, field.label), `${name} of event ${event.seq}`);
		if (['policy', 'op', 'proc', 'res', 'ns', 'pod', 'action'].includes(name)) assert.ok(seen.size > 1, `${name} varies across the samples`);
	}
});
