import chalk from 'chalk';
import {sanitize} from '../../model/sanitize.js';
import {compact, fit} from '../format.js';
import {visibleLine, type LineState} from '../line-editor.js';
import {colour, dim, fitSpans} from '../paint.js';
import type {PickerItem} from '../picker-items.js';
import {Line} from './line.js';
import {Pane} from './pane.js';

type Props = {
	title: string;
	line: LineState;
	items: PickerItem[];
	selected: number;
	width: number;
	height: number;
};

/** A fuzzy-searchable list of values with their counts; Enter picks, Esc closes. */
export function Picker({title, line, items, selected, width, height}: Props) {
	const inner = width - 2;
	const rows = Math.max(1, height - 4);
	const start = selected < rows ? 0 : selected - rows + 1;
	const countWidth = 8;
	const valueWidth = Math.max(1, inner - 3 - countWidth);
	const {before, at, after} = visibleLine(line, Math.max(1, inner - 10));
	const search = fitSpans([[' search: ', colour('cyan')], [before], [at, chalk.inverse], [after]], inner);
	return (
		<Pane title={title} width={width} height={height} focused>
			<Line width={inner}>{search}</Line>
			{items.length === 0 ? (
				<Line width={inner}>{dim(' nothing matches')}</Line>
			) : (
				items.slice(start, start + rows).map((item, index) => {
					const chosen = start + index === selected;
					const row = `${chosen ? '›' : ' '}${fit(sanitize(item.label), valueWidth)}${(item.count === undefined ? '' : compact(item.count)).padStart(countWidth)}`;
					return (
						<Line key={item.value} width={inner}>
							{fitSpans([[' '], [row, chosen ? chalk.inverse : undefined]], inner)}
						</Line>
					);
				})
			)}
		</Pane>
	);
}
