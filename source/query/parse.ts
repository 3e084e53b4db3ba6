// Tokens -> a list of ANDed query nodes, or an error in words with the position it is about.

import {compilePattern, type Pattern} from './pattern.js';
import {tokenize, type QueryError, type Token} from './tokenize.js';

export type {QueryError} from './tokenize.js';

/** How a field's value is read from an event: one string, or a list (tags, labels). */
export type FieldShape = 'string' | 'tags' | 'labels';

export type FieldDefinition = {
	/** The name shown in messages and in the canonical query text. */
	name: string;
	/** Other names accepted for it. */
	aliases: readonly string[];
	/** The PascalCase KubeArmor field it reads. */
	field: string;
	shape: FieldShape;
};

/** The `field:value` names. Every field here is matched on its text, case-insensitively. */
export const fieldDefinitions: readonly FieldDefinition[] = [
	{name: 'ns', aliases: ['namespace'], field: 'NamespaceName', shape: 'string'},
	{name: 'pod', aliases: [], field: 'PodName', shape: 'string'},
	{name: 'container', aliases: [], field: 'ContainerName', shape: 'string'},
	{name: 'image', aliases: [], field: 'ContainerImage', shape: 'string'},
	{name: 'host', aliases: ['node'], field: 'HostName', shape: 'string'},
	{name: 'cluster', aliases: [], field: 'ClusterName', shape: 'string'},
	{name: 'policy', aliases: [], field: 'PolicyName', shape: 'string'},
	{name: 'proc', aliases: ['process'], field: 'ProcessName', shape: 'string'},
	{name: 'parent', aliases: [], field: 'ParentProcessName', shape: 'string'},
	{name: 'res', aliases: ['resource'], field: 'Resource', shape: 'string'},
	{name: 'src', aliases: ['source'], field: 'Source', shape: 'string'},
	{name: 'op', aliases: ['operation'], field: 'Operation', shape: 'string'},
	{name: 'action', aliases: [], field: 'Action', shape: 'string'},
	{name: 'type', aliases: [], field: 'Type', shape: 'string'},
	{name: 'tag', aliases: ['tags'], field: 'Tags', shape: 'tags'},
	{name: 'label', aliases: ['labels'], field: 'Labels', shape: 'labels'},
	{name: 'result', aliases: [], field: 'Result', shape: 'string'},
	{name: 'enforcer', aliases: [], field: 'Enforcer', shape: 'string'},
	{name: 'msg', aliases: ['message'], field: 'Message', shape: 'string'},
	{name: 'data', aliases: [], field: 'Data', shape: 'string'},
];

const severityNames = new Set(['sev', 'severity']);

const fieldByName = new Map<string, FieldDefinition>();
for (const definition of fieldDefinitions) {
	fieldByName.set(definition.name, definition);
	for (const alias of definition.aliases) fieldByName.set(alias, definition);
}

/** A field by query name or alias (`ns`, `namespace`) or by its KubeArmor name (`NamespaceName`). */
export function findField(name: string): FieldDefinition | undefined {
	return (
		fieldByName.get(name.toLowerCase()) ?? fieldDefinitions.find(definition => definition.field === name)
	);
}

/** Severity bands by name, as inclusive ranges (see severityBand in model/event.ts). */
const severityBandRanges: Record<string, [number, number]> = {
	crit: [9, 10],
	critical: [9, 10],
	high: [7, 8],
	med: [4, 6],
	medium: [4, 6],
	low: [1, 3],
	none: [0, 0],
};

type NodeBase = {
	negated: boolean;
	/** The token's span in the query text, `!` included. */
	start: number;
	end: number;
};

export type QueryNode =
	| (NodeBase & {
			/** A bare word (typo tolerant) or a quoted phrase (matched as typed), over the searchable fields. */
			kind: 'text';
			/** Lower-cased. */
			value: string;
			quoted: boolean;
	  })
	| (NodeBase & {
			/** `field:value` (substring) or `field:=value` (the whole value, or one whole tag / label). */
			kind: 'field';
			field: FieldDefinition;
			exact: boolean;
			/** Lower-cased. */
			value: string;
	  })
	| (NodeBase & {
			/** `/regex/` over the searchable fields, or `field:/regex/` over one field. Always case-insensitive. */
			kind: 'regex';
			field?: FieldDefinition;
			source: string;
			pattern: Pattern;
	  })
	| (NodeBase & {
			/** Severity within [min, max]; 0 is "no severity" and only `sev:0` / `sev<=0` / `sev:none` select it. */
			kind: 'severity';
			min: number;
			max: number;
			/** As typed after `sev`, e.g. `>=5`. */
			text: string;
	  });

export type ParseResult = {ok: true; nodes: QueryNode[]} | QueryError;

const knownNames = [...fieldDefinitions.map(definition => definition.name), 'sev'].join(', ');

function fail(error: string, position: number): QueryError {
	return {ok: false, error, position};
}

/** The token exactly as typed, for keys that turn out not to be keys (`app=wordpress`). */
function asWord(token: Token): string {
	return token.key === undefined ? token.value : `${token.key}${token.op ?? ''}${token.value}`;
}

function severityNode(token: Token): QueryNode | QueryError {
	const {op = ':', value} = token;
	const position = token.valueStart;
	if (token.regex) return fail('sev takes a number from 0 to 10, not a regular expression', position - 1);
	if (value === '') return fail(`"sev${op}" needs a number from 0 to 10`, position);
	let range: [number, number];
	const lower = value.toLowerCase();
	const band = severityBandRanges[lower];
	if (band) {
		range = band;
	} else if (/^\d+$/.test(value) && Number(value) <= 10) {
		range = [Number(value), Number(value)];
	} else {
		return fail(
			`sev needs a whole number from 0 to 10 or crit, high, med, low, none; got "${value}"`,
			position,
		);
	}

	let [min, max] = range;
	switch (op) {
		case ':':
		case ':=':
		case '=': {
			break;
		}

		case '>=': {
			max = 10;
			break;
		}

		case '>': {
			min = max + 1;
			max = 10;
			break;
		}

		case '<=': {
			min = max === 0 ? 0 : 1;
			break;
		}

		case '<': {
			max = min - 1;
			min = max <= 0 ? 0 : 1;
			if (max < 0) max = -1;
			break;
		}
	}

	return {kind: 'severity', min, max, text: `${op}${value}`, negated: token.negated, start: token.start, end: token.end};
}

function regexNode(token: Token, field: FieldDefinition | undefined): QueryNode | QueryError {
	if (token.value === '') return fail('empty regular expression', token.valueStart - 1);
	const compiled = compilePattern(token.value);
	// A syntax error points at the opening slash, an unsupported feature at where it starts.
	if (!compiled.ok) return fail(compiled.error, compiled.position < 0 ? token.valueStart - 1 : token.valueStart + compiled.position);
	return {
		kind: 'regex',
		field,
		source: token.value,
		pattern: compiled.pattern,
		negated: token.negated,
		start: token.start,
		end: token.end,
	};
}

function nodeFor(token: Token): QueryNode | QueryError {
	const base = {negated: token.negated, start: token.start, end: token.end};
	if (token.key !== undefined) {
		const key = token.key.toLowerCase();
		if (severityNames.has(key)) return severityNode(token);
		const field = fieldByName.get(key);
		const op = token.op!;
		const fieldOp = op === ':' || op === ':=';
		if (field && !fieldOp) {
			return fail(`${field.name} takes ":" (contains) or ":=" (equals), not "${op}"`, token.keyStart + token.key.length);
		}

		if (!field && fieldOp) {
			return fail(
				`unknown field "${token.key}" (fields: ${knownNames}); to search for the text itself, put it in quotes`,
				token.keyStart,
			);
		}

		if (field) {
			if (token.regex) {
				if (op === ':=') return fail(`use ${field.name}:/regex/ (":=" is for exact text)`, token.keyStart + token.key.length);
				return regexNode(token, field);
			}

			if (token.value === '' && !token.quoted) {
				return fail(`"${token.key}${op}" needs a value, e.g. ${field.name}${op}something`, token.valueStart);
			}

			return {kind: 'field', field, exact: op === ':=', value: token.value.toLowerCase(), ...base};
		}
		// An unknown key with a comparison (`app=wordpress`, `a<b`) is just a word.
	}

	if (token.regex) return regexNode(token, undefined);
	const value = asWord(token).toLowerCase();
	if (value === '') return fail('empty quotes: put the text to search for between them', token.valueStart);
	return {kind: 'text', value, quoted: token.quoted, ...base};
}

/** Parse a query. Whitespace-only text gives no nodes (no filter). */
export function parseQuery(text: string): ParseResult {
	const tokenized = tokenize(text);
	if (!tokenized.ok) return tokenized;
	const nodes: QueryNode[] = [];
	for (const token of tokenized.tokens) {
		const node = nodeFor(token);
		if ('ok' in node) return node;
		nodes.push(node);
	}

	return {ok: true, nodes};
}

function quote(value: string): string {
	return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/**
 * A value as it has to be written after `field:` or `field:=` to read back as itself: as it is, or quoted
 * (with `\` and `"` escaped) when it is empty, has spaces or quotes, or starts with `/` (a regex). For
 * building queries from picked values: `ns:=${quoteValue(namespace)}`.
 */
export function quoteValue(value: string): string {
	return value === '' || /[\s"]/.test(value) || value.startsWith('/') ? quote(value) : value;
}

/** True when a bare word would not read back as the same bare word (`ns:x`, `!x`, `/x/`, `a b`). */
function needsQuotes(value: string): boolean {
	const again = parseQuery(value);
	if (!again.ok || again.nodes.length !== 1) return true;
	const [node] = again.nodes;
	return node!.kind !== 'text' || node!.quoted || node!.negated || node!.value !== value;
}

/** One node in canonical query syntax (what the header shows as the active filter). */
export function formatNode(node: QueryNode): string {
	const not = node.negated ? '!' : '';
	switch (node.kind) {
		case 'text': {
			return not + (node.quoted || needsQuotes(node.value) ? quote(node.value) : node.value);
		}

		case 'field': {
			return `${not}${node.field.name}${node.exact ? ':=' : ':'}${quoteValue(node.value)}`;
		}

		case 'regex': {
			return `${not}${node.field ? `${node.field.name}:` : ''}/${node.source}/`;
		}

		case 'severity': {
			return `${not}sev${node.text}`;
		}
	}
}

/**
 * An error as two lines for a terminal or stderr: the query, then a caret under the position and the message.
 * `--filter 'sev>=x'` -> `sev>=x\n     ^ sev needs a whole number ...`.
 */
export function formatQueryError(text: string, failure: Pick<QueryError, 'error' | 'position'>): string {
	const position = Math.max(0, Math.min(failure.position, text.length));
	// Controls (tabs included) become spaces so the caret lines up and nothing reaches the terminal raw.
	const shown = text.replace(/[\u0000-\u001F\u007F-\u009F]/g, ' ');
	return `${shown}\n${' '.repeat(position)}^ ${failure.error}`;
}
