import assert from 'node:assert/strict';
import {test} from 'node:test';
import {pickerItems} from '../../source/ui/picker-items.js';

test('picker items: most frequent first, fuzzy search forgives a typo, and an unchanged tally is not searched again', () => {
	const tally = new Map([
		['payments', 3],
		['wordpress-mysql', 7],
		['kube-system', 1],
	]);
	const all = pickerItems(tally, 'namespace', '');
	assert.deepEqual(all.map(item => item.value), ['wordpress-mysql', 'payments', 'kube-system']);
	assert.deepEqual(pickerItems(tally, 'namespace', 'wordpres-mysql').map(item => item.value), ['wordpress-mysql']);
	// Same counts, same text (the clock redrawing an idle screen): the very same answer, not a new search.
	const found = pickerItems(tally, 'namespace', 'paymnts');
	assert.equal(pickerItems(tally, 'namespace', 'paymnts'), found);
	assert.deepEqual(found.map(item => item.value), ['payments']);
	// New counts come as a new tally: searched again.
	const grown = new Map([...tally, ['payments', 9]]);
	assert.deepEqual(pickerItems(grown, 'namespace', '')[0], {value: 'payments', label: 'payments', count: 9});
});

test('host events (no namespace) are offered as "(host)" by the namespace picker; the policy picker lists named policies', () => {
	const tally = new Map([
		['', 4],
		['payments', 3],
	]);
	assert.deepEqual(pickerItems(tally, 'namespace', ''), [
		{value: '', label: '(host)', count: 4},
		{value: 'payments', label: 'payments', count: 3},
	]);
	assert.deepEqual(pickerItems(tally, 'namespace', 'host').map(item => item.value), [''], 'found by its name');
	assert.deepEqual(pickerItems(tally, 'policy', '').map(item => item.value), ['payments']);
});
