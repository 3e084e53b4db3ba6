import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {test} from 'node:test';
import {keyHelp, keymap} from '../../source/ui/keymap.js';
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
