// One NATS connection kept up forever, for the monitor's NATS source and for `armorwatch publish`: connect with
// the official client (loaded only when a NATS URL is used), let the owner subscribe or publish on each new
// connection, and when it closes, say why in words and connect again with the same jittered backoff as the
// other network sources (0.5 s doubling to 30 s). The client's own reconnect is off: this loop knows why each
// attempt failed and shows it, and the owner sets its subscriptions up again from where it was.

import {readFileSync} from 'node:fs';
import type {ConnectionOptions, credsAuthenticator, NatsConnection} from '@nats-io/transport-node';
import {sanitize} from '../../model/sanitize.js';
import {backoffDelay, defaultBackoff, nextAttempt, type BackoffOptions} from '../backoff.js';
import type {SourceState} from '../feed.js';
import {describeError, formatSeconds} from '../network-errors.js';
import type {NatsUrl} from './nats-url.js';

export const defaultNatsConnectTimeoutMs = 10_000;
export const defaultNatsPingIntervalMs = 15_000;

/** Credentials besides the URL's own `user:pass@` / `token@`. */
export type NatsAuth = {
	/** `--nats-token` / ARMORWATCH_NATS_TOKEN (the URL's `token@` wins). */
	token?: string;
	/** `--nats-creds FILE`: a JWT and NKey seed, as `nsc` writes them; read on every connect (rotation works). */
	credsFile?: string;
};

export type NatsTls = {
	/** `--tls` (tls:// sets it too): refuse a connection that is not encrypted. Implied by ca/cert/key/insecure. */
	tls?: boolean;
	/** PEM bytes: the CA that signed the server's certificate, and a client certificate and key (mutual TLS). */
	ca?: Buffer;
	cert?: Buffer;
	key?: Buffer;
	/** `--insecure`: do not verify the server's certificate. */
	insecure?: boolean;
};

export type NatsLinkOptions = {
	url: NatsUrl;
	auth?: NatsAuth;
	tls?: NatsTls;
	/** The client name the server's monitoring pages show. */
	name: string;
	/** Set up a new connection (subscribe, create a consumer). A throw closes it and it is retried, in words. */
	onConnect: (connection: NatsConnection) => Promise<void>;
	/** A connection went away (not called on stop). */
	onDisconnect?: () => void;
	/** Every state change, with words; `detail` for connected comes from connectedDetail. Never a secret. */
	report: (state: SourceState, detail: string | undefined) => void;
	/** What "connected" says, asked again every second (message counts, replay progress). */
	connectedDetail?: () => string | undefined;
	connectTimeoutMs?: number;
	/** The client pings this often; two pings unanswered and the connection is replaced. */
	pingIntervalMs?: number;
	/**
	 * Bytes the client gathers before it writes them to the socket there and then (else it writes once the
	 * current turn is done). Its default, 32 KiB, is a write per 36 events for a publisher; a larger one halves
	 * the client's cost per message. A client option its types do not list.
	 */
	pendingLimit?: number;
	backoff?: Partial<BackoffOptions>;
	random?: () => number;
};

/** A failure no retry can mend (no stream holds the subject): the source fails with these words. */
export class NatsPermanentError extends Error {
	override name = 'NatsPermanentError';
}

export class NatsLink {
	readonly done: Promise<void>;
	/** Connections that opened. */
	connects = 0;
	private readonly secrets: string[];
	private readonly backoff: BackoffOptions;
	private readonly connectTimeoutMs: number;
	private connection: NatsConnection | undefined;
	private started = false;
	private stopped = false;
	private attempt = 0;
	/** The current connection did its job once (an event arrived, a publish was acknowledged). */
	private worked = false;
	private lastError: string | undefined;
	private retryAt = 0;
	private state: SourceState | undefined;
	private detail: string | undefined;
	private timer: NodeJS.Timeout | undefined;
	private wake: (() => void) | undefined;
	private finish!: () => void;

	constructor(private readonly options: NatsLinkOptions) {
		const {url, auth} = options;
		this.secrets = [url.pass, url.token, auth?.token]
			.filter((secret): secret is string => secret !== undefined && secret.length >= 3)
			.sort((a, b) => b.length - a.length);
		this.backoff = {...defaultBackoff, ...options.backoff};
		this.connectTimeoutMs = positive(options.connectTimeoutMs, defaultNatsConnectTimeoutMs);
		this.done = new Promise(resolve => {
			this.finish = resolve;
		});
	}

	/** The open connection, if there is one. */
	get current(): NatsConnection | undefined {
		return this.connection;
	}

	start(): void {
		if (this.started) return;
		this.started = true;
		void this.run().finally(this.finish);
	}

	/** Close the connection (after `beforeClose`, e.g. deleting a consumer) and stop reconnecting. */
	async stop(beforeClose?: (connection: NatsConnection) => Promise<void>): Promise<void> {
		if (this.stopped) return this.done;
		this.stopped = true;
		this.wake?.();
		const connection = this.connection;
		if (connection && !connection.isClosed()) {
			try {
				await beforeClose?.(connection);
			} catch {
				// Best effort: the server also removes what an ephemeral consumer leaves when it goes quiet.
			}

			await connection.close().catch(() => undefined);
		}

		this.setState('closed', 'stopped');
		// Done now, not when an attempt still under way (up to the connect timeout) gives up: it is closed unused.
		this.finish();
		return this.done;
	}

	/**
	 * The connection works, however briefly it stays: after it closes, reconnecting starts from the first delay
	 * (as WebSocket does), so a server that flaps is back within a second rather than after 17 s.
	 */
	noteWorking(): void {
		this.worked = true;
	}

	/** Words for the user: the error described, every secret masked. */
	describe(error: unknown): string {
		return this.redact(describeNatsError(error, {auth: this.authKind(), timeoutMs: this.connectTimeoutMs}));
	}

	redact(text: string): string {
		let result = text;
		for (const secret of this.secrets) if (result.includes(secret)) result = result.split(secret).join('***');
		return result;
	}

	private async run(): Promise<void> {
		const client = await import('@nats-io/transport-node');
		while (!this.stopped) {
			this.setState('connecting', this.attempt > 0 ? `attempt ${this.attempt}` : undefined);
			let connection: NatsConnection;
			try {
				connection = await client.connect(this.connectionOptions(client.credsAuthenticator));
			} catch (error) {
				this.lastError = this.describe(error);
				await this.waitBeforeRetry(undefined);
				continue;
			}

			if (this.stopped) {
				await connection.close().catch(() => undefined);
				break;
			}

			const openedAt = Date.now();
			this.connection = connection;
			this.connects++;
			this.worked = false;
			this.lastError = undefined;
			const closed = connection.closed();
			void this.watch(connection);
			this.setState('connected', this.options.connectedDetail?.());
			this.timer = setInterval(() => {
				if (this.connection === connection) this.setState('connected', this.options.connectedDetail?.());
			}, 1000);
			try {
				await this.options.onConnect(connection);
			} catch (error) {
				if (error instanceof NatsPermanentError) {
					this.stopped = true;
					clearInterval(this.timer);
					await connection.close().catch(() => undefined);
					this.connection = undefined;
					this.setState('failed', this.redact(sanitize(error.message)));
					return;
				}

				if (!this.stopped) this.lastError = this.describe(error);
				await connection.close().catch(() => undefined);
			}

			const error = await closed;
			clearInterval(this.timer);
			this.connection = undefined;
			if (this.stopped) break;
			this.options.onDisconnect?.();
			this.lastError ??= error ? this.describe(error) : 'the server closed the connection';
			await this.waitBeforeRetry(Date.now() - openedAt);
		}
	}

	/** Server errors, lame duck mode and unanswered pings become the reason shown if the connection then closes. */
	private async watch(connection: NatsConnection): Promise<void> {
		for await (const status of connection.status()) {
			// A refused subscription or publish leaves the connection up: that is the owner's to show, not a reason it closed.
			if (status.type === 'error' && status.error.constructor.name !== 'PermissionViolationError') this.lastError = this.describe(status.error);
			else if (status.type === 'ldm') this.lastError = 'the server is shutting down (lame duck mode)';
			else if (status.type === 'staleConnection') this.lastError = `no answer to pings for ${formatSeconds(this.pingIntervalMs() * 2)}`;
		}
	}

	private async waitBeforeRetry(connectedMs: number | undefined): Promise<void> {
		if (this.stopped) return;
		this.attempt = this.worked ? 1 : nextAttempt(this.attempt, connectedMs, this.backoff);
		this.worked = false;
		const delay = backoffDelay(this.attempt, this.backoff, this.options.random);
		this.retryAt = Date.now() + delay;
		const countdown = () => {
			const seconds = Math.max(0, Math.ceil((this.retryAt - Date.now()) / 1000));
			this.setState('reconnecting', `in ${seconds}s (attempt ${this.attempt}): ${this.lastError ?? 'connection closed'}`);
		};

		countdown();
		const ticker = setInterval(countdown, 1000);
		await new Promise<void>(resolve => {
			const timeout = setTimeout(resolve, delay);
			this.wake = () => {
				clearTimeout(timeout);
				resolve();
			};
		});
		clearInterval(ticker);
		this.wake = undefined;
	}

	/** Built for each attempt: the creds file is read again, so a rotated one is picked up. */
	private connectionOptions(credsAuthenticator: CredsAuthenticator): ConnectionOptions {
		const {url, auth, tls} = this.options;
		const options: ConnectionOptions = {
			servers: `${url.host.includes(':') ? `[${url.host}]` : url.host}:${url.port}`,
			name: this.options.name,
			reconnect: false,
			timeout: this.connectTimeoutMs,
			pingInterval: this.pingIntervalMs(),
			maxPingOut: 2,
			noAsyncTraces: true,
			...(this.options.pendingLimit ? {pendingLimit: this.options.pendingLimit} : {}),
		} as ConnectionOptions;
		if (url.user !== undefined) {
			options.user = url.user;
			options.pass = url.pass ?? '';
		} else if (url.token ?? auth?.token) {
			options.token = url.token ?? auth?.token;
		}

		if (auth?.credsFile) {
			let creds: Buffer;
			try {
				creds = readFileSync(auth.credsFile);
			} catch (error) {
				throw new Error(`cannot read the --nats-creds file: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`);
			}

			options.authenticator = credsAuthenticator(creds);
		}
		if (url.tls || tls?.tls || tls?.ca || tls?.cert || tls?.insecure) {
			options.tls = {
				...(tls?.ca ? {ca: tls.ca.toString('utf8')} : {}),
				...(tls?.cert ? {cert: tls.cert.toString('utf8')} : {}),
				...(tls?.key ? {key: tls.key.toString('utf8')} : {}),
				...(tls?.insecure ? {rejectUnauthorized: false} : {}),
			} as NonNullable<ConnectionOptions['tls']>;
		}

		return options;
	}

	private pingIntervalMs(): number {
		return positive(this.options.pingIntervalMs, defaultNatsPingIntervalMs);
	}

	private authKind(): AuthKind {
		const {url, auth} = this.options;
		if (auth?.credsFile) return 'creds';
		if (url.user !== undefined) return 'user';
		if (url.token ?? auth?.token) return 'token';
		return 'none';
	}

	private setState(state: SourceState, detail: string | undefined): void {
		if (state === this.state && detail === this.detail) return;
		this.state = state;
		this.detail = detail;
		this.options.report(state, detail);
	}
}

type CredsAuthenticator = typeof credsAuthenticator;

type AuthKind = 'none' | 'token' | 'user' | 'creds';

/** A NATS client error in words for the header and stderr. */
export function describeNatsError(error: unknown, context: {auth?: AuthKind; timeoutMs?: number} = {}): string {
	if (!(error instanceof Error)) return sanitize(String(error).slice(0, 200));
	const name = error.constructor.name;
	const message = error.message;
	if (name === 'AuthorizationError' || /authorization violation/i.test(message)) {
		switch (context.auth) {
			case 'token':
				return 'the server refused the token (authorization violation)';
			case 'user':
				return 'the server refused the user name and password (authorization violation)';
			case 'creds':
				return 'the server refused the credentials file (authorization violation)';
			default:
				return 'the server wants credentials: --nats-token T, nats://user:pass@host, or --nats-creds FILE';
		}
	}

	if (name === 'UserAuthenticationExpiredError') return 'the credentials have expired';
	if (name === 'TimeoutError') return `no answer within ${formatSeconds(context.timeoutMs ?? defaultNatsConnectTimeoutMs)}`;
	if (name === 'PermissionViolationError') return `not allowed: ${sanitize(message.slice(0, 160))}`;
	if (/does not support 'tls'/.test(message)) return 'the server does not speak TLS (use nats:// without --tls)';
	if (/tls.*not available|requires tls/i.test(message)) return 'the server does not speak TLS (use nats:// without --tls)';
	const cause = (error as {cause?: unknown}).cause;
	if (cause instanceof Error && (cause as NodeJS.ErrnoException).code) return describeError(cause);
	return describeError(error as Error & {code?: string});
}

function positive(value: number | undefined, fallback: number): number {
	return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}
