import assert from 'node:assert/strict';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {runCli, startCli} from '../helpers/cli.js';
import {sampleLines, samplesPath} from '../helpers/samples.js';
import {shuffled} from '../helpers/shuffle.js';
import {waitFor} from '../helpers/wait.js';

const scratch = mkdtempSync(join(tmpdir(), 'armorwatch-group-by-'));

type Record = {count: number; key: {[field: string]: string | null}; first: string | null; last: string | null; severity: number};

function records(stdout: string): Record[] {
	return stdout
		.split('\n')
		.filter(Boolean)
		.map(line => JSON.parse(line) as Record);
}

/** A plain tally of the samples by PolicyName and Operation, read straight from the JSON (both dialects' names). */
function tally(lines: string[], keep: (raw: {[key: string]: unknown}) => boolean = () => true) {
	const groups = new Map<string, {count: number; severity: number}>();
	for (const line of lines) {
		const raw = JSON.parse(line) as {[key: string]: unknown};
		if (!keep(raw)) continue;
		const lower = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k.toLowerCase(), v]));
		const value = (name: string) => (typeof lower[name] === 'string' && lower[name] !== '' ? (lower[name] as string) : null);
		const key = JSON.stringify({PolicyName: value('policyname'), Operation: value('operation')});
		const severity = Number(lower['severity']);
		const group = groups.get(key) ?? {count: 0, severity: 0};
		group.count++;
		if (Number.isInteger(severity) && severity >= 1 && severity <= 10) group.severity = Math.max(group.severity, severity);
		groups.set(key, group);
	}

	return groups;
}

function assertMatchesTally(got: Record[], expected: Map<string, {count: number; severity: number}>): void {
	assert.equal(got.length, expected.size, 'one line per group');
	for (const record of got) {
		const want = expected.get(JSON.stringify(record.key));
		assert.ok(want, `a group the tally has: ${JSON.stringify(record.key)}`);
		assert.equal(record.count, want.count, JSON.stringify(record.key));
		assert.equal(record.severity, want.severity, JSON.stringify(record.key));
		assert.ok(record.first !== null && record.last !== null && record.first <= record.last, 'ISO times, first before last');
	}

	const counts = got.map(record => record.count);
	assert.deepEqual(counts, [...counts].sort((a, b) => b - a), 'most frequent first');
}

test('--group-by policy,op prints one JSON object per group with the counts a plain tally finds', async () => {
	const result = await runCli([samplesPath, '--group-by', 'policy,op']);
	assert.equal(result.code, 0, result.stderr);
	assertMatchesTally(records(result.stdout), tally(sampleLines()));
	assert.equal(records(result.stdout).reduce((sum, record) => sum + record.count, 0), 69, 'every event in a group');
});

test('shuffled input gives the same groups, in the same order', async () => {
	// Events without a time of their own take the time they were read: leave those out, so times compare too.
	const timed = sampleLines().filter(line => /"(Timestamp|timestamp|UpdatedTime|updatedTime)"/.test(line));
	const inOrder = await runCli(['-', '--group-by', 'policy,op,action'], timed.join('\n') + '\n');
	assert.equal(inOrder.code, 0, inOrder.stderr);
	assert.ok(records(inOrder.stdout).length > 5);
	for (const seed of [1, 2, 3]) {
		const result = await runCli(['-', '--group-by', 'policy,op,action'], shuffled(timed, seed).join('\n') + '\n');
		assert.equal(result.stdout, inOrder.stdout, `seed ${seed}`);
	}
});

test('with a filter only what matches is grouped', async () => {
	const result = await runCli([samplesPath, '--group-by', 'policy,op', '--action', 'Block']);
	assert.equal(result.code, 0, result.stderr);
	assertMatchesTally(records(result.stdout), tally(sampleLines(), raw => String(raw['Action'] ?? raw['action']).toLowerCase() === 'block'));
	const ns = await runCli([samplesPath, '--group-by', 'ns', '--filter', 'op:=Network']);
	for (const record of records(ns.stdout)) assert.deepEqual(Object.keys(record.key), ['NamespaceName']);
	const networkEvents = [...tally(sampleLines(), raw => (raw['Operation'] ?? raw['operation']) === 'Network').values()].reduce((sum, group) => sum + group.count, 0);
	assert.equal(records(ns.stdout).reduce((sum, record) => sum + record.count, 0), networkEvents);
});

test('--max-groups keeps the most recently seen groups and says how many were left out', async () => {
	const file = join(scratch, 'many.ndjson');
	const lines = Array.from({length: 30}, (_, index) => JSON.stringify({Timestamp: 1_700_000_000 + index, Operation: 'File', Resource: `/tmp/f${index}`}));
	writeFileSync(file, lines.join('\n') + '\n');
	const result = await runCli([file, '--group-by', 'res', '--max-groups', '10']);
	assert.equal(result.code, 0, result.stderr);
	assert.deepEqual(
		records(result.stdout).map(record => record.key['Resource']).sort(),
		Array.from({length: 10}, (_, index) => `/tmp/f${20 + index}`).sort(),
	);
	assert.match(result.stderr, /20 groups left out/);
});

test('--group-by checks its fields, and does not go with --json or --summary', async () => {
	const unknown = await runCli([samplesPath, '--group-by', 'policy,colour']);
	assert.equal(unknown.code, 2);
	assert.match(unknown.stderr, /unknown field "colour"/);
	const both = await runCli([samplesPath, '--group-by', 'policy', '--summary']);
	assert.equal(both.code, 2);
	assert.match(both.stderr, /--group-by prints groups/);
});

test('SIGINT during --follow prints the groups of what was read, and exits 130', async () => {
	const file = join(scratch, 'followed.ndjson');
	// The last line is not JSON: its message on stderr says the whole file was read.
	writeFileSync(file, sampleLines().join('\n') + '\nnot json\n');
	const running = startCli([file, '--follow', '--group-by', 'policy,op']);
	await waitFor(() => running.stderr().includes('not JSON'), 'the whole file to be read', 15_000);
	running.child.kill('SIGINT');
	const {code, stdout} = await running.result;
	assert.equal(code, 130);
	assertMatchesTally(records(stdout), tally(sampleLines()));
});
