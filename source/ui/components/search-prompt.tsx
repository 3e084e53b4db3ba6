import {Box} from 'ink';
import chalk from 'chalk';
import {sanitize} from '../../model/sanitize.js';
import {columns} from '../format.js';
import type {PromptState} from '../hooks/use-prompt-line.js';
import {visibleLine} from '../line-editor.js';
import {bold, colour, dim, fitSpans} from '../paint.js';
import {Line} from './line.js';

type Props = {
	prompt: PromptState;
	columns: number;
	/** What the line starts with: `/` for the filter, `find ` for the find. */
	lead?: string;
	hint?: string;
};

/** The `/` prompt at the bottom, as in less and vim, with its cursor; an invalid query shows what is wrong under it. */
export function SearchPrompt({prompt, columns: width, lead = '/', hint = 'Enter keep · Esc restore · ↑ recall'}: Props) {
	// The '/' and the hint's first column (an ellipsis when the hint is cut) take two columns.
	const {before, at, after, hidden} = visibleLine(prompt, Math.max(1, width - 1 - columns(lead)));
	const line = fitSpans(
		[[lead, slash => bold(colour('cyan')(slash))], [before], [at, chalk.inverse], [after], [`   ${hint}`, dim]],
		width,
	);
	// The caret under the error's place, counted in columns of the text as drawn.
	const caret = prompt.error ? columns(lead) + Math.max(0, columns(sanitize(prompt.text.slice(0, prompt.error.position))) - hidden) : 0;
	const error = prompt.error
		? `${' '.repeat(Math.min(caret, Math.max(0, width - 10)))}^ ${sanitize(prompt.error.message)}`
		: undefined;
	return (
		<Box flexDirection="column" width={width}>
			<Line width={width}>{line}</Line>
			{error === undefined ? null : <Line width={width}>{fitSpans([[error, colour('red')]], width)}</Line>}
		</Box>
	);
}
