import {memo} from 'react';
import {severityBand, text, type MonitorEvent} from '../../model/event.js';
import type {HighlightSpec} from '../../query/index.js';
import {DetailLayout, detailLines} from '../detail-lines.js';
import {rawRows} from '../raw-lines.js';
import {actionColor, severityColor} from '../theme.js';
import {bold, dim, fitSpans, mark, paint} from '../paint.js';
import {Line} from './line.js';
import {Pane} from './pane.js';

type Props = {
	event: MonitorEvent | undefined;
	width: number;
	height: number;
	focused: boolean;
	/** First detail row shown (the pane scrolls when focused). */
	scroll: number;
	spec: HighlightSpec | undefined;
	/** The event's JSON as received instead of the grouped fields. */
	raw?: boolean;
};

let lastLayout: {event: MonitorEvent; inner: number; layout: DetailLayout} | undefined;
let lastRaw: {event: MonitorEvent; inner: number; rows: string[]} | undefined;

/** The raw view's rows, kept as the grouped rows are. */
function rawDetailRows(event: MonitorEvent, inner: number): string[] {
	if (lastRaw?.event !== event || lastRaw.inner !== inner) lastRaw = {event, inner, rows: rawRows(event, inner)};
	return lastRaw.rows;
}

/**
 * The selected event laid out for the pane, kept until the selection or the width changes: the App (to bound
 * scrolling) and the pane ask every frame. Wrapped lazily, only as far as the rows shown and a little beyond,
 * so following a stream of 1 MB events costs what following small ones does. One entry, so memory stays what
 * one event's layout needs however many events are looked at.
 */
function detailLayout(event: MonitorEvent, inner: number): DetailLayout {
	if (lastLayout?.event !== event || lastLayout.inner !== inner) {
		lastLayout = {event, inner, layout: new DetailLayout(detailLines(event), inner)};
	}

	return lastLayout.layout;
}

/** Rows laid out ahead of the last one shown, to say how many more there are ("↓ 12 more", or "↓ 100+ more"). */
const lookahead = 100;

/**
 * Rows of an event's layout at a pane width, counted at most up to `limit`: the App bounds scrolling with it,
 * asking a screenful beyond where the pane is, so a huge value is wrapped only as far as someone scrolls.
 */
export function detailRowCount(event: MonitorEvent | undefined, width: number, limit: number, raw = false): number {
	if (raw && event) return rawDetailRows(event, width - 2).length;
	return event ? detailLayout(event, width - 2).countUpTo(limit) : 0;
}

/**
 * Every field of the selected event, grouped, wrapped to the pane; scrolls when focused. Memo: a stored event
 * never changes, so the pane is drawn again only for another event, size, scroll or highlight.
 */
export const DetailPane = memo(function DetailPane({event, width, height, focused, scroll, spec, raw = false}: Props) {
	const inner = width - 2;
	if (raw && event) return <RawDetail event={event} width={width} height={height} focused={focused} scroll={scroll} />;
	const visible = Math.max(0, height - 2);
	const layout = event ? detailLayout(event, inner) : undefined;
	const limit = scroll + visible + lookahead;
	// One past the limit: more than that many reads "100+", exactly that many reads as the count.
	const known = layout ? layout.countUpTo(limit + 1) : 0;
	const top = Math.max(0, Math.min(scroll, known - visible));
	const rows = layout ? layout.rows(top, visible) : [];
	const more = Math.min(known, limit) - top - visible;
	const moreText = more <= 0 ? '' : `  ↓ ${more.toLocaleString('en-US')}${known > limit ? '+' : ''} more`;
	const title = event ? `Detail #${event.seq}${moreText}` : 'Detail';
	return (
		<Pane title={title} width={width} height={height} focused={focused}>
			{event === undefined ? (
				<Line width={inner}>{dim(' no event selected')}</Line>
			) : (
				rows.map((row, index) => {
					const tone =
						row.tone === 'severity'
							? severityColor[severityBand(event.severity)]
							: row.tone === 'action'
								? actionColor(text(event, 'Action'))
								: undefined;
					const field = row.field === 'who' ? 'ProcessName' : row.field;
					const line =
						row.kind === 'section'
							? fitSpans([[row.label, label => bold(paint('cyan', label))]], inner)
							: fitSpans([[row.label, dim], [' '], [row.value, value => paint(tone, mark(value, spec, field))]], inner);
					return (
						// eslint-disable-next-line react/no-array-index-key
						<Line key={index} width={inner}>
							{line}
						</Line>
					);
				})
			)}
		</Pane>
	);
});

/** The event's JSON exactly as received, pretty-printed and sanitized, scrolled like the fields. */
function RawDetail({event, width, height, focused, scroll}: {event: MonitorEvent; width: number; height: number; focused: boolean; scroll: number}) {
	const inner = width - 2;
	const rows = rawDetailRows(event, inner);
	const visible = Math.max(0, height - 2);
	const top = Math.max(0, Math.min(scroll, rows.length - visible));
	const more = rows.length - top - visible;
	return (
		<Pane title={`Raw #${event.seq}${more > 0 ? `  ↓ ${more} more` : ''}  (r fields)`} width={width} height={height} focused={focused}>
			{rows.slice(top, top + visible).map((row, index) => (
				// eslint-disable-next-line react/no-array-index-key
				<Line key={index} width={inner}>
					{fitSpans([[row]], inner)}
				</Line>
			))}
		</Pane>
	);
}
