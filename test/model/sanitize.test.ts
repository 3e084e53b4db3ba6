import assert from 'node:assert/strict';
import {test} from 'node:test';
import {jsonLine, sanitize} from '../../source/model/sanitize.js';

const controls = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

const attacks: Array<[string, string]> = [
	['colour / SGR', '/tmp/\u001B[31mred\u001B[0m'],
	['clear screen', 'x\u001B[2J\u001B[H'],
	['OSC 52 clipboard write', '\u001B]52;c;ZWNobyBoaQ==\u0007'],
	['OSC 8 hyperlink', '\u001B]8;;http://evil\u001B\\click\u001B]8;;\u001B\\'],
	['title change', '\u001B]0;pwned\u0007'],
	['C1 CSI', 'a\u009B31mb'],
	['C1 OSC + ST', '\u009D0;x\u009C'],
	['DEL', 'a\u007Fb'],
	['carriage return overwrite', 'innocent\rEVIL'],
	['newline injection', 'line1\nline2'],
	['backspace', 'abc\b\b\bxyz'],
	['bidi override', 'invoice\u202Egpj.exe'],
	['bidi isolate', 'a\u2066b\u2069c'],
	['bell', 'ding\u0007'],
];

for (const [name, attack] of attacks) {
	test(`sanitize neutralizes ${name}`, () => {
		const safe = sanitize(attack);
		assert.doesNotMatch(safe, controls);
		assert.equal([...safe].length, [...attack].length, 'one visible placeholder per character');
	});

	test(`jsonLine keeps ${name} exact but terminal-safe`, () => {
		const line = jsonLine({Resource: attack});
		assert.doesNotMatch(line, controls);
		assert.deepEqual(JSON.parse(line), {Resource: attack});
	});
}

test('placeholders are visible: ESC shows as ␛, DEL as ␡', () => {
	assert.equal(sanitize('\u001B[1m'), '␛[1m');
	assert.equal(sanitize('a\u007F'), 'a␡');
	assert.equal(sanitize('\u202E'), '\uFFFD');
});

test('clean strings come back untouched, wide characters included', () => {
	for (const value of ['/etc/shadow', '日本語のパス', 'emoji 🚀 ok', '']) assert.equal(sanitize(value), value);
});
