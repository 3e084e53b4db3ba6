import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {test} from 'node:test';
import {helpText, parseOptions, PrintAndExit, UsageError} from '../source/options.js';
import {fieldDefinitions} from '../source/query/parse.js';
import {repoRoot} from './helpers/samples.js';
import {defaultMaxMemory} from '../source/store/memory-bound.js';

test('stdin ("-") cannot be both the feed and the keyboard: a clear error instead of a monitor q cannot quit', () => {
	assert.throws(() => parseOptions(['-'], true, true, {}), /stdin \("-"\) is this terminal: pipe events in/);
	assert.throws(() => parseOptions(['-', 'demo'], true, true, {}), /stdin \("-"\) is this terminal/);
	// Line mode reads a terminal like cat does; piped stdin leaves the terminal to the keys.
	assert.equal(parseOptions(['-', '--plain'], true, true, {}).mode, 'plain');
	assert.equal(parseOptions(['-'], true, false, {}).mode, 'plain');
	assert.equal(parseOptions(['-'], false, true, {}).mode, 'tui');
	// With no source named, a terminal on stdin means the demo feed (or the relay), never stdin.
	assert.deepEqual(parseOptions([], true, true, {}).sources, ['demo']);
	assert.deepEqual(parseOptions([], true, true, {KUBEARMOR_SERVICE: 'relay:32767'}).sources, ['grpc://relay:32767']);
	assert.deepEqual(parseOptions([], false, true, {}).sources, ['-']);
});

test('--max-memory takes a size with K/M/G and defaults to a share of the heap limit', () => {
	assert.equal(parseOptions(['--max-memory', '600M'], true, true, {}).maxMemory, 600 * 1024 * 1024);
	assert.equal(parseOptions(['--max-memory=2G'], true, true, {}).maxMemory, 2 * 1024 ** 3);
	assert.equal(parseOptions([], true, true, {}).maxMemory, defaultMaxMemory());
	for (const bad of ['lots', '0', '-5M', '1.5G']) {
		assert.throws(() => parseOptions([`--max-memory=${bad}`], true, true, {}), (error: Error) => error instanceof UsageError && /--max-memory/.test(error.message), bad);
	}
});

test('--max-alerts and --rate stop where the monitor could no longer do what they ask', () => {
	assert.equal(parseOptions(['--max-alerts', '10000000'], true, true, {}).maxAlerts, 10_000_000);
	assert.throws(() => parseOptions(['--max-alerts', '1000000000'], true, true, {}), /--max-alerts goes up to 10,000,000, got 1000000000/);
	assert.equal(parseOptions(['demo', '--rate', '1000000'], true, true, {}).rate, 1_000_000);
	assert.throws(() => parseOptions(['demo', '--rate', '99999999999'], true, true, {}), /--rate goes up to 1,000,000/);
});

/** Every option that takes a value, as --help lists them. */
const valueOptions = [
	'--limit', '--max-alerts', '--max-memory', '--rate', '--filter', '-n', '--namespace', '--pod', '--container', '--operation', '--action',
	'--min-severity', '--policy', '--header', '--ca', '--cert', '--key', '--ping-interval', '--max-message', '--grpc',
	'--log-filter', '--listen', '--token', '--max-clients',
];

const parse = (argv: string[]) => parseOptions(argv, true, true, {});

/** For assert.throws: a UsageError (exit 2) whose message matches, with the message shown when it does not. */
function usageError(pattern: RegExp, what?: string) {
	return (error: unknown) => {
		assert.ok(error instanceof UsageError, `${what ?? ''}: ${String(error)}`);
		assert.match(error.message, pattern, what);
		return true;
	};
}

test('an option that takes a value, given none, is a usage error naming it', () => {
	for (const option of valueOptions) {
		const named = new RegExp(`^${option}( \\(--namespace\\))? needs a value`);
		// At the end, and followed by another option (which is not taken as its value).
		for (const argv of [['demo', option], [option, '--plain', 'demo'], [option, '-f', 'demo']]) {
			assert.throws(() => parse(argv), usageError(named, argv.join(' ')));
		}

		if (option === '--filter') continue; // an empty filter is no filter, as an empty / prompt
		for (const argv of [['demo', option, ''], ['demo', `${option}=`]]) assert.throws(() => parse(argv), usageError(named, argv.join(' ')));
	}

	assert.throws(() => parse(['-n', '--plain']), usageError(/^-n \(--namespace\) needs a value \(a value that starts with "-" goes as --namespace=VALUE\)$/));
	assert.throws(() => parse(['-fn']), usageError(/^-n \(--namespace\) needs a value$/));
	assert.equal(parse(['demo', '--filter', '']).filter.query, '');
	assert.equal(parse(['demo', '--filter=']).filter.query, '');
});

test('a bad number is a usage error naming the option, not an unknown option', () => {
	for (const bad of ['-1', '1.5', '0', '1e3', '0x10', ' 5', 'ten', '-0']) {
		for (const option of ['--limit', '--max-alerts', '--rate', '--ping-interval', '--max-clients', '--min-severity']) {
			for (const argv of [[option, bad], [`${option}=${bad}`]]) {
				const named = new RegExp(`^${option} needs a whole number .*, got "${bad.replace('.', '\\.')}"$`);
				assert.throws(() => parse(['demo', ...argv]), usageError(named, argv.join(' ')));
			}
		}
	}

	assert.throws(() => parse(['demo', '--min-severity', '11']), /--min-severity goes from 1 to 10, got 11/);
	assert.throws(() => parse(['demo', '--max-message', '-5']), usageError(/^--max-message needs a size like 16M/));
	assert.throws(() => parse(['demo', '--max-message', '1.5M']), usageError(/^--max-message needs a size like 16M/));
});

test('values are read as typed: inline, attached to a letter, repeated, and after --', () => {
	assert.equal(parse(['demo', '--limit=5']).limit, 5);
	assert.equal(parse(['demo', '--limit', '5', '--limit', '7']).limit, 7, 'the last one wins');
	assert.equal(parse(['demo', '-npayments']).filter.namespace, 'payments');
	assert.equal(parse(['demo', '-n=payments']).filter.namespace, 'payments');
	const cluster = parse(['demo', '-fn', 'payments']);
	assert.equal(cluster.follow, true);
	assert.equal(cluster.filter.namespace, 'payments');
	assert.equal(parse(['demo', '--token=-dash-first']).serve.token, '-dash-first');
	assert.deepEqual(parse(['ws://h:1', '--header', 'A: 1', '--header=B: 2']).network.headers, [['A', '1'], ['B', '2']]);
	assert.deepEqual(parse(['--', 'demo']).sources, ['demo']);
	assert.equal(parse(['demo', '--no-color']).color, false);
	assert.throws(() => parse(['demo', '--follow=yes']), usageError(/^--follow takes no value$/));
	assert.throws(() => parse(['demo', '--no-colour']), usageError(/^unknown option --no-colour \(did you mean --no-color\?\)$/));
	assert.throws(() => parse(['demo', '-x']), usageError(/^unknown option -x$/));
	assert.throws(() => parse(['--version']), error => error instanceof PrintAndExit && /^\d+\.\d+\.\d+\n$/.test(error.message));
	assert.throws(() => parse(['demo', '-h']), error => error instanceof PrintAndExit && error.message.includes('Usage: armorwatch'));
});

test('an unknown option names the one it was likely meant to be, or what it names instead', () => {
	const says = (typed: string, message: RegExp) => {
		assert.throws(() => parse(['demo', typed]), usageError(message), typed);
	};

	// Within two edits: a letter dropped, added, changed, two swapped, a dash left out.
	says('--folow', /^unknown option --folow \(did you mean --follow\?\)$/);
	says('--jsno', /\(did you mean --json\?\)$/);
	says('--grup-by', /\(did you mean --group-by\?\)$/);
	says('--maxalerts=5', /^unknown option --maxalerts \(did you mean --max-alerts\?\)$/);
	says('--summray', /\(did you mean --summary\?\)$/);
	// Nothing near, or two as near as each other (--tl is one edit from --tls and from --to): no guess.
	says('--no-such-option', /^unknown option --no-such-option$/);
	says('--tl', /^unknown option --tl$/);
	// Short names: one edit at most (--ke is --key; --cb is not --ca nor anything else).
	says('--ke', /\(did you mean --key\?\)$/);
	says('--xyz', /^unknown option --xyz$/);
	// A source or a command typed as an option.
	says('--demo', /^unknown option --demo \(the demo feed is a source: armorwatch demo\)$/);
	says('--serve', /^unknown option --serve \(serve is a command: armorwatch serve \.\.\.\)$/);
});

test('--help and the README list every query field the query language knows', () => {
	const names = fieldDefinitions.map(definition => definition.name);
	const fieldsLine = helpText.split('\n').find(line => line.trim().startsWith('Fields:'));
	assert.deepEqual(fieldsLine?.trim().slice('Fields:'.length).trim().split(' '), names);

	const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
	const row = readme.split('\n').find(line => line.startsWith('| `ns:pay`'));
	const listed = /a field contains \/ equals: `([^`]+)`/.exec(row ?? '')?.[1]?.split(' ');
	assert.deepEqual(listed, names, 'README filtering table');
});

test('--group-by names query fields or workload; an unknown one is a usage error naming the fields', () => {
	const options = parseOptions(['--group-by', 'policy, workload,ns', 'demo'], true, true);
	assert.deepEqual(options.groupBy?.map(field => field.name), ['policy', 'workload', 'ns']);
	assert.equal(options.maxGroups, 10_000);
	assert.equal(parseOptions(['--max-groups', '50', 'demo'], true, true).maxGroups, 50);
	assert.throws(() => parseOptions(['--group-by', 'policy,colour', 'demo'], true, true), /unknown field "colour" \(fields: workload /);
	assert.throws(() => parseOptions(['--max-groups', '0', 'demo'], true, true), /--max-groups needs a whole number above 0/);
});
