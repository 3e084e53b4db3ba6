import assert from 'node:assert/strict';
import {test} from 'node:test';
import {jsonLine, sanitize} from '../../source/model/sanitize.js';
import {invisibles} from '../helpers/invisible.js';

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

for (const [name, char] of invisibles) {
	test(`sanitize: ${name} becomes a visible placeholder; jsonLine keeps it exact`, () => {
		assert.equal(sanitize(`/etc/x${char}y`), '/etc/x\uFFFDy');
		assert.equal(sanitize(char), '\uFFFD');
		const line = jsonLine({Resource: `/etc/x${char}y`});
		assert.ok(!line.includes(char), `${name} written raw in ${line}`);
		assert.deepEqual(JSON.parse(line), {Resource: `/etc/x${char}y`});
	});
}

test('every control, format and default-ignorable code point is replaced, variation selectors are kept', () => {
	// An independent statement of the rule, checked over all of Unicode (lone surrogates above).
	const expected = /^[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]$/u;
	const selector = /^\p{Variation_Selector}$/u;
	const wrong: string[] = [];
	for (let code = 0; code <= 0x10_ffff; code++) {
		if (code >= 0xd800 && code <= 0xdfff) continue;
		const char = String.fromCodePoint(code);
		const replaced = sanitize(`a${char}`) !== `a${char}`;
		if (replaced !== (expected.test(char) && !selector.test(char))) wrong.push(code.toString(16));
	}

	assert.deepEqual(wrong.slice(0, 20), []);
	assert.equal(sanitize('\u2764\uFE0F \u845B\u{E0100} \u1820\u180B'), '\u2764\uFE0F \u845B\u{E0100} \u1820\u180B');
});

test('a ZWJ or tags inside a recommended emoji are kept; anywhere else they are placeholders', () => {
	const family = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}';
	const kept = [
		family,
		'\u{1F468}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}', // four people
		'\u{1F469}\u200D\u2764\uFE0F\u200D\u{1F48B}\u200D\u{1F468}', // kiss
		'\u{1F9D1}\u{1F3FB}\u200D\u{1F91D}\u200D\u{1F9D1}\u{1F3FC}', // handshake, two skin tones
		'\u{1F3F3}\uFE0F\u200D\u{1F308}', // rainbow flag
		'\u{1F3F4}\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}', // England
	];
	for (const emoji of kept) assert.equal(sanitize(`/home/${emoji}/x`), `/home/${emoji}/x`);
	assert.equal(sanitize('a\u200Db'), 'a\uFFFDb', 'after a letter');
	assert.equal(sanitize('\u{1F600}\u200D\u{1F600}'), '\u{1F600}\uFFFD\u{1F600}', 'two emoji that make no known one');
	assert.equal(sanitize('\u{1F600}\u200D'), '\u{1F600}\uFFFD', 'a trailing joiner');
	assert.equal(sanitize(`${family}\u200D${family}`), `${family}\uFFFD${family}`, 'two families glued');
	assert.equal(sanitize(`\u{1F600}\u200D${family}`), `\u{1F600}\uFFFD${family}`, 'the known one after an unknown start');
	assert.equal(sanitize('\u{1F3F4}\u{E0067}\u{E007F}'), '\u{1F3F4}\uFFFD\uFFFD', 'a black flag with tags of no known flag');
});

test('50,000 emoji-joiner pairs: every joiner is a placeholder, quickly', () => {
	const hostile = '\u{1F600}\u200D'.repeat(50_000);
	const started = performance.now();
	const safe = sanitize(hostile);
	const ms = performance.now() - started;
	assert.equal(safe, '\u{1F600}\uFFFD'.repeat(50_000));
	assert.ok(ms < 2000, `took ${Math.round(ms)} ms`);
	// As many recommended emoji as anyone writes in one value are all kept.
	const families = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467} '.repeat(20);
	assert.equal(sanitize(families), families);
});
