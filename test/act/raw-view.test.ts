import assert from 'node:assert/strict';
import {test} from 'node:test';
import {Ingest} from '../../source/feed/ingest.js';
import {maxRawChars} from '../../source/model/event.js';
import {EventStore, rawWindow} from '../../source/store/event-store.js';
import {rawRows, rawText} from '../../source/ui/raw-lines.js';

test('the raw view shows the line as read: the daemon\'s camelCase keys and a string Severity, not the normalized fields', () => {
	const store = new EventStore({maxEvents: 10});
	const line = '{"timestamp":1700000000,"namespaceName":"pay","podName":"api-1","operation":"File","resource":"/etc/shadow","severity":"7","ExtraThing":[1,2]}';
	new Ingest(store).line(line, 'test');
	const event = store.events.get(1)!;
	assert.equal(event.fields['NamespaceName'], 'pay', 'normalized for everything else');
	const {text, note} = rawText(event);
	assert.equal(note, undefined);
	assert.deepEqual(JSON.parse(text), JSON.parse(line));
	assert.match(text, /"namespaceName": "pay"/);
	assert.match(text, /"severity": "7"/);
	store.close();
});

test('only the newest events keep their line, and only short lines: the rest show the fields and say so', () => {
	const store = new EventStore({maxEvents: rawWindow + 100});
	const ingest = new Ingest(store);
	// camelCase: the fields are renamed, so the line as read says something the fields do not.
	for (let index = 0; index < rawWindow + 10; index++) ingest.line(`{"operation":"File","resource":"/tmp/${index}"}`, 'test');
	ingest.line(JSON.stringify({operation: 'File', resource: 'x'.repeat(maxRawChars)}), 'test');
	const oldest = store.events.get(1)!;
	assert.equal(oldest.raw, undefined, 'past the window the line is let go');
	assert.match(rawText(oldest).note ?? '', /not kept as read/);
	assert.deepEqual(JSON.parse(rawText(oldest).text), oldest.fields);
	assert.ok(store.events.get(rawWindow + 10)!.raw, 'within the window it is kept');
	const long = store.events.get(store.events.newestSeq)!;
	assert.equal(long.raw, undefined, 'a long line is not kept');
	store.close();
});

test('raw rows carry no control character from the event and wrap to the width', () => {
	const store = new EventStore({maxEvents: 10});
	new Ingest(store).line('{"Operation":"File","Resource":"/tmp/\\u001b]52;c;AAAA\\u0007 \u202Eevil \u0085next"}', 'test');
	const rows = rawRows(store.events.get(1)!, 20);
	for (const row of rows) {
		assert.doesNotMatch(row, /[\u0000-\u001F\u007F-\u009F\u202A-\u202E]/);
		assert.ok([...row].length <= 20, row);
	}

	assert.match(rows.join(''), /\\u001b\]52;c;AAAA\\u0007/, 'escapes shown as JSON writes them');
	store.close();
});

test('an event whose fields are its line as it stands shows that line, however old, without keeping it', () => {
	const store = new EventStore({maxEvents: rawWindow + 100});
	const ingest = new Ingest(store);
	const line = (index: number) => `{"Operation":"File","Resource":"/tmp/${index}","Severity":"3","Unknown":{"a":[1,"b"]}}`;
	for (let index = 0; index < rawWindow + 10; index++) ingest.line(line(index), 'test');
	for (const seq of [1, rawWindow + 10]) {
		const event = store.events.get(seq)!;
		assert.equal(event.raw, undefined, 'not kept: the fields are the same JSON');
		const {text, note} = rawText(event);
		assert.equal(note, undefined);
		assert.equal(text, JSON.stringify(JSON.parse(line(seq - 1)), null, 2));
	}

	store.close();
});
