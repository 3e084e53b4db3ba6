import assert from 'node:assert/strict';
import {test} from 'node:test';
import {LineSplitter} from '../../source/feed/line-splitter.js';

function split(chunks: Array<Buffer | string>, max?: number) {
	const lines: string[] = [];
	const oversized: number[] = [];
	const splitter = new LineSplitter(
		{
			line(text) {
				lines.push(text);
			},
			oversized(bytes) {
				oversized.push(bytes);
			},
		},
		max,
	);
	for (const chunk of chunks) splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
	splitter.end();
	return {lines, oversized};
}

test('splits lines across chunks and keeps a last line without newline', () => {
	assert.deepEqual(split(['{"a":', '1}\n{"b"', ':2}\n{"c":3}']).lines, ['{"a":1}', '{"b":2}', '{"c":3}']);
});

test('a BOM, CRLF ends and blank lines are accepted silently', () => {
	assert.deepEqual(split(['\uFEFF{"a":1}\r\n\r\n   \n{"b":2}\r\n']).lines, ['{"a":1}', '{"b":2}']);
});

test('a multi-byte character split between chunks survives', () => {
	const bytes = Buffer.from('{"p":"日本"}\n');
	assert.deepEqual(split([bytes.subarray(0, 8), bytes.subarray(8)]).lines, ['{"p":"日本"}']);
});

test('an over-long line is skipped and counted; the next line still arrives', () => {
	const big = 'x'.repeat(3000);
	const result = split(['{"a":1}\n', big.slice(0, 1000), big.slice(1000), '\n{"b":2}\n'], 1024);
	assert.deepEqual(result.lines, ['{"a":1}', '{"b":2}']);
	assert.deepEqual(result.oversized, [3000]);
});

test('a 3 MiB line is never held whole: memory stays near the limit', () => {
	const chunk = Buffer.alloc(64 * 1024, 0x61);
	let held = 0;
	const splitter = new LineSplitter({
		line() {},
		oversized(bytes) {
			held = bytes;
		},
	});
	const before = process.memoryUsage().arrayBuffers;
	for (let i = 0; i < 48; i++) splitter.push(chunk);
	const during = process.memoryUsage().arrayBuffers;
	splitter.push(Buffer.from('\n'));
	assert.equal(held, 48 * 64 * 1024);
	assert.ok(during - before < 2 * 1024 * 1024, `held ${during - before} bytes`);
});

test('one chunk holding an over-long line among short ones: the short ones arrive, the long one is counted', () => {
	const long = `{"x":"${'y'.repeat(2000)}"}`;
	const result = split([`{"a":"日本"}\r\n${long}\n{"b":2}\n\n{"c":3}\n`], 1024);
	assert.deepEqual(result.lines, ['{"a":"日本"}', '{"b":2}', '{"c":3}']);
	assert.deepEqual(result.oversized, [long.length]);
});

test('whole chunks and byte-by-byte chunks give the same lines', () => {
	const text = '\uFEFF{"a":"ü → 日本 🙂"}\r\n\n{"b":2}\n  \n{"c":"\u202e"}\r\n{"d":4}';
	const bytes = Buffer.from(text);
	const byteByByte = [...bytes].map(byte => Buffer.from([byte]));
	const expected = ['{"a":"ü → 日本 🙂"}', '{"b":2}', '{"c":"\u202e"}', '{"d":4}'];
	assert.deepEqual(split([bytes]).lines, expected);
	assert.deepEqual(split(byteByByte).lines, expected);
});
