import {readFileSync} from 'node:fs';
import {basename} from 'node:path';
import type {NetworkOptions} from '../options.js';
import {DemoFeed} from './demo-feed.js';
import type {Feed} from './feed.js';
import {formatHostPort, GrpcFeed, parseGrpcTarget} from './grpc/grpc-feed.js';
import {FileFeed, StreamFeed} from './ndjson-feed.js';
import {redactUrl, WebSocketFeed} from './websocket-feed.js';

export type SourceOptions = {
	follow: boolean;
	rate: number;
	network: NetworkOptions;
};

/**
 * One feed per source argument: "-" is stdin, "demo" the demo feed, ws(s):// a WebSocket feed, grpc(s):// the
 * relay, anything else a file. Labels are made unique, since the header lists sources by label.
 */
export function openSources(sources: string[], options: SourceOptions): Feed[] {
	const used = new Set<string>();
	const unique = (label: string) => {
		let candidate = label;
		for (let n = 2; used.has(candidate); n++) candidate = `${label} #${n}`;
		used.add(candidate);
		return candidate;
	};

	const {network} = options;
	return sources.map(source => {
		if (source === '-') return new StreamFeed(process.stdin, unique('stdin'));
		if (source === 'demo') return new DemoFeed({rate: options.rate});
		if (/^wss?:\/\//i.test(source)) {
			return new WebSocketFeed({
				url: source,
				label: unique(redactUrl(source)),
				headers: network.headers,
				ca: network.ca ? readFileSync(network.ca) : undefined,
				insecure: network.insecure,
				pingIntervalMs: network.pingIntervalMs,
				maxMessageBytes: network.maxMessageBytes,
				compress: network.compress,
			});
		}

		if (/^grpcs?:\/\//i.test(source)) {
			const target = parseGrpcTarget(source);
			const secure = target.tls || network.tls || Boolean(network.ca ?? network.cert) || network.insecure;
			return new GrpcFeed({
				target: source,
				label: unique(`${secure ? 'grpcs' : 'grpc'}://${formatHostPort(target.host, target.port)}`),
				logFilter: network.logFilter,
				messages: network.messages,
				tls: network.tls || undefined,
				ca: network.ca,
				cert: network.cert,
				key: network.key,
				insecure: network.insecure || undefined,
			});
		}

		return new FileFeed(source, options.follow, unique(basename(source)));
	});
}
