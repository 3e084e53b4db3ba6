import {spawn, type ChildProcess} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {pathToFileURL} from 'node:url';
import {repoRoot} from './samples.js';

export const cliPath = join(repoRoot, 'dist/source/cli.js');

export type CliResult = {code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string};

/** Run armorwatch with piped stdio (so line mode), feeding `input` on stdin; bounded by `timeoutMs`. */
export async function runCli(args: string[], input?: string | Buffer, timeoutMs = 20_000): Promise<CliResult> {
	const child = spawn(process.execPath, [cliPath, ...args], {stdio: ['pipe', 'pipe', 'pipe']});
	return collect(child, input, timeoutMs);
}

export async function collect(child: ChildProcess, input: string | Buffer | undefined, timeoutMs: number): Promise<CliResult> {
	let stdout = '';
	let stderr = '';
	child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
		stdout += chunk;
	});
	child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
		stderr += chunk;
	});
	if (input === undefined) child.stdin!.end();
	else child.stdin!.end(input);
	const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
	const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>(resolve => {
		child.once('close', (exitCode, exitSignal) => resolve([exitCode, exitSignal]));
	});
	clearTimeout(timer);
	return {code, signal, stdout, stderr};
}

/**
 * Run armorwatch as runCli does and also list every module it loaded (URLs, in load order), as an ESM loader
 * hook saw them: which transports a run pulls in.
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
		return {...result, modules: readFileSync(file, 'utf8').split('\n').filter(Boolean)};
	} finally {
		rmSync(directory, {recursive: true, force: true});
	}
}
