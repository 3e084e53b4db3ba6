import assert from 'node:assert/strict';
import {test} from 'node:test';
import {performance} from 'node:perf_hooks';
import {stripVTControlCharacters} from 'node:util';
import chalk from 'chalk';
import stringWidth from 'string-width';
import type {MonitorEvent} from '../../source/model/event.js';
import {listLayout} from '../../source/ui/components/alert-list.js';
import {localDayStart} from '../../source/ui/dates.js';
import {actionWord, columnsUpTo, cutWithEllipsis, ellipsize, ellipsizeStart, fit, graphemesOf, isoTime, plainLine, rowParts} from '../../source/ui/format.js';
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

/** The row for an event at `width`, laid out as the list lays out a screen of just these events. */
function rowFor(events: MonitorEvent[], event: MonitorEvent, width: number, today = localDayStart(Date.now())) {
	const {widths, dated} = listLayout(events, today, width);
	return rowParts(event, widths, today, dated);
}

const joined = (parts: ReturnType<typeof rowParts>) =>
	[parts.time, parts.severity, parts.action, parts.operation, parts.where, parts.process, parts.what].join(' ');

test('a list row is exactly its width, narrow lists included, and keeps the process before the place', () => {
	const events = sampleLines().map(line => makeEvent(JSON.parse(line) as Record<string, unknown>));
	const today = localDayStart(Date.now());
	for (let width = 32; width <= 200; width++) {
		const {widths, dated} = listLayout(events, today, width);
		for (const event of events) {
			const row = joined(rowParts(event, widths, today, dated));
			assert.equal(stringWidth(row), width, `width ${width}: ${row}`);
		}
	}

	const curl = makeEvent({ProcessName: '/usr/bin/curl', NamespaceName: 'payments', PodName: 'api-1', Operation: 'Network'});
	assert.equal(rowFor([curl], curl, 37).process.trim(), 'curl');
	assert.ok(rowFor([curl], curl, 37).where.trim().endsWith('…'), 'the place is cut first');
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
	const parts = rowFor([event], event, 69);
	const ms = performance.now() - start;
	assert.equal(stringWidth(joined(parts)), 69, joined(parts));
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

/** Whether `grep -w word` selects the line: the word with no letter, digit or underscore either side. */
function grepWord(line: string, word: string): boolean {
	return new RegExp(`(?:^|[^A-Za-z0-9_])${word}(?:[^A-Za-z0-9_]|$)`).test(line);
}

test('the action is one word: grep -w BLOCK picks exactly the Block events, not audit mode or SOCK_NONBLOCK', () => {
	const socket = 'domain=AF_INET type=SOCK_DGRAM|SOCK_NONBLOCK|SOCK_CLOEXEC protocol=0';
	for (const action of ['Block', 'Audit', 'Allow', 'Audit (Block)', 'Audit (Allow)', 'Remove', undefined]) {
		const event = makeEvent({UpdatedTime: '2024-01-01T00:00:00Z', Operation: 'Network', Resource: socket, ...(action ? {Action: action} : {})});
		const line = plainLine(event);
		assert.equal(grepWord(line, 'BLOCK'), action === 'Block', `${action}: ${line}`);
		assert.equal(grepWord(line, 'AUDIT'), action?.startsWith('Audit') ?? false, `${action}: ${line}`);
	}

	assert.equal(actionWord('Block'), 'BLOCK');
	assert.equal(actionWord('Audit (Block)'), 'AUDIT(block)', 'audit mode: audited, and what it would have done');
	assert.equal(actionWord('Quarantine Now'), 'Quarantine_Now', 'an unknown action stays one word');
	assert.equal(actionWord('\u001B[31mBlock'), '␛[31mBlock', 'sanitized');
});

test('the list names audit-mode actions in words a newcomer can read', () => {
	const today = localDayStart(Date.now());
	const events = ['Audit (Block)', 'Audit (Allow)', 'Block', 'Audit'].map(Action =>
		makeEvent({UpdatedTime: new Date().toISOString(), Operation: 'File', Action}),
	);
	assert.deepEqual(
		events.map(event => rowFor(events, event, 77, today).action.trim()),
		['AUDIT(block)', 'AUDIT(allow)', 'BLOCK', 'AUDIT'],
	);
});

test('line mode never passes the arrival off as the event time: a timeless event starts with received=', () => {
	const timeless = makeEvent({Operation: 'File', Action: 'Block', Resource: '/etc/shadow'});
	assert.equal(plainLine(timeless).split(' ')[0], `received=${new Date(timeless.receivedAt).toISOString()}`);
	const timed = makeEvent({Timestamp: 1_703_783_776, Operation: 'File'});
	assert.equal(plainLine(timed).split(' ')[0], '2023-12-28T17:16:16.000Z');
});

test('graphemesOf gives what Intl.Segmenter gives, whatever the piece size, never splitting a grapheme', () => {
	const segmenter = new Intl.Segmenter(undefined, {granularity: 'grapheme'});
	const parts = ['a', 'bc', '/', ' ', 'é', 'e\u0301', '日本', '👩‍💻', '\u{1F1E9}\u{1F1EA}', '❤️', '\u0600' + '1', '한국', 'x\u0308\u0301', '…'];
	let seed = 7;
	const random = () => {
		seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
		return seed / 2_147_483_648;
	};

	for (let round = 0; round < 300; round++) {
		const value = Array.from({length: 1 + Math.floor(random() * 40)}, () => parts[Math.floor(random() * parts.length)]).join('');
		const expected = [...segmenter.segment(value)].map(({segment}) => segment);
		for (const piece of [8, 16, 64, 256]) assert.deepEqual([...graphemesOf(value, piece)], expected, `${piece}: ${JSON.stringify(value)}`);
	}
});

test('fit and ellipsize cut mixed text where a grapheme-by-grapheme measure would, plain ASCII runs included', () => {
	const segmenter = new Intl.Segmenter(undefined, {granularity: 'grapheme'});
	/** The cut a grapheme-by-grapheme walk makes: the value when it fits, else what fits before an ellipsis. */
	const cut = (value: string, width: number) => {
		if (stringWidth(value) <= width) return value;
		let kept = '';
		for (const {segment} of segmenter.segment(value)) {
			if (stringWidth(kept + segment) > width - 1) break;
			kept += segment;
		}

		return kept + '…';
	};

	const parts = ['/data/', 'café', 'e\u0301', '日本', '👩‍💻', 'abc', ' ', '\u{1F1E9}\u{1F1EA}', 'x'];
	let seed = 3;
	const random = () => {
		seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
		return seed / 2_147_483_648;
	};

	for (let round = 0; round < 300; round++) {
		const value = Array.from({length: Math.floor(random() * 30)}, () => parts[Math.floor(random() * parts.length)]).join('');
		for (const width of [1, 2, 5, 12, 40]) {
			const expected = cut(value, width);
			assert.equal(ellipsize(value, width), expected, `${width}: ${JSON.stringify(value)}`);
			assert.equal(fit(value, width), expected + ' '.repeat(width - stringWidth(expected)), `${width}: ${JSON.stringify(value)}`);
			assert.equal(columnsUpTo(value, 1000), stringWidth(value));
		}
	}
});
