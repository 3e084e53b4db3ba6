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

const hints = keymap
	.filter(binding => binding.hint)
	.map(binding => binding.hint)
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
				{hints}
			</Text>
			{/* The reason for the last rejected input comes last: it is the longest and the first to be cut. */}
			{malformed > 0 && lastProblem && columns >= 100 ? <Text color="red">{`   last: ${sanitize(lastProblem)}`}</Text> : null}
		</Text>
	);
}
