import assert from 'node:assert/strict';
import {test} from 'node:test';
import {LineSplitter, type LineSafety} from '../../source/feed/line-splitter.js';
import {normalize} from '../../source/model/normalize.js';
import type {MonitorEvent} from '../../source/model/event.js';
import {plainLine} from '../../source/ui/format.js';
import {sampleLines} from '../helpers/samples.js';

/** Each line of `input` as the splitter vouches for it, with its event. */
function eventsOf(input: string): Array<{event: MonitorEvent; known: LineSafety}> {
	const events: Array<{event: MonitorEvent; known: LineSafety}> = [];
	const splitter = new LineSplitter({
		line(text, known) {
			const event = normalize(JSON.parse(text), 'test', 0);
			assert.notEqual(typeof event, 'string', text);
			events.push({event: {...(event as MonitorEvent), seq: events.length + 1}, known});
		},
		oversized() {},
	});
	splitter.push(Buffer.from(input));
	splitter.end();
	return events;
}

test('a plain line made without the sanitizing pass (nothing escaped in the input) is the one made with it', () => {
	const plain = eventsOf(sampleLines().join('\n') + '\n');
	assert.equal(plain.length, 69);
	for (const {event, known} of plain) {
		assert.equal(known, 'plain');
		assert.equal(plainLine(event, true), plainLine(event, false));
	}

	// The same events with quotes and control characters escaped in their strings: not vouched for, so sanitized.
	const escaped = sampleLines().map(line => {
		const fields = JSON.parse(line) as Record<string, unknown>;
		return JSON.stringify({...fields, Resource: '"q" \\ \u001B[31m\u007F', Result: 'a\tb'});
	});
	for (const {event, known} of eventsOf(escaped.join('\n') + '\n')) {
		assert.notEqual(known, 'plain');
		const line = plainLine(event, known === 'plain');
		assert.doesNotMatch(line, /[\u0000-\u001F\u007F]/);
		// JSON.stringify escapes ESC, the sanitizing pass replaces DEL.
		assert.ok(line.includes(String.raw`res="\"q\" \\ \u001b[31m␡"`), line);
		assert.ok(line.includes(String.raw`result="a\tb"`), line);
	}
});
