import {sanitize} from '../../model/sanitize.js';
import {compact} from '../format.js';
import {keymap} from '../keymap.js';
import {bold, colour, dim, fitSpans, paint, type Span} from '../paint.js';
import {Line} from './line.js';

type Props = {
	paused: boolean;
	frozen: boolean;
	newCount: number;
	newBlock: number;
	malformed: number;
	lastProblem: string | undefined;
	retained: number;
	total: number;
	focus: 'list' | 'detail';
	columns: number;
};

const allHints = keymap.flatMap(binding => (binding.hint ? [binding.hint] : []));
const hints = allHints.join('  ');
/** Narrow terminals keep the hints that lead to the rest: the help, filtering, and the way out. */
const narrowHints = keymap
	.filter(binding => ['search', 'help', 'quit'].includes(binding.command))
	.flatMap(binding => (binding.hint ? [binding.hint] : []))
	.join('  ');

const warn = (text: string) => bold(paint('yellow', text));

/** Paused / N new, malformed input, retention, and key hints from the keymap, cut to the width. */
export function Footer({paused, frozen, newCount, newBlock, malformed, lastProblem, retained, total, focus, columns}: Props) {
	const blocked: Span = newBlock > 0 ? [` (${compact(newBlock)} Block)`, colour('red')] : [paused ? ' (0 Block)' : '', warn];
	let state: Span[] = [['● following', colour('green')]];
	if (paused) state = [[`⏸ paused: ${compact(newCount)} new`, warn], blocked];
	else if (frozen) state = [[`${compact(newCount)} new`, warn], blocked];

	const spans: Span[] = [
		[' '],
		...state,
		[focus === 'detail' ? ' · detail (Esc back)' : '', colour('cyan')],
		[malformed > 0 ? ` · ${compact(malformed)} malformed` : '', colour('red')],
		[total > retained ? ` · retained ${compact(retained)} of ${compact(total)}` : '', dim],
		[`   ${columns >= 100 ? hints : narrowHints}`, dim],
		// The reason for the last rejected input comes last: it is the longest and the first to be cut.
		[malformed > 0 && lastProblem && columns >= 100 ? `   last: ${sanitize(lastProblem)}` : '', colour('red')],
	];
	return <Line width={columns}>{fitSpans(spans, columns)}</Line>;
}
