import {createElement} from 'react';

type Props = {
	/** Columns the line takes; `text` must already fit them (see fitSpans / fit). */
	width: number;
	/** One row of text, colours inside, no newline. */
	children: string;
};

/**
 * One terminal row of exactly `width` columns. Ink's <Text> lets Yoga measure its string, and ink keeps every
 * string it ever measured or wrapped in caches that are never emptied (vadimdemedes/ink#986): a monitor that
 * shows thousands of new rows a minute grows without end. This is the same `ink-text` element <Text> renders,
 * but with a fixed width and height, so Yoga never asks for a measurement, and with text that already fits,
 * so ink never wraps or truncates it. That is also less work per frame.
 */
export function Line({width, children}: Props) {
	return createElement(
		'ink-text',
		{style: {width, height: 1, flexGrow: 0, flexShrink: 0, flexDirection: 'row', textWrap: 'truncate-end'}},
		children,
	);
}
