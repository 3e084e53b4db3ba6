import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {test} from 'node:test';
import {parse} from 'yaml';
import {cliPath, runCli} from '../helpers/cli.js';
import {sampleLines, samplesPath} from '../helpers/samples.js';

type Policy = {apiVersion: string; kind: string; metadata: {name: string; namespace?: string}; spec: Record<string, any>};

const samples = sampleLines().map(line => JSON.parse(line) as Record<string, any>);

test('armorwatch policy prints the draft for the first event matching the filters, as YAML', async () => {
	const result = await runCli(['policy', samplesPath, '--filter', 'op:Process action:Block']);
	assert.equal(result.code, 0, result.stderr);
	const first = samples.find(event => event['Operation'] === 'Process' && event['Action'] === 'Block')!;
	const policy = parse(result.stdout) as Policy;
	assert.equal(policy.apiVersion, 'security.kubearmor.com/v1');
	assert.equal(policy.kind, 'KubeArmorPolicy');
	assert.equal(policy.metadata.namespace, first['NamespaceName']);
	assert.match(policy.metadata.name, /^[a-z\d]([-a-z\d]{0,61}[a-z\d])?$/);
	assert.deepEqual(policy.spec['process'], {matchPaths: [{path: first['ProcessName']}]});
	assert.equal(policy.spec['action'], 'Block');
	assert.equal(policy.spec['severity'], Number(first['Severity']));
	assert.equal(result.stderr, '');
});

test('policy --action sets the drafted action (any case) and is not a filter there', async () => {
	const result = await runCli(['policy', samplesPath, '--filter', 'op:File action:Block', '--action', 'audit']);
	assert.equal(result.code, 0, result.stderr);
	const first = samples.find(event => event['Operation'] === 'File' && event['Action'] === 'Block')!;
	const policy = parse(result.stdout) as Policy;
	assert.equal(policy.spec['action'], 'Audit');
	assert.deepEqual(policy.spec['file'], {matchPaths: [{path: first['Resource']}]});

	const bad = await runCli(['policy', samplesPath, '--action', 'Deny']);
	assert.equal(bad.code, 2);
	assert.match(bad.stderr, /--action must be Block, Audit, Allow, not "Deny"/);
});

test('a host event gives a KubeArmorHostPolicy on its node', async () => {
	const result = await runCli(['policy', samplesPath, '--filter', 'type:MatchedHostPolicy']);
	assert.equal(result.code, 0, result.stderr);
	const first = samples.find(event => event['Type'] === 'MatchedHostPolicy')!;
	const policy = parse(result.stdout) as Policy;
	assert.equal(policy.kind, 'KubeArmorHostPolicy');
	assert.deepEqual(policy.spec['nodeSelector'], {matchLabels: {'kubernetes.io/hostname': first['HostName']}});
	assert.equal(policy.metadata.namespace, undefined);
});

test('nothing matching: exit 1 with a message, nothing on stdout', async () => {
	const result = await runCli(['policy', samplesPath, '--filter', 'proc:no-such-process-anywhere']);
	assert.equal(result.code, 1);
	assert.equal(result.stdout, '');
	assert.match(result.stderr, /none of the 69 events read matches/);
});

test('an event no policy can express (Device): exit 1 with the reason', async () => {
	const result = await runCli(['policy', samplesPath, '--filter', 'op:Device']);
	assert.equal(result.code, 1);
	assert.equal(result.stdout, '');
	assert.match(result.stderr, /no policy can be drafted from this event: KubeArmor policies have no rule for Operation Device/);
});

test('policy stops reading at the first match: stdin left open still ends the command', async () => {
	const child = spawn(process.execPath, [cliPath, 'policy', '-', '--filter', 'op:File'], {stdio: ['pipe', 'pipe', 'pipe']});
	const file = sampleLines().find(line => (JSON.parse(line) as Record<string, unknown>)['Operation'] === 'File')!;
	child.stdin.write(file + '\n'); // and stdin is never ended
	let stdout = '';
	child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
		stdout += chunk;
	});
	const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
	const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>(resolve => {
		child.once('close', (exitCode, exitSignal) => resolve([exitCode, exitSignal]));
	});
	clearTimeout(timer);
	assert.equal(signal, null, 'it ended by itself, stdin still open');
	assert.equal(code, 0);
	assert.deepEqual((parse(stdout) as Policy).spec['file'], {matchPaths: [{path: JSON.parse(file).Resource}]});
});

test('a source name with a line break cannot add YAML of its own to the draft', async () => {
	const {mkdtempSync, writeFileSync} = await import('node:fs');
	const {tmpdir} = await import('node:os');
	const {join} = await import('node:path');
	const directory = mkdtempSync(join(tmpdir(), 'armorwatch-policy-'));
	const file = join(directory, 'x\nkind: Evil\n.ndjson');
	writeFileSync(file, sampleLines().find(line => line.includes('"Operation":"File"'))! + '\n');
	const result = await runCli(['policy', file]);
	assert.equal(result.code, 0, result.stderr);
	const policy = parse(result.stdout) as Policy;
	assert.equal(policy.kind, 'KubeArmorPolicy');
	assert.equal(result.stdout.split('\n').filter(line => line.startsWith('kind:')).length, 1);
});
