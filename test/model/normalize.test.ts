import assert from 'node:assert/strict';
import {test} from 'node:test';
import {eventTime} from '../../source/model/event.js';
import {alertTypes, logTypes} from '../../source/model/fields.js';
import {maxNesting, normalize} from '../../source/model/normalize.js';
import {parseUtc} from '../../source/model/time.js';
import {jsonLine} from '../../source/model/sanitize.js';
import {sampleLines} from '../helpers/samples.js';

const now = Date.UTC(2024, 0, 1);

function ok(raw: unknown) {
	const result = normalize(raw, 'test', now);
	assert.notEqual(typeof result, 'string', `rejected: ${String(result)}`);
	return result as Exclude<typeof result, string>;
}

test('every line of the public samples normalizes to an event', () => {
	const lines = sampleLines();
	assert.equal(lines.length, 69);
	for (const line of lines) {
		const event = ok(JSON.parse(line));
		assert.ok(eventTime(event) > Date.UTC(2019, 0, 1), `a real time for ${line.slice(0, 60)}`);
		assert.ok(Object.keys(event.fields).length > 3);
	}
});

test('PascalCase alert: fields kept, severity and kind read', () => {
	const event = ok({
		Timestamp: 1_695_903_189,
		UpdatedTime: '2023-09-28T12:13:09.159252Z',
		PolicyName: 'block-shadow',
		Severity: '7',
		Type: 'MatchedPolicy',
		Operation: 'File',
		Action: 'Block',
	});
	assert.equal(event.kind, 'alert');
	assert.equal(event.severity, 7);
	assert.equal(eventTime(event), Date.parse('2023-09-28T12:13:09.159Z'));
	assert.equal(event.fields['PolicyName'], 'block-shadow');
});

test('the daemon camelCase file maps onto the PascalCase names', () => {
	const event = ok({
		timestamp: 1_703_783_776,
		updatedTime: '2023-12-28T17:16:16.560466Z',
		hostPPid: 1,
		hostPid: 2,
		ppid: 3,
		pid: 4,
		uid: 0,
		namespaceName: 'default',
		processName: '/bin/sh',
		atags: ['MITRE'],
		type: 'ContainerLog',
		operation: 'Process',
	});
	assert.equal(event.kind, 'log');
	assert.deepEqual(
		{
			HostPPID: event.fields['HostPPID'],
			HostPID: event.fields['HostPID'],
			PPID: event.fields['PPID'],
			PID: event.fields['PID'],
			UID: event.fields['UID'],
			NamespaceName: event.fields['NamespaceName'],
			ATags: event.fields['ATags'],
			Timestamp: event.fields['Timestamp'],
		},
		{HostPPID: 1, HostPID: 2, PPID: 3, PID: 4, UID: 0, NamespaceName: 'default', ATags: ['MITRE'], Timestamp: 1_703_783_776},
	);
	assert.equal(event.fields['hostPid'], undefined, 'no camelCase duplicate left behind');
});

test('Timestamp as a string becomes a number; time falls back to it without UpdatedTime', () => {
	const event = ok({Timestamp: '1703783776', Operation: 'File'});
	assert.equal(event.fields['Timestamp'], 1_703_783_776);
	assert.equal(eventTime(event), 1_703_783_776_000);
});

test('AccuKnox nulls and empty strings count as absent; unknown fields are kept as they came', () => {
	const event = ok({
		ATags: null,
		Severity: '',
		Message: '',
		Owner: {Name: '', Namespace: '', Ref: ''},
		Operation: 'File',
		PolicyName: 'DefaultPosture',
		cluster_id: '3664',
		workload: '1',
		HashID: 'abc',
	});
	assert.equal(event.severity, 0);
	// Absent to every reader, and left out of what --json prints.
	const printed = JSON.parse(jsonLine(event.fields)) as Record<string, unknown>;
	for (const name of ['ATags', 'Severity', 'Message', 'Owner']) {
		assert.equal(event.fields[name], undefined, name);
		assert.equal(name in printed, false, name);
	}

	assert.equal(printed['PolicyName'], 'DefaultPosture');
	assert.equal(event.fields['cluster_id'], '3664');
	assert.equal(event.fields['HashID'], 'abc');
});

test('numeric Severity and out-of-range values', () => {
	assert.equal(ok({Severity: 9, Operation: 'File'}).severity, 9);
	assert.equal(ok({Severity: 9, Operation: 'File'}).fields['Severity'], '9');
	assert.equal(ok({Severity: '11', Operation: 'File'}).severity, 0);
	assert.equal(ok({Severity: 'high', Operation: 'File'}).severity, 0);
});

test('unknown Operations are kept and the event still counts', () => {
	const event = ok({Operation: 'API', Type: 'MatchedPolicy', Action: 'Audit'});
	assert.equal(event.fields['Operation'], 'API');
	assert.equal(event.kind, 'alert');
});

test('a "__proto__" key is kept as a field in every dialect, never taken as the prototype', () => {
	for (const line of ['{"timestamp":1,"operation":"File","__proto__":{"x":1}}', '{"Operation":"File","__proto__":{"x":1}}']) {
		const event = ok(JSON.parse(line));
		assert.equal(Object.getPrototypeOf(event.fields), Object.prototype, line);
		assert.deepEqual(Object.getOwnPropertyDescriptor(event.fields, '__proto__')?.value, {x: 1}, line);
		assert.match(jsonLine(event), /"__proto__":\{"x":1\}/, line);
	}

	const owner = ok(JSON.parse('{"Operation":"File","Owner":{"ref":"Deployment","__proto__":"x","constructor":"y"}}'));
	assert.equal(JSON.stringify(owner.fields['Owner']), '{"Ref":"Deployment","__proto__":"x","constructor":"y"}');
});

test('the sidekick envelope is unwrapped', () => {
	const event = ok({
		Timestamp: 1_703_783_776,
		ClusterName: 'c1',
		EventType: 'Log',
		Detail: {Operation: 'Network', Resource: 'remoteip=1.1.1.1', Type: 'ContainerLog'},
	});
	assert.equal(event.kind, 'log');
	assert.equal(event.fields['Operation'], 'Network');
	assert.equal(event.fields['ClusterName'], 'c1');
	assert.equal('Detail' in event.fields, false);
});

test('values that are not event objects are rejected with a reason', () => {
	for (const value of [[1, 2], 'text', 42, null, true, {}]) {
		const result = normalize(value, 'test', now);
		assert.equal(typeof result, 'string', JSON.stringify(value));
	}
});

test('PPID and UID are kept when zero', () => {
	const event = ok({PPID: 0, UID: 0, Operation: 'Process'});
	assert.equal(event.fields['PPID'], 0);
	assert.equal(event.fields['UID'], 0);
});

test('a Timestamp beyond what a date can hold falls back to the arrival time', () => {
	const event = ok({Timestamp: 1e17, Operation: 'File'});
	assert.equal(eventTime(event), now);
	assert.equal(event.fields['Timestamp'], 1e17, 'the field itself is kept as it came');
});

test('UpdatedTime parsing agrees with Date.parse, fast path or not', () => {
	const texts = [
		'2023-06-27T12:21:47.932526Z',
		'2024-02-29T23:59:59.999999999Z',
		'2023-02-30T00:00:00Z',
		'2023-12-31T23:59:60Z',
		'1969-12-31T23:59:59.5Z',
		'2023-06-27T12:21:47Z',
		'2023-06-27T12:21:47.Z',
		'2023-06-27 12:21:47Z',
		'2023-06-27T12:21:47.1234567890Z',
		'not a time',
	];
	for (let index = 0; index < 3000; index++) {
		const iso = new Date(index * 97_654_321_987).toISOString();
		texts.push(iso, iso.replace('Z', `${index % 1000}Z`), iso.replace(/\.\d+Z$/, 'Z'));
	}

	for (const text of texts) assert.equal(parseUtc(text), Date.parse(text), text);
});

test('a value nested deeper than maxNesting is rejected before anything walks it; up to the limit it is kept', () => {
	const nested = (levels: number): unknown => JSON.parse('['.repeat(levels) + ']'.repeat(levels));
	const deepest = ok({Operation: 'File', Extra: nested(maxNesting)});
	assert.equal(jsonLine(deepest.fields).length, jsonLine({Operation: 'File'}).length + ',"Extra":'.length + 2 * maxNesting);
	const reason = /nested more than 64 levels deep/;
	assert.match(normalize({Operation: 'File', Extra: nested(maxNesting + 1)}, 'test', now) as string, reason);
	// Deep enough that JSON.stringify would overflow the stack, in every place a value can sit.
	const huge = nested(200_000);
	assert.match(normalize({Operation: 'File', Extra: {a: huge}}, 'test', now) as string, reason);
	assert.match(normalize({Operation: 'File', Owner: {Ref: huge}}, 'test', now) as string, reason);
	assert.match(normalize({operation: 'File', hostPid: 1, extra: huge}, 'test', now) as string, reason, 'camelCase (rebuilt)');
	assert.match(normalize({EventType: 'Alert', Detail: {Operation: 'File', X: huge}}, 'test', now) as string, reason, 'sidekick');
});

test('fields come out the same whatever the order and number of key orders seen before', () => {
	const camel = {operation: 'File', hostPid: 7, atags: ['MITRE'], message: '', type: 'ContainerLog'};
	const expected = ok({...camel}).fields;
	assert.deepEqual(expected, {Operation: 'File', HostPID: 7, ATags: ['MITRE'], Type: 'ContainerLog'});
	// Thousands of distinct keys and key orders (hostile input), then the same events in other orders.
	for (let index = 0; index < 6000; index++) ok({Operation: 'File', [`extra${index}`]: index, PID: index});
	const keys = Object.keys(camel);
	for (let shift = 0; shift < keys.length; shift++) {
		const reordered = Object.fromEntries([...keys.slice(shift), ...keys.slice(0, shift)].map(key => [key, camel[key as keyof typeof camel]]));
		assert.deepEqual(ok(reordered).fields, expected, `keys from ${keys[shift]!}`);
	}

	// A value cleaned to nothing stays as an undefined key, which --json leaves out.
	assert.equal(jsonLine(ok({Operation: 'File', PID: 1, Message: ''}).fields), '{"Operation":"File","PID":1}');
	assert.equal(jsonLine(ok({Operation: 'File', PID: 1, message: 'x'}).fields), '{"Operation":"File","PID":1,"Message":"x"}');
});

test('the kind follows KubeArmor\'s alert and log Types, in karmor\'s shape and the daemon\'s', () => {
	for (const [types, kind] of [
		[alertTypes, 'alert'],
		[logTypes, 'log'],
	] as const) {
		for (const type of types) {
			assert.equal(ok({Type: type, Operation: 'File'}).kind, kind, type);
			assert.equal(ok({type, operation: 'File', PolicyName: kind === 'log' ? 'p' : undefined}).kind, kind, `${type}, camelCase`);
		}
	}

	assert.equal(ok({Type: 'Unheard', Operation: 'File', PolicyName: 'p'}).kind, 'alert', 'a policy makes an alert');
	assert.equal(ok({Type: 'Unheard', Operation: 'File'}).kind, 'log');
});
