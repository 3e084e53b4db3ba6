import {spawn, type ChildProcess} from 'node:child_process';
import {join} from 'node:path';
import {repoRoot} from './samples.js';

export const cliPath = join(repoRoot, 'dist/source/cli.js');

export type CliResult = {code: number | null; stdout: string; stderr: string};

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
	const code = await new Promise<number | null>(resolve => child.once('close', resolve));
	clearTimeout(timer);
	return {code, stdout, stderr};
}
