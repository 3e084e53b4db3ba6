import assert from 'node:assert/strict';
import {test} from 'node:test';
import {parseOptions} from '../source/options.js';

test('stdin ("-") cannot be both the feed and the keyboard: a clear error instead of a monitor q cannot quit', () => {
	assert.throws(() => parseOptions(['-'], true, true, {}), /stdin \("-"\) is this terminal: pipe events in/);
	assert.throws(() => parseOptions(['-', 'demo'], true, true, {}), /stdin \("-"\) is this terminal/);
	// Line mode reads a terminal like cat does; piped stdin leaves the terminal to the keys.
	assert.equal(parseOptions(['-', '--plain'], true, true, {}).mode, 'plain');
	assert.equal(parseOptions(['-'], true, false, {}).mode, 'plain');
	assert.equal(parseOptions(['-'], false, true, {}).mode, 'tui');
	// With no source named, a terminal on stdin means the demo feed (or the relay), never stdin.
	assert.deepEqual(parseOptions([], true, true, {}).sources, ['demo']);
	assert.deepEqual(parseOptions([], true, true, {KUBEARMOR_SERVICE: 'relay:32767'}).sources, ['grpc://relay:32767']);
	assert.deepEqual(parseOptions([], false, true, {}).sources, ['-']);
});

test('--max-alerts and --rate stop where the monitor could no longer do what they ask', () => {
	assert.equal(parseOptions(['--max-alerts', '10000000'], true, true, {}).maxAlerts, 10_000_000);
	assert.throws(() => parseOptions(['--max-alerts', '1000000000'], true, true, {}), /--max-alerts goes up to 10,000,000, got 1000000000/);
	assert.equal(parseOptions(['demo', '--rate', '1000000'], true, true, {}).rate, 1_000_000);
	assert.throws(() => parseOptions(['demo', '--rate', '99999999999'], true, true, {}), /--rate goes up to 1,000,000/);
});
