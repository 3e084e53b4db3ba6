import {accessSync, constants, statSync} from 'node:fs';
import meow from 'meow';
import {keymap} from './ui/keymap.js';

export type Mode = 'tui' | 'plain' | 'json' | 'summary';

export type Options = {
	sources: string[];
	/** Line mode was chosen explicitly (--plain/--json/--summary) rather than by a pipe on stdout. */
	mode: Mode;
	follow: boolean;
	limit: number | undefined;
	maxAlerts: number;
	rate: number;
	color: boolean;
};

export const usageLine = 'Usage: armorwatch [SOURCE...] [--follow] [--plain|--json|--summary] [--limit N] [--max-alerts N] [--rate N]';

const keys = keymap.map(binding => `    ${binding.label.padEnd(12)}${binding.help}`).join('\n');

export const helpText = `
  Live terminal monitor for KubeArmor alerts and logs.

  ${usageLine}

  Sources (several are merged)
    (none)            the demo feed when stdin is a terminal, otherwise stdin
    -                 standard input: NDJSON, as \`karmor logs --json\` prints
    FILE              an NDJSON file (add --follow to keep reading what is appended)
    demo              the built-in demo feed (--rate events per second)

  Options
    -f, --follow      keep reading files as they grow, like tail -f
    --plain           line mode: one readable line per event (the default when stdout is not a terminal)
    --json            line mode: each event as one line of JSON in karmor's PascalCase shape
    --summary         read the sources to their end and print one JSON object of counts
    --limit N         stop after N events
    --max-alerts N    events kept in memory, oldest dropped first (default 50000); counters count all
    --rate N          demo feed events per second (default 20)
    --no-color        no colours (NO_COLOR and FORCE_COLOR are honoured too)
    -h, --help        this help
    --version         the version

  Keys (full-screen mode)
${keys}

  Exit codes: 0 done, 1 a runtime error (e.g. an unreadable file), 2 bad usage.

  Examples
    $ armorwatch                                   # the demo feed
    $ karmor logs --json | armorwatch               # live from the cluster (keys from the terminal)
    $ armorwatch alerts.ndjson --follow
    $ armorwatch demo --rate 200
    $ karmor logs --json | armorwatch --plain | grep BLOCK
    $ armorwatch alerts.ndjson --summary
`;

export class UsageError extends Error {}
export class RuntimeError extends Error {}

const flags = {
	follow: {type: 'boolean', shortFlag: 'f', default: false},
	plain: {type: 'boolean', default: false},
	json: {type: 'boolean', default: false},
	summary: {type: 'boolean', default: false},
	limit: {type: 'string'},
	maxAlerts: {type: 'string', default: '50000'},
	rate: {type: 'string', default: '20'},
	color: {type: 'boolean', default: true},
	help: {type: 'boolean', shortFlag: 'h', default: false},
	version: {type: 'boolean', default: false},
} as const;

const kebab = (name: string) => name.replaceAll(/[A-Z]/g, c => `-${c.toLowerCase()}`);
const longNames = new Set([...Object.keys(flags).map(kebab), 'no-color']);
const shortNames = new Set<string>(Object.values(flags).flatMap(flag => ('shortFlag' in flag ? [flag.shortFlag] : [])));

/** Reject options we do not know, as the user typed them (the parser would turn --no-x into x=false). */
function checkFlagNames(argv: string[]): void {
	for (const arg of argv) {
		if (arg === '--') return;
		if (arg.startsWith('--')) {
			const name = arg.slice(2).split('=')[0];
			if (!longNames.has(name)) throw new UsageError(`unknown option --${name}`);
		} else if (arg.startsWith('-') && arg.length > 1) {
			for (const letter of arg.slice(1)) {
				if (!shortNames.has(letter)) throw new UsageError(`unknown option -${letter}`);
			}
		}
	}
}

function positiveInteger(name: string, value: string | undefined): number | undefined {
	if (value === undefined) return undefined;
	if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`--${name} needs a whole number above 0, got "${value}"`);
	return Number(value);
}

/** Parse and check the command line. Throws UsageError (exit 2) or RuntimeError (exit 1). */
export function parseOptions(argv: string[], stdinIsTTY: boolean, stdoutIsTTY: boolean): Options {
	const cli = meow(helpText, {
		importMeta: import.meta,
		argv,
		flags,
		description: false,
		allowUnknownFlags: true,
		autoHelp: true,
		autoVersion: true,
	});

	checkFlagNames(argv);

	const {follow, plain, json, summary} = cli.flags;
	if ([plain, json, summary].filter(Boolean).length > 1) throw new UsageError('choose one of --plain, --json and --summary');

	const limit = positiveInteger('limit', cli.flags.limit);
	const maxAlerts = positiveInteger('max-alerts', cli.flags.maxAlerts)!;
	const rate = positiveInteger('rate', cli.flags.rate)!;

	let sources = cli.input.map(String);
	if (sources.length === 0) sources = [stdinIsTTY ? 'demo' : '-'];
	if (sources.filter(source => source === '-').length > 1) throw new UsageError('stdin ("-") can be read only once');

	for (const source of sources) {
		if (source === '-' || source === 'demo') continue;
		checkReadable(source);
	}

	const mode: Mode = summary ? 'summary' : json ? 'json' : plain || !stdoutIsTTY ? 'plain' : 'tui';
	return {sources, mode, follow, limit, maxAlerts, rate, color: cli.flags.color};
}

function checkReadable(path: string): void {
	try {
		accessSync(path, constants.R_OK);
		if (statSync(path).isDirectory()) throw new RuntimeError(`cannot read ${path}: it is a directory`);
	} catch (error) {
		if (error instanceof RuntimeError) throw error;
		const code = (error as NodeJS.ErrnoException).code;
		const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
		throw new RuntimeError(`cannot read ${path}: ${reason}`);
	}
}
