import {Text} from 'ink';
import {sanitize} from '../../model/sanitize.js';
import {compact} from '../format.js';
import {keymap} from '../keymap.js';

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

/** Paused / N new, malformed input, retention, and key hints from the keymap. */
export function Footer({paused, frozen, newCount, newBlock, malformed, lastProblem, retained, total, focus, columns}: Props) {
	let state = <Text color="green">● following</Text>;
	if (paused) {
		state = (
			<Text color="yellow" bold>
				⏸ paused: {compact(newCount)} new{newBlock > 0 ? <Text color="red"> ({compact(newBlock)} Block)</Text> : ` (0 Block)`}
			</Text>
		);
	} else if (frozen) {
		state = (
			<Text color="yellow" bold>
				{compact(newCount)} new{newBlock > 0 ? <Text color="red"> ({compact(newBlock)} Block)</Text> : null}
			</Text>
		);
	}

	return (
		<Text wrap="truncate-end">
			{' '}
			{state}
			{focus === 'detail' ? <Text color="cyan"> · detail (Esc back)</Text> : null}
			{malformed > 0 ? <Text color="red"> · {compact(malformed)} malformed</Text> : null}
			{total > retained ? <Text dimColor> · retained {compact(retained)} of {compact(total)}</Text> : null}
			<Text dimColor>
				{'   '}
				{columns >= 100 ? hints : narrowHints}
			</Text>
			{/* The reason for the last rejected input comes last: it is the longest and the first to be cut. */}
			{malformed > 0 && lastProblem && columns >= 100 ? <Text color="red">{`   last: ${sanitize(lastProblem)}`}</Text> : null}
		</Text>
	);
}
