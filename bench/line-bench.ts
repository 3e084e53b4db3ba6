// Line mode's CPU cost, whole processes: `armorwatch --json FILE` and `--plain FILE` writing into a pipe the bench
// drains, against a bare loop (read, split on '\n', JSON.parse; bench/bare-parse.ts) over the same file, in the
// same run, interleaved. Each process reports its own CPU time (user + system, every thread) at exit through
// bench/cpu-probe.ts; start-up is included, as a user pays it. The output is counted: every event must arrive.
//
//   node dist/bench/line-bench.js [EVENTS]

import {spawn} from 'node:child_process';
import {once} from 'node:events';
import {createWriteStream, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {publicSamples, variedSample} from './ingest-bench.js';
import {renderTable, type BenchRow} from './table.js';

const defaultEvents = 1_000_000;
const rounds = 3;
const targets = {json: 1.6, plain: 1.5} as const;
// What users run: package.json's bin, the bundle `npm run build` makes (source/bundle.mjs).
const cli = fileURLToPath(new URL('../bin/cli.js', import.meta.url));
const bare = fileURLToPath(new URL('bare-parse.js', import.meta.url));
const probe = pathToFileURL(fileURLToPath(new URL('cpu-probe.js', import.meta.url))).href;

type Measured = {cpuMs: number; lines: number};

/** `count` varied public samples as NDJSON in a file, written in batches (1M events are about 850 MB). */
async function writeEvents(path: string, count: number): Promise<void> {
	const samples = publicSamples();
	const out = createWriteStream(path);
	for (let from = 0; from < count; from += 10_000) {
		const lines: string[] = [];
		for (let index = from; index < Math.min(count, from + 10_000); index++) lines.push(JSON.stringify(variedSample(samples, index)));
		if (!out.write(lines.join('\n') + '\n')) await once(out, 'drain');
	}

	await new Promise<void>((resolve, reject) => {
		out.once('error', reject);
		out.end(() => {
			resolve();
		});
	});
}

/** Run `node --import cpu-probe ARGS`, drain and count its stdout lines, and read the CPU time it reports. */
async function measure(args: string[]): Promise<Measured> {
	const child = spawn('nice', [process.execPath, '--import', probe, ...args], {stdio: ['ignore', 'pipe', 'pipe', 'pipe']});
	let lines = 0;
	let stderr = '';
	let report = '';
	child.stdout!.on('data', (chunk: Buffer) => {
		for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines++;
	});
	child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
		stderr += chunk;
	});
	child.stdio[3]!.on('data', (chunk: Buffer) => {
		report += chunk.toString('utf8');
	});
	const code = await new Promise<number | null>(resolve => child.once('close', resolve));
	if (code !== 0 || report === '') throw new Error(`${args.join(' ')} exited ${code}: ${stderr.slice(0, 300)}`);
	return {cpuMs: (JSON.parse(report) as {cpuMs: number}).cpuMs, lines};
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)]!;
}

export type LineFigures = {
	events: number;
	rounds: number;
	/** CPU ms per round, in the order they ran. */
	bareMs: number[];
	jsonMs: number[];
	plainMs: number[];
	summaryMs: number[];
};

export async function measureLine(events = defaultEvents): Promise<LineFigures> {
	const dir = mkdtempSync(join(tmpdir(), 'armorwatch-line-bench-'));
	const file = join(dir, 'events.ndjson');
	try {
		await writeEvents(file, events);
		const figures: LineFigures = {events, rounds, bareMs: [], jsonMs: [], plainMs: [], summaryMs: []};
		const expect = (what: string, got: Measured, lines: number) => {
			if (got.lines !== lines) throw new Error(`${what} printed ${got.lines} lines, expected ${lines}`);
			return got.cpuMs;
		};

		for (let round = 0; round < rounds; round++) {
			figures.bareMs.push(expect('the bare loop', await measure([bare, file]), 1));
			figures.jsonMs.push(expect('--json', await measure([cli, '--json', file]), events));
			figures.plainMs.push(expect('--plain', await measure([cli, '--plain', file]), events));
			figures.summaryMs.push(expect('--summary', await measure([cli, '--summary', file]), 1));
		}

		return figures;
	} finally {
		rmSync(dir, {recursive: true, force: true});
	}
}

export function lineRows(figures: LineFigures): BenchRow[] {
	const k = figures.events >= 1_000_000 ? `${figures.events / 1_000_000}M` : `${Math.round(figures.events / 1000)}k`;
	const baseline = {name: `bare read + split + JSON.parse, same ${k} lines, own process`, value: median(figures.bareMs), unit: 'ms CPU'};
	const row = (mode: 'json' | 'plain', ms: number[]): BenchRow => {
		const value = median(ms);
		return {
			name: `line mode --${mode}, ${k} events from a file into a pipe: process CPU (user+system), median of ${figures.rounds}`,
			value,
			unit: 'ms CPU',
			baseline,
			target: `<= ${targets[mode]} x baseline`,
			pass: value <= targets[mode] * baseline.value,
		};
	};

	return [
		row('json', figures.jsonMs),
		row('plain', figures.plainMs),
		{
			name: `--summary, the same ${k} events: process CPU, median of ${figures.rounds}`,
			value: median(figures.summaryMs),
			unit: 'ms CPU',
			baseline,
			target: 'info: the pipeline without output',
			pass: true,
		},
	];
}

export async function benchLine(): Promise<BenchRow[]> {
	return lineRows(await measureLine());
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	const figures = await measureLine(Number(process.argv[2] ?? defaultEvents));
	console.log(renderTable(lineRows(figures)));
	console.log(JSON.stringify(figures, null, '\t'));
}
