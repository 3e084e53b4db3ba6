import {severityBand} from '../../model/event.js';
import {sanitize} from '../../model/sanitize.js';
import type {Group} from '../../store/groups.js';
import {clockTime, compact, fit, severityCell, sparkline} from '../format.js';
import {dim, paint, selected as selectedBar} from '../paint.js';
import {severityColor} from '../theme.js';
import {Line} from './line.js';

type Props = {group: Group; width: number; selected: boolean; sparkWidth: number};

/** The text of a group's key values, '-' for an empty one. */
export function groupValues(group: Group): string {
	return group.values.map(value => (value === '' ? '-' : sanitize(value))).join(' · ');
}

/**
 * One group on one line: ×count, its per-minute sparkline, first and last seen, highest severity, key values.
 * Not memoized: a group is updated in place as its events arrive.
 */
export function GroupRow({group, width, selected, sparkWidth}: Props) {
	const count = `×${compact(group.count)}`.padStart(7);
	const spark = sparkline(group.minutes, sparkWidth);
	// First seen only where there is room for it: the last is what says whether the storm goes on.
	const times = width >= 90 ? `${clockTime(group.first)}–${clockTime(group.last)}` : clockTime(group.last);
	const severity = severityCell(group.severity);
	const fixed = 1 + count.length + 1 + spark.length + 1 + times.length + 1 + severity.length + 1;
	const values = fit(groupValues(group), Math.max(0, width - fixed));
	if (selected) return <Line width={width}>{selectedBar(`›${count} ${spark} ${times} ${severity} ${values}`)}</Line>;
	const line = [` ${count}`, paint('cyan', spark), dim(times), paint(severityColor[severityBand(group.severity)], severity), values].join(' ');
	return <Line width={width}>{line}</Line>;
}
