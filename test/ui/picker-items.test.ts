import assert from 'node:assert/strict';
import {test} from 'node:test';
import {pickerItems} from '../../source/ui/picker-items.js';

test('picker items: most frequent first, fuzzy search forgives a typo, and an unchanged tally is not searched again', () => {
	const tally = new Map([
		['payments', 3],
		['wordpress-mysql', 7],
		['kube-system', 1],
	]);
	const all = pickerItems(tally, '');
	assert.deepEqual(all.map(item => item.value), ['wordpress-mysql', 'payments', 'kube-system']);
	assert.deepEqual(pickerItems(tally, 'wordpres-mysql').map(item => item.value), ['wordpress-mysql']);
	// Same counts, same text (the clock redrawing an idle screen): the very same answer, not a new search.
	const found = pickerItems(tally, 'paymnts');
	assert.equal(pickerItems(tally, 'paymnts'), found);
	assert.deepEqual(found.map(item => item.value), ['payments']);
	// New counts come as a new tally: searched again.
	const grown = new Map([...tally, ['payments', 9]]);
	assert.deepEqual(pickerItems(grown, '')[0], {value: 'payments', count: 9});
});
