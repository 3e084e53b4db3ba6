import assert from 'node:assert/strict';
import {test} from 'node:test';
import {bearerMatches} from '../../source/serve/auth.js';
import {EventHub} from '../../source/serve/event-hub.js';
import type {MonitorEvent} from '../../source/model/event.js';

test('bearerMatches accepts exactly the token, with any case of "Bearer"', () => {
	assert.equal(bearerMatches('Bearer abc123', 'abc123'), true);
	assert.equal(bearerMatches('bearer   abc123 ', 'abc123'), true);
	assert.equal(bearerMatches('Bearer abc1234', 'abc123'), false);
	assert.equal(bearerMatches('Bearer abc12', 'abc123'), false);
	assert.equal(bearerMatches('Basic abc123', 'abc123'), false);
	assert.equal(bearerMatches('abc123', 'abc123'), false);
	assert.equal(bearerMatches('Bearer ', ''), false);
	assert.equal(bearerMatches(undefined, 'abc123'), false);
	assert.equal(bearerMatches('', 'abc123'), false);
});

test('EventHub: a throwing listener does not stop the others; unsubscribe works', () => {
	const hub = new EventHub();
	const seen: number[] = [];
	hub.subscribe(() => {
		throw new Error('broken consumer');
	});
	const unsubscribe = hub.subscribe(event => seen.push(event.seq));
	const event = {seq: 1, kind: 'alert', time: 0, severity: 0, source: 'x', receivedAt: 0, fields: {}} satisfies MonitorEvent;
	hub.publish(event);
	unsubscribe();
	hub.publish({...event, seq: 2});
	assert.deepEqual(seen, [1]);
	assert.equal(hub.size, 1);
});
