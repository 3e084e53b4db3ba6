// Start-up: how long `armorwatch --version` and `armorwatch --summary </dev/null` take as whole processes, next to
// `node -e 0` timed in the same rounds. What is left above node's own start is what armorwatch loads: the
// transports (ws, grpc-js) and the UI must stay out of these paths (see source/feed/open-sources.ts).
//
//   node dist/bench/startup-bench.js

import {spawn} from 'node:child_process';
import {performance} from 'node:perf_hooks';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {renderTable, type BenchRow} from './table.js';

const cli = fileURLToPath(new URL('../source/cli.js', import.meta.url));
const rounds = 15;

const commands = {
	bare: ['-e', '0'],
	version: [cli, '--version'],
	// stdio 'ignore' is /dev/null: stdin ends at once and stdout is not a terminal.
	summary: [cli, '--summary'],
} as const;

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

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = sorted.length >> 1;
	return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Median of `rounds` interleaved rounds (the order rotates each round), after one round not counted. */
export async function measureStartup(): Promise<StartupFigures> {
	const names = Object.keys(commands) as Name[];
	const times: Record<Name, number[]> = {bare: [], version: [], summary: []};
	for (let round = -1; round < rounds; round++) {
		for (let index = 0; index < names.length; index++) {
			const name = names[(index + Math.max(round, 0)) % names.length]!;
			const ms = await timeRun(commands[name]);
			if (round >= 0) times[name].push(ms);
		}
	}

	return {bare: median(times.bare), version: median(times.version), summary: median(times.summary), rounds};
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
	return [row('armorwatch --version', figures.version, 1.5), row('armorwatch --summary </dev/null', figures.summary, 2)];
}

export async function benchStartup(): Promise<BenchRow[]> {
	return startupRows(await measureStartup());
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	const figures = await measureStartup();
	console.log(renderTable(startupRows(figures)));
}
