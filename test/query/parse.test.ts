import assert from 'node:assert/strict';
import {test} from 'node:test';
import {
	compileQuery,
	formatNode,
	formatQueryError,
	parseQuery,
	quoteValue,
	tokenize,
	type QueryNode,
} from '../../source/query/index.js';

function nodes(text: string): QueryNode[] {
	const result = parseQuery(text);
	if (!result.ok) throw new Error(`${text}: ${result.error} at ${result.position}`);
	return result.nodes;
}

/** A node without positions and compiled parts, for comparisons. */
function shape(node: QueryNode): Record<string, unknown> {
	switch (node.kind) {
		case 'text': {
			return {kind: 'text', value: node.value, quoted: node.quoted, negated: node.negated};
		}

		case 'field': {
			return {kind: 'field', field: node.field.field, exact: node.exact, value: node.value, negated: node.negated};
		}

		case 'regex': {
			return {kind: 'regex', field: node.field?.field, source: node.source, negated: node.negated};
		}

		case 'severity': {
			return {kind: 'severity', min: node.min, max: node.max, negated: node.negated};
		}
	}
}

const grammar: Array<[query: string, expected: Array<Record<string, unknown>>]> = [
	['shadow', [{kind: 'text', value: 'shadow', quoted: false, negated: false}]],
	['WordPress', [{kind: 'text', value: 'wordpress', quoted: false, negated: false}]],
	['/etc/shadow', [{kind: 'text', value: '/etc/shadow', quoted: false, negated: false}]],
	['104.192.3.74:/mine/', [{kind: 'text', value: '104.192.3.74:/mine/', quoted: false, negated: false}]],
	['app=wordpress', [{kind: 'text', value: 'app=wordpress', quoted: false, negated: false}]],
	['"permission denied"', [{kind: 'text', value: 'permission denied', quoted: true, negated: false}]],
	['"say \\"hi\\""', [{kind: 'text', value: 'say "hi"', quoted: true, negated: false}]],
	['"ns:x"', [{kind: 'text', value: 'ns:x', quoted: true, negated: false}]],
	['!curl', [{kind: 'text', value: 'curl', quoted: false, negated: true}]],
	['!"a b"', [{kind: 'text', value: 'a b', quoted: true, negated: true}]],
	['ns:payments', [{kind: 'field', field: 'NamespaceName', exact: false, value: 'payments', negated: false}]],
	['namespace:payments', [{kind: 'field', field: 'NamespaceName', exact: false, value: 'payments', negated: false}]],
	['NS:Payments', [{kind: 'field', field: 'NamespaceName', exact: false, value: 'payments', negated: false}]],
	['ns:=payments', [{kind: 'field', field: 'NamespaceName', exact: true, value: 'payments', negated: false}]],
	['!ns:kube-system', [{kind: 'field', field: 'NamespaceName', exact: false, value: 'kube-system', negated: true}]],
	['res:"/tmp/a b"', [{kind: 'field', field: 'Resource', exact: false, value: '/tmp/a b', negated: false}]],
	['ns:=""', [{kind: 'field', field: 'NamespaceName', exact: true, value: '', negated: false}]],
	['label:app=nginx', [{kind: 'field', field: 'Labels', exact: false, value: 'app=nginx', negated: false}]],
	['label:=app=nginx', [{kind: 'field', field: 'Labels', exact: true, value: 'app=nginx', negated: false}]],
	['src:104.1.2.3:80', [{kind: 'field', field: 'Source', exact: false, value: '104.1.2.3:80', negated: false}]],
	['/curl|wget/', [{kind: 'regex', field: undefined, source: 'curl|wget', negated: false}]],
	['/permission denied/', [{kind: 'regex', field: undefined, source: 'permission denied', negated: false}]],
	['!/curl/', [{kind: 'regex', field: undefined, source: 'curl', negated: true}]],
	['res:/^\\/etc\\//', [{kind: 'regex', field: 'Resource', source: '^\\/etc\\/', negated: false}]],
	['/(/', []], // Error: see the error table.
	['sev>=5', [{kind: 'severity', min: 5, max: 10, negated: false}]],
	['sev<=3', [{kind: 'severity', min: 1, max: 3, negated: false}]],
	['sev:7', [{kind: 'severity', min: 7, max: 7, negated: false}]],
	['sev=7', [{kind: 'severity', min: 7, max: 7, negated: false}]],
	['sev>8', [{kind: 'severity', min: 9, max: 10, negated: false}]],
	['sev<3', [{kind: 'severity', min: 1, max: 2, negated: false}]],
	['sev<1', [{kind: 'severity', min: 0, max: 0, negated: false}]],
	['sev:0', [{kind: 'severity', min: 0, max: 0, negated: false}]],
	['sev<=0', [{kind: 'severity', min: 0, max: 0, negated: false}]],
	['sev>=0', [{kind: 'severity', min: 0, max: 10, negated: false}]],
	['sev:high', [{kind: 'severity', min: 7, max: 8, negated: false}]],
	['severity>=crit', [{kind: 'severity', min: 9, max: 10, negated: false}]],
	['sev<=med', [{kind: 'severity', min: 1, max: 6, negated: false}]],
	['!sev>=5', [{kind: 'severity', min: 5, max: 10, negated: true}]],
	[
		'  shdow\tns:wordpress  !sev<=2 ',
		[
			{kind: 'text', value: 'shdow', quoted: false, negated: false},
			{kind: 'field', field: 'NamespaceName', exact: false, value: 'wordpress', negated: false},
			{kind: 'severity', min: 1, max: 2, negated: true},
		],
	],
];

test('every token kind parses to the expected node', () => {
	for (const [query, expected] of grammar) {
		if (expected.length === 0) continue;
		assert.deepEqual(nodes(query).map(shape), expected, query);
	}
});

test('every field name and alias reads its KubeArmor field', () => {
	const fields: Record<string, string> = {
		ns: 'NamespaceName',
		namespace: 'NamespaceName',
		pod: 'PodName',
		container: 'ContainerName',
		image: 'ContainerImage',
		host: 'HostName',
		node: 'HostName',
		cluster: 'ClusterName',
		policy: 'PolicyName',
		proc: 'ProcessName',
		process: 'ProcessName',
		parent: 'ParentProcessName',
		res: 'Resource',
		resource: 'Resource',
		src: 'Source',
		source: 'Source',
		op: 'Operation',
		operation: 'Operation',
		action: 'Action',
		type: 'Type',
		tag: 'Tags',
		tags: 'Tags',
		label: 'Labels',
		labels: 'Labels',
		result: 'Result',
		enforcer: 'Enforcer',
		msg: 'Message',
		message: 'Message',
		data: 'Data',
	};
	for (const [name, field] of Object.entries(fields)) {
		const [node] = nodes(`${name}:x`);
		assert.equal(node?.kind, 'field', name);
		assert.equal(node.kind === 'field' && node.field.field, field, name);
	}
});

test('positions cover each token, its ! included', () => {
	const result = parseQuery('ab !ns:x "c d" /e f/');
	assert.ok(result.ok);
	assert.deepEqual(
		result.nodes.map(node => [node.start, node.end]),
		[
			[0, 2],
			[3, 8],
			[9, 14],
			[15, 20],
		],
	);
});

const errors: Array<[query: string, position: number, message: RegExp]> = [
	['sev>=x', 5, /sev needs a whole number from 0 to 10.*got "x"/],
	['sev>=11', 5, /whole number from 0 to 10/],
	['sev>=', 5, /needs a number/],
	['sev:/5/', 4, /not a regular expression/],
	['foo:bar', 0, /unknown field "foo"/],
	['ok http://example.com', 3, /unknown field "http".*quotes/],
	['"abc', 0, /unclosed quote/],
	['ns:"abc', 3, /unclosed quote/],
	['"a"b', 3, /space after the closing quote/],
	['/(/', 0, /invalid regular expression: Unterminated group/],
	['res:/[/', 4, /invalid regular expression/],
	['//', 0, /empty regular expression/],
	['!', 0, /"!" must be followed/],
	['a ! b', 2, /"!" must be followed/],
	['!!x', 1, /two "!"/],
	['ns:', 3, /needs a value/],
	['ns>=3', 2, /ns takes ":" \(contains\) or ":=" \(equals\)/],
	['res:=/x/', 3, /":=" is for exact text/],
	['""', 0, /empty quotes/],
];

test('invalid queries say what is wrong, and where', () => {
	for (const [query, position, message] of errors) {
		const result = compileQuery(query);
		assert.equal(result.ok, false, query);
		if (result.ok) continue;
		assert.match(result.error, message, query);
		assert.equal(result.position, position, `${query}: ${result.error}`);
	}
});

test('an empty query is no filter', () => {
	for (const query of ['', '   ', '\t']) {
		const result = compileQuery(query);
		assert.ok(result.ok);
		assert.equal(result.predicate, undefined);
		assert.equal(result.describe, '');
	}
});

test('describe is the canonical query, and parses back to the same nodes', () => {
	const queries = [
		'Shdow   NS:WordPress !sev<=2',
		'"permission denied" app=wordpress',
		'res:"/tmp/a b" !/curl|wget/ res:/^\\/etc/',
		'ns:=""',
		'label:=app=nginx sev:high',
		'"ns:x" "!x"',
	];
	for (const query of queries) {
		const result = compileQuery(query);
		assert.ok(result.ok, query);
		const again = compileQuery(result.describe);
		assert.ok(again.ok, result.describe);
		assert.deepEqual(again.nodes.map(shape), result.nodes.map(shape), `${query} -> ${result.describe}`);
		assert.equal(again.describe, result.describe);
	}

	assert.equal((compileQuery('Shdow   NS:WordPress !sev<=2') as {describe: string}).describe, 'shdow ns:wordpress !sev<=2');
	assert.equal(formatNode(nodes('sev>high')[0]!), 'sev>high');
});

test('tokens carry raw parts and positions', () => {
	const result = tokenize('!ns:="a b" x');
	assert.ok(result.ok);
	assert.deepEqual(
		result.tokens.map(token => ({...token})),
		[
			{
				start: 0,
				end: 10,
				negated: true,
				key: 'ns',
				keyStart: 1,
				op: ':=',
				value: 'a b',
				valueStart: 5,
				quoted: true,
				regex: false,
			},
			{start: 11, end: 12, negated: false, keyStart: 11, value: 'x', valueStart: 11, quoted: false, regex: false},
		],
	);
});

test('formatQueryError puts a caret under the position', () => {
	const result = compileQuery('ns:x sev>=x');
	assert.equal(result.ok, false);
	if (result.ok) return;
	assert.equal(formatQueryError('ns:x sev>=x', result), `ns:x sev>=x\n          ^ ${result.error}`);
	assert.equal(formatQueryError('a\tb', {error: 'e', position: 2}), 'a b\n  ^ e');
});

test('quoteValue writes any value so that field:=value reads it back', () => {
	const values = ['payments', 'Audit (Block)', '', '/tmp/', '/etc/shadow', 'a"b', 'ends\\', '!x', 'x y "z"', 'ns:x'];
	for (const value of values) {
		const result = compileQuery(`res:=${quoteValue(value)}`);
		assert.ok(result.ok, `${value}: ${result.ok ? '' : result.error}`);
		const [node] = result.nodes;
		assert.equal(node?.kind, 'field', value);
		assert.equal(node.kind === 'field' && node.value, value.toLowerCase(), value);
	}

	assert.equal(quoteValue('payments'), 'payments');
	assert.equal(quoteValue('Audit (Block)'), '"Audit (Block)"');
});
