import {memo} from 'react';
import {sanitize} from '../../model/sanitize.js';
import {compact} from '../format.js';
import {keymap} from '../keymap.js';
import {bold, colour, dim, fitPieces, paint, type Piece, type Span} from '../paint.js';
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
	/** What the last action did (copied, written, a write error in words); already sanitized. */
	notice?: {text: string; error: boolean};
	/** Set while the memory bound keeps fewer events than --max-alerts (EventStore.memoryNotice); says so instead of the retention. */
	memoryNotice?: string;
};

/** The hints that lead to the rest (the help, filtering, the way out) stay longest when the line is short. */
const primaryHints = new Set(['search', 'help', 'quit']);
const hints = keymap.flatMap(binding =>
	binding.hint ? [{command: binding.command, hint: binding.hint, primary: primaryHints.has(binding.command)}] : [],
);

const warn = (text: string) => bold(paint('yellow', text));

/**
 * Paused / N new, malformed input, retention, key hints from the keymap, and the reason the last input was
 * rejected. When the line is short, padding goes first, then the hints, then retention; the reason stays
 * (it tells what is wrong with the input) and is cut last.
 */
/** Memo: its props are plain values, and most frames (the stream while following) leave them as they were. */
export const Footer = memo(function Footer({paused, frozen, newCount, newBlock, malformed, lastProblem, retained, total, focus, columns, notice, memoryNotice}: Props) {
	const blocked: Span = newBlock > 0 ? [` (${compact(newBlock)} Block)`, colour('red')] : [paused ? ' (0 Block)' : '', warn];
	let state: Span[] = [['● following', colour('green')]];
	if (paused) state = [[`⏸ paused: ${compact(newCount)} new`, warn], blocked];
	else if (frozen) state = [[`${compact(newCount)} new`, warn], blocked];

	const problem = malformed > 0 && lastProblem ? `last: ${sanitize(lastProblem)}` : '';
	const pieces: Piece[] = [
		{spans: [[' '], ...state]},
		{spans: [[focus === 'detail' ? ' · detail (Esc back)' : '', colour('cyan')]]},
		// What the key just pressed did (copied, written, why not): always kept, the hints give way.
		{spans: [[notice ? ` · ${notice.text}` : '', notice?.error ? colour('red') : colour('green')]]},
		{spans: [[malformed > 0 ? ` · ${compact(malformed)} malformed` : '', colour('red')]]},
		memoryNotice
			? {spans: [[` · ${memoryNotice}`, warn]], keep: 3}
			: {spans: [[total > retained ? ` · retained ${compact(retained)} of ${compact(total)}` : '', dim]], keep: 3},
		...hints.map(({hint, primary}, index): Piece => ({spans: [[hint, dim]], gap: index === 0 ? 3 : 2, minGap: 2, keep: primary ? 2 : 1})),
		// Its full width when that fits, else what is left down to a useful start of it.
		...(problem ? [{spans: [[problem, colour('red')]] as Span[], gap: 3, minGap: 2, keep: 4, atLeast: 32}] : []),
	];
	return <Line width={columns}>{fitPieces(pieces, columns)}</Line>;
});
