// `nats://[user:pass@]HOST[:PORT][/SUBJECT[,SUBJECT...]]` and `tls://...`: what the monitor and `publish --to`
// take. Pure, so the command line can check a URL before anything connects.

import {sanitize} from '../../model/sanitize.js';
import {defaultSubject, subjectProblem, withoutCovered} from './subjects.js';

export const defaultNatsPort = 4222;

/** A URL the user typed that cannot be used: the message is meant for them as it is (it holds no secret). */
export class NatsConfigError extends Error {
	override name = 'NatsConfigError';
}

export type NatsUrl = {
	host: string;
	port: number;
	/** tls:// (or --tls): the connection must be encrypted. */
	tls: boolean;
	/** From `user:pass@`; `token@` alone is a token, as every NATS client reads it. */
	user?: string;
	pass?: string;
	token?: string;
	/** What to subscribe to: `kubearmor.>` when the URL names none; none covers another. */
	subjects: string[];
	/** The URL as the header shows it: scheme, host, port and subjects, never a credential. */
	label: string;
};

const schemes = /^(nats|tls):\/\//i;

export function isNatsUrl(text: string): boolean {
	return schemes.test(text);
}

/** Parse a NATS URL; throws NatsConfigError with words (never repeating a credential) on anything else. */
export function parseNatsUrl(text: string): NatsUrl {
	const scheme = schemes.exec(text.trim());
	if (!scheme) throw new NatsConfigError(`not a NATS URL: ${sanitize(text)} (use nats://host:port/subject or tls://...)`);
	const tls = scheme[1]!.toLowerCase() === 'tls';
	const rest = text.trim().slice(scheme[0].length);
	const slash = rest.indexOf('/');
	const authority = slash === -1 ? rest : rest.slice(0, slash);
	const path = slash === -1 ? '' : rest.slice(slash + 1);
	const at = authority.lastIndexOf('@');
	const hostPort = authority.slice(at + 1);
	const where = `${scheme[1]!.toLowerCase()}://${sanitize(hostPort)}`;
	const {host, port} = parseHostPort(hostPort, where);

	const credentials: Pick<NatsUrl, 'user' | 'pass' | 'token'> = {};
	if (at !== -1) {
		const userInfo = authority.slice(0, at);
		const colon = userInfo.indexOf(':');
		if (colon === -1) {
			credentials.token = decode(userInfo, where);
		} else {
			credentials.user = decode(userInfo.slice(0, colon), where);
			credentials.pass = decode(userInfo.slice(colon + 1), where);
			if (credentials.user === '') throw new NatsConfigError(`${where}: the user name before ":" is empty`);
		}
	}

	const subjects = parseSubjects(path, where);
	const shownHost = host.includes(':') ? `[${host}]` : host;
	return {
		host,
		port,
		tls,
		...credentials,
		subjects,
		label: sanitize(`${tls ? 'tls' : 'nats'}://${shownHost}:${port}/${subjects.join(',')}`),
	};
}

function parseHostPort(text: string, where: string): {host: string; port: number} {
	if (text === '') throw new NatsConfigError(`${where}: no host (nats://HOST[:PORT])`);
	if (/[\s?#]/.test(text)) throw new NatsConfigError(`${where}: a host holds no spaces, ? or #`);
	let host = text;
	let portText: string | undefined;
	if (text.startsWith('[')) {
		const close = text.indexOf(']');
		if (close === -1) throw new NatsConfigError(`${where}: unclosed [ in the host`);
		host = text.slice(1, close);
		const after = text.slice(close + 1);
		if (after !== '' && !after.startsWith(':')) throw new NatsConfigError(`${where}: expected :PORT after ]`);
		if (after !== '') portText = after.slice(1);
	} else if (text.split(':').length === 2) {
		[host, portText] = text.split(':') as [string, string];
	} else if (text.includes(':')) {
		throw new NatsConfigError(`${where}: write an IPv6 address as [ADDRESS]:PORT`);
	}

	if (host === '') throw new NatsConfigError(`${where}: no host (nats://HOST[:PORT])`);
	if (portText === undefined) return {host, port: defaultNatsPort};
	if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65_535) {
		throw new NatsConfigError(`${where}: the port must be a number from 1 to 65535`);
	}

	return {host, port: Number(portText)};
}

function parseSubjects(path: string, where: string): string[] {
	const parts = path
		.split(',')
		.map(part => decode(part, where).trim())
		.filter(part => part !== '');
	if (parts.length === 0) return [defaultSubject];
	for (const subject of parts) {
		const problem = subjectProblem(subject);
		if (problem) throw new NatsConfigError(`${where}: bad subject ${JSON.stringify(sanitize(subject))}: ${problem}`);
	}

	return withoutCovered(parts);
}

function decode(text: string, where: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		throw new NatsConfigError(`${where}: a bad %-escape in the URL`);
	}
}
