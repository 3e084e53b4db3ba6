import {Transform} from 'ink';
import {createContext, useContext} from 'react';
import {markedWidth, type RowPainter} from '../row-painter.js';

/**
 * The painter of the DiffOutput the screen is drawn through (run-tui.tsx). Without one (ink-testing-library, a
 * plain stream) lines go through ink's frame as they always did.
 */
export const RowPainterContext = createContext<RowPainter | undefined>(undefined);

type Props = {
	/** Columns the line takes; `children` must already fit them (see fitSpans / fit). */
	width: number;
	/** One row of text, colours inside, no newline. */
	children: string;
};

/**
 * One terminal row of `width` columns. Ink lays out and measures a blank stand-in of that width, and the
 * transform swaps in the real line as the frame is drawn. Why not <Text>{line}</Text>:
 * - ink 6 keeps every string it measures or wraps in caches that are never emptied (vadimdemedes/ink#986): a
 *   monitor drawing thousands of new rows a minute grew without end. Blank stand-ins are a handful of strings.
 * - measuring a line with one non-ASCII character in it (a severity glyph, an ellipsis, a box corner) runs
 *   string-width's grapheme segmenter over the whole line; a blank stand-in takes its ASCII fast path. That was
 *   a fifth of a frame's render time.
 * The text must already fit: ink never sees it to wrap or cut it.
 *
 * Plain spaces at the end (a padded last column) are left to ink's blank cells: ink splits every line of every
 * frame into graphemes, so a row's padding cost as much as its text, and the frame it writes is the same.
 * Spaces inside a colour (the selection's bar) end in its reset code, so they stay.
 *
 * With a painter (RowPainterContext), ink gets a marker in place of the text and the screen model draws the text
 * (see row-painter.ts).
 */
export function Line({width, children}: Props) {
	const painter = useContext(RowPainterContext);
	const shown = children.endsWith(' ') ? children.replace(/ +$/, '') : children;
	// Marked when ink draws the frame, not here: a render ink never draws must not hold a marker's text.
	const marked = painter !== undefined && width >= markedWidth && shown !== '';
	return (
		<Transform transform={marked ? () => painter.mark(shown) : () => shown} accessibilityLabel={children}>
			{' '.repeat(Math.max(0, width))}
		</Transform>
	);
}
