import {accessSync, constants, readFileSync, statSync} from 'node:fs';
import {logFilters, type LogFilter} from './feed/grpc/log-filter.js';
import {parseHeader} from './feed/websocket-header.js';
import {parseNatsOptions, type NatsSettings} from './feed/nats/nats-options.js';
import {filterQuery, type FilterState} from './query/filter-state.js';
// The parser alone: checking --filter needs no search index (fuse.js).
import {fieldDefinitions, formatQueryError, parseQuery} from './query/parse.js';
import {parseListen} from './serve/listen.js';
import {groupFieldNames, parseGroupBy, type GroupField} from './store/group-fields.js';
import {policyActions, type PolicyAction} from './act/policy-draft.js';
import {keyHelp} from './ui/keymap.js';
import {defaultMaxMemory, formatBytes} from './store/memory-bound.js';

// Only parsing here: every transport (ws, grpc-js, the server) loads later, and only when a source needs it.

export type Mode = 'tui' | 'plain' | 'json' | 'summary' | 'serve' | 'publish' | 'policy';

/** How network sources connect (WebSocket and gRPC share the TLS options). */
export type NetworkOptions = {
	headers: Array<[string, string]>;
	ca: string | undefined;
	cert: string | undefined;
	key: string | undefined;
	insecure: boolean;
	tls: boolean;
	pingIntervalMs: number;
	maxMessageBytes: number;
	compress: boolean;
	logFilter: LogFilter;
	messages: boolean;
};

export type ServeSettings = {
	host: string;
	port: number;
	token: string | undefined;
	maxClients: number;
};

export type Options = {
	sources: string[];
	/** -n, --pod, --container, --operation, --action, --min-severity, --policy and --filter, as one filter. */
	filter: FilterState;
	mode: Mode;
	follow: boolean;
	limit: number | undefined;
	maxAlerts: number;
	/** --max-memory: heap bytes the retained events may hold (default: a share of V8's heap limit). */
	maxMemory: number;
	/** --group-by: start the monitor with the list in groups of these fields. */
	groupBy: GroupField[] | undefined;
	/** Groups kept at most (least recently seen dropped first). */
	maxGroups: number;
	rate: number;
	color: boolean;
	network: NetworkOptions;
	serve: ServeSettings;
	nats: NatsSettings;
	/** `armorwatch policy`: the drafted policy's action (--action), the event's own when not given. */
	policyAction: PolicyAction | undefined;
};

export const usageLine =
	'Usage: armorwatch [serve|publish|policy] [SOURCE...] [--follow] [--plain|--json|--summary] [--limit N] [--max-alerts N] [options]';

/** The keymap's help under one heading per context: the screen's keys, then the / prompt's and a picker's. */
const keys = keyHelp()
	.map(line =>
		line.kind === 'title'
			? `  Keys ${line.context === 'main' ? '(full-screen mode)' : line.text}`
			: `    ${line.keys.padEnd(12)}${line.text}`,
	)
	.join('\n');

export const helpText = `
  Live terminal monitor for KubeArmor alerts and logs.

  ${usageLine}

  Sources (several are merged)
    (none)            stdin when it is not a terminal, else the relay in KUBEARMOR_SERVICE, else the demo feed
    -                 standard input: NDJSON, as \`karmor logs --json\` prints
    FILE              an NDJSON file (add --follow to keep reading what is appended); a FIFO or <(cmd) until it ends
    demo              the built-in demo feed (--rate events per second)
    ws://HOST:PORT/PATH, wss://...     a WebSocket feed, e.g. from \`armorwatch serve\`
    grpc://HOST[:PORT], grpcs://...    the KubeArmor relay or a daemon (feeder.LogService; port 32767)
    nats://[USER:PASS@]HOST[:PORT][/SUBJECT,...], tls://...   NATS (port 4222, subject kubearmor.>)

  Options
    -f, --follow      keep reading files as they grow and through log rotation, like tail -F
    --plain           line mode: one readable line per event (the default when stdout is not a terminal)
    --json            line mode: each event as one line of JSON in karmor's PascalCase shape
    --summary         read the sources to their end (or Ctrl-C) and print one JSON object of counts
    --limit N         stop after N events
    --max-alerts N    events kept in memory, oldest dropped first (default 50000, at most 10000000); counters count all
    --max-memory N    memory the kept events may take, K/M/G suffixes allowed (default ${formatBytes(defaultMaxMemory())}: 40% of
                      the heap limit less 32 MB); past it the oldest go first, and a --max-alerts that cannot fit is capped
    --group-by FIELDS start with the list in groups of these fields, e.g. policy,op,workload (= in the monitor);
                      in line mode print, at the end, one JSON object per group, most frequent first;
                      fields: ${groupFieldNames.join(' ')}
    --max-groups N    groups kept, least recently seen dropped first and counted (default 10000, at most 1000000)
    --rate N          demo feed events per second (default 20, at most 1000000)
    --no-color        no colours (NO_COLOR and FORCE_COLOR are honoured too)
    -h, --help        this help
    --version         the version
    Values go as --limit 5 or --limit=5 (--token=-x for one that starts with -); -- ends the options.

  Filters (in the monitor, line mode and --summary alike; as karmor logs takes them)
    --filter QUERY    the query language of the / prompt, e.g. 'ns:payments sev>=5 !res:/tmp shdow'
    -n, --namespace NS   --pod POD   --container NAME   --policy NAME   (exact, case-insensitive)
    --operation OP    File, Process, Network, ...        --action A   Block, Audit, Allow, ...
    --min-severity N  1..10
    Query: bare words (fuzzy), field:value (contains), field:=value (exact), sev>=N sev<=N sev:N,
    !token (not), "quoted words", /regex/.
    Fields: ${fieldDefinitions.map(definition => definition.name).join(' ')}

  Network sources
    --header "Name: value"   sent on WebSocket connect (repeatable); values are never shown
    --ca FILE         trust this CA too (wss://, grpcs://)
    --insecure        do not verify the server's certificate (the header warns while it runs)
    --ping-interval S WebSocket ping interval in seconds (default 15); a dead link is replaced
    --max-message N   largest WebSocket message in bytes, K/M/G suffixes allowed (default 16M)
    --compress        offer permessage-deflate (off by default: it costs ~20x CPU)
    --grpc HOST:PORT  the relay, as karmor's --gRPC
    --log-filter F    policy (alerts, default), system (logs) or all, as karmor's --logFilter
    --messages        also show the daemon's messages (WatchMessages)
    --tls             gRPC over TLS (as grpcs://); --cert FILE --key FILE for mutual TLS

  NATS (nats:// and tls:// sources; --ca --cert --key --tls --insecure as above)
    --nats-token T    the server's token (or ARMORWATCH_NATS_TOKEN); never shown
    --nats-creds FILE a JWT + NKey credentials file
    --last N          replay the last N events from JetStream, then follow live
    --since T         replay since 15m, 2h, 1d or an ISO time (2024-05-01T10:00Z), then follow live
    --stream NAME     the JetStream stream to replay from (default: the one that holds the subject)

  Publish: armorwatch publish [SOURCE...] --to nats://HOST[:PORT] puts every event on NATS
    --to URL          the NATS server; each event goes on kubearmor.<alert|log>.<cluster>.<namespace>.<operation>
    --subject-prefix P   the first part of those subjects instead of kubearmor
    --stream NAME     create (or update) a JetStream stream on them, for --last/--since
    --max-age D --max-bytes N   the stream's limits (default 24h, no byte limit)

  Serve: armorwatch serve [SOURCE...] shares one stream with a team over WebSocket
    --listen HOST:PORT   where to listen (default 127.0.0.1:8765; other addresses must be asked for)
    --token T            clients must send "Authorization: Bearer T" (or set ARMORWATCH_TOKEN)
    --cert FILE --key FILE   serve wss:// and https://
    --max-clients N      default 64; clients may add ?filter=QUERY

  Policy: armorwatch policy [SOURCE...] [filters] prints, as YAML, a KubeArmor policy drafted from the first
  event that matches the filters (exit 1 saying why when none matches or it cannot be drafted)
    --action A        the policy's action: Block, Audit or Allow (default: the event's own); here not a filter

${keys}

  Exit codes: 0 done, 1 a runtime error (e.g. an unreadable file, a full disk), 2 bad usage,
  128+signal when stopped by one (130 Ctrl-C, 143 SIGTERM), after printing what was read.

  Examples
    $ armorwatch                                   # the demo feed
    $ karmor logs --json | armorwatch               # live from the cluster (keys from the terminal)
    $ armorwatch alerts.ndjson --follow
    $ armorwatch demo --rate 200
    $ karmor logs --json | armorwatch --plain | grep -w BLOCK   # only the Block events
    $ armorwatch alerts.ndjson --summary
    $ armorwatch alerts.ndjson --group-by policy,op
    $ armorwatch policy alerts.ndjson --filter 'action:Block proc:apt' --action Audit > policy.yaml
    $ armorwatch grpc://localhost:32767 --log-filter all
    $ armorwatch serve grpc://kubearmor-relay:32767 --listen 0.0.0.0:8765 --token "$TOKEN" --cert c.pem --key k.pem
    $ armorwatch wss://team-host:8765 --header "Authorization: Bearer $TOKEN"
    $ armorwatch publish grpc://kubearmor-relay:32767 --to nats://nats:4222 --stream KUBEARMOR --max-age 24h
    $ armorwatch 'nats://nats:4222/kubearmor.alert.prod.>' --since 1h
`;

export class UsageError extends Error {}
export class RuntimeError extends Error {}
/** Not a failure: --help or --version, whose text goes to stdout before exiting 0. */
export class PrintAndExit extends Error {}

type FlagSpec = {type: 'boolean' | 'string'; short?: string; default?: string | boolean; multiple?: boolean};

/** Every option, by its name in camelCase (`maxAlerts` is `--max-alerts`). `--no-color` turns `color` off. */
const flags = {
	follow: {type: 'boolean', short: 'f'},
	plain: {type: 'boolean'},
	json: {type: 'boolean'},
	summary: {type: 'boolean'},
	limit: {type: 'string'},
	maxAlerts: {type: 'string', default: '50000'},
	maxMemory: {type: 'string'},
	groupBy: {type: 'string'},
	maxGroups: {type: 'string', default: '10000'},
	rate: {type: 'string', default: '20'},
	color: {type: 'boolean', default: true},
	help: {type: 'boolean', short: 'h'},
	version: {type: 'boolean'},
	header: {type: 'string', multiple: true},
	ca: {type: 'string'},
	cert: {type: 'string'},
	key: {type: 'string'},
	insecure: {type: 'boolean'},
	tls: {type: 'boolean'},
	pingInterval: {type: 'string', default: '15'},
	maxMessage: {type: 'string', default: '16M'},
	compress: {type: 'boolean'},
	grpc: {type: 'string'},
	logFilter: {type: 'string', default: 'policy'},
	messages: {type: 'boolean'},
	listen: {type: 'string', default: '127.0.0.1:8765'},
	token: {type: 'string'},
	maxClients: {type: 'string', default: '64'},
	filter: {type: 'string'},
	namespace: {type: 'string', short: 'n'},
	pod: {type: 'string'},
	container: {type: 'string'},
	operation: {type: 'string'},
	action: {type: 'string'},
	minSeverity: {type: 'string'},
	policy: {type: 'string'},
	natsToken: {type: 'string'},
	natsCreds: {type: 'string'},
	last: {type: 'string'},
	since: {type: 'string'},
	stream: {type: 'string'},
	to: {type: 'string'},
	subjectPrefix: {type: 'string'},
	maxAge: {type: 'string'},
	maxBytes: {type: 'string'},
} as const satisfies Record<string, FlagSpec>;

type FlagName = keyof typeof flags;
type FlagValues = {
	[Name in FlagName]: (typeof flags)[Name] extends {multiple: true}
		? string[]
		: (typeof flags)[Name] extends {type: 'boolean'}
			? boolean
			: (typeof flags)[Name] extends {default: string}
				? string
				: string | undefined;
};

const kebab = (name: string) => name.replaceAll(/[A-Z]/g, c => `-${c.toLowerCase()}`);
const specs: Array<[FlagName, FlagSpec]> = Object.entries(flags) as Array<[FlagName, FlagSpec]>;
const byLongName = new Map(specs.map(([name]) => [kebab(name), name]));
const byShortName = new Map(specs.flatMap(([name, spec]) => (spec.short ? [[spec.short, name] as const] : [])));

/**
 * Edits (a character added, dropped or changed, two neighbours swapped) from `a` to `b`; past `most`, most + 1.
 * Not query/typo.ts' withinEdits: that one never edits a dash, and `--maxalerts` is a dash away from `--max-alerts`.
 */
function editDistance(a: string, b: string, most: number): number {
	if (Math.abs(a.length - b.length) > most) return most + 1;
	// Rows of the optimal-string-alignment table: the one before the previous, the previous, this one.
	let before: number[] = [];
	let previous = Array.from({length: b.length + 1}, (_, j) => j);
	for (let i = 1; i <= a.length; i++) {
		const row = [i];
		for (let j = 1; j <= b.length; j++) {
			const change = a[i - 1] === b[j - 1] ? 0 : 1;
			let cost = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + change);
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) cost = Math.min(cost, before[j - 2]! + 1);
			row.push(cost);
		}

		before = previous;
		previous = row;
	}

	return Math.min(previous[b.length]!, most + 1);
}

/**
 * `unknown option --folow`, with what was likely meant, as git says it: the one option within two edits (one
 * for names of four letters or fewer), nearer than any other; or that a source or a command was typed as an
 * option (`--demo`, `--serve`).
 */
function unknownLongOption(typed: string): string {
	const name = typed.slice(2);
	if (name === 'demo') return `unknown option ${typed} (the demo feed is a source: armorwatch demo)`;
	if (name === 'serve' || name === 'publish') return `unknown option ${typed} (${name} is a command: armorwatch ${name} ...)`;
	const most = name.length <= 4 ? 1 : 2;
	let best: string | undefined;
	let bestDistance = most + 1;
	let tie = false;
	for (const option of [...byLongName.keys(), 'no-color']) {
		const distance = editDistance(name, option, most);
		if (distance < bestDistance) {
			best = option;
			bestDistance = distance;
			tie = false;
		} else if (distance === bestDistance) tie = true;
	}

	return best && !tie ? `unknown option ${typed} (did you mean --${best}?)` : `unknown option ${typed}`;
}

/**
 * The command line as the user typed it: `--name value`, `--name=value`, `-n value`, `-nvalue`, `-fn value`,
 * `--no-color`, and `--` before sources that start with a dash. An option that takes a value takes the next
 * argument unless it looks like another option (a negative number is a value, and is then refused as one).
 * An option given twice keeps the last value, except --header, which adds up.
 */
function readArgv(argv: string[]): {flags: FlagValues; input: string[]} {
	const values: Record<string, unknown> = {};
	for (const [name, spec] of specs) values[name] = spec.multiple ? [] : (spec.default ?? (spec.type === 'boolean' ? false : undefined));
	const input: string[] = [];
	let index = 0;

	/** The value of option `name`, typed as `typed`: given inline (after = or the letter), else the next argument. */
	const valueOf = (name: FlagName, typed: string, inline: string | undefined): string => {
		const shown = typed.startsWith('--') ? typed : `${typed} (--${kebab(name)})`;
		const next = argv[index + 1];
		const nextIsValue = next !== undefined && (!next.startsWith('-') || next === '-' || /^-\d/.test(next));
		if (inline === undefined && !nextIsValue) {
			const hint = next?.startsWith('-') ? ` (a value that starts with "-" goes as --${kebab(name)}=VALUE)` : '';
			throw new UsageError(`${shown} needs a value${hint}`);
		}

		const value = inline ?? argv[++index]!;
		// An empty --filter is no filter (as an empty / prompt); anything else empty is a mistake, e.g. an unset variable.
		if (value === '' && name !== 'filter') throw new UsageError(`${shown} needs a value, got ""`);
		return value;
	};

	const take = (name: FlagName, typed: string, inline: string | undefined) => {
		const spec: FlagSpec = flags[name];
		if (spec.type === 'boolean') {
			if (inline !== undefined) throw new UsageError(`${typed} takes no value`);
			values[name] = true;
		} else if (spec.multiple) {
			(values[name] as string[]).push(valueOf(name, typed, inline));
		} else {
			values[name] = valueOf(name, typed, inline);
		}
	};

	for (; index < argv.length; index++) {
		const arg = argv[index]!;
		if (arg === '--') {
			input.push(...argv.slice(index + 1));
			break;
		}

		if (arg === '-' || !arg.startsWith('-')) {
			input.push(arg);
		} else if (arg.startsWith('--')) {
			const equals = arg.indexOf('=');
			const typed = equals < 0 ? arg : arg.slice(0, equals);
			const inline = equals < 0 ? undefined : arg.slice(equals + 1);
			if (typed === '--no-color') {
				if (inline !== undefined) throw new UsageError('--no-color takes no value');
				values['color'] = false;
				continue;
			}

			const name = byLongName.get(typed.slice(2));
			if (!name) throw new UsageError(unknownLongOption(typed));
			take(name, typed, inline);
		} else {
			// Letters: -f, -n NS, -fn NS, -nNS, and -n=NS as karmor takes it.
			const letters = [...arg.slice(1)];
			for (const [at, letter] of letters.entries()) {
				const name = byShortName.get(letter);
				if (!name) throw new UsageError(`unknown option -${letter}`);
				const rest = letters.slice(at + 1).join('');
				if (flags[name].type === 'boolean' || rest === '') {
					take(name, `-${letter}`, undefined);
				} else {
					take(name, `-${letter}`, rest.replace(/^=/, ''));
					break;
				}
			}
		}
	}

	return {flags: values as FlagValues, input};
}

function positiveInteger(name: string, value: string | undefined, max = Number.MAX_SAFE_INTEGER): number | undefined {
	if (value === undefined) return undefined;
	if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`--${name} needs a whole number above 0, got "${value}"`);
	if (Number(value) > max) throw new UsageError(`--${name} goes up to ${max.toLocaleString('en-US')}, got ${value}`);
	return Number(value);
}

/**
 * Past these the monitor cannot do what is asked: ten million retained events is ~5 GB of heap (--max-memory
 * caps what does not fit), and no machine here parses more than a few hundred
 * thousand events a second, so a faster demo only blocks the screen while it catches up.
 */
const maxRetained = 10_000_000;
const maxDemoRate = 1_000_000;

/** The version in package.json, at the package's root (this file runs from dist/source/). */
function version(): string {
	return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {version: string}).version;
}

/** Parse and check the command line. Throws UsageError (exit 2), RuntimeError (exit 1) or PrintAndExit (exit 0). */
export function parseOptions(argv: string[], stdinIsTTY: boolean, stdoutIsTTY: boolean, env = process.env): Options {
	const cli = readArgv(argv);
	if (cli.flags.help) throw new PrintAndExit(`${helpText}\n`);
	if (cli.flags.version) throw new PrintAndExit(`${version()}\n`);

	const {follow, plain, json, summary} = cli.flags;
	if ([plain, json, summary].filter(Boolean).length > 1) throw new UsageError('choose one of --plain, --json and --summary');
	if (cli.flags.groupBy !== undefined && (json || summary)) throw new UsageError('--group-by prints groups: choose it or --json / --summary');

	const limit = positiveInteger('limit', cli.flags.limit);
	const maxAlerts = positiveInteger('max-alerts', cli.flags.maxAlerts, maxRetained)!;
	const maxMemory = cli.flags.maxMemory === undefined ? defaultMaxMemory() : byteSize('max-memory', cli.flags.maxMemory);
	const rate = positiveInteger('rate', cli.flags.rate, maxDemoRate)!;
	const maxGroups = positiveInteger('max-groups', cli.flags.maxGroups, 1_000_000)!;
	const groupBy = cli.flags.groupBy === undefined ? undefined : parseGroupBy(cli.flags.groupBy);
	if (groupBy && 'error' in groupBy) throw new UsageError(groupBy.error);

	let sources = cli.input;
	const serving = sources[0] === 'serve';
	const publishing = sources[0] === 'publish';
	const drafting = sources[0] === 'policy';
	if (serving || publishing || drafting) sources = sources.slice(1);
	if (cli.flags.grpc) sources.push(`grpc://${cli.flags.grpc.replace(/^grpcs?:\/\//, '')}`);
	if (sources.length === 0) {
		const relay = env['KUBEARMOR_SERVICE']?.trim();
		sources = [!stdinIsTTY ? '-' : relay ? `grpc://${relay}` : 'demo'];
	}

	if (sources.filter(source => source === '-').length > 1) throw new UsageError('stdin ("-") can be read only once');
	for (const source of sources) {
		if (source === '-' || source === 'demo' || /^(wss?|grpcs?|nats|tls):\/\//i.test(source)) continue;
		if (/^[a-z][a-z\d+.-]*:\/\//i.test(source)) throw new UsageError(`unsupported source ${source}: use ws://, wss://, grpc://, grpcs://, nats:// or tls://`);
		checkReadable(source);
	}

	const logFilter = cli.flags.logFilter as LogFilter;
	if (!logFilters.includes(logFilter)) throw new UsageError(`--log-filter must be policy, system or all, not "${logFilter}"`);
	for (const file of [cli.flags.ca, cli.flags.cert, cli.flags.key, cli.flags.natsCreds]) if (file) checkReadable(file);
	if (Boolean(cli.flags.cert) !== Boolean(cli.flags.key)) throw new UsageError('--cert and --key go together');

	const headers: Array<[string, string]> = [];
	for (const text of cli.flags.header) {
		const parsed = parseHeader(text);
		if ('error' in parsed) throw new UsageError(parsed.error);
		headers.push(parsed);
	}

	const listen = parseListen(cli.flags.listen);
	if ('error' in listen) throw new UsageError(listen.error);
	const token = cli.flags.token ?? (env['ARMORWATCH_TOKEN'] || undefined);

	const minSeverity = cli.flags.minSeverity === undefined ? 0 : positiveInteger('min-severity', cli.flags.minSeverity)!;
	if (minSeverity > 10) throw new UsageError(`--min-severity goes from 1 to 10, got ${minSeverity}`);
	const filter: FilterState = {
		query: cli.flags.filter ?? '',
		namespace: cli.flags.namespace,
		pod: cli.flags.pod,
		container: cli.flags.container,
		operation: cli.flags.operation,
		// For `armorwatch policy`, --action is the policy's action, not a filter (`--filter action:Block` still is).
		action: drafting ? undefined : cli.flags.action,
		policy: cli.flags.policy,
		minSeverity,
	};
	if (publishing && filterQuery(filter) !== '') {
		throw new UsageError('publish sends every event: filter where you watch (a narrower NATS subject, or the filter options there)');
	}

	const checked = parseQuery(filterQuery(filter));
	if (!checked.ok) {
		const offset = Math.max(0, filterQuery(filter).indexOf(filter.query));
		throw new UsageError(`bad --filter:\n${formatQueryError(filter.query, {...checked, position: checked.position - offset})}`);
	}

	const nats = parseNatsOptions(
		{...cli.flags, maxBytes: cli.flags.maxBytes === undefined ? undefined : byteSize('max-bytes', cli.flags.maxBytes)},
		{publishing, sources, env},
	);
	if ('error' in nats) throw new UsageError(nats.error);

	const mode: Mode = serving
		? 'serve'
		: publishing
			? 'publish'
			: drafting
				? 'policy'
				: summary
					? 'summary'
					: json
						? 'json'
						: plain || !stdoutIsTTY
							? 'plain'
							: 'tui';
	if (mode === 'tui' && stdinIsTTY && sources.includes('-')) {
		// Keys come from the terminal too: the feed and the keyboard would take each other's keystrokes (q included).
		throw new UsageError('stdin ("-") is this terminal: pipe events in (karmor logs --json | armorwatch) or name a file');
	}

	return {
		sources,
		filter,
		mode,
		follow,
		limit,
		maxAlerts,
		maxMemory,
		groupBy,
		maxGroups,
		rate,
		color: cli.flags.color,
		network: {
			headers,
			ca: cli.flags.ca,
			cert: cli.flags.cert,
			key: cli.flags.key,
			insecure: cli.flags.insecure,
			tls: cli.flags.tls,
			pingIntervalMs: positiveInteger('ping-interval', cli.flags.pingInterval)! * 1000,
			maxMessageBytes: byteSize('max-message', cli.flags.maxMessage),
			compress: cli.flags.compress,
			logFilter,
			messages: cli.flags.messages,
		},
		serve: {host: listen.host, port: listen.port, token, maxClients: positiveInteger('max-clients', cli.flags.maxClients)!},
		nats,
		policyAction: drafting ? policyAction(cli.flags.action) : undefined,
	};
}

/** `armorwatch policy --action`: Block, Audit or Allow, in any case. */
function policyAction(value: string | undefined): PolicyAction | undefined {
	if (value === undefined) return undefined;
	const action = policyActions.find(name => name.toLowerCase() === value.toLowerCase());
	if (!action) throw new UsageError(`policy --action must be ${policyActions.join(', ')}, not "${value}"`);
	return action;
}

/** "16M", "512K", "1048576" -> bytes. */
function byteSize(name: string, value: string): number {
	const match = /^(\d+)([KMG]i?B?)?$/i.exec(value.trim());
	if (!match || Number(match[1]) < 1) throw new UsageError(`--${name} needs a size like 16M or 1048576, got "${value}"`);
	const unit = (match[2] ?? '').toUpperCase()[0];
	const scale = unit === 'K' ? 1024 : unit === 'M' ? 1024 ** 2 : unit === 'G' ? 1024 ** 3 : 1;
	return Number(match[1]) * scale;
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
