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
		['keys', 'in the / prompt', 'in a picker'],
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
		if ((binding.context ?? 'main') !== 'main') continue;
		for (const key of binding.label.split(' ')) {
			// The README writes `space` and the keys in backticks, one each.
			assert.ok(section.includes(`\`${key}\``), `README keys table lacks ${key} (${binding.help})`);
		}
	}
});

test('keys read together are split into the presses ink makes of each alone', () => {
	// What a lone plain key looks like (every flag off), taken from a split.
	const plainKey = keyPresses('ab', {} as Key)[0]![1];
	const presses = (input: string) =>
		keyPresses(input, plainKey).map(([text, key]) => {
			const flags = Object.entries(key).filter(([, on]) => on === true).map(([name]) => name);
			return flags.length > 0 ? `${text}+${flags.join('+')}` : text;
		});
	assert.deepEqual(presses('jjj'), ['j', 'j', 'j']);
	assert.deepEqual(presses('shdow\r'), ['s', 'h', 'd', 'o', 'w', '\r+return']);
	assert.deepEqual(presses('aB\t\u007F\b'), ['a', 'B+shift', '+tab', '+delete', '+backspace']);
	assert.deepEqual(presses('x\u0003'), ['x', 'c+ctrl'], 'Ctrl-C among typed keys still quits');
	assert.deepEqual(presses('日本😀'), ['日', '本', '😀'], 'by code point: a surrogate pair stays whole');
	// A lone key, or an escape sequence ink already parsed, is passed through as it came.
	const arrow = {...plainKey, downArrow: true};
	assert.deepEqual(keyPresses('', arrow), [['', arrow]]);
	assert.deepEqual(keyPresses('q', plainKey), [['q', plainKey]]);
});
