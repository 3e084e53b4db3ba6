// Line mode's output through real pipes: a reader slower than armorwatch, a reader that leaves (`| head`), a
// disk that is full, and the memory a long --summary holds.
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {existsSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, test} from 'node:test';
import {cliPath, collect, runShell, watchChild} from '../helpers/cli.js';
import {sampleLines} from '../helpers/samples.js';

const scratch = mkdtempSync(join(tmpdir(), 'armorwatch-output-'));
after(() => {
	rmSync(scratch, {recursive: true, force: true});
});

/** `count` events: the public samples over and over. */
function manyEvents(count: number): string {
	const samples = sampleLines();
	return Array.from({length: count}, (_, index) => samples[index % samples.length]).join('\n') + '\n';
}

const twentyThousand = join(scratch, 'twenty-thousand.ndjson');
writeFileSync(twentyThousand, manyEvents(20_000));

/** Dialects and odd values line mode must pass through whole (every one is accepted as an event). */
const oddEvents = [
	{timestamp: 1703783776, hostPid: 7, namespaceName: 'ns', operation: 'File', atags: ['x'], custom_field: 'kept'},
	{Timestamp: '1703783776', Operation: 'Process', Severity: 5},
	{Timestamp: null, Operation: 'Network', Severity: '', PolicyName: '', NamespaceName: null, cluster_id: '3664'},
	{EventType: 'Alert', Timestamp: 1703783776, Detail: {Operation: 'File', Action: 'Block', Resource: '/etc/shadow'}},
	{Operation: 'Syscall', Action: 'Audit', Severity: '10'},
	{Operation: 'SomethingNew', Action: 'Allow'},
	{Operation: 'File', ProcessName: '/tmp/\u001B]52;c;aGk=\u0007x', Resource: 'a\u009B31m\u007F\u202Eb\rEVIL'},
	{Operation: 'File', Message: 'line1\nline2', Resource: 'caf\u00E9 \u{1F600} \u0301'},
	{Operation: 'Process', Data: {nested: {deeper: [1, [2, [3, {four: 4}]]]}}},
	{Operation: 'File', PID: 12_345_678_901_234_567_890, HostPID: -1},
	{Operation: 'File', Labels: 'app=a,tier=b', ATags: null, Tags: 'NIST,MITRE'},
	{Type: 'MatchedPolicy', Operation: 'File', Action: 'Block', Severity: 0},
	{Type: 'ContainerLog', Operation: 'Process', Result: 'Passed'},
	{Type: 'HostLog', HostName: 'node-1', Operation: 'Network', Resource: 'remoteip=10.0.0.1 port=443'},
	{Operation: 'AlertThreshold', DroppingAlertsInterval: 10, MaxAlertsPerSec: 10, PodName: 'p', NamespaceName: 'n', ContainerName: 'c'},
	{Operation: 'File', Resource: 'x'.repeat(5000), Enforcer: 'BPFLSM'},
];

test('a reader slower than armorwatch gets every line: 20,000 events into `(sleep 1; wc -l)`', async () => {
	for (const script of [
		`$AW --plain ${twentyThousand} | (sleep 1; wc -l)`,
		`$AW --json ${twentyThousand} | (sleep 1; wc -l)`,
		`cat ${twentyThousand} | $AW --plain | (sleep 1; wc -l)`,
	]) {
		const {code, stdout, stderr} = await runShell(script);
		assert.equal(code, 0, stderr);
		assert.equal(stdout.trim(), '20000', script);
		assert.equal(stderr, '', script);
	}
});

test('--json of the samples and odd events into a slow reader: every line, each whole and the same as to a file', async () => {
	const input = join(scratch, 'odd.ndjson');
	writeFileSync(input, sampleLines().join('\n') + '\n' + oddEvents.map(event => JSON.stringify(event)).join('\n') + '\n');
	const toFile = join(scratch, 'odd.json');
	const direct = await runShell(`$AW --json ${input} > ${toFile}`);
	assert.equal(direct.code, 0, direct.stderr);
	const expected = readFileSync(toFile, 'utf8');
	assert.equal(expected.trimEnd().split('\n').length, 85);

	const slow = await runShell(`$AW --json ${input} | (sleep 1; cat)`);
	assert.equal(slow.code, 0, slow.stderr);
	assert.equal(slow.stdout, expected);
	for (const line of slow.stdout.trimEnd().split('\n')) assert.doesNotThrow(() => JSON.parse(line), line.slice(0, 80));
});

test('`| head -1` ends quietly: one line, nothing on stderr, exit 0', async () => {
	for (const format of ['--plain', '--json']) {
		const {stdout, stderr} = await runShell(`$AW ${format} ${twentyThousand} | head -1; echo "exit=\${PIPESTATUS[0]}" >&2`);
		assert.equal(stdout.trimEnd().split('\n').length, 1, format);
		// Before, the line cut off where reading stopped was reported as "not JSON".
		assert.equal(stderr, 'exit=0\n', format);
	}
});

test('--limit stops reading there: what follows in the same chunk, and the line cut off, are not reported', async () => {
	const file = join(scratch, 'limit.ndjson');
	writeFileSync(file, sampleLines()[0] + '\nnot json\n' + manyEvents(1000));
	const {code, stdout, stderr} = await runShell(`$AW --json --limit 1 ${file}`);
	assert.equal(code, 0);
	assert.equal(stdout.trimEnd().split('\n').length, 1);
	assert.equal(stderr, '', 'the malformed line after the limit was never read');

	// 20,000 events are read in chunks that end inside a line: stopping there must not report that line.
	for (const limit of ['5', '700']) {
		const limited = await runShell(`$AW --plain --limit ${limit} ${twentyThousand} | (sleep 0.2; wc -l)`);
		assert.equal(limited.stdout.trim(), limit);
		assert.equal(limited.stderr, '', `--limit ${limit}`);
	}
});

test('a failed write is one line on stderr and exit 1: --summary, --plain and --json to /dev/full', {skip: existsSync('/dev/full') ? false : 'no /dev/full'}, async () => {
	for (const format of ['--summary', '--plain', '--json']) {
		const full = openSync('/dev/full', 'w');
		const child = spawn(process.execPath, [cliPath, format, twentyThousand], {stdio: ['pipe', full, 'pipe']});
		closeSync(full);
		const {code, stderr} = await collect(child, undefined, 20_000);
		assert.equal(code, 1, format);
		assert.equal(stderr, 'armorwatch: cannot write to stdout: no space left on device\n', format);
	}
});

test('line mode keeps no events: --summary of 1,100 events of 200 KB holds about what it holds for small ones', async () => {
	// The child reports its peak memory at exit (resourceUsage().maxRSS, in KiB).
	const probe = join(scratch, 'max-rss.mjs');
	writeFileSync(
		probe,
		"import {writeSync} from 'node:fs';\nprocess.on('exit', () => writeSync(2, `maxrss=${process.resourceUsage().maxRSS}\\n`));\n",
	);
	const count = 1100;
	const peakMb = async (padBytes: number): Promise<number> => {
		const child = spawn(process.execPath, ['--import', probe, cliPath, '--summary'], {stdio: ['pipe', 'pipe', 'pipe']});
		const running = watchChild(child, 60_000);
		const pad = 'x'.repeat(padBytes);
		for (let index = 0; index < count; index++) {
			const line = JSON.stringify({Operation: 'File', NamespaceName: `ns${index % 7}`, Resource: pad, PID: index}) + '\n';
			if (!child.stdin!.write(line)) await new Promise(resolve => child.stdin!.once('drain', resolve));
		}

		child.stdin!.end();
		const {code, stdout, stderr} = await running.result;
		assert.equal(code, 0, stderr);
		assert.equal((JSON.parse(stdout) as {events: number}).events, count);
		return Number(/maxrss=(\d+)/.exec(stderr)?.[1]) / 1024;
	};

	const small = await peakMb(100);
	const large = await peakMb(200_000);
	// Keeping 1,024 of them would hold 200 MB more; the garbage collector's slack is far less.
	const retainedMb = (1024 * 200_000) / 1024 / 1024;
	assert.ok(large - small < retainedMb / 2, `peak ${large.toFixed(0)} MB with 200 KB events, ${small.toFixed(0)} MB with small ones`);
});
