import assert from 'node:assert/strict';
import {test} from 'node:test';
import {ClientQueue} from '../../source/serve/client-queue.js';

const message = (events: number, tag = 'x') => ({bytes: Buffer.from(tag.repeat(events)), events});

test('holds messages in order', () => {
	const queue = new ClientQueue(100);
	queue.push(message(10, 'a'));
	queue.push(message(20, 'b'));
	assert.equal(queue.events, 30);
	assert.equal(queue.bytes, 30);
	assert.equal(queue.length, 2);
	assert.equal(queue.shift()!.bytes.toString(), 'a'.repeat(10));
	assert.equal(queue.shift()!.events, 20);
	assert.equal(queue.shift(), undefined);
	assert.equal(queue.events, 0);
});

test('past the bound the oldest messages are dropped and counted; the newest stays', () => {
	const queue = new ClientQueue(50);
	assert.equal(queue.push(message(30, 'a')), 0);
	assert.equal(queue.push(message(20, 'b')), 0);
	assert.equal(queue.push(message(10, 'c')), 30);
	assert.equal(queue.events, 30);
	assert.equal(queue.dropped, 30);
	assert.equal(queue.shift()!.bytes.toString()[0], 'b');
	assert.equal(queue.push(message(500, 'd')), 10, 'a message bigger than the bound is still kept');
	assert.equal(queue.events, 500);
	assert.equal(queue.dropped, 40);
});

test('stays compact through many pushes and shifts', () => {
	const queue = new ClientQueue(1000);
	let dropped = 0;
	for (let index = 0; index < 20_000; index++) {
		dropped += queue.push(message(1));
		if (index % 3 === 0) queue.shift();
	}

	assert.equal(queue.events, 1000);
	assert.equal(queue.dropped, dropped);
	assert.equal(queue.length, 1000);
	queue.clear();
	assert.equal(queue.events, 0);
	assert.equal(queue.bytes, 0);
});

test('a queue must hold something', () => {
	assert.throws(() => new ClientQueue(0), RangeError);
});
