import {memo} from 'react';
import type {Timeline} from '../../store/timeline.js';
import {clockTime, compact} from '../format.js';
import {dim, fitSpans, paint, selected as selectedStyle} from '../paint.js';
import {severityColor} from '../theme.js';
import {sizeLabel, timelineCells, type BarCell} from '../timeline-rows.js';
import {Line} from './line.js';
import {Pane} from './pane.js';

type Props = {
	timeline: Timeline;
	/** The bucket under the cursor (shown when focused). */
	cursor: number;
	width: number;
	height: number;
	focused: boolean;
};

/**
 * One row of bars as text: neighbouring cells of one band share one colour, so a row holds a few escape
 * sequences rather than one pair per cell (ink parses every one of them again in every frame).
 */
function barRow(row: readonly BarCell[], cursor: number | undefined): string {
	let line = '';
	let run = '';
	let band: BarCell['band'];
	const flush = () => {
		line += paint(band ? severityColor[band] : undefined, run);
		run = '';
	};

	for (const [column, cell] of row.entries()) {
		if (column === cursor) {
			flush();
			line += selectedStyle(cell.glyph);
			continue;
		}

		if (cell.band !== band) flush();
		band = cell.band;
		run += cell.glyph;
	}

	flush();
	return line;
}

/**
 * Events per time bucket, stacked by severity band, like lnav's histogram; ← → and Enter when focused. Drawn
 * again only when the timeline (counted again at most once a second), the cursor or the size changed.
 */
export const TimelinePane = memo(function TimelinePane({timeline, cursor, width, height, focused}: Props) {
	const inner = width - 2;
	const rows = Math.max(1, height - 3);
	const cells = timelineCells(timeline, rows);
	const bucket = timeline.buckets[cursor];
	const title = timeline.buckets.length === 0
		? 'Timeline'
		: `Timeline · ${sizeLabel(timeline.size)} buckets · peak ${compact(timeline.peak)}${focused && bucket ? ` · ${clockTime(bucket.start)} ${compact(bucket.total)} events (Enter: go there)` : ' (T: move along it)'}`;
	const first = timeline.buckets[0];
	const last = timeline.buckets.at(-1);
	const axis = first && last && last !== first ? `${clockTime(first.start)}${' '.repeat(Math.max(1, timeline.buckets.length - 16))}${clockTime(last.start)}` : first ? clockTime(first.start) : '';
	return (
		<Pane title={title} width={width} height={height} focused={focused}>
			{timeline.buckets.length === 0 ? (
				<Line width={inner}>{dim(' no events yet')}</Line>
			) : (
				[
					...cells.map((row, index) => (
						<Line key={index} width={inner}>
							{barRow(row.slice(0, inner), focused ? cursor : undefined)}
						</Line>
					)),
					<Line key="axis" width={inner}>
						{fitSpans([[axis, dim]], inner)}
					</Line>,
				]
			)}
		</Pane>
	);
});
