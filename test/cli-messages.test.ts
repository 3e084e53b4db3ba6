import assert from 'node:assert/strict';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, test} from 'node:test';
import {runCli} from './helpers/cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'armorwatch-messages-'));
after(() => {
	rmSync(scratch, {recursive: true, force: true});
});

// A name a shell glob can pick up: it sets the terminal's title, and worse sequences exist.
const hostile = 'evil\u001B]0;owned\u0007\u009B31m';

/** Nothing but printable text and line breaks; the hostile text shown with visible placeholders. */
function assertClean(stderr: string, what: string, shown = /␛\]0;owned␇�31m/): void {
	// eslint-disable-next-line no-control-regex
	assert.doesNotMatch(stderr, /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/, `${what}: ${JSON.stringify(stderr)}`);
	assert.match(stderr, shown, `${what}: ${JSON.stringify(stderr)}`);
}

test('a hostile file name or argument never reaches the terminal raw, in any message', async () => {
	const directory = join(scratch, `dir-${hostile}`);
	mkdirSync(directory);
	const cases: Array<{what: string; args: string[]; code: number; says: RegExp; shown?: RegExp}> = [
		{what: 'no such file', args: [join(scratch, `${hostile}.ndjson`)], code: 1, says: /no such file/},
		{what: 'a directory', args: [directory], code: 1, says: /is a directory/},
		{what: 'unknown option', args: [`--${hostile}`], code: 2, says: /unknown option --evil/},
		{what: 'unknown letter', args: ['-\u001B]0;owned\u0007'], code: 2, says: /unknown option -␛\n/, shown: /␛/},
		{what: 'bad number', args: ['--limit', hostile], code: 2, says: /--limit needs a whole number/},
		{what: 'bad --log-filter', args: ['--log-filter', hostile], code: 2, says: /--log-filter must be/},
		{what: 'bad --listen', args: ['serve', '--listen', hostile], code: 2, says: /--listen/},
		{what: 'bad --max-message', args: ['--max-message', hostile], code: 2, says: /--max-message needs a size/},
		{what: 'bad --header name', args: ['ws://127.0.0.1:1', '--header', `${hostile}: v`], code: 2, says: /not a valid header name/},
		{what: 'bad --filter', args: ['--filter', `sev>=${hostile}`], code: 2, says: /bad --filter:\n/},
		{what: 'missing --ca', args: ['--ca', join(scratch, hostile)], code: 1, says: /no such file/},
		{what: 'unsupported source URL', args: [`ftp://${hostile}/`], code: 2, says: /unsupported source/},
		{what: 'bad gRPC address', args: [`grpc://${hostile}:99999`], code: 2, says: /gRPC address/},
	];
	for (const {what, args, code, says, shown} of cases) {
		const result = await runCli(['--summary', ...args], '');
		assert.equal(result.code, code, `${what}: ${result.stderr}`);
		assert.match(result.stderr, says, what);
		assertClean(result.stderr, what, shown);
	}
});

test('a source label on stderr in line mode is sanitized too', async () => {
	const file = join(scratch, `${hostile}.ndjson`);
	writeFileSync(file, 'not json\n');
	const result = await runCli(['--plain', file]);
	assert.equal(result.code, 0, result.stderr);
	assert.match(result.stderr, /not JSON/);
	assertClean(result.stderr, 'line mode label');
});
