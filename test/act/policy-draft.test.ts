import assert from 'node:assert/strict';
import {test} from 'node:test';
import {parse} from 'yaml';
import {draftPolicy, networkProtocol, parseLabels, policyName} from '../../source/act/policy-draft.js';
import {toYaml, yamlString} from '../../source/act/yaml.js';
import {text, type MonitorEvent} from '../../source/model/event.js';
import {makeEvent, sampleLines} from '../helpers/samples.js';

const samples: MonitorEvent[] = sampleLines().map(line => makeEvent(JSON.parse(line) as Record<string, unknown>, 'samples'));

function sample(predicate: (event: MonitorEvent) => boolean): MonitorEvent {
	const found = samples.find(predicate);
	assert.ok(found, 'a public sample of that kind');
	return found;
}

type Policy = {
	apiVersion: string;
	kind: string;
	metadata: {name: string; namespace?: string};
	spec: Record<string, any>;
};

/** The draft, parsed back by a real YAML parser, with the checks every draft must pass. */
function drafted(event: MonitorEvent, action?: 'Block' | 'Audit' | 'Allow'): Policy {
	const draft = draftPolicy(event, action);
	assert.ok(draft.ok, draft.ok ? '' : draft.reason);
	const policy = parse(draft.yaml) as Policy;
	assert.deepEqual(policy, draft.policy, 'the YAML reads back as the policy');
	assert.equal(policy.apiVersion, 'security.kubearmor.com/v1');
	assert.match(policy.metadata.name, /^[a-z\d]([-a-z\d]{0,61}[a-z\d])?$/, 'a DNS-1123 name');
	assert.ok(['Block', 'Audit', 'Allow'].includes(policy.spec['action']));
	const severity = policy.spec['severity'];
	if (severity !== undefined) assert.ok(Number.isInteger(severity) && severity >= 1 && severity <= 10);
	const known = new Set(['severity', 'tags', 'message', 'selector', 'nodeSelector', 'process', 'file', 'network', 'capabilities', 'syscalls', 'action']);
	for (const key of Object.keys(policy.spec)) assert.ok(known.has(key), `spec.${key} is a KubeArmor field`);
	return policy;
}

test('a Process alert: process.matchPaths with the executable, labels as the selector, the event\'s own action', () => {
	const event = sample(e => text(e, 'Operation') === 'Process' && text(e, 'Type') === 'MatchedPolicy' && text(e, 'Resource') === '/usr/bin/apt update');
	const policy = drafted(event);
	assert.equal(policy.kind, 'KubeArmorPolicy');
	assert.equal(policy.metadata.namespace, text(event, 'NamespaceName'));
	assert.deepEqual(policy.spec['process'], {matchPaths: [{path: '/usr/bin/apt'}]});
	assert.deepEqual(policy.spec['selector'], {matchLabels: parseLabels(text(event, 'Labels'))});
	assert.ok(Object.keys(policy.spec['selector'].matchLabels).length > 0);
	assert.equal(policy.spec['action'], text(event, 'Action'));
	assert.equal(policy.spec['severity'], event.severity);
	assert.match(policy.metadata.name, /^block-.*apt/);
	if (text(event, 'Message')) assert.equal(policy.spec['message'], text(event, 'Message'));
	const tags = text(event, 'Tags').split(',').filter(Boolean);
	assert.deepEqual(policy.spec['tags'], tags.length > 0 ? tags : undefined);
});

test('a File alert: file.matchPaths with the path; a directory operation gives matchDirectories', () => {
	const file = drafted(sample(e => text(e, 'Resource') === '/etc/ca-certificates.conf' && text(e, 'Operation') === 'File'));
	assert.deepEqual(file.spec['file'], {matchPaths: [{path: '/etc/ca-certificates.conf'}]});
	const directory = drafted(sample(e => text(e, 'Data').includes('SYS_RMDIR') && text(e, 'Operation') === 'File'));
	assert.deepEqual(directory.spec['file'], {matchDirectories: [{dir: '/etc/ssl/certs/', recursive: true}]});
});

test('a Network alert: network.matchProtocols with the protocol, from the process that used it', () => {
	const event = sample(e => text(e, 'Operation') === 'Network' && text(e, 'Type') === 'MatchedPolicy' && text(e, 'Resource').startsWith('domain=AF_INET type=SOCK_DGRAM'));
	const policy = drafted(event, 'Audit');
	assert.deepEqual(policy.spec['network'], {matchProtocols: [{protocol: 'UDP', fromSource: [{path: text(event, 'ProcessName')}]}]});
	assert.equal(policy.spec['action'], 'Audit', 'the chosen action, not the event\'s');
	assert.equal(networkProtocol(makeEvent({Operation: 'Network', Resource: 'protocol=UDP,type=SOCK_DGRAM'})), 'UDP');
	assert.equal(networkProtocol(makeEvent({Operation: 'Network', Resource: 'domain=AF_INET type=SOCK_STREAM protocol=6'})), 'TCP');
	assert.equal(networkProtocol(makeEvent({Operation: 'Network', Resource: 'domain=AF_INET type=SOCK_RAW protocol=1'})), 'ICMP');
	const unix = draftPolicy(sample(e => text(e, 'Operation') === 'Network' && text(e, 'Resource').startsWith('domain=AF_UNIX') && text(e, 'Type') === 'MatchedPolicy'));
	assert.ok(!unix.ok && unix.reason.includes('TCP, UDP or ICMP'));
});

test('a Capabilities alert: capabilities.matchCapabilities with KubeArmor\'s lower-case name', () => {
	// No public sample has Operation Capabilities; this is the shape KubeArmor gives one (as the demo feed does).
	const event = makeEvent({
		Type: 'MatchedPolicy', Operation: 'Capabilities', Action: 'Block', PolicyName: 'ksp-block-cap-net-raw', Severity: '4',
		NamespaceName: 'multiubuntu', PodName: 'ubuntu-1-deployment-f987bd4d6-xzcb8', Labels: 'container=ubuntu-1,group=group-1,pod-template-hash=f987bd4d6',
		ProcessName: '/usr/sbin/tcpdump', Resource: 'CAP_NET_RAW', Data: 'syscall=SYS_SOCKET', HostName: 'worker-node02',
	});
	const policy = drafted(event);
	assert.deepEqual(policy.spec['capabilities'], {matchCapabilities: [{capability: 'net_raw', fromSource: [{path: '/usr/sbin/tcpdump'}]}]});
	assert.deepEqual(policy.spec['selector'], {matchLabels: {container: 'ubuntu-1', group: 'group-1'}}, 'no generated labels');
	assert.match(policy.metadata.name, /^block-ubuntu-1-deployment-capabilities-net-raw$/);
});

test('host events: KubeArmorHostPolicy with a nodeSelector on the host name and no namespace', () => {
	const event = sample(e => text(e, 'Type') === 'MatchedHostPolicy' && text(e, 'Operation') === 'Process' && text(e, 'ProcessName') !== '');
	const policy = drafted(event);
	assert.equal(policy.kind, 'KubeArmorHostPolicy');
	assert.equal(policy.metadata.namespace, undefined);
	assert.deepEqual(policy.spec['nodeSelector'], {matchLabels: {'kubernetes.io/hostname': text(event, 'HostName')}});
	assert.equal(policy.spec['selector'], undefined);
	const syscall = drafted(sample(e => text(e, 'Type') === 'MatchedHostPolicy' && text(e, 'Data') === 'syscall=SYS_SETUID userid=0'));
	assert.deepEqual(syscall.spec['syscalls'], {matchSyscalls: [{syscall: ['setuid'], fromSource: [{path: '/usr/sbin/sshd'}]}]});
});

test('every public sample either drafts a valid policy or says why not', () => {
	let drafts = 0;
	for (const event of samples) {
		const draft = draftPolicy(event);
		if (draft.ok) {
			drafted(event);
			drafts++;
		} else assert.match(draft.reason, /^no policy can be drafted from this event: .+/);
	}

	assert.ok(drafts >= 40, `${drafts} of ${samples.length} drafted`);
	const device = draftPolicy(sample(e => text(e, 'Operation') === 'Device'));
	assert.ok(!device.ok && device.reason.includes('Operation Device'));
});

test('hostile text stays text: YAML reads back exactly the strings the event held', () => {
	const hostile = [
		'true', 'null', '1.5', '0x1f', '- item', 'a: b', '#comment', 'x #y', "'quoted'", '"dq"', '[a]', '{a}', '*ref', '&anchor', '!tag',
		'line\nbreak', 'tab\there', 'bell\u0007', 'esc\u001B]0;title\u0007', 'del\u007F', 'c1\u0085', 'ls\u2028', 'bom\uFEFF', 'trailing ', ' leading',
		'/etc/shadow', 'Audit (Block)', 'é ü 中文 🔥', '', '%', '@at', '`tick`', 'key: value\n  nested: yes',
	];
	for (const value of hostile) {
		const yaml = toYaml({value, list: [value], map: {[value || 'empty']: value}});
		assert.deepEqual(parse(yaml), {value, list: [value], map: {[value || 'empty']: value}}, JSON.stringify(value));
		assert.doesNotMatch(yamlString(value), /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/, 'no raw control character in the YAML');
	}

	const event = makeEvent({Type: 'MatchedPolicy', Operation: 'File', Action: 'Block', NamespaceName: 'ns', PodName: 'p', Resource: '/tmp/x\nspec:\n  action: Allow', Message: 'a: b\u001B[31m'});
	const policy = drafted(event);
	assert.equal(policy.spec['action'], 'Block');
	assert.deepEqual(policy.spec['file'], {matchPaths: [{path: '/tmp/x\nspec:\n  action: Allow'}]});
	assert.equal(policy.spec['message'], 'a: b\u001B[31m');
});

test('policy names fit DNS-1123 whatever the parts', () => {
	assert.equal(policyName('Block', 'wordpress', 'file', 'etc-shadow'), 'block-wordpress-file-etc-shadow');
	assert.equal(policyName('Audit', 'ÜBER__pod', '/usr/bin/x'), 'audit-ber-pod-usr-bin-x');
	assert.equal(policyName('x'.repeat(100)).length, 63);
	assert.equal(policyName('--', '!!'), 'armorwatch-draft');
	assert.doesNotMatch(policyName('a', 'b'.repeat(61), 'c'), /-$/);
});
