import {Box} from 'ink';
import {columns as columnsOf} from '../format.js';
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
		{kind: 'note', text: 'Following: the selection stays on the newest event;'},
		{kind: 'note', text: 'move away and the list freezes (N new).'},
	];
}

type HelpLayout = {
	lines: HelpLine[];
	columns: 1 | 2;
	/** Where the second column starts (lines.length with one column). */
	split: number;
	/** Rows the pane holds, and the lines of the longer column. */
	rows: number;
	perColumn: number;
	columnWidth: number;
	keyWidth: number;
};

/** The title nearest the middle, so that two columns come out as even as whole sections allow. */
function evenSplit(lines: HelpLine[]): number {
	let best = lines.length;
	for (const [index, line] of lines.entries()) {
		if (line.kind !== 'title' || index === 0) continue;
		if (Math.max(index, lines.length - index) < Math.max(best, lines.length - best)) best = index;
	}

	return best;
}

/**
 * How the help is laid out at a size. One column while every line fits in the height; two when they do not,
 * if the lines fit side by side uncut (the second starting at a section's title); otherwise one column that
 * scrolls (j ↓), every line whole. A line is only cut when it is wider than the whole screen.
 */
function helpLayout(width: number, height: number): HelpLayout {
	// The App asks at every frame (to bound j / k); the help only changes with the size.
	if (lastLayout?.width === width && lastLayout.height === height) return lastLayout.layout;
	const layout = layOut(width, height);
	lastLayout = {width, height, layout};
	return layout;
}

let lastLayout: {width: number; height: number; layout: HelpLayout} | undefined;

function layOut(width: number, height: number): HelpLayout {
	const lines = helpLines();
	const rows = Math.max(1, height - 2);
	const inner = width - 2;
	const keyWidth = Math.max(...lines.map(line => line.keys?.length ?? 0)) + 2;
	// Each line starts with a space; key lines put the keys in a column of their own.
	const widest = Math.max(...lines.map(line => 1 + (line.kind === 'key' ? keyWidth : 0) + columnsOf(line.text)));
	const columns = lines.length > rows && widest <= Math.floor(inner / 2) ? 2 : 1;
	const split = columns === 2 ? evenSplit(lines) : lines.length;
	const perColumn = Math.max(split, lines.length - split);
	return {lines, columns, split, rows, perColumn, columnWidth: Math.floor(inner / columns), keyWidth};
}

/** How many lines the overlay can scroll by at a size (the App bounds j / k with it). */
export function helpOverflow(width: number, height: number): number {
	const {perColumn, rows} = helpLayout(width, height);
	return Math.max(0, perColumn - rows);
}

export function HelpOverlay({width, height, scroll}: Props) {
	const {lines, columns, split, rows, perColumn, columnWidth, keyWidth} = helpLayout(width, height);
	const top = Math.min(scroll, Math.max(0, perColumn - rows));
	const column = (start: number, end: number) =>
		lines.slice(Math.min(end, start + top), Math.min(end, start + top + rows)).map((line, index) => {
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
		<Pane title={`Help (Esc or q closes${more > 0 ? `, j ↓ ${more} more` : ''})`} width={width} height={height} focused>
			<Box flexDirection="row">
				<Box flexDirection="column" width={columnWidth}>
					{column(0, split)}
				</Box>
				{columns === 2 ? (
					<Box flexDirection="column" width={columnWidth}>
						{column(split, lines.length)}
					</Box>
				) : null}
			</Box>
		</Pane>
	);
}
