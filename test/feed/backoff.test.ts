import assert from 'node:assert/strict';
import {test} from 'node:test';
import {backoffDelay, defaultBackoff, nextAttempt} from '../../source/feed/backoff.js';

test('doubles from 0.5 s and stops at 30 s, without jitter', () => {
	const exact = {...defaultBackoff, jitter: 0};
	const delays = [1, 2, 3, 4, 5, 6, 7, 8, 20, 1000].map(attempt => backoffDelay(attempt, exact));
	assert.deepEqual(delays, [500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000, 30_000]);
});

test('jitter spreads delays by up to +-20 % and never leaves [0.5 s, 30 s]', () => {
	assert.equal(backoffDelay(3, defaultBackoff, () => 0), 1600);
	assert.equal(backoffDelay(3, defaultBackoff, () => 1), 2400);
	assert.equal(backoffDelay(3, defaultBackoff, () => 0.5), 2000);
	assert.equal(backoffDelay(1, defaultBackoff, () => 0), 500, 'never below the first delay');
	assert.equal(backoffDelay(12, defaultBackoff, () => 1), 30_000, 'never above the cap');
	assert.equal(backoffDelay(12, defaultBackoff, () => 0), 24_000);
	for (let attempt = 0; attempt < 60; attempt++) {
		for (const r of [0, 0.13, 0.5, 0.77, 0.999, 1]) {
			const delay = backoffDelay(attempt, defaultBackoff, () => r);
			assert.ok(delay >= 500 && delay <= 30_000, `attempt ${attempt}, random ${r}: ${delay}`);
		}
	}
});

test('odd inputs stay in range', () => {
	assert.equal(backoffDelay(0, {...defaultBackoff, jitter: 0}), 500);
	assert.equal(backoffDelay(-3, {...defaultBackoff, jitter: 0}), 500);
	assert.equal(backoffDelay(Number.MAX_SAFE_INTEGER, {...defaultBackoff, jitter: 0}), 30_000);
	assert.equal(backoffDelay(2, defaultBackoff, () => 7), 1200, 'a random source out of [0, 1] is clamped');
});

test('the series starts again after a connection that stayed up 10 s', () => {
	assert.equal(nextAttempt(0, undefined), 1);
	assert.equal(nextAttempt(4, undefined), 5, 'never connected');
	assert.equal(nextAttempt(4, 9_999), 5, 'connected briefly');
	assert.equal(nextAttempt(4, 10_000), 1, 'connected long enough');
	assert.equal(nextAttempt(4, 50, {...defaultBackoff, resetAfterMs: 50}), 1);
});
