// The fast paths of format.ts must give exactly what they stand in for: the width functions (oneColumnText)
// what string-width gives, for every character let through, alone and in strings, never cutting one apart;
// compact what toLocaleString gives.

import assert from 'node:assert/strict';
import {test} from 'node:test';
import stringWidth from 'string-width';
import {columns, columnsUpTo, compact, ellipsize, fit, oneColumnText} from '../../source/ui/format.js';

function fastCharacters(): string[] {
	const found: string[] = [];
	for (let code = 0; code <= 0xff_ff; code++) {
		const character = String.fromCodePoint(code);
		if (oneColumnText.test(character)) found.push(character);
	}

	return found;
}

test('every character of the fast path takes one column by string-width', () => {
	const characters = fastCharacters();
	assert.ok(characters.length > 400, 'the symbols the screen draws are in it');
	for (const character of characters) assert.equal(stringWidth(character), 1, `U+${character.codePointAt(0)!.toString(16)}`);
});

test('strings of those characters measure, fit and cut as string-width says', () => {
	const samples = ['×1.2k ▁▂▃▅▇█ 12:00:01–12:00:05 ▲ 7 policy · File · Audit', '┌ 795 groups · by count ┐', '› café naïve ±½ …', '◆10 ● ○ → ↓'];
	for (const text of samples) {
		assert.equal(columns(text), stringWidth(text), text);
		assert.equal(columnsUpTo(text, 1000), stringWidth(text), text);
		for (const width of [1, 5, 12, 30, 80]) {
			assert.equal(stringWidth(fit(text, width)), width, `${text} in ${width}`);
			assert.ok(stringWidth(ellipsize(text, width)) <= width, `${text} in ${width}`);
		}
	}
});

test('wide, combining and invisible characters still take the measured path', () => {
	for (const text of ['日本', 'e\u0301', 'soft\u00ADhyphen', '◽', 'a\u200Db', 'x\uFE0F']) assert.equal(oneColumnText.test(text), false, JSON.stringify(text));
	assert.equal(columns('日本 · x'), 8);
});

test('counts under 10,000 read as en-US grouping writes them, fractions and negatives too', () => {
	for (let n = 0; n < 10_000; n++) assert.equal(compact(n), n.toLocaleString('en-US'));
	for (const n of [-5, -1234, 0.5, 12.3456, 9999.5]) assert.equal(compact(n), n.toLocaleString('en-US'));
	assert.equal(compact(12_345), '12.3k');
});
