import assert from 'node:assert/strict';
import {test} from 'node:test';
import {localDateTime, localDayStart, listTime} from '../../source/ui/dates.js';
import {makeEvent} from '../helpers/samples.js';

// Local times, whatever TZ the tests run in: the screen shows local time.
const now = new Date(2026, 11, 2, 9, 30, 0).getTime();
const today = localDayStart(now);
const at = (...parts: [number, number, number, number, number, number]) => {
	const ms = new Date(...parts).getTime();
	return makeEvent({UpdatedTime: new Date(ms).toISOString(), Operation: 'File'});
};

test('list times: today as HH:MM:SS; other days as ls -l writes them, so old events do not look like today', () => {
	assert.equal(listTime(at(2026, 11, 2, 1, 40, 11), today, false), '01:40:11');
	assert.equal(listTime(at(2026, 11, 1, 21, 42, 28), today, true), 'Dec  1 21:42', 'yesterday: the date and the time');
	assert.equal(listTime(at(2026, 6, 14, 8, 5, 0), today, true), 'Jul 14 08:05', 'within the last half year');
	assert.equal(listTime(at(2025, 11, 1, 21, 42, 28), today, true), 'Dec  1  2025', 'last year: the year instead of the time');
	assert.equal(listTime(at(2027, 0, 5, 10, 0, 0), today, true), 'Jan  5  2027', 'the future (a skewed clock) shows its year');
	// With dates on screen, today's times line up under them.
	assert.equal(listTime(at(2026, 11, 2, 1, 40, 11), today, true), '    01:40:11');
	for (const text of ['Dec  1 21:42', 'Dec  1  2025', '    01:40:11']) assert.equal(text.length, 12);
});

test('an event without a time of its own reads "no time" in the list, not when it arrived', () => {
	const timeless = makeEvent({Operation: 'File', Resource: '/etc/shadow'});
	assert.equal(listTime(timeless, localDayStart(timeless.receivedAt), false), 'no time');
});

test('the detail pane date-time: local, to the millisecond, with the offset from UTC', () => {
	const ms = new Date(2023, 9, 3, 8, 1, 42, 373).getTime();
	const offset = -new Date(ms).getTimezoneOffset();
	const zone = `${offset < 0 ? '-' : '+'}${String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0')}:${String(Math.abs(offset) % 60).padStart(2, '0')}`;
	assert.equal(localDateTime(ms), `2023-10-03 08:01:42.373 ${zone}`);
	assert.equal(localDateTime(1e300), 'beyond what a date can hold');
});

test('a column too narrow for date and time keeps the day: "Dec  1", "Dec 2025"; today keeps its clock', () => {
	assert.equal(listTime(at(2026, 11, 1, 21, 42, 28), today, true, true), 'Dec  1');
	assert.equal(listTime(at(2025, 11, 1, 21, 42, 28), today, true, true), 'Dec 2025');
	assert.equal(listTime(at(2026, 11, 2, 1, 40, 11), today, true, true), '01:40:11');
});
