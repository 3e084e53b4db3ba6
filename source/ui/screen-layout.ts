// The screen's panes for a terminal size: pure, so every size is tested without Ink.

/** The list keeps at least this much beside the detail pane: what it has on an 80-column terminal. */
const listColumnsBeside = 80;
/** The detail pane beside the list: enough for a label and a value, and no wider than its values need. */
const detailMinColumns = 40;
const detailMaxColumns = 64;
/**
 * Wide terminals put the detail pane beside the list, from where the list keeps the width of an 80-column
 * screen; narrower ones put it under, full screen when focused.
 */
export const sideBySideColumns = listColumnsBeside + detailMinColumns;
/** Below this the panes cannot hold a list row and a line of detail: the screen says so instead. */
export const minColumns = 40;
export const minRows = 10;
/** The timeline's pane: its border, three rows of bars and a row of times. */
export const timelineHeight = 6;
/** `auto` shows the timeline from this many rows: below, the list needs them more. */
export const timelineAutoRows = 50;

export type PaneSize = {width: number; height: number};

export type ScreenLayout = {
	/** Too small for the panes: the screen says so instead. */
	tooSmall: boolean;
	header: number;
	footer: number;
	/** Everything between the header and the footer (the help overlay and pickers take it whole). */
	body: PaneSize;
	/** Height 0 when not shown. */
	timeline: PaneSize;
	/** Height 0 when the detail pane takes a narrow screen. */
	list: PaneSize;
	detail: PaneSize;
	/** The detail pane beside the list (else under it). */
	sideBySide: boolean;
	/** Rows of the list pane inside its border. */
	listRows: number;
	/** Rows of the detail pane inside its border. */
	detailRows: number;
};

export type LayoutInput = {
	columns: number;
	rows: number;
	detailFocused: boolean;
	/** Rows the footer takes (2 while the prompt shows an error). */
	footerHeight: number;
	/** Whether to show the timeline: `auto` when there is room. */
	timeline: 'auto' | 'on' | 'off';
};

/**
 * Every pane's size. The root is one row shorter than the terminal: a full-height frame makes ink clear the
 * screen on every frame (flicker).
 */
export function screenLayout({columns, rows, detailFocused, footerHeight, timeline}: LayoutInput): ScreenLayout {
	const header = columns < 60 ? 1 : 3;
	const bodyHeight = Math.max(4, rows - 1 - header - footerHeight);
	const showTimeline = timeline === 'on' ? bodyHeight >= timelineHeight + 4 : timeline === 'auto' && rows >= timelineAutoRows;
	const timelineRows = showTimeline ? timelineHeight : 0;
	const panes = bodyHeight - timelineRows;
	const sideBySide = columns >= sideBySideColumns;
	const detailBeside = Math.min(detailMaxColumns, columns - listColumnsBeside, Math.max(detailMinColumns, Math.round(columns * 0.4)));
	const listWidth = sideBySide ? columns - detailBeside : columns;
	let listHeight = panes;
	let detailHeight = panes;
	if (!sideBySide) {
		listHeight = detailFocused ? 0 : Math.max(3, Math.ceil(panes * 0.55));
		detailHeight = detailFocused ? panes : panes - listHeight;
	}

	return {
		tooSmall: columns < minColumns || rows < minRows,
		header,
		footer: footerHeight,
		body: {width: columns, height: bodyHeight},
		timeline: {width: columns, height: timelineRows},
		list: {width: listWidth, height: listHeight},
		detail: {width: sideBySide ? columns - listWidth : columns, height: detailHeight},
		sideBySide,
		listRows: Math.max(1, listHeight - 2),
		detailRows: Math.max(1, detailHeight - 2),
	};
}
