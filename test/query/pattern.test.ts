import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {MonitorEvent} from '../../source/model/event.js';
import {compileQuery, highlight, Vocabulary} from '../../source/query/index.js';
import {searchText} from '../helpers/search-text.js';
import {compilePattern} from '../../source/query/pattern.js';
import {EventRing} from '../../source/store/event-ring.js';
import {EventStore} from '../../source/store/event-store.js';
import {EventView} from '../../source/store/event-view.js';
import {makeEvent, sampleLines} from '../helpers/samples.js';

const hostile = 'a'.repeat(30) + '!';

function hostileEvent(seq: number): MonitorEvent {
	return {...makeEvent({Operation: 'File', Resource: hostile, NamespaceName: 'payments'}), seq};
}

/**
 * Milliseconds of CPU time `run` takes (it must finish: a backtracking engine takes minutes here). CPU time,
 * not wall time: on a loaded machine the wait for a core says nothing about the pattern.
 */
function timed(run: () => void): number {
	const start = process.cpuUsage();
	run();
	const used = process.cpuUsage(start);
	return (used.user + used.system) / 1000;
}

test('/(a+)+$/ over a Resource of 30 `a` and `!` is answered in under 100 ms: compile, store, scan, highlight', () => {
	for (const query of ['/(a+)+$/', 'res:/(a+)+$/', '/(a|aa)+$/', '/(a*)*b/']) {
		const ms = timed(() => {
			const result = compileQuery(query);
			assert.ok(result.ok, query);
			// As a filter over events arriving in a store (the monitor's and line mode's path).
			const store = new EventStore({maxEvents: 100});
			store.setFilter(result.predicate);
			for (let i = 0; i < 3; i++) store.add(hostileEvent(0));
			store.close();
			assert.equal(store.view.count(), 0, query);
			assert.deepEqual(highlight(hostile, result.highlights), [], 'nothing to mark either');
		});
		assert.ok(ms < 100, `${query}: ${ms.toFixed(1)} ms`);
	}

	// And over packed chunks of retained events (the scan a new `/` query makes).
	const ring = new EventRing(3000);
	for (let i = 0; i < 3000; i++) ring.push(hostileEvent(i + 1));
	const vocabulary = new Vocabulary({source: ring});
	vocabulary.catchUp();
	const ms = timed(() => {
		const result = compileQuery('/(a+)+$/', vocabulary);
		assert.ok(result.ok);
		assert.equal(new EventView(ring, result.predicate).count(), 0);
	});
	assert.ok(ms < 1000, `3,000 hostile events scanned in ${ms.toFixed(1)} ms`);
});

test('a pattern that does match still matches, case-insensitively, with its highlight', () => {
	const result = compileQuery('/(a+)+!$/');
	assert.ok(result.ok);
	assert.equal(result.predicate!(hostileEvent(1)), true);
	assert.deepEqual(highlight(hostile.toUpperCase(), result.highlights), [[0, 31]]);
});

const samples = sampleLines().map((line, index) => ({...makeEvent(JSON.parse(line) as Record<string, unknown>), seq: index + 1}));

test('patterns on the linear-time engine answer as JavaScript RegExp does over the samples', () => {
	const patterns = [
		'(curl|wget)',
		'bin\\/.*(curl|apt)',
		'^\\/usr\\/(s?bin)\\/',
		'[a-z]+-[a-z0-9]{5}$',
		'(?:pod|container)[a-z]*',
		'\\d{3,}',
		'sh(adow|ell)?\\b',
		'^(pid)?$',
		'(?<name>nginx)',
		'KUBE.?ARMOR',
		'[^/]+\\.conf$',
	];
	for (const source of patterns) {
		const compiled = compilePattern(source);
		assert.ok(compiled.ok, source);
		assert.equal(compiled.pattern.global, undefined, `${source} runs on the linear engine`);
		const expected = new RegExp(source, 'im');
		const result = compileQuery(`/${source}/`);
		assert.ok(result.ok, source);
		const got = samples.filter(event => result.predicate!(event)).map(event => event.seq);
		const want = samples.filter(event => expected.test(searchText(event))).map(event => event.seq);
		assert.deepEqual(got, want, source);
		for (const event of samples.slice(0, 20)) {
			const text = searchText(event);
			const global = new RegExp(source, 'gim');
			const ranges = [...text.matchAll(global)].filter(match => match[0] !== '').map(match => [match.index, match.index + match[0].length]);
			assert.deepEqual(compiled.pattern.ranges(text, 256), ranges, `${source} ranges in ${JSON.stringify(text)}`);
		}
	}
});

test('patterns without quantifiers or groups stay on RegExp', () => {
	for (const source of ['curl|wget', '^\\/etc\\/', 'conf$', 'c.t', '[0-9]\\.[0-9]']) {
		const compiled = compilePattern(source);
		assert.ok(compiled.ok, source);
		assert.ok(compiled.pattern.global, source);
	}
});

test('backreferences and lookaround are refused with a message naming them, pointing at them', () => {
	const cases: Array<[query: string, feature: RegExp, position: number]> = [
		['/(a)\\1/', /a backreference \(\\1\) is not supported/, 4],
		['/(?<x>a)\\k<x>/', /a named backreference/, 8],
		['op:file /apt(?!-get)/', /negative lookahead \(\?!\.\.\.\) is not supported/, 12],
		['/x(?=y)/', /^lookahead/, 2],
		['res:/(?<=cat )run/', /^lookbehind \(\?<=\.\.\.\) is not supported: patterns run on a linear-time engine/, 5],
		['/(?<!a)b/', /negative lookbehind/, 1],
	];
	for (const [query, feature, position] of cases) {
		const result = compileQuery(query);
		assert.ok(!result.ok, query);
		assert.match(result.error, feature, query);
		assert.equal(result.position, position, query);
	}

	// Not features: a named group, an escaped digit in a class, a lone `(?:`.
	for (const query of ['/(?<x>a)b/', '/[\\1]/', '/(?:ab)+/']) assert.ok(compileQuery(query).ok, query);
	// Syntax errors keep their own words.
	const broken = compileQuery('/(/');
	assert.ok(!broken.ok);
	assert.match(broken.error, /invalid regular expression: Unterminated group/);
	// A repetition too large for the engine says so.
	const huge = compileQuery('/a{2000}b+/');
	assert.ok(!huge.ok);
	assert.match(huge.error, /regular expression not supported: invalid repeat count/);
});

test('the required literal only narrows: every match holds it', () => {
	const cases: Array<[source: string, literal: string | undefined]> = [
		['curl.*evil', 'curl'],
		['line \\d+$', 'line '],
		['ab+c', 'ab'],
		['ab*cd', 'cd'],
		['\\/etc\\/.+', '/etc/'],
		['(a+)+$', undefined],
		['x(y|z)+', undefined],
		['curl|wg+et', undefined],
	];
	for (const [source, literal] of cases) {
		const compiled = compilePattern(source);
		assert.ok(compiled.ok, source);
		assert.equal(compiled.pattern.required?.source.replaceAll('\\', ''), literal, source);
	}
});
