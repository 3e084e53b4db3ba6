// Network errors in words for the header and stderr, shared by the transports (WebSocket, NATS): a code such as
// ECONNREFUSED or an untrusted certificate becomes what a person can act on.

import {sanitize} from '../model/sanitize.js';

export const defaultConnectTimeoutMs = 10_000;

const errorWords: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ECONNRESET: 'connection reset by the server',
	EPIPE: 'connection broken',
	ENOTFOUND: 'host name not found',
	EAI_AGAIN: 'host name lookup failed (temporary)',
	ETIMEDOUT: 'connection timed out',
	EHOSTUNREACH: 'host unreachable',
	ENETUNREACH: 'network unreachable',
	EADDRNOTAVAIL: 'address not available',
	CERT_HAS_EXPIRED: 'TLS: the server certificate has expired',
	ERR_TLS_CERT_ALTNAME_INVALID: 'TLS: the server certificate is not for this host name',
	WS_ERR_INVALID_CLOSE_CODE: 'the server sent an invalid close code',
};

const untrustedCertificate = new Set([
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'UNABLE_TO_GET_ISSUER_CERT',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
]);

/** An error in words for the header. */
export function describeError(error: Error & {code?: string}, connectTimeoutMs = defaultConnectTimeoutMs): string {
	const code = error.code ?? '';
	if (untrustedCertificate.has(code)) return `TLS: ${error.message} (trust its CA with --ca FILE, or --insecure)`;
	const words = errorWords[code];
	if (words) return words;
	if (error.message.startsWith('Opening handshake has timed out')) {
		return `no answer within ${formatSeconds(connectTimeoutMs)}`;
	}

	return sanitize(error.message.slice(0, 200));
}

export function formatSeconds(ms: number): string {
	const seconds = ms / 1000;
	return Number.isInteger(seconds) ? `${seconds}s` : `${seconds.toFixed(1)}s`;
}

