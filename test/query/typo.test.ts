import assert from 'node:assert/strict';
import {test} from 'node:test';
import {TypoWord} from '../../source/query/typo.js';

const typo = (word: string, term: string): boolean => new TypoWord(word).matches(term);

test('a term one edit from a 5-7 letter word is a typo of it: dropped, added, changed or swapped letters', () => {
	assert.ok(typo('shdow', 'shadow'), 'a letter left out');
	assert.ok(typo('shaddow', 'shadow'), 'a letter too many');
	assert.ok(typo('shadaw', 'shadow'), 'a letter wrong');
	assert.ok(typo('ngnix', 'nginx'), 'two neighbours swapped count as one edit');
	assert.ok(typo('kubctl', 'kubectl'));
	assert.ok(!typo('shdw', 'shadow'), 'two edits are too many for a short word');
	assert.ok(!typo('nginx', 'engine'), 'not a typo: a different word that happens to share letters');
});

test('longer words allow more edits: 2 from 8 letters, 3 from 12', () => {
	assert.ok(typo('cretentials', 'credentials'));
	assert.ok(typo('credntals', 'credentials'), 'two letters left out of 11');
	assert.ok(typo('defaltpostre', 'defaultposture'));
	assert.ok(!typo('dfltpostre', 'defaultposture'), 'four edits');
});

test('a word being typed matches the start of a term', () => {
	assert.ok(typo('defaltpo', 'defaultposture'));
	assert.ok(typo('kubctl', 'kubectl-plugin'));
	assert.ok(!typo('postrue', 'defaultposture'), 'only the start: the middle of a word is not a prefix');
});

test('digits and . _ - must be as typed: ids are not typos of each other', () => {
	assert.ok(!typo('group-2', 'group-1'));
	assert.ok(!typo('node02', 'node2'));
	assert.ok(!typo('ubuntu-4', 'ubuntu-1'));
	assert.ok(!typo('python3.6', 'python3'));
	assert.ok(typo('wordpres-mysql', 'wordpress-mysql'), 'letters around them may still be off');
});

test('the answer depends on the word and the term alone', () => {
	const word = new TypoWord('cretentials');
	const answers = ['credentials', 'credential', 'tentacles', 'credentials.json'].map(term => word.matches(term));
	// Asked again, in another order, after other terms: the same answers.
	const again = ['credentials.json', 'tentacles', 'credential', 'credentials'].map(term => word.matches(term)).reverse();
	assert.deepEqual(again, answers);
	assert.deepEqual(answers, [true, true, false, true]);
});

test('ruledOut only rules out values that cannot hold a typo of the word', () => {
	const word = new TypoWord('shdow');
	assert.ok(word.ruledOut('/usr/bin/curl'));
	assert.ok(!word.ruledOut('/etc/SHADOW'), 'capitals count');
	assert.ok(!word.ruledOut('/etc/shadow-'));
	assert.ok(!word.ruledOut('ＳＨＡＤＯＷ'), 'outside ASCII nothing is ruled out');
});
