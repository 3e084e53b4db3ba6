import chalk from 'chalk';
import {highlight, highlightParts, type HighlightSpec} from '../query/index.js';
import {columnsUpTo, cutWithEllipsis} from './format.js';

// Rows drawn as one string with their colours inside, instead of a <Text> per coloured part: a frame of 40
// rows is then 40 ink nodes rather than several hundred, which is most of what a frame costs. chalk is the
// library ink itself colours with, so NO_COLOR / FORCE_COLOR / --no-color apply the same way.

type ColorName = keyof typeof chalk & string;

/** Colour a string by an ink colour name (`red`, `magentaBright`); unchanged without one. */
export function paint(color: string | undefined, text: string): string {
	if (!color || text === '') return text;
	const style = chalk[color as ColorName];
	return typeof style === 'function' ? (style as (text: string) => string)(text) : text;
}

/** A style that colours by an ink colour name (see paint). */
export const colour =
	(color: string | undefined) =>
	(text: string): string =>
		paint(color, text);

export const dim = (text: string): string => chalk.dim(text);
export const bold = (text: string): string => chalk.bold(text);
export const selected = (text: string): string => chalk.inverse.bold(text);

/** The filter's matches inside a (sanitized, sized) string, marked with a yellow background. */
export function mark(text: string, spec: HighlightSpec | undefined, field?: string): string {
	const ranges = spec ? highlight(text, spec, field) : [];
	if (ranges.length === 0) return text;
	return highlightParts(text, ranges)
		.map(part => (part.match ? chalk.bgYellow.black(part.text) : part.text))
		.join('');
}

/** A piece of a line: sanitized text and how to colour it. */
export type Span = readonly [text: string, style?: (text: string) => string];

/**
 * Spans joined into one line of at most `width` columns, each coloured by its style: when they are too long
 * the line is cut with an ellipsis, so ink never has to cut a string with colours inside.
 */
export function fitSpans(spans: readonly Span[], width: number): string {
	let line = '';
	let used = 0;
	const lastIndex = spans.findLastIndex(([text]) => text !== '');
	for (const [index, [text, style]] of spans.entries()) {
		if (text === '') continue;
		const size = columnsUpTo(text, width - used);
		// The last span may fill the line to the edge; any other must leave a column for the ellipsis.
		if (used + size <= (index === lastIndex ? width : width - 1)) {
			line += style ? style(text) : text;
			used += size;
			continue;
		}

		const cut = cutWithEllipsis(text, width - used);
		line += style ? style(cut) : cut;
		break;
	}

	return line;
}
