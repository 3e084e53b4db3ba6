import assert from 'node:assert/strict';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {runCli} from '../helpers/cli.js';
import {invisibles} from '../helpers/invisible.js';
import {sampleLines} from '../helpers/samples.js';

// Odd input through the real command: files, a pipe, line mode's stdout.

const scratch = mkdtempSync(join(tmpdir(), 'armorwatch-odd-'));
const invisible = /[\p{Cf}\p{Default_Ignorable_Code_Point}\p{Cs}]/u;

test('--plain shows each invisible character and a lone surrogate as a placeholder; --json keeps them exact', async () => {
	const events = invisibles.map(([, char], index) => ({
		Operation: 'File',
		Action: 'Block',
		NamespaceName: `ns${char}${index}`,
		PodName: `pod${char}x`,
		ProcessName: `/usr/bin/p${char}q`,
		Resource: `/etc/x${char}y`,
		PolicyName: `pol${char}z`,
	}));
	const input = events.map(event => JSON.stringify(event)).join('\n') + '\n';
	const plain = await runCli(['--plain'], input);
	assert.equal(plain.code, 0, plain.stderr);
	const lines = plain.stdout.trimEnd().split('\n');
	assert.equal(lines.length, invisibles.length);
	for (const [index, line] of lines.entries()) {
		const [name] = invisibles[index]!;
		const raw = invisible.exec(line);
		assert.equal(raw, null, `${name}: U+${raw?.[0].codePointAt(0)?.toString(16)} written in ${JSON.stringify(line)}`);
		for (const part of [`ns\uFFFD${index}/pod\uFFFDx`, '/usr/bin/p\uFFFDq', 'policy=pol\uFFFDz']) {
			assert.ok(line.includes(part), `${name}: ${part} missing in ${line}`);
		}
	}

	const json = await runCli(['--json'], input);
	assert.equal(json.code, 0, json.stderr);
	const printed = json.stdout.trimEnd().split('\n');
	for (const [index, line] of printed.entries()) {
		assert.equal(invisible.exec(line), null, `--json wrote ${invisibles[index]![0]} raw: ${line}`);
		const back = JSON.parse(line) as Record<string, unknown>;
		for (const field of ['NamespaceName', 'PodName', 'ProcessName', 'Resource', 'PolicyName'] as const) {
			assert.equal(back[field], events[index]![field], `${invisibles[index]![0]}: ${field} exact`);
		}
	}
});

test('files joined with cat, the second saved with a BOM, and a CR-only file: every event, nothing malformed', async () => {
	const [a, b, c, d] = sampleLines();
	const first = join(scratch, 'a.ndjson');
	const second = join(scratch, 'b.ndjson');
	const oldMac = join(scratch, 'old-mac.ndjson');
	writeFileSync(first, `\uFEFF${a}\n${b}\n`);
	writeFileSync(second, `\uFEFF${c}\r\n${d}\r\n`);
	writeFileSync(oldMac, `${a}\r${b}\r${c}\r${d}`);
	// What `cat a.ndjson b.ndjson | armorwatch` gets: the second BOM opens a line in the middle of the stream.
	const joined = Buffer.concat([`\uFEFF${a}\n${b}\n`, `\uFEFF${c}\r\n${d}\r\n`].map(text => Buffer.from(text)));
	for (const [what, args, input] of [
		['cat a b | armorwatch', ['--summary'], joined],
		['armorwatch a b', ['--summary', first, second], undefined],
		['a CR-only file', ['--summary', oldMac], undefined],
	] as const) {
		const {code, stdout, stderr} = await runCli([...args], input);
		assert.equal(code, 0, stderr);
		const summary = JSON.parse(stdout) as Record<string, number>;
		assert.equal(summary['malformed'], 0, `${what}: ${stderr}`);
		assert.equal(summary['events'], 4, what);
		assert.equal(stderr, '', what);
	}
});

test('--json passes plain ASCII lines as read, and never a raw TAB, DEL or other control character of an event', async () => {
	const lines = [
		'{"Operation":"File","Resource":"/etc/shadow"}',
		'{"Operation":"File",\t"Resource":"tab between tokens"}',
		'{"Operation":"File","Resource":"a raw del \u007F here"}',
		'{"Operation":"File","Resource":"escaped \\u001b[31m stays escaped"}',
		'{"Operation": "File", "Resource": "spaces kept as read"}',
	];
	for (const input of [lines.join('\n') + '\n', lines.slice(0, 1).join('\n') + '\n']) {
		const {code, stdout, stderr} = await runCli(['--json'], input);
		assert.equal(code, 0, stderr);
		const printed = stdout.trimEnd().split('\n');
		for (const line of printed) assert.doesNotMatch(line, /[\u0000-\u001F\u007F]/, line);
		assert.equal(printed[0], lines[0], 'a line that is already the event is printed as read');
		if (printed.length === 1) continue;
		assert.deepEqual(printed.slice(1).map(line => JSON.parse(line) as unknown), lines.slice(1).map(line => JSON.parse(line) as unknown));
		assert.equal(printed[3], lines[3]);
		assert.equal(printed[4], lines[4]);
	}
});
