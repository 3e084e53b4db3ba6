import assert from 'node:assert/strict';
import {test} from 'node:test';
import {performance} from 'node:perf_hooks';
import stringWidth from 'string-width';
import {detailLines, layoutDetail, wrap} from '../../source/ui/detail-lines.js';
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
