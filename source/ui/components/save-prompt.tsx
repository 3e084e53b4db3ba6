import {Box} from 'ink';
import chalk from 'chalk';
import {sanitize} from '../../model/sanitize.js';
import type {SaveState} from '../hooks/use-act.js';
import {visibleLine} from '../line-editor.js';
import {bold, colour, dim, fitSpans} from '../paint.js';
import {Line} from './line.js';

type Props = {save: SaveState; columns: number};

/** The `w` prompt at the bottom: the file name to edit, or, when it exists, whether to replace it. */
export function SavePrompt({save, columns}: Props) {
	const label = save.what === 'policy' ? 'Save the policy to: ' : 'Save the view to: ';
	if (save.exists) {
		const line = fitSpans([[`${sanitize(save.exists)} exists: replace it? `, colour('yellow')], ['y replace · n keep it', dim]], columns);
		return <Line width={columns}>{line}</Line>;
	}

	if (save.writing) return <Line width={columns}>{fitSpans([[`Writing ${sanitize(save.line.text)}…`, dim]], columns)}</Line>;
	const hint = '   Enter save · Esc cancel';
	const {before, at, after} = visibleLine(save.line, Math.max(1, columns - label.length - hint.length - 1));
	const line = fitSpans([[label, text => bold(colour('cyan')(text))], [before], [at, chalk.inverse], [after], [hint, dim]], columns);
	return (
		<Box flexDirection="column" width={columns}>
			<Line width={columns}>{line}</Line>
			{save.error ? <Line width={columns}>{fitSpans([[save.error, colour('red')]], columns)}</Line> : null}
		</Box>
	);
}
