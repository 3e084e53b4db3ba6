import {quoteValue} from './parse.js';

// Everything that narrows the list, as one value: the committed `/` query plus the single-key filters
// (o a s S n p x) and the karmor-style options. Each part is written in the query language, so the monitor,
// --filter and serve ?filter= share one grammar and one compiler.

export type FilterState = {
	/** The `/` prompt's committed query (or --filter). */
	query: string;
	operation?: string;
	action?: string;
	/** 0 = no minimum. */
	minSeverity: number;
	/** '' = host events, which have no namespace (the namespace picker's "(host)"). */
	namespace?: string;
	policy?: string;
	pod?: string;
	container?: string;
};

export const noFilter: FilterState = {query: '', minSeverity: 0};

/** The chips the header shows, one per active part, in the query language. */
export function filterChips(state: FilterState): string[] {
	const chips: string[] = [];
	if (state.query.trim()) chips.push(state.query.trim());
	if (state.namespace !== undefined) chips.push(`ns:=${quoteValue(state.namespace)}`);
	if (state.pod) chips.push(`pod:=${quoteValue(state.pod)}`);
	if (state.container) chips.push(`container:=${quoteValue(state.container)}`);
	if (state.policy) chips.push(`policy:=${quoteValue(state.policy)}`);
	if (state.operation) chips.push(`op:=${quoteValue(state.operation)}`);
	if (state.action) chips.push(`action:=${quoteValue(state.action)}`);
	if (state.minSeverity > 0) chips.push(`sev>=${state.minSeverity}`);
	return chips;
}

/** The whole filter as one query (tokens are ANDed). */
export function filterQuery(state: FilterState): string {
	return filterChips(state).join(' ');
}

export function isFiltered(state: FilterState): boolean {
	return filterChips(state).length > 0;
}

/** The next value in a cycle through `values` (the ones seen so far); after the last, back to none. */
export function cycle(current: string | undefined, values: readonly string[]): string | undefined {
	if (values.length === 0) return undefined;
	if (current === undefined) return values[0];
	const index = values.indexOf(current);
	return index === -1 || index === values.length - 1 ? undefined : values[index + 1];
}

/** s raises the minimum severity, S lowers it, within 0..10. */
export function stepSeverity(current: number, delta: number): number {
	return Math.min(10, Math.max(0, current + delta));
}
