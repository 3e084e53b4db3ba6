import assert from 'node:assert/strict';
import {test} from 'node:test';
import {cycle, filterChips, filterQuery, noFilter, stepSeverity} from '../../source/query/filter-state.js';
import {compileQuery} from '../../source/query/index.js';
import {makeEvent} from '../helpers/samples.js';

test('single-key filters are written in the query language and compile back to the same meaning', () => {
	const state = {...noFilter, action: 'Audit (Block)', namespace: 'odd "ns"\\', policy: '/tmp/', minSeverity: 5};
	assert.deepEqual(filterChips(state).length, 4);
	const result = compileQuery(filterQuery(state));
	assert.ok(result.ok, result.ok ? '' : result.error);
	const matching = makeEvent({Action: 'Audit (Block)', NamespaceName: 'odd "ns"\\', PolicyName: '/tmp/', Severity: '7'});
	const other = makeEvent({Action: 'Audit (Block)', NamespaceName: 'odd "ns"\\', PolicyName: '/tmp/x', Severity: '7'});
	assert.equal(result.predicate!(matching), true);
	assert.equal(result.predicate!(other), false, 'exact, not a regex or substring');
});

test('cycle walks the values seen, then back to none; severity stays within 0..10', () => {
	const values = ['Block', 'Audit'];
	assert.equal(cycle(undefined, values), 'Block');
	assert.equal(cycle('Block', values), 'Audit');
	assert.equal(cycle('Audit', values), undefined);
	assert.equal(cycle(undefined, []), undefined);
	assert.equal(stepSeverity(10, 1), 10);
	assert.equal(stepSeverity(0, -1), 0);
});
