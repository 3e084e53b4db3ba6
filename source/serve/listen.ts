// Where `armorwatch serve` listens, apart from the server so that reading the command line does not load ws.

export const defaultHost = '127.0.0.1';
export const defaultPort = 8765;

/** `--listen` text: "HOST:PORT", "PORT", ":PORT" or "[IPv6]:PORT". A bare port keeps the loopback host. */
export function parseListen(text: string): {host: string; port: number} | {error: string} {
	const trimmed = text.trim();
	let host = defaultHost;
	let portText = trimmed;
	const bracketed = /^\[([^\]]+)\]:(\d+)$/.exec(trimmed);
	if (bracketed) {
		host = bracketed[1]!;
		portText = bracketed[2]!;
	} else if (trimmed.includes(':')) {
		const colon = trimmed.lastIndexOf(':');
		if (trimmed.indexOf(':') !== colon) return {error: `--listen ${trimmed}: write an IPv6 address as [ADDRESS]:PORT`};
		host = trimmed.slice(0, colon) || defaultHost;
		portText = trimmed.slice(colon + 1);
	}

	if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65_535) {
		return {error: `--listen ${trimmed}: expected HOST:PORT with a port from 0 to 65535`};
	}

	return {host, port: Number(portText)};
}
