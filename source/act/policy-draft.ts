// A KubeArmor policy drafted from one event, for the step from "this was blocked" to "here is the policy".
// Field names follow KubeArmor's specifications (getting-started/security_policy_specification.md and
// host_security_policy_specification.md): a draft for a person to read and apply, never applied by us.

import {text, type MonitorEvent} from '../model/event.js';
import {sanitize} from '../model/sanitize.js';
import {podWorkload} from '../model/workload.js';
import {toYaml, type YamlValue} from './yaml.js';

export type PolicyAction = 'Block' | 'Audit' | 'Allow';

export const policyActions: readonly PolicyAction[] = ['Block', 'Audit', 'Allow'];

export type PolicyDraft = {ok: true; policy: {[key: string]: YamlValue}; yaml: string} | {ok: false; reason: string};

/** Labels Kubernetes generates per pod or revision: a selector holding them would match one pod at most. */
const generatedLabels = new Set([
	'pod-template-hash',
	'controller-revision-hash',
	'pod-template-generation',
	'statefulset.kubernetes.io/pod-name',
	'apps.kubernetes.io/pod-index',
	'controller-uid',
	'batch.kubernetes.io/controller-uid',
]);

/** `app=nginx,tier=web` or `container=ubuntu-1 group=group-1` -> {app: nginx, ...}, generated labels left out. */
export function parseLabels(labels: string): Record<string, string> {
	const result: Record<string, string> = {};
	for (const pair of labels.split(/[,\s]+/)) {
		const equals = pair.indexOf('=');
		if (equals <= 0) continue;
		const key = pair.slice(0, equals);
		if (!generatedLabels.has(key)) result[key] = pair.slice(equals + 1);
	}

	return result;
}

/** True for events from a node rather than a pod: they need a KubeArmorHostPolicy. */
export function isHostEvent(event: MonitorEvent): boolean {
	const type = text(event, 'Type');
	if (type === 'MatchedHostPolicy' || type === 'HostLog') return true;
	return !text(event, 'NamespaceName') && !text(event, 'PodName');
}

/** The event's own action as a policy action (Audit (Block) was a Block policy in audit mode). */
export function defaultAction(event: MonitorEvent): PolicyAction {
	const action = text(event, 'Action');
	if (action === 'Audit' || action === 'Allow') return action;
	return 'Block';
}

const absolute = (path: string) => path.startsWith('/');

/** The executable an event is about: ProcessName, else the first word of a Process event's Resource. */
function executable(event: MonitorEvent): string {
	const process = text(event, 'ProcessName');
	if (absolute(process)) return process;
	const first = text(event, 'Resource').split(' ')[0] ?? '';
	return text(event, 'Operation') === 'Process' && absolute(first) ? first : '';
}

/** fromSource: the process that did it, so a network or capability rule does not cover the whole pod. */
function fromSource(event: MonitorEvent): {fromSource?: YamlValue} {
	const path = executable(event);
	return path ? {fromSource: [{path}]} : {};
}

/** TCP, UDP or ICMP from a Network event's Resource and Data, as KubeArmor writes them. */
export function networkProtocol(event: MonitorEvent): string | undefined {
	const words = `${text(event, 'Resource')} ${text(event, 'Data')}`;
	const protocol = /protocol=(\w+)/i.exec(words)?.[1]?.toUpperCase();
	if (protocol === 'TCP' || protocol === '6') return 'TCP';
	if (protocol === 'UDP' || protocol === '17') return 'UDP';
	if (protocol === 'ICMP' || protocol === '1' || protocol === '58') return 'ICMP';
	if (/\bAF_(?:UNIX|PACKET|NETLINK)\b/.test(words)) return undefined;
	if (/SOCK_STREAM/.test(words) || /kfunc=TCP_/i.test(words)) return 'TCP';
	if (/SOCK_DGRAM/.test(words) || /kfunc=UDP_/i.test(words)) return 'UDP';
	return undefined;
}

type Rule = {section: string; body: {[key: string]: YamlValue}; thing: string} | {reason: string};

function ruleFor(event: MonitorEvent, host: boolean): Rule {
	const operation = text(event, 'Operation');
	const resource = text(event, 'Resource');
	switch (operation) {
		case 'Process': {
			const path = executable(event);
			if (!path) return {reason: 'the event names no absolute executable path'};
			return {section: 'process', body: {matchPaths: [{path}]}, thing: path};
		}

		case 'File': {
			if (!absolute(resource)) return {reason: 'the event names no absolute file path'};
			const directory = resource.endsWith('/') || /SYS_(?:RMDIR|MKDIR)/.test(text(event, 'Data'));
			if (directory) {
				const dir = resource.endsWith('/') ? resource : `${resource}/`;
				return {section: 'file', body: {matchDirectories: [{dir, recursive: true}]}, thing: resource};
			}

			return {section: 'file', body: {matchPaths: [{path: resource}]}, thing: resource};
		}

		case 'Network': {
			const protocol = networkProtocol(event);
			if (!protocol) return {reason: 'KubeArmor network rules match TCP, UDP or ICMP, and the event shows none of them'};
			return {section: 'network', body: {matchProtocols: [{protocol, ...fromSource(event)}]}, thing: `${protocol} ${executable(event)}`};
		}

		case 'Capabilities': {
			const name = /(?:CAP_)?([A-Z][A-Z_]+)/i.exec(resource)?.[1];
			if (!name) return {reason: 'the event names no capability'};
			const capability = name.toLowerCase().replace(/^cap_/, '');
			return {section: 'capabilities', body: {matchCapabilities: [{capability, ...fromSource(event)}]}, thing: capability};
		}

		case 'Syscall': {
			const name = /syscall=SYS_(\w+)/.exec(text(event, 'Data'))?.[1];
			if (!host) return {reason: 'syscall rules are part of KubeArmorHostPolicy only'};
			if (!name) return {reason: 'the event names no system call'};
			return {section: 'syscalls', body: {matchSyscalls: [{syscall: [name.toLowerCase()], ...fromSource(event)}]}, thing: name.toLowerCase()};
		}

		default: {
			return {reason: `KubeArmor policies have no rule for ${operation ? `Operation ${operation}` : 'an event without an Operation'}`};
		}
	}
}

/** A DNS-1123 name (what metadata.name must be): lowercase letters, digits and '-', at most 63 characters. */
export function policyName(...parts: string[]): string {
	const name = parts
		.join('-')
		.toLowerCase()
		.replaceAll(/[^a-z\d]+/g, '-')
		.replaceAll(/^-+|-+$/g, '');
	return name.slice(0, 63).replace(/-+$/, '') || 'armorwatch-draft';
}

/** The policy that would make `event` happen again (Allow / Audit) or stop it (Block). */
export function draftPolicy(event: MonitorEvent, action: PolicyAction = defaultAction(event)): PolicyDraft {
	const host = isHostEvent(event);
	const rule = ruleFor(event, host);
	if ('reason' in rule) return {ok: false, reason: `no policy can be drafted from this event: ${rule.reason}`};

	const hostName = text(event, 'HostName');
	if (host && !hostName) return {ok: false, reason: 'no policy can be drafted from this event: a host event without a HostName'};
	const pod = text(event, 'PodName');
	const where = host ? hostName : pod ? podWorkload(pod) : text(event, 'ContainerName');
	const name = policyName(action, where, rule.section, rule.thing.split('/').filter(Boolean).slice(-2).join('-'));
	const metadata: {[key: string]: YamlValue} = {name};
	if (!host) metadata['namespace'] = text(event, 'NamespaceName') || 'default';

	const spec: {[key: string]: YamlValue} = {};
	if (event.severity >= 1) spec['severity'] = event.severity;
	const tags = text(event, 'Tags')
		.split(',')
		.map(tag => tag.trim())
		.filter(Boolean);
	if (tags.length > 0) spec['tags'] = tags;
	const message = text(event, 'Message');
	if (message) spec['message'] = message;
	if (host) spec['nodeSelector'] = {matchLabels: {'kubernetes.io/hostname': hostName}};
	else spec['selector'] = {matchLabels: parseLabels(text(event, 'Labels'))};
	spec[rule.section] = rule.body;
	spec['action'] = action;

	const policy = {
		apiVersion: 'security.kubearmor.com/v1',
		kind: host ? 'KubeArmorHostPolicy' : 'KubeArmorPolicy',
		metadata,
		spec,
	};
	const labels = host ? {} : (spec['selector'] as {matchLabels: Record<string, string>}).matchLabels;
	const note =
		!host && Object.keys(labels).length === 0
			? '# The event carries no labels: this selector matches every pod in the namespace.\n'
			: '';
	// The source is a file name or URL: a line break in it would end the comment and start YAML of its own.
	const source = `# Drafted by armorwatch from a ${text(event, 'Operation')} event${event.source ? ` (${sanitize(event.source)})` : ''}: review before applying.\n`;
	return {ok: true, policy, yaml: source + note + toYaml(policy)};
}
