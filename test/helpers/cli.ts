import {spawn, type ChildProcess, type StdioOptions} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {pathToFileURL} from 'node:url';
import {repoRoot} from './samples.js';

/** What users run: package.json's bin, the bundle `npm run build` makes (source/bundle.mjs). */
export const cliPath = join(repoRoot, (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {bin: {armorwatch: string}}).bin.armorwatch);

/** Which inputs (source files, node_modules files, as paths from the repo's root) each file of the bundle holds. */
function bundleInputs(): Map<string, string[]> {
	const meta = JSON.parse(readFileSync(join(repoRoot, 'dist/bin/meta.json'), 'utf8')) as {outputs: Record<string, {inputs: Record<string, unknown>}>};
	return new Map(Object.entries(meta.outputs).map(([output, {inputs}]) => [pathToFileURL(join(repoRoot, output)).href, Object.keys(inputs)]));
}

export type CliResult = {code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string};

/** Run armorwatch with piped stdio (so line mode), feeding `input` on stdin; bounded by `timeoutMs`. */
export async function runCli(args: string[], input?: string | Buffer, timeoutMs = 20_000): Promise<CliResult> {
	const child = spawn(process.execPath, [cliPath, ...args], {stdio: ['pipe', 'pipe', 'pipe']});
	return collect(child, input, timeoutMs);
}

/**
 * Run a bash script with the real pipes of a shell (`armorwatch ... | head -1`); `$AW` in it runs armorwatch.
 * Its stdout and stderr are collected; bounded by `timeoutMs`.
 */
export async function runShell(script: string, timeoutMs = 30_000): Promise<CliResult> {
	const child = spawn('bash', ['-c', script], {
		stdio: ['pipe', 'pipe', 'pipe'],
		env: {...process.env, AW: `${process.execPath} ${cliPath}`},
	});
	return collect(child, undefined, timeoutMs);
}

/** A running armorwatch whose output can be watched while it runs (to signal it at the right moment). */
export type RunningCli = {
	child: ChildProcess;
	stdout(): string;
	stderr(): string;
	/** Resolves when it exits, with everything it printed. */
	result: Promise<CliResult>;
};

export function startCli(args: string[], {stdio = ['ignore', 'pipe', 'pipe'], timeoutMs = 30_000}: {stdio?: StdioOptions; timeoutMs?: number} = {}): RunningCli {
	return watchChild(spawn(process.execPath, [cliPath, ...args], {stdio}), timeoutMs);
}

/** Wait for `child` to exit (killed after `timeoutMs`), with what it printed; `input` is written to its stdin. */
export async function collect(child: ChildProcess, input: string | Buffer | undefined, timeoutMs: number): Promise<CliResult> {
	const running = watchChild(child, timeoutMs);
	if (input === undefined) child.stdin!.end();
	else child.stdin!.end(input);
	return running.result;
}

/**
 * Run armorwatch as runCli does and also list every module it loaded, as an ESM loader hook saw them: which
 * transports a run pulls in. A file of the bundle stands for the inputs it holds (`source/options.ts`,
 * `node_modules/ws/lib/websocket.js`), anything else for its URL.
 */
export async function runCliListingModules(args: string[], input?: string, timeoutMs = 20_000): Promise<CliResult & {modules: string[]}> {
	const directory = mkdtempSync(join(tmpdir(), 'armorwatch-loads-'));
	const file = join(directory, 'modules.txt');
	writeFileSync(file, '');
	try {
		const hook = join(repoRoot, 'dist/test/helpers/log-module-loads.js');
		const child = spawn(process.execPath, ['--import', pathToFileURL(hook).href, cliPath, ...args], {
			stdio: ['pipe', 'pipe', 'pipe'],
			env: {...process.env, ARMORWATCH_LOAD_LOG: file},
		});
		const result = await collect(child, input, timeoutMs);
		const inputs = bundleInputs();
		const urls = readFileSync(file, 'utf8').split('\n').filter(Boolean);
		return {...result, modules: urls.flatMap(url => inputs.get(url) ?? [url])};
	} finally {
		rmSync(directory, {recursive: true, force: true});
	}
}

/** Gather what `child` prints while it runs; killed after `timeoutMs`. */
export function watchChild(child: ChildProcess, timeoutMs: number): RunningCli {
	let stdout = '';
	let stderr = '';
	child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
		stdout += chunk;
	});
	child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
		stderr += chunk;
	});
	const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
	const result = new Promise<CliResult>(resolve => {
		child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
			clearTimeout(timer);
			resolve({code, signal, stdout, stderr});
		});
	});
	return {child, stdout: () => stdout, stderr: () => stderr, result};
}
