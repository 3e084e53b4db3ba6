// Start-up: how long `armorwatch --version` and `armorwatch --summary </dev/null` take as whole processes, and how
// long the full-screen monitor takes to draw its first frame in a terminal, next to `node -e 0` timed in the same
// rounds. What is left above node's own start is what armorwatch loads: the transports (ws, grpc-js) and the UI
// must stay out of the line paths (see source/feed/open-sources.ts), and the UI loads from the bundle that
// package.json's bin runs (source/bundle.mjs). The same first frame from tsc's unbundled output is shown as well.
//
//   node dist/bench/startup-bench.js

import {spawn} from 'node:child_process';
import {performance} from 'node:perf_hooks';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {renderTable, type BenchRow} from './table.js';

/** What users run (package.json's bin). */
const cli = fileURLToPath(new URL('../bin/cli.js', import.meta.url));
/** tsc's output of the same source: one file per module, node_modules resolved one by one. */
const unbundledCli = fileURLToPath(new URL('../source/cli.js', import.meta.url));
const samples = fileURLToPath(new URL('../../test/fixtures/kubearmor-public.ndjson', import.meta.url));
/** Interleaved rounds; each starts the monitor twice (bundled and not), ~4 s a round on a loaded machine. */
const rounds = 11;
const firstFrameTargetMs = 500;
/** A monitor that never draws is killed after this long (and the run fails). */
const frameTimeoutMs = 20_000;

type Command = {kind: 'exit'; args: readonly string[]} | {kind: 'frame'; cli: string};
const commands = {
	bare: {kind: 'exit', args: ['-e', '0']},
	version: {kind: 'exit', args: [cli, '--version']},
	// stdio 'ignore' is /dev/null: stdin ends at once and stdout is not a terminal.
	summary: {kind: 'exit', args: [cli, '--summary']},
	frame: {kind: 'frame', cli},
	unbundledFrame: {kind: 'frame', cli: unbundledCli},
} satisfies Record<string, Command>;

type Name = keyof typeof commands;
export type StartupFigures = Record<Name, number> & {rounds: number};

/** Wall time of one process from spawn to exit, in ms. */
async function timeRun(args: readonly string[]): Promise<number> {
	const start = performance.now();
	const child = spawn(process.execPath, args, {stdio: 'ignore'});
	const code = await new Promise<number | null>((resolve, reject) => {
		child.once('error', reject);
		child.once('exit', resolve);
	});
	if (code !== 0) throw new Error(`node ${args.join(' ')} exited ${code}`);
	return performance.now() - start;
}

/**
 * Wall time from spawn to the monitor's first frame on a terminal: util-linux `script` gives it a pty of 120x40
 * (stty, then exec node), and the first frame is the first output that holds the header's "armorwatch". Then q.
 */
async function timeFirstFrame(cliPath: string): Promise<number> {
	const command = `stty cols 120 rows 40; exec '${process.execPath}' '${cliPath}' '${samples}'`;
	const start = performance.now();
	const child = spawn('script', ['-qfec', command, '/dev/null'], {stdio: ['pipe', 'pipe', 'ignore']});
	let output = '';
	const drawn = await new Promise<number>((resolve, reject) => {
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`no first frame within ${frameTimeoutMs} ms:\n${output.slice(-500)}`));
		}, frameTimeoutMs);
		child.once('error', reject);
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
			output += chunk;
			if (output.includes('armorwatch')) {
				clearTimeout(timer);
				resolve(performance.now() - start);
			}
		});
	});
	const exited = new Promise(resolve => child.once('exit', resolve));
	child.stdin.write('q');
	const killTimer = setTimeout(() => child.kill('SIGKILL'), 5000);
	await exited;
	clearTimeout(killTimer);
	return drawn;
}

async function time(command: Command): Promise<number> {
	return command.kind === 'exit' ? timeRun(command.args) : timeFirstFrame(command.cli);
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = sorted.length >> 1;
	return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Median of `rounds` interleaved rounds (the order rotates each round), after one round not counted. */
export async function measureStartup(): Promise<StartupFigures> {
	const names = Object.keys(commands) as Name[];
	const times = Object.fromEntries(names.map(name => [name, [] as number[]])) as Record<Name, number[]>;
	for (let round = -1; round < rounds; round++) {
		for (let index = 0; index < names.length; index++) {
			const name = names[(index + Math.max(round, 0)) % names.length]!;
			const ms = await time(commands[name]);
			if (round >= 0) times[name].push(ms);
		}
	}

	const figures = Object.fromEntries(names.map(name => [name, median(times[name])])) as Record<Name, number>;
	return {...figures, rounds};
}

export function startupRows(figures: StartupFigures): BenchRow[] {
	const baseline = {name: '`node -e 0`, same rounds', value: figures.bare, unit: 'ms'};
	const row = (name: string, value: number, maxRatio: number): BenchRow => ({
		name: `start-up: \`${name}\` to exit, wall time, median of ${figures.rounds} interleaved runs`,
		value,
		unit: 'ms',
		baseline,
		target: `<= ${maxRatio} x baseline (no transport or UI loaded)`,
		pass: value <= maxRatio * figures.bare,
	});
	const frame = `start-up: start to the first frame of the TUI (120x40 pty by script(1), a file source), median of ${figures.rounds} interleaved runs`;
	return [
		row('armorwatch --version', figures.version, 1.5),
		row('armorwatch --summary </dev/null', figures.summary, 2),
		{
			name: `${frame}: the bundle package.json's bin runs`,
			value: figures.frame,
			unit: 'ms',
			baseline,
			target: `<= ${firstFrameTargetMs} ms`,
			pass: figures.frame <= firstFrameTargetMs,
		},
		{
			name: `${frame}: tsc's unbundled output (dist/source/cli.js), for comparison`,
			value: figures.unbundledFrame,
			unit: 'ms',
			baseline,
			target: 'info',
			pass: true,
		},
	];
}

export async function benchStartup(): Promise<BenchRow[]> {
	return startupRows(await measureStartup());
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	const figures = await measureStartup();
	console.log(renderTable(startupRows(figures)));
}
