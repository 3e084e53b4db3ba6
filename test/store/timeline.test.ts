import assert from 'node:assert/strict';
import {test} from 'node:test';
import {eventTime} from '../../source/model/event.js';
import {bucketSize, buildTimeline, timelineBands} from '../../source/store/timeline.js';
import {makeEvent, sampleLines} from '../helpers/samples.js';
import {shuffled} from '../helpers/shuffle.js';

const at = (iso: string, severity: number) => makeEvent({Type: 'MatchedPolicy', Severity: String(severity), UpdatedTime: iso});

test('buckets are a round size, aligned to it, the fewest that fit the width', () => {
	assert.equal(bucketSize(Date.UTC(2025, 0, 1, 10, 0, 0), Date.UTC(2025, 0, 1, 10, 0, 59), 60), 1000);
	assert.equal(bucketSize(Date.UTC(2025, 0, 1, 10, 0, 0), Date.UTC(2025, 0, 1, 10, 59, 0), 60), 60_000);
	assert.equal(bucketSize(Date.UTC(2025, 0, 1, 10, 0, 0), Date.UTC(2025, 0, 1, 10, 59, 0), 30), 120_000);
	assert.equal(bucketSize(Date.UTC(2020, 0, 1), Date.UTC(2025, 0, 1), 10), 365 * 24 * 3_600_000);
	const timeline = buildTimeline([at('2025-01-01T10:00:05Z', 9), at('2025-01-01T10:00:07Z', 2), at('2025-01-01T10:03:59Z', 5)], 8);
	assert.equal(timeline.size, 30_000);
	assert.equal(timeline.buckets.length, 8);
	assert.equal(timeline.buckets[0].start, Date.UTC(2025, 0, 1, 10, 0, 0));
	assert.deepEqual(timeline.buckets[0].counts, [1, 0, 0, 1, 0], 'crit and low stacked in the first bucket');
	assert.deepEqual(timeline.buckets[7].counts, [0, 0, 1, 0, 0]);
	assert.equal(timeline.peak, 2);
});

test('the timeline of the public samples counts every event once, whatever their order', () => {
	const events = sampleLines().map(line => makeEvent(JSON.parse(line) as Record<string, unknown>));
	for (const width of [1, 7, 40, 118]) {
		const timeline = buildTimeline(events, width);
		assert.ok(timeline.buckets.length <= width && timeline.buckets.length > 0);
		assert.equal(timeline.buckets.reduce((sum, bucket) => sum + bucket.total, 0), events.length);
		for (const bucket of timeline.buckets) assert.equal(bucket.counts.reduce((a, b) => a + b, 0), bucket.total);
		for (const event of events) {
			const time = eventTime(event);
			const bucket = timeline.buckets.find(b => time >= b.start && time < b.start + timeline.size);
			assert.ok(bucket, 'each event falls in a bucket');
		}

		for (const seed of [1, 7, 99]) assert.deepEqual(buildTimeline(shuffled(events, seed), width), timeline);
	}

	assert.equal(timelineBands.length, 5);
	assert.deepEqual(buildTimeline([], 50).buckets, []);
});
