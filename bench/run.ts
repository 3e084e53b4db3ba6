// Every benchmark, one after another, as one Markdown table (paste-able into the README), or with --json as
// one JSON object. A missed target is marked NO but the exit code stays 0: figures are for reading, and on a
// shared 2-core machine they are noisy, which is why every figure sits next to a baseline from the same run.
//
//   npm run bench              (tsc && node --expose-gc dist/bench/run.js)
//   npm run bench -- --json
//   node --expose-gc dist/bench/run.js --only=ingest,memory
//   node --expose-gc dist/bench/run.js --only=nats --nats-scale=0.2   (the NATS replay row with 200,000 events)
//   node --expose-gc dist/bench/run.js --only=memory --scale          (the large-store memory row at 1,000,000
//                                                                       retained events instead of 200,000; ~2 min)
//   node --expose-gc dist/bench/run.js --only=query --scale           (the query rows at 1,000,000 retained
//                                                                       instead of 200,000; ~5 min)

import {cpus, loadavg} from 'node:os';
import {performance} from 'node:perf_hooks';
import {renderTable, type BenchRow} from './table.js';

export type RunRow = BenchRow & {
	/** Which bench produced the row. */
	bench: string;
	/** Set when the bench could not run (its module is missing): the row holds no figure. */
	skipped?: string;
	/** Set when the bench threw or ran out of time. */
	error?: string;
};

export type BenchReport = {
	node: string;
	platform: string;
	cpus: number;
	/** 1-minute load average when the run started and ended: how busy the machine was. */
	loadBefore: number;
	loadAfter: number;
	/** NODE_ENV of this process (null: unset). The UI bench sets its own per child process. */
	nodeEnv: string | null;
	startedAt: string;
	durationMs: number;
	benches: Array<{bench: string; status: 'ok' | 'skipped' | 'failed'; ms: number; detail?: string}>;
	rows: RunRow[];
	/** Every row that holds a figure met its target, and nothing was skipped or failed. */
	allPass: boolean;
};

type Bench = {
	bench: string;
	/** Module next to this file, imported only when the bench runs, so a missing or broken one is reported. */
	module: string;
	/** Its source file, for the message when it is missing. */
	source: string;
	export: string;
	timeoutMs: number;
};

const benches: Bench[] = [
	{bench: 'ingest', module: './ingest-bench.js', source: 'bench/ingest-bench.ts', export: 'benchIngest', timeoutMs: 90_000},
	{bench: 'ui', module: './ui-bench.js', source: 'bench/ui-bench.tsx', export: 'benchUi', timeoutMs: 270_000},
	{
		bench: 'screen-bytes',
		module: './screen-bytes-bench.js',
		source: 'bench/screen-bytes-bench.tsx',
		export: 'benchScreenBytes',
		timeoutMs: 70_000,
	},
	{
		bench: 'big-events',
		module: './big-event-bench.js',
		source: 'bench/big-event-bench.tsx',
		export: 'benchBigEvents',
		timeoutMs: 70_000,
	},
	{bench: 'ws-ui', module: './ws-ui-bench.js', source: 'bench/ws-ui-bench.tsx', export: 'benchWsUi', timeoutMs: 90_000},
	{bench: 'line', module: './line-bench.js', source: 'bench/line-bench.ts', export: 'benchLine', timeoutMs: 300_000},
	{bench: 'memory', module: './memory-bench.js', source: 'bench/memory-bench.ts', export: 'benchMemory', timeoutMs: 500_000},
	{bench: 'groups', module: './group-bench.js', source: 'bench/group-bench.ts', export: 'benchGroups', timeoutMs: 90_000},
	{bench: 'query', module: './query-bench.js', source: 'bench/query-bench.ts', export: 'benchQuery', timeoutMs: process.argv.includes('--scale') ? 600_000 : 240_000},
	{
		bench: 'websocket',
		module: './websocket-bench.js',
		source: 'bench/websocket-bench.ts',
		export: 'benchWebSocket',
		timeoutMs: 90_000,
	},
	{bench: 'startup', module: './startup-bench.js', source: 'bench/startup-bench.ts', export: 'benchStartup', timeoutMs: 150_000},
	{bench: 'nats', module: './nats-bench.js', source: 'bench/nats-bench.ts', export: 'benchNats', timeoutMs: 480_000},
];

function message(error: unknown): string {
	return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}

function isMissing(error: unknown, specifier: string): boolean {
	const code = (error as {code?: unknown})?.code;
	return code === 'ERR_MODULE_NOT_FOUND' && message(error).includes(specifier.replace('./', ''));
}

function placeholder(bench: string, status: 'skipped' | 'failed', detail: string): RunRow {
	return {
		bench,
		name: `${bench} bench: ${status.toUpperCase()} (${detail})`,
		value: 0,
		unit: '',
		target: 'not measured',
		pass: false,
		...(status === 'skipped' ? {skipped: detail} : {error: detail}),
	};
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => {
			reject(new Error(`took longer than ${ms / 1000} s`));
		}, ms);
	});
	try {
		return await Promise.race([promise, timeout]);
	} finally {
		clearTimeout(timer);
	}
}

type Outcome = {rows: RunRow[]; entry: BenchReport['benches'][number]};

async function runOne(spec: Bench, log: (line: string) => void): Promise<Outcome> {
	const start = performance.now();
	const done = (status: 'ok' | 'skipped' | 'failed', rows: RunRow[], detail?: string) => {
		const ms = performance.now() - start;
		log(`bench ${spec.bench}: ${status}${detail ? ` (${detail})` : ''} in ${(ms / 1000).toFixed(1)} s`);
		return {rows, entry: {bench: spec.bench, status, ms, ...(detail ? {detail} : {})}};
	};

	let run: (() => Promise<BenchRow[]>) | undefined;
	try {
		// A variable specifier: tsc must not require the module to exist (others write some of them).
		const specifier: string = spec.module;
		const module = (await import(specifier)) as Record<string, unknown>;
		const candidate = module[spec.export];
		if (typeof candidate !== 'function') {
			const detail = `${spec.module} has no ${spec.export}()`;
			return done('skipped', [placeholder(spec.bench, 'skipped', detail)], detail);
		}

		run = candidate as () => Promise<BenchRow[]>;
	} catch (error) {
		if (isMissing(error, spec.module)) {
			const detail = `${spec.source} not built`;
			return done('skipped', [placeholder(spec.bench, 'skipped', detail)], detail);
		}

		const detail = `import failed: ${message(error)}`;
		return done('failed', [placeholder(spec.bench, 'failed', detail)], detail);
	}

	log(`bench ${spec.bench}: running…`);
	try {
		const rows = await withTimeout(Promise.resolve(run()), spec.timeoutMs);
		return done('ok', rows.map(row => ({...row, bench: spec.bench})));
	} catch (error) {
		const detail = message(error);
		return done('failed', [placeholder(spec.bench, 'failed', detail)], detail);
	}
}

export async function runAll(log: (line: string) => void = () => {}, only?: readonly string[]): Promise<BenchReport> {
	const startedAt = new Date().toISOString();
	const loadBefore = loadavg()[0];
	const start = performance.now();
	const rows: RunRow[] = [];
	const entries: BenchReport['benches'] = [];
	for (const spec of benches) {
		if (only && !only.includes(spec.bench)) continue;
		const {rows: found, entry} = await runOne(spec, log);
		rows.push(...found);
		entries.push(entry);
		(globalThis as {gc?: () => void}).gc?.();
	}

	return {
		node: process.version,
		platform: `${process.platform} ${process.arch}`,
		cpus: cpus().length,
		loadBefore,
		loadAfter: loadavg()[0],
		nodeEnv: process.env['NODE_ENV'] ?? null,
		startedAt,
		durationMs: performance.now() - start,
		benches: entries,
		rows,
		allPass: rows.every(row => row.pass),
	};
}

function footer(report: BenchReport): string {
	const load = `1-min load average ${report.loadBefore.toFixed(1)} at start, ${report.loadAfter.toFixed(1)} at end`;
	const took = `${(report.durationMs / 1000).toFixed(0)} s`;
	return [
		'',
		`Node ${report.node}, ${report.platform}, ${report.cpus} CPUs; ${load}; ${took}.`,
		'Rates are the median or the best of several interleaved rounds, as each row says; "NO" marks a missed target (the exit code stays 0).',
		'The UI bench runs the App in a process of its own with NODE_ENV=production, as cli.tsx sets it.',
	].join('\n');
}

const json = process.argv.includes('--json');
const only = process.argv
	.find(argument => argument.startsWith('--only='))
	?.slice('--only='.length)
	.split(',');
const report = await runAll(line => {
	process.stderr.write(`${line}\n`);
}, only);
const output = json ? JSON.stringify(report, null, '\t') : renderTable(report.rows) + '\n' + footer(report);
// Exit explicitly: a bench that timed out may still hold sockets or timers open.
process.stdout.write(`${output}\n`, () => {
	process.exit(0);
});
