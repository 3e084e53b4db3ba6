import assert from 'node:assert/strict';
import {test} from 'node:test';
import {RingBuffer} from '../../source/store/ring-buffer.js';

test('keeps the newest items, addressed by sequence number', () => {
	const ring = new RingBuffer<string>(3);
	assert.equal(ring.size, 0);
	assert.equal(ring.get(1), undefined);
	for (const item of ['a', 'b', 'c', 'd', 'e']) ring.push(item);
	assert.equal(ring.size, 3);
	assert.equal(ring.newestSeq, 5);
	assert.equal(ring.oldestSeq, 3);
	assert.deepEqual([3, 4, 5].map(seq => ring.get(seq)), ['c', 'd', 'e']);
	assert.equal(ring.get(2), undefined, 'dropped');
	assert.equal(ring.get(6), undefined, 'not yet');
});

test('rejects a capacity that is not a positive integer', () => {
	assert.throws(() => new RingBuffer(0), RangeError);
	assert.throws(() => new RingBuffer(1.5), RangeError);
});
