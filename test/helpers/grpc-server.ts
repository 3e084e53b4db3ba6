// A real feeder.LogService on 127.0.0.1, from the same .proto the feed uses, with karmor's filter rules:
// WatchAlerts streams only for Filter "all" / "policy", WatchLogs only for "all" / "system" (otherwise the
// stream ends at once, no error), HealthCheck echoes the nonce. Tests push events into the open streams.

import {once} from 'node:events';
import {connect, createServer, type Server as NetServer, type Socket} from 'node:net';
import * as grpc from '@grpc/grpc-js';
import {logServiceDefinition} from '../../source/feed/grpc/grpc-feed.js';
import {waitFor} from './wait.js';

export type WatchKind = 'alerts' | 'logs' | 'messages';

export type ServerTls = {
	/** Server certificate chain and key (PEM). */
	cert: Buffer;
	key: Buffer;
	/** CA to verify client certificates with; with requireClientCert, mutual TLS. */
	ca?: Buffer;
	requireClientCert?: boolean;
};

export type TestLogServerOptions = {
	/** Listen on this port (0 = any free port). */
	port?: number;
	tls?: ServerTls;
	/** Leave HealthCheck out of the service (to see what the client says). */
	withoutHealthCheck?: boolean;
	/** Leave WatchMessages out of the service (an older server). */
	withoutMessages?: boolean;
};

type Request = {Filter?: string};
type Call = grpc.ServerWritableStream<Request, Record<string, unknown>>;

const accepts: Record<WatchKind, (filter: string) => boolean> = {
	alerts: filter => filter === 'all' || filter === 'policy',
	logs: filter => filter === 'all' || filter === 'system',
	messages: () => true,
};

export {waitFor};

export class TestLogServer {
	/** Every Watch* request, in order, with its filter. */
	readonly requests: Array<{kind: WatchKind; filter: string}> = [];
	/** Every HealthCheck nonce received. */
	readonly nonces: number[] = [];
	/** What HealthCheck answers for a nonce (default: the nonce, as KubeArmor does). */
	healthReply: (nonce: number) => number = nonce => nonce;
	port: number;
	private server: grpc.Server | undefined;
	private readonly calls: Record<WatchKind, Set<Call>> = {alerts: new Set(), logs: new Set(), messages: new Set()};

	private constructor(private readonly options: TestLogServerOptions) {
		this.port = options.port ?? 0;
	}

	static async start(options: TestLogServerOptions = {}): Promise<TestLogServer> {
		const server = new TestLogServer(options);
		await server.listen();
		return server;
	}

	/** `127.0.0.1:port` */
	get address(): string {
		return `127.0.0.1:${this.port}`;
	}

	get running(): boolean {
		return this.server !== undefined;
	}

	/** How many streams of a kind are open now. */
	open(kind: WatchKind): number {
		return this.calls[kind].size;
	}

	async waitForStreams(kind: WatchKind, count = 1, timeoutMs = 3000): Promise<void> {
		await waitFor(() => this.open(kind) >= count, `${count} open ${kind} stream(s)`, timeoutMs);
	}

	/** Write one message to every open stream of a kind; returns how many streams got it. */
	send(kind: WatchKind, message: Record<string, unknown>): number {
		let sent = 0;
		for (const call of this.calls[kind]) {
			call.write(message);
			sent++;
		}

		return sent;
	}

	/**
	 * Write `count` messages to the first open stream of a kind, honouring backpressure (wait for 'drain'
	 * when write() says the buffers are full). `progress.written` counts what the transport accepted.
	 */
	async flood(
		kind: WatchKind,
		count: number,
		make: (index: number) => Record<string, unknown>,
		progress: {written: number; blocked: boolean},
	): Promise<void> {
		const call = [...this.calls[kind]][0];
		if (!call) throw new Error(`no open ${kind} stream to flood`);
		for (let index = 0; index < count; index++) {
			if (call.cancelled || call.destroyed) return;
			progress.written++;
			if (!call.write(make(index))) {
				progress.blocked = true;
				const ok = await new Promise<boolean>(resolve => {
					const settle = (answer: boolean): void => {
						call.off('drain', onDrain);
						call.off('cancelled', onGone);
						call.off('close', onGone);
						resolve(answer);
					};

					const onDrain = (): void => {
						settle(true);
					};

					const onGone = (): void => {
						settle(false);
					};

					call.on('drain', onDrain);
					call.on('cancelled', onGone);
					call.on('close', onGone);
				});
				progress.blocked = false;
				if (!ok) return;
			}
		}
	}

	/** End the open streams of a kind (or all) with status OK, as a server shutting a stream would. */
	endStreams(kind?: WatchKind): void {
		for (const name of kind ? [kind] : (Object.keys(this.calls) as WatchKind[])) {
			for (const call of this.calls[name]) call.end();
			this.calls[name].clear();
		}
	}

	/** Stop at once: every connection is cut, as when a relay pod dies. */
	async stop(): Promise<void> {
		const server = this.server;
		this.server = undefined;
		for (const set of Object.values(this.calls)) set.clear();
		server?.forceShutdown();
	}

	/** Listen again on the same port. */
	async restart(): Promise<void> {
		if (this.server) await this.stop();
		await this.listen();
	}

	private credentials(): grpc.ServerCredentials {
		const tls = this.options.tls;
		if (!tls) return grpc.ServerCredentials.createInsecure();
		return grpc.ServerCredentials.createSsl(
			tls.ca ?? null,
			[{cert_chain: tls.cert, private_key: tls.key}],
			tls.requireClientCert ?? false,
		);
	}

	private async listen(): Promise<void> {
		const server = new grpc.Server();
		const handlers: grpc.UntypedServiceImplementation = {
			WatchAlerts: (call: Call) => {
				this.watch('alerts', call);
			},
			WatchLogs: (call: Call) => {
				this.watch('logs', call);
			},
		};
		if (!this.options.withoutMessages) {
			handlers['WatchMessages'] = (call: Call) => {
				this.watch('messages', call);
			};
		}

		if (!this.options.withoutHealthCheck) {
			handlers['HealthCheck'] = (
				call: grpc.ServerUnaryCall<{nonce?: number}, {Retval: number}>,
				callback: grpc.sendUnaryData<{Retval: number}>,
			) => {
				const nonce = call.request.nonce ?? 0;
				this.nonces.push(nonce);
				callback(null, {Retval: this.healthReply(nonce)});
			};
		}

		const definition = logServiceDefinition();
		const service = Object.fromEntries(Object.keys(handlers).map(name => [name, definition[name]!]));
		server.addService(service as grpc.ServiceDefinition, handlers);
		this.port = await new Promise<number>((resolve, reject) => {
			server.bindAsync(`127.0.0.1:${this.port}`, this.credentials(), (error, port) => {
				if (error) reject(error);
				else resolve(port);
			});
		});
		this.server = server;
	}

	private watch(kind: WatchKind, call: Call): void {
		const filter = call.request.Filter ?? '';
		this.requests.push({kind, filter});
		if (!accepts[kind](filter)) {
			call.end();
			return;
		}

		const set = this.calls[kind];
		set.add(call);
		const forget = (): void => {
			set.delete(call);
		};

		call.on('cancelled', forget);
		call.on('close', forget);
		call.on('error', forget);
	}
}

/**
 * A TCP relay between the client and a server that can go silent: freeze() stops moving bytes both ways
 * without closing anything, as a dead node or a hung port-forward does.
 */
export class FreezableProxy {
	port = 0;
	private frozen = false;
	private readonly sockets = new Set<Socket>();
	private readonly server: NetServer;

	constructor(private readonly targetPort: number) {
		this.server = createServer(client => {
			const upstream = connect(this.targetPort, '127.0.0.1');
			for (const socket of [client, upstream]) {
				this.sockets.add(socket);
				socket.on('error', () => {
					socket.destroy();
				});
				socket.on('close', () => {
					this.sockets.delete(socket);
				});
			}

			client.on('close', () => upstream.destroy());
			upstream.on('close', () => client.destroy());
			client.pipe(upstream);
			upstream.pipe(client);
			if (this.frozen) {
				client.pause();
				upstream.pause();
			}
		});
	}

	async listen(): Promise<void> {
		this.server.listen(0, '127.0.0.1');
		await once(this.server, 'listening');
		const address = this.server.address();
		this.port = typeof address === 'object' && address ? address.port : 0;
	}

	get address(): string {
		return `127.0.0.1:${this.port}`;
	}

	freeze(): void {
		this.frozen = true;
		for (const socket of this.sockets) {
			socket.unpipe();
			socket.pause();
		}
	}

	async close(): Promise<void> {
		for (const socket of this.sockets) socket.destroy();
		this.server.close();
		await once(this.server, 'close').catch(() => undefined);
	}
}
