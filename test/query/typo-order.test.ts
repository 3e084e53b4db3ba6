// A typo'd bare word matches the same events whatever order they arrive in, and whether the filter was there
// before the events (line mode, --summary, serve ?filter=, a filter kept while events stream in) or typed
// after they were loaded.

import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, test} from 'node:test';
import {Ingest} from '../../source/feed/ingest.js';
import {compileQuery, Vocabulary} from '../../source/query/index.js';
import {searchText} from '../helpers/search-text.js';
import {EventStore} from '../../source/store/event-store.js';
import {runCli} from '../helpers/cli.js';
import {sampleLines, samplesPath} from '../helpers/samples.js';

/** A typo and the word it stands for, both in the public samples' terms. */
const pairs: ReadonlyArray<[typo: string, word: string]> = [
	['DefaltPosture', 'DefaultPosture'],
	['ngnix', 'nginx'],
	['cretentials', 'credentials'],
	['wordprss', 'wordpress'],
	['kubctl', 'kubectl'],
];

/** The lines in a shuffled order (a small linear congruential generator: the same order for the same seed). */
function shuffled(lines: readonly string[], seed: number): string[] {
	const result = [...lines];
	let state = seed;
	for (let i = result.length - 1; i > 0; i--) {
		state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
		const j = state % (i + 1);
		[result[i], result[j]] = [result[j]!, result[i]!];
	}

	return result;
}

const samples = sampleLines();
const orders: string[][] = [samples, [...samples].reverse(), ...[1, 2, 3, 4, 5, 6].map(seed => shuffled(samples, seed))];

/** Matches counted by a store whose filter was set once `before` lines had arrived (0: before any). */
function countWithFilterSetAfter(query: string, lines: readonly string[], before: number): number {
	const store = new EventStore({maxEvents: 1000});
	const ingest = new Ingest(store);
	const vocabulary = new Vocabulary({source: store.events});
	for (const line of lines.slice(0, before)) ingest.line(line, 'samples');
	const result = compileQuery(query, vocabulary);
	assert.ok(result.ok, query);
	store.setFilter(result.predicate);
	for (const line of lines.slice(before)) ingest.line(line, 'samples');
	store.close();
	return store.view.count();
}

/** The same with no vocabulary at all, as serve ?filter= compiles: each event tested as it comes. */
function countWithoutVocabulary(query: string, lines: readonly string[]): number {
	const store = new EventStore({maxEvents: 1000});
	const ingest = new Ingest(store);
	const result = compileQuery(query);
	assert.ok(result.ok, query);
	store.setFilter(result.predicate);
	for (const line of lines) ingest.line(line, 'samples');
	store.close();
	return store.view.count();
}

test('the samples hold each word as spelled, and none of the typos', () => {
	const store = new EventStore({maxEvents: 1000});
	const ingest = new Ingest(store);
	for (const line of samples) ingest.line(line, 'samples');
	store.close();
	const texts: string[] = [];
	for (let seq = store.events.oldestSeq; seq <= store.events.newestSeq; seq++) texts.push(searchText(store.events.get(seq)!).toLowerCase());
	for (const [typo, word] of pairs) {
		assert.ok(texts.some(text => text.includes(word.toLowerCase())), word);
		assert.ok(!texts.some(text => text.includes(typo.toLowerCase())), typo);
	}
});

test('a typo counts what its word counts over the loaded samples, in every order, whenever the filter was set', () => {
	for (const [typo, word] of pairs) {
		// From scratch: every event loaded, then the query typed.
		const expected = countWithFilterSetAfter(word, samples, samples.length);
		assert.ok(expected > 0, word);
		for (const [index, lines] of orders.entries()) {
			const where = `order ${index}`;
			assert.equal(countWithFilterSetAfter(typo, lines, samples.length), expected, `${typo} typed after loading, ${where}`);
			assert.equal(countWithFilterSetAfter(typo, lines, 0), expected, `${typo} set before any event, ${where}`);
			assert.equal(countWithFilterSetAfter(typo, lines, 23), expected, `${typo} set after 23 events, ${where}`);
			assert.equal(countWithFilterSetAfter(word, lines, 0), expected, `${word} set before any event, ${where}`);
			assert.equal(countWithoutVocabulary(typo, lines), expected, `${typo} without a vocabulary, ${where}`);
		}
	}
});

const scratch = mkdtempSync(join(tmpdir(), 'armorwatch-typo-'));
after(() => {
	rmSync(scratch, {recursive: true, force: true});
});

test('--filter with a typo: --summary and line mode over shuffled input say what the word says', async () => {
	const expected = await runCli(['--filter', 'DefaultPosture', '--summary', samplesPath]);
	assert.equal(expected.code, 0, expected.stderr);
	const summary = JSON.parse(expected.stdout) as {events: number};
	assert.equal(summary.events, 13);
	for (const seed of [1, 2]) {
		const file = join(scratch, `shuffled-${seed}.ndjson`);
		writeFileSync(file, shuffled(samples, seed).join('\n') + '\n');
		const typo = await runCli(['--filter', 'DefaltPosture', '--summary', file]);
		assert.equal(typo.code, 0, typo.stderr);
		assert.deepEqual(JSON.parse(typo.stdout), summary, `seed ${seed}`);
		const lines = await runCli(['--filter', 'DefaltPosture', '--plain', file]);
		assert.equal(lines.stdout.trim().split('\n').length, 13, `seed ${seed}: line mode prints each match`);
	}
});
