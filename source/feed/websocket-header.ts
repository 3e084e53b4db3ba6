// `--header` parsing, apart from the WebSocket feed so that reading the command line does not load ws.
import {sanitize} from '../model/sanitize.js';

/** `--header "Name: value"` -> a pair, or the reason it is not one (which never repeats the value). */
export function parseHeader(text: string): [string, string] | {error: string} {
	const colon = text.indexOf(':');
	if (colon <= 0) return {error: '--header needs "Name: value"'};
	const name = text.slice(0, colon).trim();
	const value = text.slice(colon + 1).trim();
	const problem = headerProblem(name, value);
	return problem ? {error: problem} : [name, value];
}

const tokenName = /^[!#$%&'*+.^_`|~\dA-Za-z-]+$/;

/** Why a header cannot be sent (never repeating its value), or undefined. */
export function headerProblem(name: string, value: string): string | undefined {
	if (!tokenName.test(name)) return `--header: ${JSON.stringify(sanitize(name.slice(0, 40)))} is not a valid header name`;
	// eslint-disable-next-line no-control-regex
	if (/[\u0000-\u0008\u000A-\u001F\u007F]/.test(value)) return `--header ${name}: the value holds a control character`;
	if (/[^\u0000-\u00FF]/.test(value)) return `--header ${name}: the value must be Latin-1 text`;
	const lower = name.toLowerCase();
	if (['host', 'connection', 'upgrade', 'content-length', 'transfer-encoding'].includes(lower) || lower.startsWith('sec-websocket-')) {
		return `--header ${name}: this header is set by the WebSocket handshake itself`;
	}

	return undefined;
}
