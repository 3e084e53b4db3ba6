import {Buffer, isUtf8} from 'node:buffer';
import {readFileSync} from 'node:fs';
import {STATUS_CODES, type IncomingMessage} from 'node:http';
import {performance} from 'node:perf_hooks';
import {rootCertificates} from 'node:tls';
import WebSocket, {type RawData} from 'ws';
import {sanitize} from '../model/sanitize.js';
import {backoffDelay, defaultBackoff, nextAttempt, type BackoffOptions} from './backoff.js';
import type {Feed, FeedSink, SourceState, SourceStatus} from './feed.js';
import {pieceCut} from './line-splitter.js';
import {always, deliverLines, deliverText, formatBytes, linesStart} from './message-text.js';
import {defaultConnectTimeoutMs, describeError, formatSeconds} from './network-errors.js';
import {headerProblem} from './websocket-header.js';

export const defaultMaxMessageBytes = 16 * 1024 * 1024;
export const defaultPingIntervalMs = 15_000;
export {deliverText} from './message-text.js';

export type WebSocketFeedOptions = {
	/** ws://, wss:// (http:// and https:// are accepted as their WebSocket equivalents). */
	url: string;
	/**
	 * Sent with every connect (`--header "Name: value"`, e.g. Authorization). Pairs keep repeated names. Values
	 * never appear in the label, in SourceStatus, or in an error.
	 */
	headers?: Record<string, string> | ReadonlyArray<readonly [string, string]>;
	/** `--ca FILE`: PEM text of extra trusted CA certificates, added to the default ones (not replacing them). */
	ca?: string | Buffer | ReadonlyArray<string | Buffer>;
	/** `--insecure`: skip TLS certificate verification; every status carries a warning while this is set. */
	insecure?: boolean;
	/** `--ping-interval` in ms (default 15 s). A connection silent for two intervals is replaced. */
	pingIntervalMs?: number;
	/** `--max-message` in bytes (default 16 MiB). A longer message is refused before it is buffered. */
	maxMessageBytes?: number;
	/** `--compress`: offer permessage-deflate (off by default: it costs ~20x CPU per message). */
	compress?: boolean;
	/** Give up a connect attempt (TCP + TLS + HTTP upgrade) after this long (default 10 s). */
	connectTimeoutMs?: number;
	/** Reconnect delays (default 0.5 s doubling to 30 s, +-20 % jitter; reset by an event, or after 10 s connected). */
	backoff?: Partial<BackoffOptions>;
	/** What the header calls this source (default: the URL without credentials or secret query values). */
	label?: string;
	/** Longest run of synchronous ingest (ms) before the socket is paused so the UI gets a turn (default 10). */
	sliceBudgetMs?: number;
	/** For tests: the jitter's random source. */
	random?: () => number;
};

/** Counters for tests, benchmarks and a detail view. */
export type WebSocketFeedStats = {
	/** Connections that opened. */
	connects: number;
	/** Messages received, over every connection. */
	messages: number;
	/** Bytes of message payload received. */
	bytes: number;
	/** Times the socket was paused because ingest was behind. */
	pauses: number;
	/** The most message bytes ever held waiting for ingest (bounded: the socket is paused meanwhile). */
	maxQueuedBytes: number;
	/** Messages refused for being over maxMessageBytes. */
	oversized: number;
};

type Queued = {data: Buffer};

/**
 * Events from a WebSocket server. One message may hold one event object, a JSON array of events, or NDJSON lines;
 * binary frames holding UTF-8 text are read the same way. It reconnects forever with backoff, detects a dead
 * connection with pings, and pauses the socket when ingest falls behind, so TCP pushes back on the server
 * instead of this process buffering without bound.
 */
export class WebSocketFeed implements Feed {
	readonly label: string;
	readonly done: Promise<void>;
	private readonly url: string;
	private readonly headers: Record<string, string | string[]>;
	private readonly secrets: string[];
	private readonly ca: Array<string | Buffer> | undefined;
	private readonly insecure: boolean;
	private readonly pingIntervalMs: number;
	private readonly maxMessageBytes: number;
	private readonly compress: boolean;
	private readonly connectTimeoutMs: number;
	private readonly backoff: BackoffOptions;
	private readonly sliceBudgetMs: number;
	private readonly random: () => number;
	private readonly counters: WebSocketFeedStats = {
		connects: 0,
		messages: 0,
		bytes: 0,
		pauses: 0,
		maxQueuedBytes: 0,
		oversized: 0,
	};

	private sink: FeedSink | undefined;
	private socket: WebSocket | undefined;
	private started = false;
	private stopped = false;
	private finish!: () => void;
	private attempt = 0;
	private openedAt: number | undefined;
	/** This connection handed on an event (a line or a value): the server works, however briefly it stays. */
	private delivered = false;
	/** This connection refused an oversized message, which ended it. */
	private refusedOversized = false;
	private lastError: string | undefined;
	private retryAt = 0;
	private state: SourceState = 'connecting';
	private stateSince = 0;
	private lastDetail: string | undefined;
	private retryTimer: NodeJS.Timeout | undefined;
	private pingTimer: NodeJS.Timeout | undefined;
	private statusTimer: NodeJS.Timeout | undefined;
	private alive = true;
	private pausedThisInterval = false;
	/** Reading paused: ingest used up its slice (and resumes itself), or held (the output is behind). */
	private paused = false;
	private held = false;
	private sliceStart: number | undefined;
	private queue: Array<Queued | undefined> = [];
	private queueHead = 0;
	private queuedBytes = 0;
	/** An NDJSON message delivered in part: the rest goes in the next slices, before anything queued after it. */
	private lines: MessageLines | undefined;

	constructor(options: WebSocketFeedOptions) {
		const url = parseWebSocketUrl(options.url);
		this.url = url.href;
		this.label = options.label ?? redactUrl(url);
		const pairs = headerPairs(options.headers);
		this.headers = {};
		for (const [name, value] of pairs) {
			const problem = headerProblem(name, value);
			if (problem) throw new Error(problem);
			const existing = this.headers[name];
			if (existing === undefined) this.headers[name] = value;
			else this.headers[name] = Array.isArray(existing) ? [...existing, value] : [existing, value];
		}

		// Anything that could leak through an error message: header values, URL credentials and query values.
		this.secrets = [
			...pairs.map(([, value]) => value),
			safeDecode(url.username),
			safeDecode(url.password),
			url.password,
			...[...url.searchParams.values()],
		]
			.filter(secret => secret.length >= 3)
			.sort((a, b) => b.length - a.length);
		this.ca = options.ca === undefined ? undefined : withDefaultCas(options.ca);
		this.insecure = options.insecure ?? false;
		this.pingIntervalMs = positive(options.pingIntervalMs, defaultPingIntervalMs);
		this.maxMessageBytes = Math.min(positive(options.maxMessageBytes, defaultMaxMessageBytes), 0x7f_ff_ff_ff);
		this.compress = options.compress ?? false;
		this.connectTimeoutMs = positive(options.connectTimeoutMs, defaultConnectTimeoutMs);
		this.backoff = {...defaultBackoff, ...options.backoff};
		this.sliceBudgetMs = positive(options.sliceBudgetMs, 10);
		this.random = options.random ?? Math.random;
		this.done = new Promise(resolve => {
			this.finish = resolve;
		});
	}

	get stats(): Readonly<WebSocketFeedStats> {
		return this.counters;
	}

	start(sink: FeedSink): void {
		if (this.started) throw new Error(`${this.label}: started twice`);
		this.started = true;
		this.sink = sink;
		if (this.stopped) return;
		this.connect();
	}

	stop(): void {
		if (this.stopped) return;
		this.stopped = true;
		clearTimeout(this.retryTimer);
		this.stopTimers();
		this.queue = [];
		this.queueHead = 0;
		this.queuedBytes = 0;
		this.lines = undefined;
		const socket = this.socket;
		this.socket = undefined;
		this.report('closed', 'stopped');
		if (socket === undefined || socket.readyState === WebSocket.CLOSED) {
			this.finish();
			return;
		}

		// A polite close, but never wait long for a server that does not answer it.
		const force = setTimeout(() => {
			socket.terminate();
		}, 500);
		socket.once('close', () => {
			clearTimeout(force);
			this.finish();
		});
		if (socket.readyState === WebSocket.OPEN) {
			// A paused socket would never read the server's answer to the close.
			if (this.paused || this.held) socket.resume();
			socket.close(1000, 'client stopped');
		} else {
			socket.terminate();
		}
	}

	/** The output is behind: stop reading the socket (TCP pushes back on the server) until resume(). */
	pause(): void {
		if (this.held) return;
		this.held = true;
		this.pausedThisInterval = true;
		this.socket?.pause();
	}

	resume(): void {
		if (!this.held) return;
		this.held = false;
		if (!this.paused && this.socket && !this.stopped) this.socket.resume();
	}

	private connect(): void {
		if (this.stopped) return;
		this.lastError = undefined;
		this.openedAt = undefined;
		this.delivered = false;
		this.refusedOversized = false;
		this.report('connecting', this.attempt > 0 ? `attempt ${this.attempt}` : undefined);
		let socket: WebSocket;
		try {
			socket = new WebSocket(this.url, {
				headers: this.headers,
				perMessageDeflate: this.compress,
				maxPayload: this.maxMessageBytes,
				handshakeTimeout: this.connectTimeoutMs,
				rejectUnauthorized: !this.insecure,
				followRedirects: false,
				// Checked here instead, so a bad message is counted as malformed and the connection stays up.
				skipUTF8Validation: true,
				...(this.ca ? {ca: this.ca} : {}),
			});
		} catch (error) {
			this.lastError = this.redact(describeError(error as Error, this.connectTimeoutMs));
			this.scheduleReconnect();
			return;
		}

		this.socket = socket;
		socket.on('open', () => {
			this.onOpen(socket);
		});
		socket.on('message', (data: RawData) => {
			this.onMessage(socket, data);
		});
		socket.on('pong', () => {
			this.alive = true;
		});
		socket.on('unexpected-response', (_request, response) => {
			this.onUnexpectedResponse(socket, response);
		});
		socket.on('error', (error: Error & {code?: string}) => {
			if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
				const bytes = oversizedLength(socket, this.maxMessageBytes);
				this.counters.oversized++;
				this.refusedOversized = true;
				this.sink?.oversized(bytes, this.maxMessageBytes, this.label);
				// ws cannot skip a message and read on: it closes the connection (1009) and reads nothing more, so
				// whatever the server sent after that message is lost. Say so, as the reason for the reconnect.
				this.lastError ??=
					`refused a ${formatBytes(bytes)} message, over --max-message ${formatBytes(this.maxMessageBytes)}; ` +
					'that closes the connection (1009), losing what the server sent after it';
				// Do not wait ws's 30 s for the server's answer to the close.
				setTimeout(() => {
					socket.terminate();
				}, 1000).unref();
				return;
			}

			this.lastError ??= this.redact(describeError(error, this.connectTimeoutMs));
		});
		socket.on('close', (code: number, reason: Buffer) => {
			this.onClose(socket, code, reason);
		});
	}

	private onOpen(socket: WebSocket): void {
		if (socket !== this.socket) return;
		this.counters.connects++;
		this.openedAt = Date.now();
		this.alive = true;
		this.pausedThisInterval = this.held;
		if (this.held) socket.pause();
		this.report('connected', this.connectedDetail());
		this.pingTimer = setInterval(() => {
			this.checkAlive(socket);
		}, this.pingIntervalMs);
		this.statusTimer = setInterval(() => {
			if (socket === this.socket && this.state === 'connected') this.report('connected', this.connectedDetail());
		}, 1000);
	}

	/**
	 * Every interval: if nothing at all (pong or message) came back since the last ping, the connection is dead;
	 * else ping again. A connection that stops answering is therefore replaced within two intervals. While the
	 * socket is paused (ingest behind), pongs cannot be read, so that interval is not held against it.
	 */
	private checkAlive(socket: WebSocket): void {
		if (socket !== this.socket || socket.readyState !== WebSocket.OPEN) return;
		const excused = this.paused || this.held || this.pausedThisInterval;
		this.pausedThisInterval = this.paused || this.held;
		if (!this.alive && !excused) {
			this.lastError = `no answer to ping within ${formatSeconds(this.pingIntervalMs)}`;
			socket.terminate();
			return;
		}

		this.alive = false;
		socket.ping();
	}

	private onUnexpectedResponse(socket: WebSocket, response: IncomingMessage): void {
		const status = response.statusCode ?? 0;
		const parts: Buffer[] = [];
		let length = 0;
		let settled = false;
		const settle = (): void => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			const body = Buffer.concat(parts).toString('utf8').trim().split('\n', 1)[0] ?? '';
			const words = `server answered HTTP ${status} ${STATUS_CODES[status] ?? ''}`.trim();
			this.lastError ??= this.redact(body ? `${words}: ${sanitize(body.slice(0, 200))}` : words);
			response.destroy();
			socket.terminate();
		};

		// The body often says why (a bad filter, a missing token); read a little of it, briefly.
		const timer = setTimeout(settle, 1000);
		response.on('data', (chunk: Buffer) => {
			if (length < 512) parts.push(chunk.subarray(0, 512 - length));
			length += chunk.length;
			if (length >= 512) settle();
		});
		response.once('end', settle);
		response.once('error', settle);
	}

	private onClose(socket: WebSocket, code: number, reason: Buffer): void {
		if (socket !== this.socket) return;
		this.socket = undefined;
		this.stopTimers();
		// What was received before the close is still delivered.
		this.drainAll();
		this.paused = false;
		this.sliceStart = undefined;
		if (this.stopped) return;
		this.lastError ??= describeClose(code, reason);
		this.scheduleReconnect();
	}

	private scheduleReconnect(): void {
		if (this.stopped) return;
		const connectedMs = this.openedAt === undefined ? undefined : Date.now() - this.openedAt;
		// A connection that delivered an event worked, however briefly: the next series starts from the first
		// delay, so a flapping server is back within a second, not 17 s. Not one that refused an oversized
		// message: a server that sends it again would be reconnected to in a loop.
		const worked = this.delivered && !this.refusedOversized;
		this.attempt = worked ? 1 : nextAttempt(this.attempt, connectedMs, this.backoff);
		const delay = backoffDelay(this.attempt, this.backoff, this.random);
		this.retryAt = Date.now() + delay;
		this.report('reconnecting', this.reconnectDetail());
		this.retryTimer = setTimeout(() => {
			clearInterval(this.statusTimer);
			this.statusTimer = undefined;
			this.connect();
		}, delay);
		// The countdown in the header.
		this.statusTimer = setInterval(() => {
			if (this.state === 'reconnecting') this.report('reconnecting', this.reconnectDetail());
		}, 1000);
	}

	private onMessage(socket: WebSocket, data: RawData): void {
		if (socket !== this.socket || this.stopped) return;
		const buffer = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
		this.alive = true;
		this.counters.messages++;
		this.counters.bytes += buffer.length;
		if (this.paused) {
			// The rest of a chunk the socket had already read: hold it (bounded by one read) until ingest resumes.
			this.queue.push({data: buffer});
			this.queuedBytes += buffer.length;
			if (this.queuedBytes > this.counters.maxQueuedBytes) this.counters.maxQueuedBytes = this.queuedBytes;
			return;
		}

		if (this.sliceStart === undefined) {
			this.sliceStart = performance.now();
			setImmediate(this.endSlice);
		}

		this.handle(buffer);
		if (this.lines !== undefined || performance.now() - this.sliceStart > this.sliceBudgetMs) this.yieldSlice(socket);
	}

	private readonly endSlice = (): void => {
		if (!this.paused) this.sliceStart = undefined;
	};

	/** Ingest is behind: stop reading (TCP pushes back on the server) and give the event loop a turn. */
	private yieldSlice(socket: WebSocket): void {
		this.paused = true;
		this.pausedThisInterval = true;
		this.counters.pauses++;
		socket.pause();
		setImmediate(this.resumeLater);
	}

	private readonly resumeLater = (): void => {
		if (!this.paused) return;
		this.sliceStart = performance.now();
		if (this.lines !== undefined) this.continueLines();
		while (this.lines === undefined && this.queueHead < this.queue.length && !this.sliceSpent()) {
			this.take();
		}

		if (this.lines !== undefined || this.queueHead < this.queue.length) {
			setImmediate(this.resumeLater);
			return;
		}

		this.queue = [];
		this.queueHead = 0;
		this.paused = false;
		this.sliceStart = undefined;
		if (this.socket && !this.stopped && !this.held) this.socket.resume();
	};

	private drainAll(): void {
		this.finishLines();
		while (this.queueHead < this.queue.length && !this.stopped) {
			this.take();
			this.finishLines();
		}

		this.queue = [];
		this.queueHead = 0;
		this.queuedBytes = 0;
	}

	private take(): void {
		const item = this.queue[this.queueHead]!;
		this.queue[this.queueHead++] = undefined;
		this.queuedBytes -= item.data.length;
		this.handle(item.data);
	}

	/**
	 * One message: an event, an array of events, or NDJSON lines, as text or as UTF-8 in a binary frame. Bytes
	 * that are not UTF-8 are decoded as replacement characters, as in files: a bad byte spoils its own line (or
	 * shows as � in a value), never the other lines of the message.
	 */
	private handle(data: Buffer): void {
		const sink = this.sink;
		if (sink === undefined || data.length === 0) return;
		// NDJSON is decoded a piece at a time (see nextPiece): a message of 500 events is ~430 KB, and one string
		// that long is allocated in V8's large-object space, which cost ~15% more per event than pieces did.
		// The first piece holds the first line and whatever follows it, which is all linesStart needs to say "lines"
		// (a message it calls one value is decoded whole, and asked again).
		const head = nextPiece(data, 0);
		const at = linesStart(head.text);
		if (at !== undefined) {
			this.lines = {...head, data, at};
			this.continueLines();
			return;
		}

		// One JSON value (an event, an array), or blank: decoded whole.
		const text = head.end === data.length ? head.text : data.toString('utf8');
		if (deliverText(text, sink, this.label) > 0) this.delivered = true;
	}

	/**
	 * The current NDJSON message's lines until the slice's time is spent: a server may send 500 events a message,
	 * and a key pressed meanwhile should not wait for all of them (nor for the screen's frame after them).
	 */
	private continueLines(): void {
		this.deliverMessageLines(() => !this.sliceSpent());
	}

	/** What is left of a message, all of it (the connection closed: nothing received is dropped). */
	private finishLines(): void {
		this.deliverMessageLines(always);
		this.lines = undefined;
	}

	private deliverMessageLines(more: () => boolean): void {
		const sink = this.sink;
		if (sink === undefined) return;
		let lines = this.lines;
		while (lines !== undefined) {
			const {next, handed} = deliverLines(lines.text, lines.at, sink, this.label, more);
			if (handed > 0) this.delivered = true;
			if (next < lines.text.length) {
				this.lines = {...lines, at: next};
				return;
			}

			lines = lines.end < lines.data.length ? {...nextPiece(lines.data, lines.end), data: lines.data, at: 0} : undefined;
			this.lines = lines;
			if (!more()) return;
		}
	}

	private sliceSpent(): boolean {
		return this.sliceStart !== undefined && performance.now() - this.sliceStart > this.sliceBudgetMs;
	}

	private report(state: SourceState, detail: string | undefined): void {
		const same = state === this.state && this.stateSince !== 0;
		if (same && detail === this.lastDetail) return;
		if (!same) this.stateSince = state === 'connected' ? (this.openedAt ?? Date.now()) : Date.now();
		this.state = state;
		this.lastDetail = detail;
		const status: SourceStatus = {label: this.label, state, since: this.stateSince};
		if (detail !== undefined) status.detail = detail;
		if (this.insecure) status.warning = 'TLS verification off (--insecure)';
		this.sink?.status(status);
	}

	private connectedDetail(): string {
		const count = this.counters.messages;
		return `${count.toLocaleString('en-US')} ${count === 1 ? 'message' : 'messages'}`;
	}

	private reconnectDetail(): string {
		const seconds = Math.max(0, Math.ceil((this.retryAt - Date.now()) / 1000));
		return `in ${seconds}s (attempt ${this.attempt}): ${this.lastError ?? 'connection closed'}`;
	}

	private stopTimers(): void {
		clearInterval(this.pingTimer);
		clearInterval(this.statusTimer);
		this.pingTimer = undefined;
		this.statusTimer = undefined;
	}

	/** Belt and braces: no header value, URL credential or query value survives into words we show. */
	private redact(text: string): string {
		let result = text;
		for (const secret of this.secrets) {
			if (result.includes(secret)) result = result.split(secret).join('***');
		}

		return result;
	}
}

function headerPairs(headers: WebSocketFeedOptions['headers']): Array<[string, string]> {
	if (headers === undefined) return [];
	if (Array.isArray(headers)) return headers.map(([name, value]) => [name, value] as [string, string]);
	return Object.entries(headers as Record<string, string>);
}

function parseWebSocketUrl(text: string): URL {
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		throw new Error('not a URL (expected ws://host:port/path or wss://...)');
	}

	if (url.protocol === 'http:') url.protocol = 'ws:';
	else if (url.protocol === 'https:') url.protocol = 'wss:';
	if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
		throw new Error(`${redactUrl(url)}: not a WebSocket URL (expected ws:// or wss://)`);
	}

	url.hash = '';
	return url;
}

const secretParameter = /token|key|secret|pass|auth|sig|cred|session|jwt|code|bearer/i;

/** A URL as the header shows it: no user or password, no fragment, and the values of secret-looking parameters hidden. */
export function redactUrl(url: URL | string): string {
	const parsed = typeof url === 'string' ? new URL(url) : url;
	const path = parsed.pathname === '/' && parsed.search === '' ? '' : parsed.pathname;
	let search = '';
	if (parsed.search.length > 1) {
		search =
			'?' +
			parsed.search
				.slice(1)
				.split('&')
				.map(pair => {
					const equals = pair.indexOf('=');
					if (equals === -1) return pair;
					const name = pair.slice(0, equals);
					let decoded = name;
					try {
						decoded = decodeURIComponent(name);
					} catch {}

					return secretParameter.test(decoded) ? `${name}=***` : pair;
				})
				.join('&');
	}

	return sanitize(`${parsed.protocol}//${parsed.host}${path}${search}`);
}

/** Extra CAs are added to the ones Node trusts by default (the bundled roots and NODE_EXTRA_CA_CERTS). */
function withDefaultCas(ca: NonNullable<WebSocketFeedOptions['ca']>): Array<string | Buffer> {
	const extra: Array<string | Buffer> = typeof ca === 'string' || Buffer.isBuffer(ca) ? [ca] : [...ca];
	const result: Array<string | Buffer> = [...rootCertificates];
	const environmentFile = process.env['NODE_EXTRA_CA_CERTS'];
	if (environmentFile) {
		try {
			result.push(readFileSync(environmentFile));
		} catch {
			// Node itself only warns about an unreadable NODE_EXTRA_CA_CERTS; so do we (by ignoring it).
		}
	}

	return [...result, ...extra];
}

function oversizedLength(socket: WebSocket, limit: number): number {
	// ws knows the declared length of the refused message; it is not public, so read it defensively.
	const receiver = (socket as unknown as {_receiver?: {_totalPayloadLength?: unknown}})._receiver;
	const total = receiver?._totalPayloadLength;
	return typeof total === 'number' && total > limit ? total : limit + 1;
}

const closeWords: Record<number, string> = {
	1000: 'the server closed the connection',
	1001: 'the server is going away',
	1002: 'protocol error',
	1003: 'the server refused the data type',
	1005: 'the server closed the connection',
	1006: 'connection lost',
	1007: 'the server sent invalid data',
	1008: 'the server refused the connection (policy)',
	1009: 'a message was too big',
	1011: 'server error',
	1012: 'the server is restarting',
	1013: 'the server says try again later',
	1015: 'TLS handshake failed',
};

function describeClose(code: number, reason: Buffer): string {
	const words = closeWords[code] ?? `closed with code ${code}`;
	const text = reason.length > 0 && isUtf8(reason) ? sanitize(reason.toString('utf8').slice(0, 120)) : '';
	return text ? `${words} (${code}: ${text})` : `${words} (${code})`;
}

function safeDecode(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}

function positive(value: number | undefined, fallback: number): number {
	return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}

/** An NDJSON message being delivered: the piece of it decoded (text, up to byte `end`), and where in it to go on. */
type MessageLines = {data: Buffer; text: string; end: number; at: number};

/** The text of `data` from byte `start`: up to the end when that is near, else a piece cut after an LF. */
function nextPiece(data: Buffer, start: number): {text: string; end: number} {
	const cut = pieceCut(data, start);
	const end = cut === -1 ? data.length : cut + 1;
	return {text: data.toString('utf8', start, end), end};
}

