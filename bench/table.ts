/** One measured figure, next to the baseline it is compared with and the target it must meet. */
export type BenchRow = {
	/** What was measured, e.g. "ingest 100k events (split+parse+normalize+store+count)". */
	name: string;
	value: number;
	/** "events/s", "ms", "MB", "frames/s". */
	unit: string;
	/** A same-run baseline, e.g. a bare JSON.parse loop over the same lines. */
	baseline?: {name: string; value: number; unit: string};
	/** The target in words, e.g. ">= 150000 events/s and >= 0.6 x baseline". */
	target: string;
	pass: boolean;
};

/** A sorted copy's value at quantile q (0..1), nearest rank; NaN when empty. */
export function quantile(values: readonly number[], q: number): number {
	if (values.length === 0) return Number.NaN;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

function format(value: number | null): string {
	// A figure with nothing to measure (a median of no samples) is NaN, and null once it has come through JSON
	// from a child process: the table says so instead of failing.
	if (value === null || !Number.isFinite(value)) return 'n/a';
	if (value >= 1000) return Math.round(value).toLocaleString('en-US');
	if (value >= 10) return value.toFixed(1);
	return value.toFixed(2);
}

/** A Markdown table: paste-able into the README. */
export function renderTable(rows: BenchRow[]): string {
	const lines = [
		'| benchmark | figure | same-run baseline | ratio | target | ok |',
		'|---|---|---|---|---|---|',
	];
	for (const row of rows) {
		const baseline = row.baseline ? `${format(row.baseline.value)} ${row.baseline.unit} (${row.baseline.name})` : '';
		const ratio = row.baseline && row.baseline.value > 0 ? `${(row.value / row.baseline.value).toFixed(2)} x` : '';
		lines.push(
			`| ${row.name} | ${format(row.value)} ${row.unit} | ${baseline} | ${ratio} | ${row.target} | ${row.pass ? 'yes' : 'NO'} |`,
		);
	}

	return lines.join('\n');
}
