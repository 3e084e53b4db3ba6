import {severityBand, text, type MonitorEvent} from '../../model/event.js';
import type {HighlightSpec} from '../../query/index.js';
import {detailLines, layoutDetail, type DetailRow} from '../detail-lines.js';
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
};

let lastLayout: {event: MonitorEvent; inner: number; rows: DetailRow[]} | undefined;

/**
 * The selected event laid out for the pane, kept until the selection or the width changes: the App (to bound
 * scrolling) and the pane ask every frame, and a long value takes real time to wrap. One entry, so memory stays
 * what one event's layout needs however many events are looked at.
 */
function detailRows(event: MonitorEvent, inner: number): DetailRow[] {
	if (lastLayout?.event !== event || lastLayout.inner !== inner) {
		lastLayout = {event, inner, rows: layoutDetail(detailLines(event), inner)};
	}

	return lastLayout.rows;
}

/** Number of laid-out rows for an event at a pane width: the App uses it to bound scrolling. */
export function detailRowCount(event: MonitorEvent | undefined, width: number): number {
	return event ? detailRows(event, width - 2).length : 0;
}

/** Every field of the selected event, grouped, wrapped to the pane; scrolls when focused. */
export function DetailPane({event, width, height, focused, scroll, spec}: Props) {
	const inner = width - 2;
	const rows = event ? detailRows(event, inner) : [];
	const visible = Math.max(0, height - 2);
	const top = Math.max(0, Math.min(scroll, rows.length - visible));
	const more = rows.length - top - visible;
	const title = event ? `Detail #${event.seq}${more > 0 ? `  ↓ ${more} more` : ''}` : 'Detail';
	return (
		<Pane title={title} width={width} height={height} focused={focused}>
			{event === undefined ? (
				<Line width={inner}>{dim(' no event selected')}</Line>
			) : (
				rows.slice(top, top + visible).map((row, index) => {
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
}
