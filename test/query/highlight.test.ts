import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {MonitorEvent} from '../../source/model/event.js';
import {compileQuery, highlight, highlightParts, Vocabulary, type HighlightSpec} from '../../source/query/index.js';

function spec(query: string, vocabulary?: Vocabulary): HighlightSpec {
	const result = compileQuery(query, vocabulary);
	if (!result.ok) throw new Error(result.error);
	return result.highlights;
}

function event(seq: number, fields: Record<string, unknown>): MonitorEvent {
	return {seq, kind: 'alert', time: 0, severity: 5, source: 'test', receivedAt: 0, fields};
}

const vocabulary = new Vocabulary();
vocabulary.add(event(1, {Resource: '/etc/shadow', NamespaceName: 'wordpress-mysql', ProcessName: '/usr/bin/nginx'}));

const cases: Array<[query: string, display: string, field: string | undefined, ranges: Array<[number, number]>]> = [
	['shadow', '/bin/cat /etc/shadow', undefined, [[14, 20]]],
	['SHADOW', '/etc/Shadow', undefined, [[5, 11]]],
	['shdow', '/bin/cat /etc/shadow', undefined, [[14, 20]]],
	['ngnix', 'nginx -g daemon', 'ProcessName', [[0, 5]]],
	['wordpres', 'wordpress-mysql/wordpress-abc', undefined, [[0, 8], [16, 24]]],
	['etc shadow', '/etc/shadow', undefined, [[1, 4], [5, 11]]],
	['sha shadow', '/etc/shadow', undefined, [[5, 11]]],
	['"cat /etc"', '/bin/cat /etc/shadow', undefined, [[5, 13]]],
	['/c.t/', '/bin/cat /etc/shadow', undefined, [[5, 8]]],
	['/^\\/etc/', '/etc/shadow /etc', undefined, [[0, 4]]],
	['/x*/', 'abc', undefined, []],
	['ns:wordpress', 'wordpress-mysql', 'NamespaceName', [[0, 9]]],
	['ns:wordpress', 'wordpress-mysql', 'ns', [[0, 9]]],
	['ns:wordpress', '/var/www/wordpress', 'Resource', []],
	['ns:wordpress', 'wordpress-mysql/wordpress-abc  curl', undefined, [[0, 9], [16, 25]]],
	['res:/shad/', '/etc/shadow', 'Resource', [[5, 9]]],
	['res:/shad/', '/etc/shadow', 'Message', []],
	['tag:mitre', 'NIST,MITRE', 'ATags', [[5, 10]]],
	['shadow', 'shadow', 'Operation', []],
	['!shadow curl', '/bin/cat /etc/shadow | curl', undefined, [[23, 27]]],
	['!ns:x !/cat/ sev>=5', '/bin/cat x', undefined, []],
	['İ', 'İx', undefined, []],
	['x', 'İx', undefined, [[1, 2]]],
];

test('highlight ranges', () => {
	for (const [query, display, field, ranges] of cases) {
		assert.deepEqual(highlight(display, spec(query, vocabulary), field), ranges, `${query} in ${JSON.stringify(display)} (${field})`);
	}
});

test('no query, nothing to highlight', () => {
	assert.deepEqual(highlight('anything', undefined), []);
	assert.deepEqual(highlight('anything', spec('')), []);
	assert.deepEqual(highlight('', spec('x')), []);
});

test('a regex that matches everywhere is capped', () => {
	assert.ok(highlight('a'.repeat(5000), spec('/./')).length <= 256);
});

test('highlightParts splits a string into plain and marked parts', () => {
	assert.deepEqual(highlightParts('/bin/cat /etc/shadow', [[5, 8], [14, 20]]), [
		{text: '/bin/', match: false},
		{text: 'cat', match: true},
		{text: ' /etc/', match: false},
		{text: 'shadow', match: true},
	]);
	assert.deepEqual(highlightParts('abc', []), [{text: 'abc', match: false}]);
	assert.deepEqual(highlightParts('abc', [[0, 3]]), [{text: 'abc', match: true}]);
	assert.deepEqual(highlightParts('abc', [[2, 9]]), [{text: 'ab', match: false}, {text: 'c', match: true}]);
});
