// The real KubeArmor source: the `feeder.LogService` gRPC stream served by kubearmor-relay and by every
// KubeArmor daemon on port 32767. One session = one channel: HealthCheck with a random nonce, then the
// streams karmor would open for the same --logFilter. Any failure ends the session; the feed backs off
// (source/feed/backoff.ts: 0.5 s .. 30 s with jitter, reset after 10 s connected) and opens a new one,
// forever, until stop().

import {existsSync, readFileSync} from 'node:fs';
import {randomInt} from 'node:crypto';
import {performance} from 'node:perf_hooks';
import {connect as tlsConnect, createSecureContext} from 'node:tls';
import {fileURLToPath} from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import {sanitize} from '../../model/sanitize.js';
import {backoffDelay, defaultBackoff, nextAttempt, type BackoffOptions} from '../backoff.js';
import type {Feed, FeedSink, SourceState, SourceStatus} from '../feed.js';
import {logFilters, type LogFilter} from './log-filter.js';

export const defaultGrpcPort = 32767;

export type GrpcTarget = {host: string; port: number; tls: boolean};

/** A daemon message from WatchMessages, with empty fields dropped (karmor's JSON shape). */
export type DaemonMessage = {
	Timestamp?: number;
	UpdatedTime?: string;
	ClusterName?: string;
	HostName?: string;
	HostIP?: string;
	Type?: string;
	Level?: string;
	Message?: string;
};

export type GrpcFeedOptions = {
	/** `grpc://host:port`, `grpcs://host:port`, `host:port` or `host` (port 32767). */
	target: string;
	/** As karmor's --logFilter: policy = WatchAlerts, system = WatchLogs, all = both. Default policy. */
	logFilter?: LogFilter;
	/** Also open WatchMessages; each daemon message becomes the status detail and goes to onMessage. */
	messages?: boolean;
	onMessage?: (message: DaemonMessage) => void;
	/** Use TLS. Implied by grpcs:// and by ca/cert/key. */
	tls?: boolean;
	/** PEM: a path (string) or the bytes. ca = the CA that signed the server's certificate. */
	ca?: string | Buffer;
	/** Client certificate and key for mutual TLS: both or neither. */
	cert?: string | Buffer;
	key?: string | Buffer;
	/** Check the server certificate against this name instead of the host (e.g. through a port-forward). */
	serverName?: string;
	/** `--insecure`: do not verify the server certificate (every status then carries a warning). */
	insecure?: boolean;
	/** HTTP/2 keepalive ping interval and how long to wait for the answer. Default 30 s / 10 s; 0 = no pings. */
	keepaliveMs?: number;
	keepaliveTimeoutMs?: number;
	/**
	 * HealthCheck (nonce echo) this often while connected. Default 20 s; 0 = only on connect. Besides catching a
	 * relay that answers pings but no longer serves, it keeps Go servers (which by default allow a ping only
	 * every 5 minutes unless they sent data since) from closing a quiet connection with "too_many_pings".
	 */
	healthIntervalMs?: number;
	/** How long the connect + HealthCheck may take. Default 10 s. */
	connectTimeoutMs?: number;
	/** Reconnect delays (default 0.5 s doubling to 30 s, +-20 % jitter, reset after 10 s connected). */
	backoff?: Partial<BackoffOptions>;
	/** For tests: the jitter's random source. */
	random?: () => number;
	/** What the header calls this source (default grpc://host:port or grpcs://host:port). */
	label?: string;
	/**
	 * Backpressure: while this returns true, the feed stops reading the streams (gRPC flow control then pushes
	 * back on the relay) and asks again every 10 ms.
	 */
	busy?: () => boolean;
	/** Longest run of synchronous ingest (ms) before reading pauses so the UI gets a turn (default 10, as WebSocket). */
	sliceBudgetMs?: number;
};

/** A bad target or bad TLS material: the message is meant for the user as it is. */
export class GrpcFeedConfigError extends Error {
	override name = 'GrpcFeedConfigError';
}

// ---------------------------------------------------------------------------------------------------------
// Targets

/**
 * Parse `grpc://h:p`, `grpcs://h:p`, `h:p`, `h`, `[::1]:p` (port 32767 when omitted). grpcs:// sets tls.
 * Throws GrpcFeedConfigError with words on anything else.
 */
export function parseGrpcTarget(text: string): GrpcTarget {
	let rest = text.trim();
	let tls = false;
	const scheme = /^([a-z][a-z\d+.-]*):\/\//i.exec(rest);
	if (scheme) {
		const name = scheme[1]!.toLowerCase();
		if (name === 'grpcs') tls = true;
		else if (name !== 'grpc') throw new GrpcFeedConfigError(`not a gRPC address: ${text} (use grpc://host:port or grpcs://host:port)`);
		rest = rest.slice(scheme[0].length);
		if (rest.endsWith('/')) rest = rest.slice(0, -1);
	}

	if (rest === '') throw new GrpcFeedConfigError(`no host in gRPC address: ${JSON.stringify(text)}`);
	if (/[/?#@\s]/.test(rest)) throw new GrpcFeedConfigError(`a gRPC address is host:port, without a path or user: ${text}`);

	let host: string;
	let portText: string | undefined;
	if (rest.startsWith('[')) {
		const close = rest.indexOf(']');
		if (close < 0) throw new GrpcFeedConfigError(`unclosed [ in gRPC address: ${text}`);
		host = rest.slice(1, close);
		const after = rest.slice(close + 1);
		if (after !== '') {
			if (!after.startsWith(':')) throw new GrpcFeedConfigError(`bad gRPC address: ${text}`);
			portText = after.slice(1);
		}
	} else {
		const colons = rest.split(':').length - 1;
		if (colons > 1) {
			// A bare IPv6 address: no port can be told apart from it.
			host = rest;
		} else if (colons === 1) {
			const at = rest.indexOf(':');
			host = rest.slice(0, at);
			portText = rest.slice(at + 1);
		} else {
			host = rest;
		}
	}

	if (host === '') throw new GrpcFeedConfigError(`no host in gRPC address: ${text}`);
	let port = defaultGrpcPort;
	if (portText !== undefined) {
		if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65_535) {
			throw new GrpcFeedConfigError(`bad port in gRPC address: ${text} (1..65535)`);
		}

		port = Number(portText);
	}

	return {host, port, tls};
}

/** `host:port` as gRPC and URLs want it (IPv6 in brackets). */
export function formatHostPort(host: string, port: number): string {
	return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The relay address karmor also reads when none is given (`KUBEARMOR_SERVICE=host:port`), if set. */
export function grpcTargetFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
	const value = env['KUBEARMOR_SERVICE']?.trim();
	return value ? value : undefined;
}

// ---------------------------------------------------------------------------------------------------------
// The .proto and the conversion to karmor's JSON shape

const loaderOptions: protoLoader.Options = {
	keepCase: true,
	longs: Number,
	enums: String,
	defaults: false,
	oneofs: true,
};

/**
 * tsc does not copy .proto files: from dist/source/feed/grpc/ go back to source/feed/grpc/. A copy next to
 * the compiled file (if a build step puts one there) wins.
 */
export function protoPath(): string {
	const beside = fileURLToPath(new URL('kubearmor.proto', import.meta.url));
	if (existsSync(beside)) return beside;
	return fileURLToPath(new URL('../../../../source/feed/grpc/kubearmor.proto', import.meta.url));
}

let cachedDefinition: protoLoader.PackageDefinition | undefined;

/** The feeder package, loaded once, with the options the feed relies on. The test server uses it too. */
export function loadFeederDefinition(): protoLoader.PackageDefinition {
	cachedDefinition ??= protoLoader.loadSync(protoPath(), loaderOptions);
	return cachedDefinition;
}

/** The feeder.LogService service definition (for a client constructor or a server's addService). */
export function logServiceDefinition(): grpc.ServiceDefinition {
	return loadFeederDefinition()['feeder.LogService'] as grpc.ServiceDefinition;
}

type FieldShape = {name: string; number: boolean; struct: boolean};
type DescriptorField = {name: string; type: string; typeName?: string};

const shapes = new Map<string, FieldShape[]>();

/** Field names in declaration order (= karmor's key order), with what each holds. */
function shapeOf(messageName: 'Alert' | 'Log' | 'Message'): FieldShape[] {
	let shape = shapes.get(messageName);
	if (shape) return shape;
	const definition = loadFeederDefinition()[`feeder.${messageName}`] as protoLoader.MessageTypeDefinition<unknown, unknown>;
	const fields = (definition.type as {field: DescriptorField[]}).field;
	shape = fields.map(field => ({
		name: field.name,
		number: /^TYPE_(U?INT|SINT|FIXED|SFIXED)(32|64)$/.test(field.type),
		struct: field.typeName === 'Podowner' || field.typeName === 'ExecEvent',
	}));
	shapes.set(messageName, shape);
	return shape;
}

/** Fields karmor prints even when zero. */
const keepZero = new Set(['PPID', 'UID']);

/**
 * A decoded Alert / Log / Message as `karmor logs --json` prints it: proto names as keys in declaration order,
 * int64 as a number of seconds whatever the loader did with it (Long, string, bigint), Owner / ExecEvent /
 * EventData as plain objects, empty fields dropped except PPID and UID (always there, 0 when absent).
 */
export function toKarmorShape(messageName: 'Alert' | 'Log' | 'Message', decoded: Record<string, unknown>): Record<string, unknown> {
	const result: Record<string, unknown> = {};
	const known = new Set<string>();
	for (const field of shapeOf(messageName)) {
		known.add(field.name);
		const value = cleanField(decoded[field.name], field);
		if (value !== undefined) result[field.name] = value;
		else if (messageName !== 'Message' && keepZero.has(field.name)) result[field.name] = 0;
	}

	// Fields a newer server adds are not decoded at all (not in this .proto); anything else the loader added
	// (a oneof's virtual field) is kept, cleaned the same way.
	for (const key in decoded) {
		if (known.has(key)) continue;
		const value = cleanField(decoded[key], undefined);
		if (value !== undefined) result[key] = value;
	}

	return result;
}

function cleanField(value: unknown, field: FieldShape | undefined): unknown {
	if (value === null || value === undefined || value === '') return undefined;
	if (field?.number || typeof value === 'bigint' || isLong(value)) {
		const n = toNumber(value);
		if (n === undefined) return typeof value === 'string' ? value : undefined;
		return n === 0 ? undefined : n;
	}

	if (typeof value === 'number') return value === 0 ? undefined : value;
	if (Array.isArray(value)) return value.length > 0 ? [...value] : undefined;
	if (typeof value === 'object') {
		// Owner and ExecEvent drop their empty parts (omitempty); a map keeps its entries as they came. Entries,
		// not assignments: a map key "__proto__" from the relay stays a key.
		const entries = Object.entries(value as Record<string, unknown>).filter(
			([, part]) => !(field?.struct && (part === '' || part === null || part === undefined)),
		);
		return entries.length > 0 ? Object.fromEntries(entries) : undefined;
	}

	return value;
}

type LongLike = {low: number; high: number; unsigned?: boolean};

function isLong(value: unknown): value is LongLike {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as LongLike).low === 'number' &&
		typeof (value as LongLike).high === 'number'
	);
}

function toNumber(value: unknown): number | undefined {
	if (typeof value === 'number') return value;
	if (typeof value === 'bigint') return Number(value);
	if (typeof value === 'string') return /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : undefined;
	if (isLong(value)) {
		const low = value.low >>> 0;
		const high = value.unsigned ? value.high >>> 0 : value.high | 0;
		return high * 4_294_967_296 + low;
	}

	return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Errors in words

type GrpcError = Error & {code?: number; details?: string};

/** What went wrong, for the header: short, no stack, no secrets. */
export function describeGrpcError(
	error: unknown,
	context: {tls: boolean; address: string; timeoutMs?: number; serverName?: string},
): string {
	const err = error as GrpcError;
	const text = `${err?.details ?? ''} ${err?.message ?? String(error)}`;
	const has = (pattern: RegExp): boolean => pattern.test(text);
	if (has(/ECONNREFUSED/)) return `connection refused (is the relay listening on ${context.address}?)`;
	if (has(/ENOTFOUND|EAI_AGAIN|getaddrinfo|Name resolution failed/i)) return `host not found: ${context.address}`;
	if (has(/EHOSTUNREACH|ENETUNREACH/)) return `no route to ${context.address}`;
	if (context.tls && has(/wrong version number|packet length too long|unknown protocol|http request|EPROTO/i)) {
		return 'the server does not use TLS; try grpc:// (without --tls)';
	}

	if (has(/self[- ]signed|unable to verify|unable to get local issuer|UNABLE_TO_VERIFY|certificate signature failure/i)) {
		return "the server's certificate is not signed by a CA we trust; pass the relay's CA with --ca";
	}

	if (has(/altnames|Hostname\/IP does not match|ERR_TLS_CERT_ALTNAME_INVALID/i)) {
		return `the server's certificate is not for ${context.serverName ?? context.address}; check the host name`;
	}

	if (has(/certificate has expired|CERT_HAS_EXPIRED/i)) return "the server's certificate has expired";
	if (has(/certificate is not yet valid|CERT_NOT_YET_VALID/i)) return "the server's certificate is not valid yet (check the clock)";
	if (has(/certificate required|alert number 116|peer did not return a certificate/i)) {
		return 'the server wants a client certificate; pass --cert and --key';
	}

	if (has(/bad certificate|alert number 42|unknown ca|alert number 48|certificate unknown|alert number 46/i)) {
		return 'the server rejected our client certificate';
	}

	if (has(/too_many_pings/i)) return 'the server closed the connection: keepalive pings too frequent';
	if (has(/keepalive|ping timeout/i)) return 'the relay stopped answering keepalive pings';
	if (err?.code === grpc.status.DEADLINE_EXCEEDED) {
		return context.timeoutMs ? `no answer from ${context.address} within ${seconds(context.timeoutMs)}` : `no answer from ${context.address}`;
	}

	if (err?.code === grpc.status.UNIMPLEMENTED) {
		const method = /([\w.]+\/\w+)\s*$/.exec(err.details ?? '')?.[1] ?? 'feeder.LogService';
		return `the server does not implement ${method} (is it a KubeArmor relay?)`;
	}

	if (err?.code === grpc.status.UNAUTHENTICATED || err?.code === grpc.status.PERMISSION_DENIED) {
		return `the server refused us: ${err.details ?? err.message}`;
	}

	if (err?.code === grpc.status.CANCELLED) return 'connection lost: the server cancelled the stream';
	if (has(/ECONNRESET|Connection dropped|socket hang up|Connection closed|GOAWAY|RST_STREAM|ended unexpectedly/i)) {
		return 'connection lost';
	}

	if (has(/No connection established|Failed to connect/i)) return `could not connect to ${context.address}`;

	const name = err?.code === undefined ? undefined : grpc.status[err.code];
	const details = (err?.details ?? err?.message ?? String(error))
		.replace(/\(\d{4}-\d\d-\d\dT[\d:.]+Z\)/g, '')
		.replace(/Resolution note:.*$/, '')
		.replace(/\s+/g, ' ')
		.trim();
	return name ? `${name.toLowerCase().replaceAll('_', ' ')}: ${details}` : details;
}

function seconds(ms: number): string {
	return ms >= 1000 ? `${Math.round(ms / 1000)}s` : `${ms}ms`;
}

/** Does a TLS handshake succeed on host:port? Used to explain a plaintext connection a TLS server dropped. */
function speaksTls(host: string, port: number, timeoutMs: number): Promise<boolean> {
	return new Promise(resolve => {
		let settled = false;
		const done = (answer: boolean): void => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			socket.destroy();
			resolve(answer);
		};

		const socket = tlsConnect({host, port, rejectUnauthorized: false, ALPNProtocols: ['h2'], servername: isIp(host) ? undefined : host});
		socket.once('secureConnect', () => {
			done(true);
		});
		socket.once('error', () => {
			done(false);
		});
		socket.once('close', () => {
			done(false);
		});
		const timer = setTimeout(() => {
			done(false);
		}, timeoutMs);
	});
}

function isIp(host: string): boolean {
	return host.includes(':') || /^\d+\.\d+\.\d+\.\d+$/.test(host);
}

// ---------------------------------------------------------------------------------------------------------
// The feed

type Stream = grpc.ClientReadableStream<Record<string, unknown>>;

type LogServiceClient = grpc.Client & {
	HealthCheck(
		request: {nonce: number},
		options: grpc.CallOptions,
		callback: (error: grpc.ServiceError | null, reply?: {Retval?: number}) => void,
	): grpc.ClientUnaryCall;
	WatchAlerts(request: {Filter: string}): Stream;
	WatchLogs(request: {Filter: string}): Stream;
	WatchMessages(request: {Filter: string}): Stream;
};

let clientConstructor: grpc.ServiceClientConstructor | undefined;

function makeClient(address: string, credentials: grpc.ChannelCredentials, options: grpc.ChannelOptions): LogServiceClient {
	clientConstructor ??= grpc.makeClientConstructor(logServiceDefinition(), 'LogService');
	return new clientConstructor(address, credentials, options) as unknown as LogServiceClient;
}

function readPem(what: string, value: string | Buffer | undefined): Buffer | undefined {
	if (value === undefined) return undefined;
	if (Buffer.isBuffer(value)) return value;
	try {
		return readFileSync(value);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
		throw new GrpcFeedConfigError(`cannot read ${what} ${value}: ${why}`);
	}
}

/** Counters for tests and a detail view. */
export type GrpcFeedStats = {
	/** Sessions that passed the health check. */
	connects: number;
	alerts: number;
	logs: number;
	messages: number;
	/** Times reading was paused because the monitor was behind (busy(), or a slice of ingest used up). */
	pauses: number;
};

/** Reads KubeArmor's LogService over gRPC and delivers karmor-shaped objects to `sink.value`. */
export class GrpcFeed implements Feed {
	readonly label: string;
	readonly done: Promise<void>;
	readonly host: string;
	readonly port: number;
	readonly tls: boolean;
	readonly logFilter: LogFilter;
	readonly stats: GrpcFeedStats = {connects: 0, alerts: 0, logs: 0, messages: 0, pauses: 0};
	/** The last daemon message (with messages: true). */
	lastMessage: DaemonMessage | undefined;
	private messagesNote: string | undefined;
	private readonly address: string;
	private readonly credentials: grpc.ChannelCredentials;
	private readonly backoff: BackoffOptions;
	private readonly random: () => number;
	private finish!: () => void;
	private sink: FeedSink | undefined;
	private stopped = false;
	private held = false;
	private session: Session | undefined;
	private attempt = 0;
	private state: SourceState | undefined;
	private stateSince = 0;
	private lastDetail: string | undefined;
	private statusTimer: NodeJS.Timeout | undefined;
	private wake: (() => void) | undefined;
	private sleepTimer: NodeJS.Timeout | undefined;

	/** Throws GrpcFeedConfigError (words for the user) on a bad target, filter, or TLS material. */
	constructor(private readonly options: GrpcFeedOptions) {
		const target = parseGrpcTarget(options.target);
		this.host = target.host;
		this.port = target.port;
		this.logFilter = options.logFilter ?? 'policy';
		if (!logFilters.includes(this.logFilter)) {
			throw new GrpcFeedConfigError(`--log-filter must be policy, system or all, not ${JSON.stringify(this.logFilter)}`);
		}

		if ((options.cert === undefined) !== (options.key === undefined)) {
			throw new GrpcFeedConfigError('mutual TLS needs both --cert and --key');
		}

		this.tls =
			target.tls ||
			options.tls === true ||
			options.ca !== undefined ||
			options.cert !== undefined ||
			options.insecure === true;
		this.address = formatHostPort(this.host, this.port);
		this.label = options.label ?? `${this.tls ? 'grpcs' : 'grpc'}://${this.address}`;
		this.credentials = this.tls ? this.tlsCredentials() : grpc.credentials.createInsecure();
		this.backoff = {...defaultBackoff, ...options.backoff};
		this.random = options.random ?? Math.random;
		this.done = new Promise(resolve => {
			this.finish = resolve;
		});
	}

	start(sink: FeedSink): void {
		if (this.sink || this.stopped) return;
		this.sink = sink;
		void this.run().finally(() => {
			clearInterval(this.statusTimer);
			this.finish();
		});
	}

	stop(): void {
		if (this.stopped) return;
		this.stopped = true;
		this.session?.close();
		clearTimeout(this.sleepTimer);
		clearInterval(this.statusTimer);
		this.wake?.();
		if (!this.sink) this.finish();
	}

	get connectTimeoutMs(): number {
		return this.options.connectTimeoutMs ?? 10_000;
	}

	private tlsCredentials(): grpc.ChannelCredentials {
		const ca = readPem('the CA file (--ca)', this.options.ca);
		const cert = readPem('the client certificate (--cert)', this.options.cert);
		const key = readPem('the client key (--key)', this.options.key);
		try {
			createSecureContext({ca, cert, key});
		} catch (error) {
			const message = (error as Error).message;
			if (/key values mismatch/i.test(message)) throw new GrpcFeedConfigError('--cert and --key do not belong together');
			throw new GrpcFeedConfigError(`bad TLS material (--ca, --cert and --key must be PEM): ${message}`);
		}

		const verify: grpc.VerifyOptions = {};
		if (this.options.insecure) {
			verify.rejectUnauthorized = false;
			verify.checkServerIdentity = () => undefined;
		}

		return grpc.credentials.createSsl(ca ?? null, key ?? null, cert ?? null, verify);
	}

	private report(state: SourceState, detail: string | undefined, since?: number): void {
		if (this.stopped && state !== 'closed') return;
		const same = state === this.state && this.stateSince !== 0;
		if (same && detail === this.lastDetail) return;
		if (!same) this.stateSince = since ?? Date.now();
		this.state = state;
		this.lastDetail = detail;
		const status: SourceStatus = {label: this.label, state, since: this.stateSince};
		if (detail !== undefined) status.detail = detail;
		if (this.tls && this.options.insecure) status.warning = 'TLS verification off (--insecure)';
		this.sink?.status(status);
	}

	private async run(): Promise<void> {
		while (!this.stopped) {
			this.report('connecting', this.attempt > 0 ? `attempt ${this.attempt}` : undefined);
			const session = new Session(this, this.options, makeClient(this.address, this.credentials, this.channelOptions()));
			this.session = session;
			const reason = await session.run();
			this.session = undefined;
			clearInterval(this.statusTimer);
			if (this.stopped) break;
			const lastError = await this.explain(reason, session.connectedAt !== undefined);
			if (this.stopped) break;
			const connectedMs = session.connectedAt === undefined ? undefined : Date.now() - session.connectedAt;
			this.attempt = nextAttempt(this.attempt, connectedMs, this.backoff);
			const delay = backoffDelay(this.attempt, this.backoff, this.random);
			const retryAt = Date.now() + delay;
			const detail = (): string =>
				`in ${Math.max(0, Math.ceil((retryAt - Date.now()) / 1000))}s (attempt ${this.attempt}): ${lastError}`;
			this.report('reconnecting', detail());
			// The countdown in the header.
			this.statusTimer = setInterval(() => {
				this.report('reconnecting', detail());
			}, 1000);
			await this.sleep(delay);
			clearInterval(this.statusTimer);
		}

		this.report('closed', 'stopped');
	}

	private async explain(reason: unknown, wasConnected: boolean): Promise<string> {
		if (typeof reason === 'string') return reason;
		const words = sanitize(
			describeGrpcError(reason, {
				tls: this.tls,
				address: this.address,
				timeoutMs: this.connectTimeoutMs,
				serverName: this.options.serverName,
			}),
		);
		// A TLS server drops a plaintext client without a reason; a TLS handshake tells the two cases apart.
		const unclear = words === 'connection lost' || words.startsWith('could not connect');
		if (!this.tls && !wasConnected && (reason as GrpcError).code === grpc.status.UNAVAILABLE && unclear) {
			if (await speaksTls(this.host, this.port, 2000)) return 'the server wants TLS; try grpcs:// (or --tls)';
		}

		return words;
	}

	private sleep(ms: number): Promise<void> {
		return new Promise<void>(resolve => {
			this.wake = resolve;
			this.sleepTimer = setTimeout(resolve, ms);
		}).finally(() => {
			this.wake = undefined;
		});
	}

	private channelOptions(): grpc.ChannelOptions {
		const keepalive = this.options.keepaliveMs ?? 30_000;
		const options: grpc.ChannelOptions = {
			// A fresh connection per session: never inherit a broken one from grpc-js's global pool.
			'grpc.use_local_subchannel_pool': 1,
			'grpc.enable_retries': 0,
			'grpc.max_receive_message_length': 16 * 1024 * 1024,
		};
		if (keepalive > 0) {
			options['grpc.keepalive_time_ms'] = keepalive;
			options['grpc.keepalive_timeout_ms'] = this.options.keepaliveTimeoutMs ?? 10_000;
			options['grpc.keepalive_permit_without_calls'] = 1;
		}

		if (this.tls && this.options.serverName) {
			options['grpc.ssl_target_name_override'] = this.options.serverName;
			options['grpc.default_authority'] = this.options.serverName;
		}

		return options;
	}

	// Called by the session.

	onConnected(connectedAt: number): void {
		this.stats.connects++;
		this.report('connected', this.connectedDetail(), connectedAt);
		clearInterval(this.statusTimer);
		this.statusTimer = setInterval(() => {
			if (this.state === 'connected') this.report('connected', this.connectedDetail());
		}, 1000);
	}

	onEvent(kind: 'Alert' | 'Log', decoded: Record<string, unknown>): void {
		if (this.stopped) return;
		if (kind === 'Alert') this.stats.alerts++;
		else this.stats.logs++;
		this.sink?.value(toKarmorShape(kind, decoded), this.label);
	}

	onMessage(decoded: Record<string, unknown>): void {
		if (this.stopped) return;
		this.stats.messages++;
		const message = toKarmorShape('Message', decoded) as DaemonMessage;
		this.lastMessage = message;
		this.options.onMessage?.(message);
		this.report('connected', this.connectedDetail());
	}

	onMessagesUnsupported(): void {
		this.messagesNote = 'this server sends no daemon messages (no WatchMessages)';
		this.report('connected', this.connectedDetail());
	}

	onPause(): void {
		this.stats.pauses++;
	}

	/** The output is behind: stop reading the streams (HTTP/2 flow control pushes back on the relay) until resume(). */
	pause(): void {
		this.held = true;
	}

	resume(): void {
		this.held = false;
	}

	/** Whether reading waits: held by pause(), or the busy option says so. */
	isBusy(): boolean {
		return this.held || (this.options.busy?.() ?? false);
	}

	/** "1,234 events", and with --messages the daemon's last message. */
	private connectedDetail(): string {
		const count = this.stats.alerts + this.stats.logs;
		const events = `${count.toLocaleString('en-US')} ${count === 1 ? 'event' : 'events'}`;
		const message = this.lastMessage;
		if (!message) return this.messagesNote ? `${events}; ${this.messagesNote}` : events;
		const host = message.HostName ? `${message.HostName} ` : '';
		const level = message.Level ? `[${message.Level}] ` : '';
		let text = `${host}${level}${message.Message ?? ''}`.replace(/\s+/g, ' ').trim();
		if (text.length > 200) text = `${text.slice(0, 199)}…`;
		return `${events}; ${sanitize(text)}`;
	}
}

/** One channel: health check, the streams, the periodic health check; ends at the first failure. */
class Session {
	connectedAt: number | undefined;
	private readonly streams: Stream[] = [];
	private closed = false;
	private settle!: (reason: unknown) => void;
	private readonly ended: Promise<unknown>;
	private healthTimer: NodeJS.Timeout | undefined;
	private healthCall: grpc.ClientUnaryCall | undefined;
	private resumeTimer: NodeJS.Timeout | undefined;
	private resumeImmediate: NodeJS.Immediate | undefined;
	private sliceTimer: NodeJS.Immediate | undefined;
	private sliceStart: number | undefined;
	private paused = false;
	private readonly sliceBudgetMs: number;

	constructor(
		private readonly feed: GrpcFeed,
		private readonly options: GrpcFeedOptions,
		private readonly client: LogServiceClient,
	) {
		this.sliceBudgetMs = Math.max(0, options.sliceBudgetMs ?? 10);
		this.ended = new Promise<unknown>(resolve => {
			this.settle = resolve;
		});
	}

	/** Resolves with the reason the session ended: an error, or words. */
	async run(): Promise<unknown> {
		try {
			await this.healthCheck(this.feed.connectTimeoutMs);
		} catch (error) {
			this.close();
			return error;
		}

		if (this.closed) return 'stopped';
		this.connectedAt = Date.now();
		this.openStreams();
		this.feed.onConnected(this.connectedAt);
		this.scheduleHealthCheck();
		const reason = await this.ended;
		this.close();
		return reason;
	}

	close(): void {
		if (this.closed) return;
		this.closed = true;
		clearTimeout(this.healthTimer);
		clearTimeout(this.resumeTimer);
		clearImmediate(this.resumeImmediate);
		clearImmediate(this.sliceTimer);
		this.healthCall?.cancel();
		for (const stream of this.streams) stream.cancel();
		this.client.close();
		this.settle('stopped');
	}

	private fail(reason: unknown): void {
		if (!this.closed) this.settle(reason);
	}

	private healthCheck(timeoutMs: number): Promise<void> {
		// As karmor does: a random positive int32, which the server must echo.
		const nonce = randomInt(1, 2 ** 31 - 1);
		return new Promise((resolve, reject) => {
			if (this.closed) {
				reject('stopped');
				return;
			}

			this.healthCall = this.client.HealthCheck({nonce}, {deadline: Date.now() + timeoutMs}, (error, reply) => {
				this.healthCall = undefined;
				if (error) {
					reject(error);
					return;
				}

				const echoed = reply?.Retval ?? 0;
				if (echoed === nonce) resolve();
				else reject(`health check failed: the server answered ${echoed} to nonce ${nonce}`);
			});
		});
	}

	private scheduleHealthCheck(): void {
		const interval = this.options.healthIntervalMs ?? 20_000;
		if (interval <= 0 || this.closed) return;
		this.healthTimer = setTimeout(() => {
			this.healthCheck(Math.max(interval, this.feed.connectTimeoutMs)).then(
				() => {
					this.scheduleHealthCheck();
				},
				(error: unknown) => {
					this.fail(error);
				},
			);
		}, interval);
	}

	private openStreams(): void {
		const filter = this.feed.logFilter;
		if (filter === 'policy' || filter === 'all') {
			this.watch('WatchAlerts', this.client.WatchAlerts({Filter: filter}), decoded => {
				this.feed.onEvent('Alert', decoded);
			});
		}

		if (filter === 'system' || filter === 'all') {
			this.watch('WatchLogs', this.client.WatchLogs({Filter: filter}), decoded => {
				this.feed.onEvent('Log', decoded);
			});
		}

		if (this.options.messages) {
			// karmor asks for daemon messages with an empty filter.
			this.watch('WatchMessages', this.client.WatchMessages({Filter: ''}), decoded => {
				this.feed.onMessage(decoded);
			});
		}
	}

	private watch(method: string, stream: Stream, onData: (decoded: Record<string, unknown>) => void): void {
		this.streams.push(stream);
		let errored = false;
		stream.on('data', (decoded: Record<string, unknown>) => {
			if (this.closed) return;
			onData(decoded);
			this.afterDelivery();
		});
		stream.on('error', (error: GrpcError) => {
			if (this.closed) return;
			// An older server without daemon messages: say so once, keep the events flowing.
			errored = true;
			if (method === 'WatchMessages' && error.code === grpc.status.UNIMPLEMENTED) {
				this.feed.onMessagesUnsupported();
				return;
			}

			this.fail(error);
		});
		stream.on('end', () => {
			// grpc-js ends the readable after an error status too: that one is already handled.
			if (!errored) this.fail(`the server ended the ${method} stream`);
		});
	}

	/**
	 * Backpressure. Yield to the event loop after sliceBudgetMs of ingest in one turn, and stop reading while the
	 * monitor says it is busy. A paused Readable makes grpc-js stop asking HTTP/2 for data, so the stream's
	 * flow-control window fills and the server's writes block: nothing piles up here.
	 */
	private afterDelivery(): void {
		if (this.sliceStart === undefined) {
			this.sliceStart = performance.now();
			this.sliceTimer = setImmediate(() => {
				this.sliceTimer = undefined;
				this.sliceStart = undefined;
			});
		}

		if (this.paused) return;
		const busy = this.feed.isBusy();
		if (!busy && performance.now() - this.sliceStart <= this.sliceBudgetMs) return;
		this.paused = true;
		this.feed.onPause();
		for (const stream of this.streams) stream.pause();
		const check = (): void => {
			this.resumeTimer = undefined;
			this.resumeImmediate = undefined;
			if (this.closed) return;
			if (this.feed.isBusy()) {
				this.resumeTimer = setTimeout(check, 10);
				return;
			}

			this.paused = false;
			for (const stream of this.streams) stream.resume();
		};

		if (busy) this.resumeTimer = setTimeout(check, 10);
		else this.resumeImmediate = setImmediate(check);
	}
}
