import assert from 'node:assert/strict';
import {test} from 'node:test';
import {performance} from 'node:perf_hooks';
import stringWidth from 'string-width';
import {DetailLayout, detailLines, layoutDetail, wrap} from '../../source/ui/detail-lines.js';
import {localDateTime} from '../../source/ui/dates.js';
import {makeEvent, sampleLines} from '../helpers/samples.js';

test('every field of every public sample appears in the detail lines', () => {
	for (const line of sampleLines()) {
		const event = makeEvent(JSON.parse(line) as Record<string, unknown>);
		const labels = new Set(detailLines(event).flatMap(entry => (entry.kind === 'field' ? [entry.label] : [])));
		for (const name of Object.keys(event.fields)) {
			if (event.fields[name] === undefined) continue; // emptied by normalizing ("Message":""): absent
			const folded = ['ParentProcessName', 'ProcessName', 'PPID', 'PID', 'HostPPID', 'HostPID'].includes(name);
			assert.ok(labels.has(name) || (folded && labels.has('who')), `${name} missing`);
		}
	}
});

test('layout wraps long values instead of cutting them, within the width', () => {
	const event = makeEvent({ContainerImage: 'docker.io/library/wordpress:4.8-apache@sha256:' + 'a'.repeat(64), Operation: 'File'});
	const rows = layoutDetail(detailLines(event), 40);
	for (const row of rows) assert.ok(stringWidth(`${row.label} ${row.value}`) <= 40, row.value);
	const image = rows.filter(row => row.kind === 'field').map(row => row.value);
	assert.ok(image.join('').includes('wordpress:4.8-apache@sha256:' + 'a'.repeat(64)));
});

test('wrap breaks after spaces or before slashes when it can, and keeps wide characters whole', () => {
	assert.deepEqual(wrap('alpha beta gamma delta', 12), ['alpha beta ', 'gamma delta']);
	assert.deepEqual(wrap('/usr/lib/locale/C.UTF-8', 12), ['/usr/lib', '/locale', '/C.UTF-8']);
	const pieces = wrap('日本語のファイル名', 5);
	for (const piece of pieces) assert.ok(stringWidth(piece) <= 5);
	assert.equal(pieces.join(''), '日本語のファイル名');
});

test('a field normalizing emptied (AccuKnox "" and null) is not listed', () => {
	const event = makeEvent({Operation: 'File', Message: '', ATags: null, Resource: '/etc/shadow'});
	const labels = detailLines(event).flatMap(entry => (entry.kind === 'field' ? [entry.label] : []));
	assert.ok(labels.includes('Resource'));
	assert.ok(!labels.includes('Message'), labels.join(' '));
	assert.ok(!labels.includes('ATags'), labels.join(' '));
});

test('a value of most of a 1 MiB line wraps whole, every piece within the width, in well under a second', () => {
	// Non-ASCII: V8's grapheme segmenter slows with the square of the length it is handed (this took minutes).
	const value = '/tmp/' + '日本é'.repeat(50_000) + '😀'.repeat(2000);
	const start = performance.now();
	const pieces = wrap(value, 40);
	const ms = performance.now() - start;
	assert.equal(pieces.join(''), value);
	for (const piece of pieces) assert.ok(stringWidth(piece) <= 40, piece);
	assert.ok(ms < 5000, `${ms.toFixed(0)} ms`);
	assert.doesNotMatch(pieces.join('\n'), /[\uD800-\uDBFF](?![\uDC00-\uDFFF])/, 'no surrogate pair split');
});

function fieldValue(lines: ReturnType<typeof detailLines>, label: string): string | undefined {
	for (const line of lines) if (line.kind === 'field' && line.label === label) return line.value;
	return undefined;
}

test('the detail shows when it happened as a date and time with the raw epoch, and when it was received', () => {
	const event = makeEvent({Timestamp: 1_696_320_102, UpdatedTime: '2023-10-03T08:01:42.373532Z', Operation: 'File'});
	const lines = detailLines(event);
	assert.equal(fieldValue(lines, 'time'), `${localDateTime(Date.parse('2023-10-03T08:01:42.373Z'))} (epoch 1696320102)`);
	assert.equal(fieldValue(lines, 'received'), localDateTime(event.receivedAt), 'another day: the date too');
	const live = makeEvent({UpdatedTime: new Date(Date.UTC(2024, 0, 1)).toISOString()}); // it arrived at that moment
	assert.equal(fieldValue(detailLines(live), 'received'), localDateTime(live.receivedAt).slice(11), 'the same day: the clock');
	assert.deepEqual(lines.slice(0, 3).map(line => (line.kind === 'field' ? line.label : line.title)), ['what happened', 'time', 'received']);
	// Without a Timestamp the epoch is worked out from UpdatedTime.
	assert.match(fieldValue(detailLines(makeEvent({UpdatedTime: '2023-10-03T08:01:42.373Z'})), 'time') ?? '', /\(epoch 1696320102\)$/);
});

test('an event without a time of its own says so in the detail instead of showing its arrival as its time', () => {
	const event = makeEvent(JSON.parse(sampleLines()[0]) as Record<string, unknown>);
	const lines = detailLines(event);
	assert.match(fieldValue(lines, 'time') ?? '', /^none in the event/);
	assert.equal(fieldValue(lines, 'received'), localDateTime(event.receivedAt));
});

test('the layout wraps lazily: the first screen of a 1 MB value comes at once, and the same rows as a full layout', () => {
	const value = '/tmp/' + 'é日本/'.repeat(250_000);
	const event = makeEvent({Operation: 'File', Resource: value, Message: 'short'});
	const start = performance.now();
	const layout = new DetailLayout(detailLines(event), 60);
	const first = layout.rows(0, 40);
	const counted = layout.countUpTo(200);
	const ms = performance.now() - start;
	assert.equal(first.length, 40);
	assert.equal(counted, 200, 'counts only as far as asked');
	assert.ok(ms < 1000, `${ms.toFixed(0)} ms for the first screen`);

	// Same rows as laying out everything, for every sample, at widths from narrow to wide.
	for (const line of sampleLines()) {
		const sample = makeEvent(JSON.parse(line) as Record<string, unknown>);
		for (const width of [20, 38, 64]) {
			const lines = detailLines(sample);
			const lazy = new DetailLayout(lines, width);
			const pieces = [...lazy.rows(0, 5), ...lazy.rows(5, 1000)];
			assert.deepEqual(pieces, layoutDetail(lines, width));
			assert.equal(lazy.countUpTo(10_000), pieces.length);
		}
	}
});

/** The plain algorithm wrap must agree with: every grapheme in turn, cut where the line overflows. */
function wrapReference(value: string, width: number): string[] {
	const pieces: string[] = [];
	let current: string[] = [];
	let used = 0;
	for (const {segment} of new Intl.Segmenter(undefined, {granularity: 'grapheme'}).segment(value)) {
		const w = stringWidth(segment);
		if (used + w > width && current.length > 0) {
			let cut = current.length;
			const at = (isBreak: (index: number) => boolean) => {
				for (let index = current.length - 1; index > current.length / 3; index--) if (isBreak(index)) return index;
				return -1;
			};

			const word = at(index => current[index - 1] === ' ' || current[index] === '/' || current[index] === '→');
			const mark = at(index => ['.', ',', '@', ':', '=', '-', '|'].includes(current[index - 1]));
			cut = word > 0 ? word : mark > 0 ? mark : cut;
			pieces.push(current.slice(0, cut).join(''));
			current = current.slice(cut);
			used = current.reduce((sum, piece) => sum + stringWidth(piece), 0);
		}

		current.push(segment);
		used += w;
	}

	if (current.length > 0) pieces.push(current.join(''));
	return pieces.length > 0 ? pieces : [''];
}

test('wrap cuts plain ASCII lines by index and the rest by grapheme, exactly as one grapheme walk would', () => {
	const parts = ['alpha ', 'beta/', 'gamma', '-', 'x', 'é', 'e\u0301', '日本', '👩‍💻', '\u{1F1E9}\u{1F1EA}', ' ', '.'];
	let seed = 11;
	const random = () => {
		seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
		return seed / 2_147_483_648;
	};

	const texts = [sampleLines().join(' ')];
	for (let round = 0; round < 200; round++) {
		texts.push(Array.from({length: Math.floor(random() * 80)}, () => parts[Math.floor(random() * parts.length)]).join(''));
	}

	for (const text of texts) {
		for (const width of [4, 7, 20, 41]) assert.deepEqual(wrap(text, width), wrapReference(text, width), `${width}: ${JSON.stringify(text.slice(0, 80))}`);
	}
});
