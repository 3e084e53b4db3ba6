import {readFileSync} from 'node:fs';
import {basename} from 'node:path';
import type {NetworkOptions} from '../options.js';
import type {Feed} from './feed.js';
import type {NatsTls} from './nats/nats-link.js';
import type {NatsSettings} from './nats/nats-options.js';
// Loaded anyway: the command line checks NATS URLs with it (nats-options.ts).
import {isNatsUrl, parseNatsUrl} from './nats/nats-url.js';

export type SourceOptions = {
	follow: boolean;
	rate: number;
	network: NetworkOptions;
	nats?: NatsSettings;
};

/** --tls, --ca, --cert/--key and --insecure, for a NATS connection (the monitor's or publish's). */
export function natsTls(network: NetworkOptions): NatsTls {
	return {
		tls: network.tls,
		ca: network.ca ? readFileSync(network.ca) : undefined,
		cert: network.cert ? readFileSync(network.cert) : undefined,
		key: network.key ? readFileSync(network.key) : undefined,
		insecure: network.insecure,
	};
}

/**
 * One feed per source argument: "-" is stdin, "demo" the demo feed, ws(s):// a WebSocket feed, grpc(s):// the
 * relay, nats:// or tls:// NATS, anything else a file. Labels are made unique, since the header lists sources by label. Each transport
 * is imported only when a source of its kind is named: ws and grpc-js cost more to load than a file read takes.
 */
export async function openSources(sources: string[], options: SourceOptions): Promise<Feed[]> {
	const used = new Set<string>();
	const unique = (label: string) => {
		let candidate = label;
		for (let n = 2; used.has(candidate); n++) candidate = `${label} #${n}`;
		used.add(candidate);
		return candidate;
	};

	const {network} = options;
	const feeds: Feed[] = [];
	for (const source of sources) {
		if (source === '-') {
			const {StreamFeed} = await import('./ndjson-feed.js');
			feeds.push(new StreamFeed(process.stdin, unique('stdin')));
		} else if (source === 'demo') {
			const {DemoFeed} = await import('./demo-feed.js');
			feeds.push(new DemoFeed({rate: options.rate}));
		} else if (/^wss?:\/\//i.test(source)) {
			const {redactUrl, WebSocketFeed} = await import('./websocket-feed.js');
			feeds.push(
				new WebSocketFeed({
					url: source,
					label: unique(redactUrl(source)),
					headers: network.headers,
					ca: network.ca ? readFileSync(network.ca) : undefined,
					insecure: network.insecure,
					pingIntervalMs: network.pingIntervalMs,
					maxMessageBytes: network.maxMessageBytes,
					compress: network.compress,
				}),
			);
		} else if (/^grpcs?:\/\//i.test(source)) {
			const {formatHostPort, GrpcFeed, parseGrpcTarget} = await import('./grpc/grpc-feed.js');
			const target = parseGrpcTarget(source);
			const secure = target.tls || network.tls || Boolean(network.ca ?? network.cert) || network.insecure;
			feeds.push(
				new GrpcFeed({
					target: source,
					label: unique(`${secure ? 'grpcs' : 'grpc'}://${formatHostPort(target.host, target.port)}`),
					logFilter: network.logFilter,
					messages: network.messages,
					tls: network.tls || undefined,
					ca: network.ca,
					cert: network.cert,
					key: network.key,
					insecure: network.insecure || undefined,
				}),
			);
		} else if (isNatsUrl(source)) {
			const {NatsFeed} = await import('./nats/nats-feed.js');
			const url = parseNatsUrl(source);
			feeds.push(
				new NatsFeed({
					url,
					label: unique(url.label),
					auth: {token: options.nats?.token, credsFile: options.nats?.credsFile},
					tls: natsTls(network),
					history: options.nats?.history,
					pingIntervalMs: network.pingIntervalMs,
				}),
			);
		} else {
			const {FileFeed} = await import('./ndjson-feed.js');
			feeds.push(new FileFeed(source, options.follow, unique(basename(source))));
		}
	}

	return feeds;
}
