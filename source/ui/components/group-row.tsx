import {memo} from 'react';
import {severityBand} from '../../model/event.js';
import {sanitize} from '../../model/sanitize.js';
import type {Group} from '../../store/groups.js';
import {clockTime, compact, fit, severityCell, sparkline} from '../format.js';
import {dim, paint, selected as selectedBar} from '../paint.js';
import {severityColor} from '../theme.js';
import {Line} from './line.js';

type Props = {
	group: Group;
	/**
	 * The group's count: it is updated in place as its events arrive, and every change counts one more event,
	 * so the row is drawn again exactly when this changes (or the width, or the selection).
	 */
	count: number;
	width: number;
	selected: boolean;
	sparkWidth: number;
};

/** The text of a group's key values, '-' for an empty one. */
export function groupValues(group: Group): string {
	return group.values.map(value => (value === '' ? '-' : sanitize(value))).join(' · ');
}

// A group's key never changes: its values are sanitized and fitted once per width, not at every count.
const fitted = new WeakMap<Group, {width: number; text: string}>();

function fittedValues(group: Group, width: number): string {
	const known = fitted.get(group);
	if (known?.width === width) return known.text;
	const text = fit(groupValues(group), width);
	fitted.set(group, {width, text});
	return text;
}

/** One group on one line: ×count, its per-minute sparkline, first and last seen, highest severity, key values. */
export const GroupRow = memo(function GroupRow({group, count, width, selected, sparkWidth}: Props) {
	const counted = `×${compact(count)}`.padStart(7);
	const spark = sparkline(group.minutes, sparkWidth);
	// First seen only where there is room for it: the last is what says whether the storm goes on.
	const times = width >= 90 ? `${clockTime(group.first)}–${clockTime(group.last)}` : clockTime(group.last);
	const severity = severityCell(group.severity);
	const fixed = 1 + counted.length + 1 + spark.length + 1 + times.length + 1 + severity.length + 1;
	const values = fittedValues(group, Math.max(0, width - fixed));
	if (selected) return <Line width={width}>{selectedBar(`›${counted} ${spark} ${times} ${severity} ${values}`)}</Line>;
	const line = [` ${counted}`, paint('cyan', spark), dim(times), paint(severityColor[severityBand(group.severity)], severity), values].join(' ');
	return <Line width={width}>{line}</Line>;
});
