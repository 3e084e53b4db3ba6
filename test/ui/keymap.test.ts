import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {test} from 'node:test';
import type {Key} from 'ink';
import {keyHelp, keymap, keyPresses} from '../../source/ui/keymap.js';
import {repoRoot} from '../helpers/samples.js';

test('the help lists every labelled binding once, under the title of its context', () => {
	const lines = keyHelp();
	assert.deepEqual(
		lines.filter(line => line.kind === 'title').map(line => line.text),
		['keys', 'in the group list (and the keys above)', 'in the timeline', 'in the / prompt (opens empty; ↑ recalls the last query)', 'editing text (a prompt, a picker)', 'in a picker', 'in a policy draft (P)', 'in the help'],
	);
	const labelled = keymap.filter(binding => binding.label !== '');
	assert.equal(lines.filter(line => line.kind === 'key').length, labelled.length);
	const pickerTitle = lines.findIndex(line => line.kind === 'title' && line.context === 'picker');
	const pickLine = lines.findIndex(line => line.kind === 'key' && line.text === 'pick the selected value');
	assert.ok(pickerTitle >= 0 && pickerTitle < pickLine);
});

test("the README's keys table names every key of the screen's keymap", () => {
	const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
	const section = readme.slice(readme.indexOf('### Keys'), readme.indexOf('### Filtering'));
	for (const binding of keymap) {
		// A binding without a label is the second half of the line before ('y w'), whose label names its key.
		if ((binding.context ?? 'main') !== 'main' || binding.label === '') continue;
		for (const key of binding.label.split(' ')) {
			// The README writes `space` and the keys in backticks, one each.
			assert.ok(section.includes(`\`${key}\``), `README keys table lacks ${key} (${binding.help})`);
		}
	}
});

test('keys read together: each control character its own press, the text between one piece', () => {
	// What a lone plain key looks like (every flag off), taken from a split.
	const plainKey = keyPresses('a\r', {} as Key)[0]![1];
	const presses = (input: string) =>
		keyPresses(input, plainKey).map(([text, key]) => {
			const flags = Object.entries(key).filter(([, on]) => on === true).map(([name]) => name);
			return flags.length > 0 ? `${text}+${flags.join('+')}` : text;
		});
	assert.deepEqual(presses('shdow\r'), ['shdow', '\r+return'], 'a filter typed or pasted with its Enter');
	// DEL is what the Backspace key sends (the Delete key sends ESC [3~, which ink reads on its own).
	assert.deepEqual(presses('/a\tb\u007F\bc'), ['/a', '+tab', 'b', '+backspace', '+backspace', 'c']);
	assert.deepEqual(presses('x\u0003'), ['x', 'c+ctrl'], 'Ctrl-C among typed keys still quits');
	// Text alone is passed through as it came: the screen takes "jjj" key by key, the prompt as one edit.
	assert.deepEqual(keyPresses('jjj', plainKey), [['jjj', plainKey]]);
	const long = 'x'.repeat(100_000);
	assert.deepEqual(keyPresses(long, plainKey), [[long, plainKey]]);
	const arrow = {...plainKey, downArrow: true};
	assert.deepEqual(keyPresses('', arrow), [['', arrow]]);
});
