import {Buffer} from 'node:buffer';
import {createServer as createHttpServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import {createServer as createHttpsServer} from 'node:https';
import {isIP, type AddressInfo} from 'node:net';
import type {Duplex} from 'node:stream';
import WebSocket, {WebSocketServer} from 'ws';
import type {MonitorEvent} from '../model/event.js';
import type {EventPredicate} from '../store/event-view.js';
import {jsonLine, sanitize} from '../model/sanitize.js';
import {bearerMatches} from './auth.js';
import {ClientQueue} from './client-queue.js';
import {healthBody, type Health} from './health.js';
import {defaultHost, defaultPort} from './listen.js';

export type CompileFilter = (query: string) => {ok: true; predicate: EventPredicate} | {ok: false; error: string};

export type ServeOptions = {
	/** Where events come from: called once at start; the returned function is called on close. */
	subscribe: (listener: (event: MonitorEvent) => void) => () => void;
	/** `--listen HOST:PORT` (default 127.0.0.1:8765; port 0 picks a free one). */
	host?: string;
	port?: number;
	/** `--token` / ARMORWATCH_TOKEN: clients must send `Authorization: Bearer <token>` (also for /healthz). */
	token?: string;
	/** `--cert` / `--key`: PEM text; with both, the server speaks wss:// and https://. */
	cert?: string | Buffer;
	key?: string | Buffer;
	/** `--max-clients` (default 64). */
	maxClients?: number;
	/** Compiles a client's `?filter=QUERY`; without it a filter is refused with 400. */
	compileFilter?: CompileFilter;
	/** A batch is sent after this long (default 50 ms) ... */
	batchMs?: number;
	/** ... or once it holds this many events (default 500), whichever comes first. */
	batchEvents?: number;
	/** Events one client may have waiting before its oldest are dropped (default 10,000). */
	clientQueueEvents?: number;
	/** A client whose queue stays over half full this long is closed with 1013 (default 30 s). */
	slowClientMs?: number;
	/** Bytes handed to one client's socket and not yet written before its queue waits (default 1 MiB). */
	clientHighWaterBytes?: number;
	/** Ping clients this often; one that answers nothing for two intervals is dropped (default 30 s). */
	pingIntervalMs?: number;
	/** permessage-deflate (default off). */
	compress?: boolean;
	/** One line per connect, disconnect and refusal (default: stderr). Never given a token. */
	log?: (line: string) => void;
	now?: () => number;
};

export type ServerAddress = {host: string; port: number; url: string};

export type RunningServer = {
	readonly address: ServerAddress;
	health(): Health;
	/** Stop listening, close every client (1001), and resolve when all sockets are gone. */
	close(): Promise<void>;
};

/** Start `armorwatch serve`: broadcast every event from `subscribe` to every WebSocket client as NDJSON. */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
	const server = new BroadcastServer(options);
	await server.listen();
	return server;
}

class Client {
	readonly connectedAt: number;
	sent = 0;
	/** Bytes handed to ws.send whose write has not completed. */
	inflight = 0;
	alive = true;
	closing = false;
	closeReason: string | undefined;
	error: string | undefined;
	behindSince: number | undefined;
	killTimer: NodeJS.Timeout | undefined;
	readonly closed: Promise<void>;
	markClosed!: () => void;

	constructor(
		readonly id: number,
		readonly socket: WebSocket,
		readonly remote: string,
		readonly predicate: EventPredicate | undefined,
		readonly queue: ClientQueue,
		now: number,
	) {
		this.connectedAt = now;
		this.closed = new Promise(resolve => {
			this.markClosed = resolve;
		});
	}
}

class BroadcastServer implements RunningServer {
	address: ServerAddress = {host: '', port: 0, url: ''};
	private readonly http: Server;
	private readonly wss: WebSocketServer;
	private readonly tls: boolean;
	private readonly clients = new Set<Client>();
	private readonly log: (line: string) => void;
	private readonly now: () => number;
	private readonly startedAt: number;
	private readonly maxClients: number;
	private readonly batchMs: number;
	private readonly batchEvents: number;
	private readonly queueEvents: number;
	private readonly slowClientMs: number;
	private readonly highWater: number;
	private readonly pingIntervalMs: number;
	private nextId = 1;
	private eventsIn = 0;
	private eventsSent = 0;
	private eventsDropped = 0;
	private pending: MonitorEvent[] = [];
	private batchTimer: NodeJS.Timeout | undefined;
	private sweepTimer: NodeJS.Timeout | undefined;
	private pingTimer: NodeJS.Timeout | undefined;
	private unsubscribe: (() => void) | undefined;
	private closing: Promise<void> | undefined;

	constructor(private readonly options: ServeOptions) {
		if (options.token === '') throw new Error('the token is empty');
		if ((options.cert === undefined) !== (options.key === undefined)) {
			throw new Error('--cert and --key go together');
		}

		this.tls = options.cert !== undefined;
		this.log = options.log ?? (line => process.stderr.write(`armorwatch serve: ${line}\n`));
		this.now = options.now ?? Date.now;
		this.startedAt = this.now();
		this.maxClients = whole(options.maxClients, 64);
		this.batchMs = whole(options.batchMs, 50);
		this.batchEvents = whole(options.batchEvents, 500);
		this.queueEvents = Math.max(whole(options.clientQueueEvents, 10_000), this.batchEvents);
		this.slowClientMs = whole(options.slowClientMs, 30_000);
		this.highWater = whole(options.clientHighWaterBytes, 1024 * 1024);
		this.pingIntervalMs = whole(options.pingIntervalMs, 30_000);
		const onRequest = (request: IncomingMessage, response: ServerResponse): void => {
			this.onRequest(request, response);
		};

		this.http = this.tls
			? createHttpsServer({cert: options.cert, key: options.key}, onRequest)
			: createHttpServer(onRequest);
		this.wss = new WebSocketServer({
			noServer: true,
			clientTracking: false,
			perMessageDeflate: options.compress ?? false,
			// Clients have nothing to say beyond control frames.
			maxPayload: 64 * 1024,
		});
		this.http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
			this.onUpgrade(request, socket, head);
		});
		this.http.on('clientError', (_error, socket: Duplex) => {
			if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
			else socket.destroy();
		});
	}

	async listen(): Promise<void> {
		const host = this.options.host ?? defaultHost;
		const port = this.options.port ?? defaultPort;
		await new Promise<void>((resolve, reject) => {
			const onError = (error: NodeJS.ErrnoException): void => {
				reject(new Error(`cannot listen on ${hostPort(host, port)}: ${listenError(error)}`));
			};

			this.http.once('error', onError);
			this.http.listen(port, host, () => {
				this.http.off('error', onError);
				resolve();
			});
		});
		this.http.on('error', error => {
			this.log(`server error: ${sanitize(error.message)}`);
		});
		const bound = this.http.address() as AddressInfo;
		this.address = {
			host,
			port: bound.port,
			url: `${this.tls ? 'wss' : 'ws'}://${hostPort(host, bound.port)}`,
		};
		if (!isLoopback(host)) {
			if (this.options.token === undefined) {
				this.log(`warning: listening on ${hostPort(host, bound.port)} without --token: anyone who can reach it reads every event`);
			} else if (!this.tls) {
				this.log(`warning: listening on ${hostPort(host, bound.port)} without --cert/--key: the token crosses the network in clear text`);
			}
		}

		this.log(`listening on ${this.address.url}`);
		this.unsubscribe = this.options.subscribe(this.onEvent);
		const sweepMs = Math.min(1000, Math.max(20, Math.floor(this.slowClientMs / 4)));
		this.sweepTimer = setInterval(this.sweep, sweepMs);
		this.pingTimer = setInterval(this.pingAll, this.pingIntervalMs);
	}

	health(): Health {
		const now = this.now();
		return {
			status: 'ok',
			uptimeSeconds: Math.round((now - this.startedAt) / 1000),
			eventsIn: this.eventsIn,
			eventsSent: this.eventsSent,
			eventsDropped: this.eventsDropped,
			clientCount: this.clients.size,
			maxClients: this.maxClients,
			clients: [...this.clients].map(client => ({
				id: client.id,
				remote: client.remote,
				connectedSeconds: Math.round((now - client.connectedAt) / 1000),
				filtered: client.predicate !== undefined,
				sent: client.sent,
				dropped: client.queue.dropped,
				queued: client.queue.events,
			})),
		};
	}

	async close(): Promise<void> {
		this.closing ??= this.shutdown();
		return this.closing;
	}

	private async shutdown(): Promise<void> {
		this.unsubscribe?.();
		this.unsubscribe = undefined;
		clearTimeout(this.batchTimer);
		clearInterval(this.sweepTimer);
		clearInterval(this.pingTimer);
		// What was read before the shutdown still goes out, ahead of each client's close frame.
		this.flush();
		const closed: Array<Promise<void>> = [];
		for (const client of this.clients) {
			// Its whole queue (bounded) goes to the socket, ahead of the close frame; the grace bounds the wait.
			this.pump(client, Number.POSITIVE_INFINITY);
			this.closeClient(client, 1001, 'server shutting down', 1000);
			closed.push(client.closed);
		}

		const stopped = new Promise<void>(resolve => {
			this.http.close(() => {
				resolve();
			});
		});
		this.http.closeIdleConnections();
		await Promise.all(closed);
		this.http.closeAllConnections();
		await stopped;
		this.wss.close();
	}

	private readonly onEvent = (event: MonitorEvent): void => {
		this.eventsIn++;
		if (this.clients.size === 0 || this.closing) return;
		this.pending.push(event);
		if (this.pending.length >= this.batchEvents) this.flush();
		else this.batchTimer ??= setTimeout(this.flush, this.batchMs);
	};

	/** Send the pending batch: serialized once, one shared message for every unfiltered client. */
	private readonly flush = (): void => {
		clearTimeout(this.batchTimer);
		this.batchTimer = undefined;
		const events = this.pending;
		if (events.length === 0) return;
		this.pending = [];
		const lines: Array<string | undefined> = new Array<string | undefined>(events.length);
		const lineAt = (index: number): string => (lines[index] ??= jsonLine(events[index]!.fields));
		let shared: Buffer | undefined;
		const now = this.now();
		for (const client of this.clients) {
			if (client.closing) continue;
			let bytes: Buffer;
			let count: number;
			if (client.predicate === undefined) {
				if (shared === undefined) {
					for (let index = 0; index < events.length; index++) lineAt(index);
					shared = Buffer.from((lines as string[]).join('\n') + '\n');
				}

				bytes = shared;
				count = events.length;
			} else {
				const selected: string[] = [];
				for (let index = 0; index < events.length; index++) {
					if (matches(client.predicate, events[index]!)) selected.push(lineAt(index));
				}

				if (selected.length === 0) continue;
				bytes = Buffer.from(selected.join('\n') + '\n');
				count = selected.length;
			}

			this.eventsDropped += client.queue.push({bytes, events: count});
			this.pump(client);
			this.checkBehind(client, now);
		}
	};

	/** Hand queued messages to the socket while this client's unwritten bytes stay under the high-water mark. */
	private pump(client: Client, highWater = this.highWater): void {
		while (client.inflight < highWater && !client.closing && client.socket.readyState === WebSocket.OPEN) {
			const message = client.queue.shift();
			if (message === undefined) return;
			const length = message.bytes.length;
			client.inflight += length;
			client.socket.send(message.bytes, {binary: false}, error => {
				client.inflight -= length;
				if (error) return;
				client.sent += message.events;
				this.eventsSent += message.events;
				if (client.queue.length > 0) this.pump(client);
			});
		}
	}

	private checkBehind(client: Client, now: number): void {
		if (client.closing) return;
		if (client.queue.events * 2 <= client.queue.maxEvents) {
			client.behindSince = undefined;
			return;
		}

		client.behindSince ??= now;
		if (now - client.behindSince >= this.slowClientMs) {
			const grace = Math.min(2000, Math.max(100, this.slowClientMs));
			this.closeClient(client, 1013, 'too slow; reconnect', grace, `too slow: far behind for ${formatSeconds(this.slowClientMs)}`);
		}
	}

	private readonly sweep = (): void => {
		const now = this.now();
		for (const client of this.clients) this.checkBehind(client, now);
	};

	private readonly pingAll = (): void => {
		for (const client of this.clients) {
			if (client.closing) continue;
			if (!client.alive) {
				client.closeReason = `no answer to ping for ${formatSeconds(2 * this.pingIntervalMs)}`;
				client.closing = true;
				client.socket.terminate();
				continue;
			}

			client.alive = false;
			client.socket.ping();
		}
	};

	/** Close politely, but a client that reads nothing never sees the close frame: terminate after a grace. */
	private closeClient(client: Client, code: number, reason: string, graceMs: number, logReason = reason): void {
		if (client.closing) return;
		client.closing = true;
		client.closeReason = `${logReason} (${code})`;
		this.eventsDropped += client.queue.events;
		client.queue.dropped += client.queue.events;
		client.queue.clear();
		client.socket.close(code, reason);
		client.killTimer = setTimeout(() => {
			client.socket.terminate();
		}, graceMs);
	}

	private onRequest(request: IncomingMessage, response: ServerResponse): void {
		const url = new URL(request.url ?? '/', 'http://localhost');
		if (url.pathname === '/healthz' && (request.method === 'GET' || request.method === 'HEAD')) {
			if (this.options.token !== undefined && !bearerMatches(request.headers.authorization, this.options.token)) {
				sendText(response, 401, 'missing or wrong token', {'www-authenticate': 'Bearer'});
				return;
			}

			const body = healthBody(this.health());
			response.writeHead(200, {
				'content-type': 'application/json',
				'content-length': Buffer.byteLength(body),
				'cache-control': 'no-store',
			});
			response.end(request.method === 'HEAD' ? undefined : body);
			return;
		}

		if (url.pathname === '/') {
			sendText(response, 426, 'armorwatch serve: connect with a WebSocket client, e.g. armorwatch ws://HOST:PORT', {upgrade: 'websocket'});
			return;
		}

		sendText(response, 404, 'not found (try /healthz, or a WebSocket connection)');
	}

	private onUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
		// A peer that resets mid-handshake must not crash the server.
		socket.on('error', () => {});
		const remote = remoteOf(request);
		const refuse = (status: number, message: string, headers: Record<string, string> = {}): void => {
			this.log(`refused ${remote}: ${status} ${message}`);
			rejectUpgrade(socket, status, message, headers);
		};

		if (this.closing) {
			refuse(503, 'the server is shutting down');
			return;
		}

		if (this.options.token !== undefined && !bearerMatches(request.headers.authorization, this.options.token)) {
			refuse(401, 'missing or wrong token (send "Authorization: Bearer TOKEN")', {'WWW-Authenticate': 'Bearer'});
			return;
		}

		if (this.clients.size >= this.maxClients) {
			refuse(503, `too many clients (the limit is ${this.maxClients})`);
			return;
		}

		const url = new URL(request.url ?? '/', 'http://localhost');
		const query = url.searchParams.get('filter') ?? '';
		let predicate: EventPredicate | undefined;
		if (query.trim() !== '') {
			if (this.options.compileFilter === undefined) {
				refuse(400, 'this server does not support ?filter=');
				return;
			}

			let compiled: ReturnType<CompileFilter>;
			try {
				compiled = this.options.compileFilter(query);
			} catch (error) {
				compiled = {ok: false, error: (error as Error).message};
			}

			if (!compiled.ok) {
				refuse(400, `bad filter: ${sanitize(compiled.error)}`);
				return;
			}

			predicate = compiled.predicate;
		}

		this.wss.handleUpgrade(request, socket, head, socket => {
			this.onConnection(socket, remote, predicate, query.trim());
		});
	}

	private onConnection(socket: WebSocket, remote: string, predicate: EventPredicate | undefined, query: string): void {
		if (this.closing || this.clients.size >= this.maxClients) {
			socket.close(this.closing ? 1001 : 1013, this.closing ? 'server shutting down' : 'too many clients');
			return;
		}

		const client = new Client(this.nextId++, socket, remote, predicate, new ClientQueue(this.queueEvents), this.now());
		this.clients.add(client);
		const filter = query ? `, filter ${JSON.stringify(sanitize(query.slice(0, 120)))}` : '';
		this.log(`connect ${remote} (client ${client.id}${filter}; ${this.clients.size} connected)`);
		socket.on('pong', () => {
			client.alive = true;
		});
		socket.on('error', (error: Error) => {
			client.error ??= sanitize(error.message);
		});
		socket.on('close', (code: number) => {
			this.onClientClose(client, code);
		});
	}

	private onClientClose(client: Client, code: number): void {
		this.clients.delete(client);
		clearTimeout(client.killTimer);
		client.closing = true;
		const reason = client.closeReason ?? describeClientClose(code, client.error);
		this.log(
			`disconnect ${client.remote} (client ${client.id}): ${reason}; ${client.sent.toLocaleString('en-US')} events sent, ${client.queue.dropped.toLocaleString('en-US')} dropped`,
		);
		client.queue.clear();
		client.markClosed();
	}
}

function matches(predicate: EventPredicate, event: MonitorEvent): boolean {
	try {
		return predicate(event);
	} catch {
		return false;
	}
}

function describeClientClose(code: number, error: string | undefined): string {
	if (error) return `${error} (${code})`;
	if (code === 1000 || code === 1005) return `client closed (${code})`;
	if (code === 1001) return 'client went away (1001)';
	if (code === 1006) return 'connection lost (1006)';
	return `closed with code ${code}`;
}

function rejectUpgrade(socket: Duplex, status: number, message: string, headers: Record<string, string>): void {
	if (!socket.writable) {
		socket.destroy();
		return;
	}

	const body = `${message}\n`;
	const extra = Object.entries(headers)
		.map(([name, value]) => `${name}: ${value}\r\n`)
		.join('');
	socket.once('finish', () => {
		socket.destroy();
	});
	socket.end(
		`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
			'Connection: close\r\n' +
			'Content-Type: text/plain; charset=utf-8\r\n' +
			`Content-Length: ${Buffer.byteLength(body)}\r\n` +
			extra +
			'\r\n' +
			body,
	);
}

function sendText(response: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
	const body = `${message}\n`;
	response.writeHead(status, {
		...headers,
		'content-type': 'text/plain; charset=utf-8',
		'content-length': Buffer.byteLength(body),
	});
	response.end(body);
}

function remoteOf(request: IncomingMessage): string {
	const {remoteAddress, remotePort} = request.socket;
	return remoteAddress === undefined ? 'unknown' : hostPort(remoteAddress, remotePort ?? 0);
}

function hostPort(host: string, port: number): string {
	return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

function isLoopback(host: string): boolean {
	return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function listenError(error: NodeJS.ErrnoException): string {
	if (error.code === 'EADDRINUSE') return 'the address is already in use';
	if (error.code === 'EACCES') return 'permission denied (ports below 1024 need privileges)';
	if (error.code === 'EADDRNOTAVAIL') return 'no such address on this machine';
	if (error.code === 'ENOTFOUND') return 'host name not found';
	return error.message;
}

function formatSeconds(ms: number): string {
	return ms >= 10_000 || ms % 1000 === 0 ? `${Math.round(ms / 1000)}s` : `${(ms / 1000).toFixed(1)}s`;
}

function whole(value: number | undefined, fallback: number): number {
	return value !== undefined && Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
}
