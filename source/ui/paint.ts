import chalk from 'chalk';
import {highlight, highlightParts, type HighlightSpec} from '../query/index.js';

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
