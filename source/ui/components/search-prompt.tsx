import {Box} from 'ink';
import chalk from 'chalk';
import {sanitize} from '../../model/sanitize.js';
import {ellipsizeStart} from '../format.js';
import type {PromptState} from '../hooks/use-filter.js';
import {bold, colour, dim, fitSpans} from '../paint.js';
import {Line} from './line.js';

type Props = {prompt: PromptState; columns: number};

/** The `/` prompt at the bottom, as in less and vim; an invalid query shows what is wrong under it. */
export function SearchPrompt({prompt, columns}: Props) {
	// A long query keeps its end in view, where the cursor is; the '/', the cursor and the hint's first column
	// (an ellipsis when the hint is cut) take three columns.
	const text = ellipsizeStart(sanitize(prompt.text), Math.max(1, columns - 3));
	const line = fitSpans(
		[['/', slash => bold(colour('cyan')(slash))], [text], [' ', chalk.inverse], ['   Enter keep · Esc restore · ↑↓ history', dim]],
		columns,
	);
	const error = prompt.error
		? `${' '.repeat(Math.min(prompt.error.position + 1, Math.max(0, columns - 10)))}^ ${sanitize(prompt.error.message)}`
		: undefined;
	return (
		<Box flexDirection="column" width={columns}>
			<Line width={columns}>{line}</Line>
			{error === undefined ? null : <Line width={columns}>{fitSpans([[error, colour('red')]], columns)}</Line>}
		</Box>
	);
}
