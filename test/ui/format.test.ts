import assert from 'node:assert/strict';
import {test} from 'node:test';
import {performance} from 'node:perf_hooks';
import {stripVTControlCharacters} from 'node:util';
import chalk from 'chalk';
import stringWidth from 'string-width';
import {columnsUpTo, cutWithEllipsis, ellipsize, ellipsizeStart, fit, isoTime, rowParts} from '../../source/ui/format.js';
import {makeEvent, sampleLines} from '../helpers/samples.js';
import {fitSpans} from '../../source/ui/paint.js';

// Forced colour: the styles must really insert escape sequences for the width checks to mean anything.
chalk.level = 1;
const width = (text: string) => stringWidth(stripVTControlCharacters(text));

test('fit gives exactly the width: padded when short, cut with an ellipsis when long, wide characters whole', () => {
	assert.equal(fit('abc', 5), 'abc  ');
	assert.equal(fit('abcdef', 5), 'abcd…');
	assert.equal(fit('日本語テキスト', 6), '日本… ');
	assert.equal(width(fit('日本語テキスト', 6)), 6);
	assert.equal(fit('👩‍💻👩‍💻👩‍💻', 5), '👩‍💻👩‍💻…');
	assert.equal(fit('anything', 0), '');
});

test('ellipsize cuts only what is too long and never pads; cutWithEllipsis always ends in one', () => {
	assert.equal(ellipsize('abc', 5), 'abc');
	assert.equal(ellipsize('abcdef', 5), 'abcd…');
	assert.equal(ellipsize('日本語', 6), '日本語');
	assert.equal(ellipsize('日本語', 5), '日本…');
	assert.equal(cutWithEllipsis('abc', 3), 'ab…');
	assert.equal(cutWithEllipsis('abc', 0), '');
});

test('ellipsizeStart keeps the end, where the cursor is', () => {
	assert.equal(ellipsizeStart('ns:default proc:curl', 10), '…proc:curl');
	assert.equal(ellipsizeStart('short', 10), 'short');
	assert.equal(ellipsizeStart('ab日本語', 5), '…本語');
});

test('fitSpans: coloured spans cut at the width with an ellipsis, colours closed, nothing after the cut', () => {
	const spans = [['SEV ', chalk.bold], ['crit', chalk.magenta], [' 3 high 12 med 40 low 7'], ['    OP  Process 24', chalk.cyan]] as const;
	for (const columns of [1, 4, 5, 8, 12, 30, 60, 200]) {
		const line = fitSpans(spans, columns);
		assert.ok(width(line) <= columns, `${columns}: ${line}`);
		const plain = stripVTControlCharacters(line);
		const whole = spans.map(([text]) => text).join('');
		if (whole.length <= columns) assert.equal(plain, whole);
		else {
			assert.equal(plain.length, columns, `${columns}: cut lines use the whole width`);
			assert.ok(plain.endsWith('…'), plain);
			assert.equal(plain.slice(0, -1), whole.slice(0, columns - 1));
		}

		// Every colour that was opened is closed: the next thing on the screen is not painted by accident.
		const escapes = line.match(/\u001B\[\d*m/g) ?? [];
		if (escapes.length > 0) assert.match(escapes.at(-1)!, /\[(?:0|22|39)?m$/, JSON.stringify(line));
	}
});

test('fitSpans: a span that fills the width exactly is cut only when more text follows it', () => {
	assert.equal(fitSpans([['abcde']], 5), 'abcde');
	assert.equal(fitSpans([['abcde'], ['']], 5), 'abcde');
	assert.equal(fitSpans([['abcde'], ['f']], 5), 'abcd…');
	assert.equal(fitSpans([['ab'], ['日本語']], 5), 'ab日…');
	// A wide character that would straddle the edge is left out whole.
	assert.equal(fitSpans([['abc'], ['日本']], 5), 'abc…');
});

test('a list row is exactly its width, narrow lists included, and keeps the process before the place', () => {
	const events = sampleLines().map(line => makeEvent(JSON.parse(line) as Record<string, unknown>));
	for (let width = 32; width <= 120; width++) {
		for (const event of events) {
			const parts = rowParts(event, width);
			const row = [parts.time, parts.severity, parts.action, parts.operation, parts.where, parts.process, parts.what].join(' ');
			assert.equal(stringWidth(row), width, `width ${width}: ${row}`);
		}
	}

	const curl = makeEvent({ProcessName: '/usr/bin/curl', NamespaceName: 'payments', PodName: 'api-1', Operation: 'Network'});
	assert.equal(rowParts(curl, 37).process.trim(), 'curl');
	assert.equal(rowParts(curl, 37).where, '');
});

test('a list row with values of most of a 1 MiB line is drawn in milliseconds, cut to its width', () => {
	// 47 s before: string-width measured the whole value, and its segmenter slows with the square of the length.
	const event = makeEvent({
		Operation: 'File',
		Action: 'Block',
		Resource: '/tmp/' + '日本é'.repeat(50_000),
		ProcessName: '/bin/' + 'ü'.repeat(100_000),
		NamespaceName: '😀'.repeat(50_000),
	});
	const start = performance.now();
	const parts = rowParts(event, 69);
	const ms = performance.now() - start;
	const row = [parts.time, parts.severity, parts.action, parts.operation, parts.where, parts.process, parts.what].join(' ');
	assert.equal(stringWidth(row), 69, row);
	assert.match(parts.what, /^\/tmp\/日本é.*…\s*$/);
	assert.ok(ms < 1000, `${ms.toFixed(0)} ms`);
});

test('fitting a long string looks only at the part that can show: same cut, no split surrogate pair', () => {
	const long = 'é😀'.repeat(100_000);
	const short = 'é😀'.repeat(20);
	assert.equal(ellipsize(long, 11), ellipsize(short, 11));
	assert.equal(cutWithEllipsis(long, 11), cutWithEllipsis(short, 11));
	assert.equal(ellipsizeStart(long, 11), ellipsizeStart(short, 11));
	assert.equal(fit(long, 12), fit(short, 12));
	assert.equal(stringWidth(fit(long, 12)), 12);
	assert.equal(columnsUpTo(short, 1000), stringWidth(short), 'exact when it fits');
	assert.ok(columnsUpTo(long, 20) > 20, 'over the limit when it does not');
	assert.equal(ellipsize('日本語', 6), '日本語', 'short strings are measured whole as before');
});

test('isoTime equals toISOString across years, leap days and the edges of the fast path', () => {
	const times = [0, 951_782_400_000, 1_709_251_199_123, 4_102_444_800_000, 253_402_300_799_999, 1.7e12 + 0.5];
	for (let index = 0; index < 2000; index++) times.push(Math.floor(index * 126_230_400_000.7) % 253_402_300_800_000);
	for (const ms of times) assert.equal(isoTime(ms), new Date(ms).toISOString(), String(ms));
	assert.throws(() => isoTime(Number.NaN), RangeError);
});
