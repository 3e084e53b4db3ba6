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

/** Every way of cutting `bytes` in two, plus byte by byte: a line end or a BOM split anywhere. */
function everyCut(bytes: Buffer): Buffer[][] {
	const cuts: Buffer[][] = [[bytes], [...bytes].map(byte => Buffer.from([byte]))];
	for (let at = 1; at < bytes.length; at++) cuts.push([bytes.subarray(0, at), bytes.subarray(at)]);
	return cuts;
}

test('a UTF-8 BOM opening any line is removed, as one opening the input is (cat a.ndjson b.ndjson)', () => {
	const a = '\uFEFF{"a":1}\n{"a":2}\n';
	const b = '\uFEFF{"b":1}\r\n{"b":2}\r\n';
	for (const chunks of everyCut(Buffer.from(a + b))) {
		assert.deepEqual(split(chunks).lines, ['{"a":1}', '{"a":2}', '{"b":1}', '{"b":2}']);
	}

	// Only one BOM goes: a second one is part of the line (and shown as a placeholder later).
	assert.deepEqual(split(['\uFEFF\uFEFF{"c":1}\n']).lines, ['\uFEFF{"c":1}']);
	// A BOM inside a line is data.
	assert.deepEqual(split(['{"d":"x\uFEFFy"}\n']).lines, ['{"d":"x\uFEFFy"}']);
});

test('a CR alone ends a line (old Mac files, serial exporters); CRLF stays one line end wherever the chunks are cut', () => {
	const expected = ['{"a":1}', '{"b":"日本"}', '{"c":3}', '{"d":4}', '{"e":5}'];
	// CR only, CRLF, LF, and a CR-only line after a CRLF one; no blank line between the ends of a CRLF.
	const text = '{"a":1}\r{"b":"日本"}\r\n{"c":3}\n{"d":4}\r\r\n\r{"e":5}';
	for (const chunks of everyCut(Buffer.from(text))) assert.deepEqual(split(chunks).lines, expected);
	// The same through the path for chunks bigger than the limit (each line cut out of the buffer).
	for (const chunks of everyCut(Buffer.from(text))) assert.deepEqual(split(chunks, 16).lines, expected);
});

test('CR-only input is not one over-long line: every event arrives, and an over-long one ended by a CR is counted', () => {
	const lines = Array.from({length: 2000}, (_, index) => `{"n":${index}}`);
	const result = split([lines.join('\r') + '\r'], 1024);
	assert.deepEqual(result.lines, lines);
	assert.deepEqual(result.oversized, []);
	const long = 'x'.repeat(3000);
	const skipped = split(['{"a":1}\r', long.slice(0, 1500), `${long.slice(1500)}\r\n{"b":2}\r`], 1024);
	assert.deepEqual(skipped.lines, ['{"a":1}', '{"b":2}']);
	assert.deepEqual(skipped.oversized, [3000]);
});

test('one CR after many LF lines (or one LF after many CR lines) in a big chunk stays fast', () => {
	// Searched naively, each of the 200k lines would look for the next CR again: 200k searches of up to 2 MB.
	for (const [end, other] of [['\n', '\r'], ['\r', '\n']]) {
		const text = '{"n":1}'.concat(end).repeat(200_000) + `{"last":1}${other}`;
		const started = performance.now();
		const result = split([text], 64);
		const ms = performance.now() - started;
		assert.equal(result.lines.length, 200_001);
		assert.ok(ms < 5000, `${JSON.stringify(end)} lines took ${Math.round(ms)} ms`);
	}
});

test('a line is vouched printable only when it is: never with a byte a terminal must not get', () => {
	const printableOf = (chunks: string[]) => {
		const seen: Array<[string, string]> = [];
		const splitter = new LineSplitter({
			line(text, known) {
				seen.push([text, known]);
			},
			oversized() {},
		});
		for (const chunk of chunks) splitter.push(Buffer.from(chunk));
		splitter.end();
		return seen;
	};

	assert.deepEqual(printableOf(['{"a":"x"}\n{"b":"y"}\r\n']), [
		['{"a":"x"}', 'plain'],
		['{"b":"y"}', 'plain'],
	]);
	// An escape is printable as text, but `\u001b` is ESC once JSON.parse decodes it: the strings are not vouched.
	assert.deepEqual(printableOf(['{"a":"x"}\n{"b":"\\u001b[31m"}\r\n']), [
		['{"a":"x"}', 'printable'],
		['{"b":"\\u001b[31m"}', 'printable'],
	]);
	for (const odd of ['\t', '\u007F', '\u00E9', '\u200B', '\u009B', '\u{1F600}', '\uFEFF']) {
		const lines = printableOf([`{"a":"ok"}\n{"b":${odd}"x"}\n`]);
		assert.equal(lines.length, 2);
		for (const [text, known] of lines) assert.equal(known, 'unknown', `${JSON.stringify(odd)} in the chunk: ${text}`);
	}

	// A line cut between chunks, and the last line without a newline: not looked at, so not vouched.
	assert.deepEqual(printableOf(['{"a":', '1}\n{"b":2}']), [
		['{"a":1}', 'unknown'],
		['{"b":2}', 'unknown'],
	]);
});

test('a big chunk, decoded in pieces: every line arrives whole, wherever the pieces are cut, and only ASCII is vouched', () => {
	// Lines of every length around the 64 KiB pieces, a 100 KB line, multi-byte characters here and there, blank
	// lines: chunks of 1 MB, of 256 KiB as a file is read, and of 64 KiB and a byte.
	const lines: string[] = [];
	for (let index = 0; lines.join('\n').length < 1024 * 1024; index++) {
		const filler = index % 97 === 0 ? 'x'.repeat(100_000) : 'y'.repeat((index * 7919) % 3000);
		const odd = index % 13 === 0 ? '日本 🙂' : '';
		lines.push(`{"n":${index},"f":"${filler}${odd}"}`, ...(index % 11 === 0 ? [''] : []));
	}

	const bytes = Buffer.from(lines.join('\n') + '\n');
	const expected = lines.filter(line => line !== '');
	const seen = (chunkBytes: number) => {
		const got: Array<[string, string]> = [];
		const splitter = new LineSplitter({
			line(text, known) {
				got.push([text, known]);
			},
			oversized() {
				assert.fail('no line is over the limit');
			},
		});
		for (let at = 0; at < bytes.length; at += chunkBytes) splitter.push(bytes.subarray(at, at + chunkBytes));
		splitter.end();
		return got;
	};

	for (const chunkBytes of [1_000_000, 256 * 1024, 65_537]) {
		const got = seen(chunkBytes);
		assert.deepEqual(
			got.map(([text]) => text),
			expected,
			`chunks of ${chunkBytes} bytes`,
		);
		for (const [text, known] of got) {
			if (known !== 'unknown') assert.match(text, /^[\x20-\x5b\x5d-\x7e]*$/, `vouched ${known}: only printable ASCII`);
		}

		// Pieces of ASCII lines are vouched even when a later piece is not ASCII.
		assert.ok(got.some(([, known]) => known === 'plain'), `chunks of ${chunkBytes} bytes: some lines vouched`);
	}
});
