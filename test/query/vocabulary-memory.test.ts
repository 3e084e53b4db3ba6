// The vocabulary remembers raw values only to skip splitting them again: a feed of values never seen before
// (arguments, timestamps in messages) must not make it hold more and more of them, and what it forgets must
// not cost it a term.

import assert from 'node:assert/strict';
import {test} from 'node:test';
import {Vocabulary} from '../../source/query/index.js';
import {makeEvent} from '../helpers/samples.js';

const event = (resource: string) => makeEvent({Operation: 'File', Resource: resource, PolicyName: 'audit-files', Action: 'Audit'});

test('a stream of distinct values keeps the remembered values within twice the bound', () => {
	const vocabulary = new Vocabulary({maxValues: 50});
	let most = 0;
	for (let index = 0; index < 5000; index++) {
		vocabulary.add(event(`/var/log/app/run-${index}.log`));
		if (index % 50 === 0) most = Math.max(most, vocabulary.rememberedValues);
	}

	assert.ok(most <= 100, `held ${most} values`);
	assert.ok(vocabulary.rememberedValues >= 50, 'the latest values are still remembered');
});

test('values that end differently (generated suffixes) are not held on after their generation either', () => {
	const vocabulary = new Vocabulary({maxValues: 50});
	for (let index = 0; index < 20_000; index++) vocabulary.add(event(`/var/lib/kubelet/pods/checkout-${(index * 7919).toString(36)}`));
	assert.ok(vocabulary.rememberedValues <= 100, `held ${vocabulary.rememberedValues} values`);
});

test('terms of values forgotten long ago stay known, and no term is listed twice', () => {
	const vocabulary = new Vocabulary({maxValues: 10});
	vocabulary.add(event('/etc/shadow-backup'));
	for (let index = 0; index < 500; index++) vocabulary.add(event(`/tmp/scratch-${index}`));
	vocabulary.add(event('/etc/shadow-backup'));
	const {terms} = vocabulary;
	assert.ok(terms.includes('shadow'));
	assert.ok(terms.includes('backup'));
	assert.equal(new Set(terms).size, terms.length);
});

test('by default a long run of new values leaves a few thousand remembered, not all of them', () => {
	const vocabulary = new Vocabulary();
	for (let index = 0; index < 30_000; index++) vocabulary.add(event(`/proc/${index}/status`));
	assert.ok(vocabulary.rememberedValues <= 5000, `held ${vocabulary.rememberedValues} values`);
});
