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

/** A part of a line that may be left out when the line is too narrow for all of it (see fitPieces). */
export type Piece = {
	spans: readonly Span[];
	/** Spaces before it; shrunk to `minGap` (default 1) before anything is left out. */
	gap?: number;
	minGap?: number;
	/** Pieces with a higher `keep` stay longer; without one a piece is always kept. */
	keep?: number;
	/**
	 * The fewest columns the piece is still worth (then it is cut with an ellipsis), for the last piece only:
	 * it takes its full width when that fits, else this much, else it is left out.
	 */
	atLeast?: number;
};

const spanColumns = (spans: readonly Span[], limit: number) => spans.reduce((sum, [text]) => sum + columnsUpTo(text, limit), 0);

/**
 * Pieces joined into one line of at most `width` columns. When they do not all fit, the padding between them
 * goes first, then the pieces least worth keeping, from the least up; what is kept stays in its order, and a
 * last piece that is still too long is cut with an ellipsis (fitSpans).
 */
export function fitPieces(pieces: readonly Piece[], width: number): string {
	const full = pieces.reduce((sum, piece) => sum + (piece.gap ?? 0) + spanColumns(piece.spans, width + 1), 0);
	const join = (kept: readonly Piece[], tight: boolean) =>
		fitSpans(
			kept.flatMap(({spans, gap = 0, minGap = 1}): Span[] => [[' '.repeat(tight ? Math.min(gap, minGap) : gap)], ...spans]),
			width,
		);
	if (full <= width) return join(pieces, false);

	const byWorth = pieces
		.map((piece, index) => ({piece, index}))
		.sort((a, b) => (b.piece.keep ?? Number.POSITIVE_INFINITY) - (a.piece.keep ?? Number.POSITIVE_INFINITY));
	const kept = new Set<number>();
	let used = 0;
	for (const {piece, index} of byWorth) {
		const gap = Math.min(piece.gap ?? 0, piece.minGap ?? 1);
		const size = spanColumns(piece.spans, width + 1);
		const need = gap + (used + gap + size > width && piece.atLeast !== undefined ? Math.min(size, piece.atLeast) : size);
		// The first piece that does not fit ends it: what is worth less goes before what is worth more.
		if (piece.keep !== undefined && used + need > width) break;
		kept.add(index);
		used += need;
	}

	return join(
		pieces.filter((_, index) => kept.has(index)),
		true,
	);
}
