// A real nats-server on 127.0.0.1 for the tests: a free port, JetStream in a temp directory, optional token,
// user/password, TLS and slow-consumer limits; stopped, restarted (same port and store) and cleaned up by the
// test. Every wait is bounded. Outside CI a missing binary skips the NATS tests with the reason; under CI=true it
// fails them (`.ci/run` installs nats-server).

import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {randomUUID} from 'node:crypto';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {nkeys} from '@nats-io/transport-node';

type KeyPair = ReturnType<typeof nkeys.createUser>;

export type NatsServerOptions = {
	jetstream?: boolean;
	token?: string;
	user?: string;
	password?: string;
	/** PEM files' contents: the server speaks TLS only. */
	tls?: {cert: Buffer; key: Buffer};
	/** Bytes the server holds for one subscriber before it cuts it off as a slow consumer. */
	maxPending?: number;
	/** How long one write to a subscriber may take before it is cut off (e.g. "500ms"). */
	writeDeadline?: string;
	/** Decentralized auth: an operator and one account; users come with creds files (creds()). */
	operator?: boolean;
	/** More configuration, as it goes in the file. */
	config?: string;
};

export type TestNatsServer = {
	port: number;
	/** nats://127.0.0.1:PORT (tls:// when TLS is on). */
	url: string;
	/** What the server has logged so far. */
	log(): string;
	/** Stop it (SIGTERM, then SIGKILL after 5 s); the port and the store stay for restart(). */
	stop(): Promise<void>;
	/** Start it again on the same port with the same JetStream store. */
	restart(): Promise<void>;
	/** Stop and remove the store. */
	dispose(): Promise<void>;
	/** With `operator`: a creds file (JWT + seed) for a new user of the server's account, or of one it does not know. */
	creds(trusted?: boolean): string;
};

/** A JWT as nsc makes them: ed25519-nkey signed claims. */
function jwt(issuer: KeyPair, subject: string, name: string, nats: Record<string, unknown>): string {
	const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
	const claims = {jti: randomUUID(), iat: Math.floor(Date.now() / 1000), iss: issuer.getPublicKey(), name, sub: subject, nats: {...nats, version: 2}};
	const body = `${encode({typ: 'JWT', alg: 'ed25519-nkey'})}.${encode(claims)}`;
	return `${body}.${Buffer.from(issuer.sign(new TextEncoder().encode(body))).toString('base64url')}`;
}

const unlimited = {subs: -1, data: -1, payload: -1};

let checked: string | undefined | null = null;

/** Why the NATS tests cannot run here, or undefined when they can. Under CI a missing server is a failure. */
export function natsServerMissing(): string | undefined {
	if (checked === null) {
		const result = spawnSync('nats-server', ['--version'], {encoding: 'utf8', timeout: 10_000});
		checked = result.error || result.status !== 0 ? 'nats-server is not installed (apt-get install nats-server; .ci/run does it)' : undefined;
		if (checked && process.env['CI'] === 'true') throw new Error(`${checked}: required under CI`);
	}

	return checked;
}

const running = new Set<TestNatsServer>();

/** Stop every server a test file started (call from after()). */
export async function disposeNatsServers(): Promise<void> {
	await Promise.all([...running].map(async server => server.dispose()));
}

export async function startNatsServer(options: NatsServerOptions = {}): Promise<TestNatsServer> {
	const directory = mkdtempSync(join(tmpdir(), 'armorwatch-nats-'));
	let port = -1;
	let child: ChildProcess | undefined;
	let output = '';
	const operator = nkeys.createOperator();
	const account = nkeys.createAccount();
	let credsFiles = 0;

	const writeConfig = () => {
		const lines = [`listen: "127.0.0.1:${port}"`];
		if (options.jetstream !== false) lines.push(`jetstream { store_dir: ${JSON.stringify(join(directory, 'store'))} }`);
		if (options.token) lines.push(`authorization { token: ${JSON.stringify(options.token)} }`);
		if (options.user) lines.push(`authorization { user: ${JSON.stringify(options.user)}, password: ${JSON.stringify(options.password ?? '')} }`);
		if (options.tls) {
			writeFileSync(join(directory, 'cert.pem'), options.tls.cert);
			writeFileSync(join(directory, 'key.pem'), options.tls.key);
			lines.push(`tls { cert_file: ${JSON.stringify(join(directory, 'cert.pem'))}, key_file: ${JSON.stringify(join(directory, 'key.pem'))} }`);
		}

		if (options.maxPending) lines.push(`max_pending: ${options.maxPending}`, `max_payload: ${Math.min(options.maxPending, 1024 * 1024)}`);
		if (options.writeDeadline) lines.push(`write_deadline: ${JSON.stringify(options.writeDeadline)}`);
		if (options.operator) {
			writeFileSync(join(directory, 'operator.jwt'), jwt(operator, operator.getPublicKey(), 'operator', {type: 'operator'}));
			const accountJwt = jwt(operator, account.getPublicKey(), 'account', {
				type: 'account',
				limits: {...unlimited, imports: -1, exports: -1, wildcards: true, conn: -1, leaf: -1},
			});
			lines.push(
				`operator: ${JSON.stringify(join(directory, 'operator.jwt'))}`,
				'resolver: MEMORY',
				`resolver_preload: { ${account.getPublicKey()}: ${JSON.stringify(accountJwt)} }`,
			);
		}
		if (options.config) lines.push(options.config);
		writeFileSync(join(directory, 'server.conf'), lines.join('\n') + '\n');
	};

	const launch = async () => {
		writeConfig();
		output = '';
		const started = spawn('nats-server', ['-c', join(directory, 'server.conf')], {stdio: ['ignore', 'pipe', 'pipe']});
		child = started;
		const onData = (chunk: Buffer) => {
			output += chunk.toString('utf8');
		};

		started.stdout!.on('data', onData);
		started.stderr!.on('data', onData);
		const deadline = Date.now() + 15_000;
		while (!/Server is ready/.test(output)) {
			if (started.exitCode !== null) throw new Error(`nats-server exited: ${output.slice(-500)}`);
			if (Date.now() > deadline) throw new Error(`nats-server did not start within 15 s: ${output.slice(-500)}`);
			await new Promise(resolve => setTimeout(resolve, 20));
		}

		const match = /Listening for client connections on [^\n]*:(\d+)/.exec(output);
		if (!match) throw new Error(`nats-server did not say its port: ${output.slice(-500)}`);
		port = Number(match[1]);
	};

	const stop = async () => {
		const current = child;
		child = undefined;
		if (!current || current.exitCode !== null) return;
		const exited = new Promise(resolve => current.once('exit', resolve));
		current.kill('SIGTERM');
		const force = setTimeout(() => current.kill('SIGKILL'), 5000);
		await exited;
		clearTimeout(force);
	};

	try {
		await launch();
	} catch (error) {
		await stop();
		rmSync(directory, {recursive: true, force: true});
		throw error;
	}

	const server: TestNatsServer = {
		get port() {
			return port;
		},
		get url() {
			return `${options.tls ? 'tls' : 'nats'}://127.0.0.1:${port}`;
		},
		log: () => output,
		creds(trusted = true) {
			const user = nkeys.createUser();
			const signer = trusted ? account : nkeys.createAccount();
			const userJwt = jwt(signer, user.getPublicKey(), 'user', {type: 'user', pub: {}, sub: {}, ...unlimited});
			const path = join(directory, `user-${++credsFiles}.creds`);
			const seed = new TextDecoder().decode(user.getSeed());
			writeFileSync(
				path,
				`-----BEGIN NATS USER JWT-----\n${userJwt}\n------END NATS USER JWT------\n\n-----BEGIN USER NKEY SEED-----\n${seed}\n------END USER NKEY SEED------\n`,
			);
			return path;
		},
		stop,
		restart: launch,
		async dispose() {
			running.delete(server);
			await stop();
			rmSync(directory, {recursive: true, force: true});
		},
	};
	running.add(server);
	return server;
}
