import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {appendFileSync, chmodSync, mkdtempSync, truncateSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {setTimeout as sleep} from 'node:timers/promises';
import type {SourceStatus} from '../../source/feed/feed.js';
import {statusNotice} from '../../source/line/line-mode.js';
import {cliPath, collect, runCli} from '../helpers/cli.js';
import {sampleLines, samplesPath} from '../helpers/samples.js';

const scratch = mkdtempSync(join(tmpdir(), 'armorwatch-line-'));
const controls = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

/** An independent count of the samples: lower-cased keys, so both dialects count the same. */
function expectedSummary(lines: string[]) {
	const tally = (map: Record<string, number>, key: unknown) => {
		if (typeof key === 'string' && key !== '') map[key] = (map[key] ?? 0) + 1;
	};

	const result = {events: 0, severity: {} as Record<string, number>, operation: {}, action: {}, namespace: {}, policy: {}};
	for (const line of lines) {
		const raw = JSON.parse(line) as Record<string, unknown>;
		const lower = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k.toLowerCase(), v]));
		result.events++;
		const severity = Number(lower['severity']);
		if (Number.isInteger(severity) && severity >= 1 && severity <= 10) tally(result.severity, String(severity));
		tally(result.operation, lower['operation']);
		tally(result.action, lower['action']);
		tally(result.namespace, lower['namespacename']);
		tally(result.policy, lower['policyname']);
	}

	return result;
}

test('--summary of the public samples counts what an independent count finds', async () => {
	const {code, stdout, stderr} = await runCli(['--summary', samplesPath]);
	assert.equal(code, 0, stderr);
	const summary = JSON.parse(stdout) as Record<string, unknown>;
	const expected = expectedSummary(sampleLines());
	assert.equal(summary['events'], 69);
	assert.equal(summary['malformed'], 0);
	assert.equal((summary['alerts'] as number) + (summary['logs'] as number), 69);
	for (const key of ['severity', 'operation', 'action', 'namespace', 'policy'] as const) {
		assert.deepEqual(summary[key], expected[key], key);
	}
});

test('--json prints karmor PascalCase, camelCase normalized, unknown fields kept; the output is valid input again', async () => {
	const camel = JSON.stringify({timestamp: 1703783776, hostPid: 7, namespaceName: 'ns', operation: 'File', atags: ['x'], custom_field: 'kept'});
	const input = sampleLines().join('\n') + '\n' + camel + '\n';
	const first = await runCli(['--json'], input);
	assert.equal(first.code, 0, first.stderr);
	const lines = first.stdout.trimEnd().split('\n');
	assert.equal(lines.length, 70);
	const last = JSON.parse(lines[69]) as Record<string, unknown>;
	assert.deepEqual(last, {Timestamp: 1703783776, HostPID: 7, NamespaceName: 'ns', Operation: 'File', ATags: ['x'], custom_field: 'kept'});
	const accuknox = JSON.parse(lines[1]) as Record<string, unknown>;
	assert.equal(accuknox['cluster_id'], '3664', 'unknown AccuKnox field kept');
	assert.equal('Severity' in accuknox, false, 'empty Severity dropped');

	const second = await runCli(['--json'], first.stdout);
	assert.equal(second.stdout, first.stdout, 'round trip is stable');
});

test('--plain and --json never print control characters from events', async () => {
	const hostile = JSON.stringify({
		Operation: 'File',
		ProcessName: '/tmp/\u001B]52;c;aGk=\u0007x',
		Resource: 'a\u009B31m\u007F\u202Eb\rEVIL',
		Message: 'line1\nline2',
	});
	for (const mode of ['--plain', '--json']) {
		const {stdout} = await runCli([mode], hostile + '\n');
		assert.equal(stdout.trimEnd().split('\n').length, 1, mode);
		assert.doesNotMatch(stdout.trimEnd(), controls, mode);
	}

	const {stdout} = await runCli(['--json'], hostile + '\n');
	assert.deepEqual(JSON.parse(stdout), JSON.parse(hostile), 'json stays exact');
});

test('--json prints a karmor-shaped line as it came, and anything a terminal must not see escaped', async () => {
	// Already karmor's shape: printed as it came (a number beyond double precision keeps its digits).
	const asIs = '{"Operation":"File","HostPID":12345678901234567890,"Resource":"/etc/caf\u00e9"}';
	// Karmor's shape too, but a raw tab between tokens and a raw bidi override inside a value: serialized again.
	const raw = '{"Operation":\t"File","Resource":"a\u202Eb"}';
	const {code, stdout} = await runCli(['--json'], `${asIs}\n${raw}\n`);
	assert.equal(code, 0);
	const [first, second] = stdout.trimEnd().split('\n');
	assert.equal(first, asIs);
	assert.doesNotMatch(second!, controls);
	assert.equal(second, '{"Operation":"File","Resource":"a\\u202eb"}');
});

test('when stdout is not a terminal, line mode is the default', async () => {
	const {code, stdout} = await runCli([samplesPath]);
	assert.equal(code, 0);
	assert.equal(stdout.trimEnd().split('\n').length, 69);
	assert.match(stdout, /ALERT sev=1 BLOCK File wordpress-mysql\/wordpress-787f45786f-2q9wf \/bin\/rm/);
});

test('malformed and over-long lines are counted and reported; the feed goes on', async () => {
	const good = sampleLines()[0];
	const input = Buffer.concat([
		Buffer.from('\uFEFF' + good + '\r\n\r\n'),
		Buffer.from('not json at all\n[1,2,3]\n'),
		Buffer.from('{"Resource":"' + 'x'.repeat(1024 * 1024 + 10) + '"}\n'),
		Buffer.from('   \n' + good + '\n'),
	]);
	const {code, stdout, stderr} = await runCli(['--summary'], input);
	assert.equal(code, 0);
	const summary = JSON.parse(stdout) as Record<string, number>;
	assert.equal(summary['events'], 2);
	assert.equal(summary['malformed'], 3);
	const messages = stderr.trimEnd().split('\n');
	assert.equal(messages.length, 3, stderr);
	assert.match(messages[0], /not JSON/);
	assert.match(messages[1], /array/);
	assert.match(messages[2], /skipped 1048\d{3} bytes of input \(over the 1 MiB limit\)/);
});

test('--limit stops after N events', async () => {
	const {code, stdout} = await runCli(['--json', '--limit', '5', samplesPath]);
	assert.equal(code, 0);
	assert.equal(stdout.trimEnd().split('\n').length, 5);
});

test('--follow reads what is appended, like tail -f', async () => {
	const file = join(scratch, 'follow.ndjson');
	writeFileSync(file, sampleLines()[0] + '\n');
	const child = spawn(process.execPath, [cliPath, '--json', '--follow', '--limit', '3', file], {
		stdio: ['pipe', 'pipe', 'pipe'],
	});
	const result = collect(child, undefined, 15_000);
	await sleep(600);
	appendFileSync(file, sampleLines()[1] + '\n');
	await sleep(400);
	appendFileSync(file, sampleLines()[2].slice(0, 50));
	await sleep(400);
	appendFileSync(file, sampleLines()[2].slice(50) + '\n');
	const {code, stdout} = await result;
	assert.equal(code, 0);
	assert.equal(stdout.trimEnd().split('\n').length, 3, 'a line written in two parts arrives once, whole');
});

test('--follow says on stderr when the file is truncated, and reads it again from the start', async () => {
	const file = join(scratch, 'truncate.ndjson');
	writeFileSync(file, sampleLines()[0] + '\n');
	const child = spawn(process.execPath, [cliPath, '--json', '--follow', '--limit', '2', file], {
		stdio: ['pipe', 'pipe', 'pipe'],
	});
	let printed = '';
	let seen = '';
	child.stdout.on('data', (chunk: Buffer | string) => {
		printed += String(chunk);
	});
	child.stderr.on('data', (chunk: Buffer | string) => {
		seen += String(chunk);
	});
	const result = collect(child, undefined, 20_000);
	// Truncate only once the first line was read (a loaded machine starts node slowly).
	for (let waited = 0; !printed.includes('\n') && waited < 10_000; waited += 50) await sleep(50);
	truncateSync(file, 0);
	// Append only once the truncation was noticed: a longer line written first would look like growth.
	for (let waited = 0; !seen.includes('truncated') && waited < 10_000; waited += 50) await sleep(50);
	appendFileSync(file, sampleLines()[1] + '\n');
	const {code, stdout, stderr} = await result;
	assert.equal(code, 0, stderr);
	assert.equal(stdout.trimEnd().split('\n').length, 2);
	assert.equal(stderr, 'armorwatch: truncate.ndjson: file truncated; reading from the start\n');
});

test('a line nested too deep to print is rejected with a reason, and the lines around it still come out', async () => {
	const deep = `{"Operation":"File","X":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
	const input = [sampleLines()[0], deep, sampleLines()[1]].join('\n') + '\n';
	for (const format of ['--json', '--plain']) {
		const {code, stdout, stderr} = await runCli([format], input);
		assert.equal(code, 0, stderr);
		assert.equal(stdout.trimEnd().split('\n').length, 2, format);
		assert.equal(stderr, 'armorwatch: stdin: a value nested more than 64 levels deep, not an event\n');
	}
});

test('line mode reports a lost connection once per loss, and a followed file when something happens to it', () => {
	const label = 'ws://127.0.0.1:1';
	const states: SourceStatus[] = [
		{label, state: 'connecting'},
		{label, state: 'connected', detail: '0 messages'},
		{label, state: 'connected', detail: '12 messages'},
		{label, state: 'reconnecting', detail: 'in 1s (attempt 1): connection refused'},
		{label, state: 'reconnecting', detail: 'in 0s (attempt 1): connection refused'},
		{label, state: 'connecting', detail: 'attempt 1'},
		{label, state: 'reconnecting', detail: 'in 2s (attempt 2): connection refused'},
		{label, state: 'connected', detail: '12 messages'},
	];
	const said = states.map((status, index) => statusNotice(status, states[index - 1])).filter(Boolean);
	assert.deepEqual(said, ['reconnecting in 1s (attempt 1): connection refused', 'reconnecting in 2s (attempt 2): connection refused']);

	const file = 'alerts.ndjson';
	assert.equal(statusNotice({label: file, state: 'following'}, undefined), undefined);
	const truncated: SourceStatus = {label: file, state: 'following', detail: 'file truncated; reading from the start'};
	assert.equal(statusNotice(truncated, {label: file, state: 'following'}), truncated.detail);
	assert.equal(statusNotice(truncated, truncated), truncated.detail, 'truncated twice is said twice');
	assert.equal(statusNotice({label: file, state: 'ended', detail: 'end of file'}, truncated), undefined);

	// A warning is said when it appears or changes (NATS messages the server dropped), not on every tick.
	const nats = 'nats://127.0.0.1:4222/kubearmor.>';
	const dropped = (n: number): SourceStatus => ({label: nats, state: 'connected', detail: '9 messages', warning: `${n} dropped by the server (this monitor fell behind, or was away)`});
	assert.equal(statusNotice(dropped(12), {label: nats, state: 'connected'}), dropped(12).warning);
	assert.equal(statusNotice({...dropped(12), detail: '10 messages'}, dropped(12)), undefined);
	assert.equal(statusNotice(dropped(40), dropped(12)), dropped(40).warning);
});

test('usage errors exit 2 with the usage line; an unreadable file exits 1 with one line', async () => {
	const bad = await runCli(['--no-such-option']);
	assert.equal(bad.code, 2);
	assert.deepEqual(bad.stderr.trimEnd().split('\n').map(line => line.split(':')[0]), ['armorwatch', 'Usage']);
	assert.match(bad.stderr, /unknown option --no-such-option/);

	const number = await runCli(['--max-alerts', 'lots']);
	assert.equal(number.code, 2);

	const missing = await runCli([join(scratch, 'missing.ndjson')]);
	assert.equal(missing.code, 1);
	assert.match(missing.stderr, /^armorwatch: cannot read .*missing\.ndjson: no such file\n$/);

	const locked = join(scratch, 'locked.ndjson');
	writeFileSync(locked, '{}\n');
	chmodSync(locked, 0o000);
	if (process.getuid?.() !== 0) {
		const denied = await runCli([locked]);
		assert.equal(denied.code, 1);
		assert.match(denied.stderr, /permission denied/);
	}

	const directory = await runCli([scratch]);
	assert.equal(directory.code, 1);
	assert.match(directory.stderr, /is a directory/);
});

test('--help lists sources, options, keys and examples', async () => {
	const {code, stdout} = await runCli(['--help']);
	assert.equal(code, 0);
	for (const expected of ['Sources', '--follow', '--json', '--summary', '--max-alerts', 'Keys', 'space', 'Examples', 'karmor logs --json | armorwatch']) {
		assert.ok(stdout.includes(expected), expected);
	}

	// The / prompt's and a picker's keys sit under their own headings, not among the screen's keys.
	const lines = stdout.split('\n');
	const at = (text: string, from = 0) => lines.findIndex((line, index) => index >= from && line.includes(text));
	const prompt = at('Keys in the / prompt');
	const picker = at('Keys in a picker');
	assert.ok(at('Keys (full-screen mode)') < at('quit') && at('quit') < prompt, stdout);
	assert.ok(prompt < at('keep the query') && at('keep the query') < picker, stdout);
	assert.match(lines[prompt]!, /opens empty; ↑ recalls the last query/, 'the prompt convention is said');
	assert.ok(at('Keys editing text') < at('delete the word before the cursor'), stdout);
	assert.ok(picker < at('pick the selected value', picker), stdout);
	assert.deepEqual(
		lines.filter(line => line !== '' && line.trim() === ''),
		[],
		'no line of only spaces (a binding without a label belongs to the line before)',
	);
});

test('--filter and the karmor-style options filter line mode, and --summary counts only what matches', async () => {
	const all = JSON.parse((await runCli(['--summary', samplesPath])).stdout) as {namespace: Record<string, number>; action: Record<string, number>};
	const byNamespace = await runCli(['--summary', '-n', 'wordpress-mysql', samplesPath]);
	const namespaceSummary = JSON.parse(byNamespace.stdout) as {events: number; namespace: Record<string, number>};
	assert.equal(namespaceSummary.events, all.namespace['wordpress-mysql']);
	assert.deepEqual(Object.keys(namespaceSummary.namespace), ['wordpress-mysql']);

	const blocks = await runCli(['--json', '--action', 'Block', samplesPath]);
	const lines = blocks.stdout.trimEnd().split('\n').map(line => JSON.parse(line) as Record<string, unknown>);
	assert.equal(lines.length, all.action['Block']);
	assert.ok(lines.every(event => event['Action'] === 'Block'));

	const combined = await runCli(['--plain', '--filter', 'wordpres !op:file', '--min-severity', '3', samplesPath]);
	const rows = combined.stdout.trimEnd().split('\n');
	assert.ok(rows.length > 0);
	for (const row of rows) {
		assert.match(row, /wordpress/i, 'typo-tolerant bare word');
		assert.doesNotMatch(row, / File /);
		assert.match(row, /sev=([3-9]|10)\b/);
	}

	const limited = await runCli(['--json', '--limit', '2', '--operation', 'Network', samplesPath]);
	assert.deepEqual(
		limited.stdout.trimEnd().split('\n').map(line => (JSON.parse(line) as Record<string, unknown>)['Operation']),
		['Network', 'Network'],
		'--limit counts events that pass the filter',
	);
});

test('an invalid --filter is a usage error that points at the problem', async () => {
	const {code, stderr} = await runCli(['--filter', 'ns:default sev>=x', samplesPath]);
	assert.equal(code, 2);
	assert.match(stderr, /bad --filter:\nns:default sev>=x\n {16}\^ sev needs a whole number/);
	const unknown = await runCli(['--filter', 'foo:bar', samplesPath]);
	assert.equal(unknown.code, 2);
	assert.match(unknown.stderr, /foo/);
	assert.equal((await runCli(['--min-severity', '11', samplesPath])).code, 2);
});
