import assert from 'node:assert/strict';
import {test} from 'node:test';
import {Ingest} from '../../source/feed/ingest.js';
import {text} from '../../source/model/event.js';
import {EventStore} from '../../source/store/event-store.js';
import {SearchMatches} from '../../source/store/search-matches.js';
import {sampleLines} from '../helpers/samples.js';

const isFile = (event: {fields: Record<string, unknown>}) => event.fields['Operation'] === 'File';

test('search matches: n goes to the next older match, N to the next newer, "match k of N" counts from the newest', () => {
	const store = new EventStore({maxEvents: 1000});
	const ingest = new Ingest(store);
	for (const line of sampleLines()) ingest.line(line, 'samples');
	const matches = new SearchMatches('op:file', isFile, store.view);
	const expected = [...store.view.retained()].filter(isFile).map(event => event.seq);
	assert.equal(matches.count(), expected.length);
	assert.ok(expected.length > 3);

	// From the newest event, n walks every match down the list, newest first, then stops.
	const walked: number[] = [];
	for (let at = store.events.newestSeq + 1, next = matches.older(at); next !== undefined; next = matches.older(next)) walked.push(next);
	assert.deepEqual(walked, [...expected].reverse());
	assert.equal(matches.position(walked[0]), 1);
	assert.equal(matches.position(walked[2]), 3);
	assert.equal(matches.position(walked.at(-1)!), expected.length);
	assert.equal(matches.newer(walked[2]), walked[1]);
	assert.equal(matches.newer(walked[0]), undefined, 'no match newer than the newest');
	const notAMatch = [...store.view.retained()].find(event => !isFile(event))!;
	assert.equal(matches.position(notAMatch.seq), 0);

	// A frozen list (anchor) counts only what it shows.
	const anchor = walked[1];
	assert.equal(matches.count(anchor), expected.length - 1);
	assert.equal(matches.position(walked[1], anchor), 1);
	assert.equal(matches.newer(walked[2], anchor), walked[1]);
	assert.equal(matches.newer(walked[1], anchor), undefined);
});

test('search matches are kept as events arrive and forget what the ring dropped', () => {
	const store = new EventStore({maxEvents: 10});
	const ingest = new Ingest(store);
	const matches = new SearchMatches('op:file', isFile, store.view);
	const lines = sampleLines();
	for (const line of lines) {
		const event = (ingest.line(line, 's'), store.events.get(store.events.newestSeq)!);
		matches.add(event);
	}

	matches.prune(store.events.oldestSeq);
	const retainedFiles = [...store.view.retained()].filter(event => text(event, 'Operation') === 'File').length;
	assert.equal(matches.count(), retainedFiles);
});
