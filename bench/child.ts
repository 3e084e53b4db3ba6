// Some benchmarks measure in a process of their own: a fresh heap nothing else has touched, and React loaded with
// the build NODE_ENV picks. The parent runs `node --expose-gc SCRIPT --child` and reads the JSON line the child
// prints last.

import {execFile} from 'node:child_process';
import {fileURLToPath} from 'node:url';

export type ChildOptions = {
	/** What to call it in an error. */
	name: string;
	timeoutMs: number;
	/** Set in the child's environment (e.g. NODE_ENV). */
	env?: Record<string, string>;
	/** More node options for the child (e.g. --cpu-prof, which NODE_OPTIONS does not take). */
	execArgv?: string[];
};

/** Run the module at `moduleUrl` (its import.meta.url) with `--child` and parse its last line as JSON. */
export async function measureInChild<T>(moduleUrl: string, {name, timeoutMs, env, execArgv = []}: ChildOptions): Promise<T> {
	const stdout = await new Promise<string>((resolve, reject) => {
		execFile(
			process.execPath,
			['--expose-gc', ...execArgv, fileURLToPath(moduleUrl), '--child'],
			{env: {...process.env, ...env}, timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024},
			(error, out, err) => {
				if (error) reject(new Error(`${name} child failed: ${error.message}${err ? `\n${err}` : ''}`));
				else resolve(out);
			},
		);
	});
	return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as T;
}

/** In the child: print the figures, then exit (Ink's exit hooks or open handles may otherwise hold the loop). */
export function reportToParent(figures: unknown): void {
	process.stdout.write(`${JSON.stringify(figures)}\n`, () => {
		process.exit(0);
	});
}
