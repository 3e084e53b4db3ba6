import {Box} from 'ink';
import {keyHelp} from '../keymap.js';
import {bold, dim, fitSpans, paint, type Span} from '../paint.js';
import {Line} from './line.js';
import {Pane} from './pane.js';

type Props = {width: number; height: number; scroll: number};

type HelpLine = {kind: 'title' | 'key' | 'note'; keys?: string; text: string};

/** The help as lines, generated from the same keymap table that handles input. */
export function helpLines(): HelpLine[] {
	return [
		...keyHelp(),
		{kind: 'note', text: 'Following: the selection stays on the newest event; move away and the list freezes (N new).'},
	];
}

/** How many lines the overlay can scroll by at a size (the App bounds j / k with it). */
export function helpOverflow(width: number, height: number): number {
	const columns = width >= 110 ? 2 : 1;
	return Math.max(0, Math.ceil(helpLines().length / columns) - Math.max(1, height - 2));
}

/** Two columns when there is room, one that scrolls with j / k when there is not. */
export function HelpOverlay({width, height, scroll}: Props) {
	const lines = helpLines();
	const columns = width >= 110 ? 2 : 1;
	const rows = Math.max(1, height - 2);
	const perColumn = Math.ceil(lines.length / columns);
	const columnWidth = Math.floor((width - 2) / columns);
	const keyWidth = Math.max(...lines.map(line => line.keys?.length ?? 0)) + 2;
	const top = Math.min(scroll, Math.max(0, perColumn - rows));
	const column = (start: number) =>
		lines.slice(start + top, start + Math.min(perColumn, top + rows)).map((line, index) => {
			const spans: Span[] =
				line.kind === 'key'
					? [[' '], [(line.keys ?? '').padEnd(keyWidth), keys => bold(paint('cyan', keys))], [line.text]]
					: [[` ${line.text}`, dim]];
			return (
				// eslint-disable-next-line react/no-array-index-key
				<Line key={index} width={columnWidth}>
					{fitSpans(spans, columnWidth)}
				</Line>
			);
		});
	const more = perColumn - top - rows;
	return (
		<Pane title={`Help (Esc or ? closes${more > 0 ? `, j ↓ ${more} more` : ''})`} width={width} height={height} focused>
			<Box flexDirection="row">
				<Box flexDirection="column" width={columnWidth}>
					{column(0)}
				</Box>
				{columns === 2 ? (
					<Box flexDirection="column" width={columnWidth}>
						{column(perColumn)}
					</Box>
				) : null}
			</Box>
		</Pane>
	);
}
