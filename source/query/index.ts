// The filter language of the `/` prompt, `--filter` and `serve ?filter=`. Tokens are ANDed, case-insensitive:
//
//   wordpres               bare word, typo tolerant, over message, policy, processes, resource, source,
//                          namespace, pod, container, tags, labels, host
//   "permission denied"    a phrase, matched as typed          /curl|wget/      a regular expression
//   ns:payments            field contains    ns:=payments     field equals     res:/^\/etc\//  field regex
//   sev>=5  sev<=3  sev:7  sev>high  sev:crit                  !token           negation of any token
//
// Fields: ns pod container image host cluster policy proc parent res src op action type tag label result
// enforcer msg data (and sev).

import type {EventPredicate} from '../store/event-view.js';
import {compile, type FuzzyExpansion, type HighlightSpec} from './compile.js';
import {parseQuery, type QueryNode} from './parse.js';
import type {Vocabulary} from './vocabulary.js';

export {fieldDefinitions, findField, formatNode, formatQueryError, parseQuery, quoteValue} from './parse.js';
export type {FieldDefinition, ParseResult, QueryNode} from './parse.js';
export {tokenize} from './tokenize.js';
export {compile} from './compile.js';
export type {Compiled, FuzzyExpansion, HighlightSpec} from './compile.js';
export {highlight, highlightParts, type HighlightRange} from './highlight.js';
export {Vocabulary, searchFields, type SeqSource, type VocabularyOptions} from './vocabulary.js';
export {packInIdleTime} from './idle-packing.js';

export type QueryOk = {
	ok: true;
	/** Undefined when the query is empty (or only spaces): no filter. Pass it to store.setFilter as is. */
	predicate: EventPredicate | undefined;
	highlights: HighlightSpec;
	/** The query in canonical form for the header (`filter: ns:payments sev>=5`); '' when empty. */
	describe: string;
	/** Bare words that were typo-expanded, and into what (`shdow` -> `shadow`), for a hint line. */
	fuzzy: FuzzyExpansion[];
	nodes: QueryNode[];
};

export type QueryFailure = {
	ok: false;
	/** What is wrong, in words. */
	error: string;
	/** 0-based index into the query text the error is about. */
	position: number;
};

export type QueryResult = QueryOk | QueryFailure;

/**
 * Parse and compile a query. On failure nothing changes: keep the filter that was active. Give the same
 * Vocabulary to every call (built with `{source: store.events}`) for typo-tolerant bare words.
 */
export function compileQuery(text: string, vocabulary?: Vocabulary): QueryResult {
	const parsed = parseQuery(text);
	if (!parsed.ok) return parsed;
	const compiled = compile(parsed.nodes, vocabulary);
	return {ok: true, ...compiled, nodes: parsed.nodes};
}

/** A query as `serve ?filter=` takes it: a predicate (every event passes an empty query), or the error. */
export function compilePredicate(text: string): {ok: true; predicate: EventPredicate} | {ok: false; error: string} {
	const result = compileQuery(text);
	return result.ok ? {ok: true, predicate: result.predicate ?? (() => true)} : {ok: false, error: result.error};
}
