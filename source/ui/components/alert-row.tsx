import {memo} from 'react';
import {severityBand, text, type MonitorEvent} from '../../model/event.js';
import type {HighlightSpec} from '../../query/index.js';
import {fitRow, type RowParts} from '../format.js';
import {rowWidth, type ListColumns} from '../list-columns.js';
import {bold, dim, mark, paint, selected as selectedBar} from '../paint.js';
import {actionColor, severityColor} from '../theme.js';
import {Line} from './line.js';

type Props = {
	event: MonitorEvent;
	/** Its cells (rowCells), fitted here to `widths`. */
	cells: RowParts;
	widths: ListColumns;
	selected: boolean;
	spec: HighlightSpec | undefined;
	/** A match of the find (f): marked in the selection's column. */
	matched?: boolean;
};

/** One event on one line: time, severity, action, operation, namespace/pod, process, resource or message. */
export const AlertRow = memo(function AlertRow({event, cells, widths, selected, spec, matched = false}: Props) {
	// The marker column shows the selection without colour too (NO_COLOR, monochrome terminals).
	const width = rowWidth(widths) + 1;
	const parts = fitRow(cells, widths);
	if (selected) {
		// One uniform bar: colours inside an inverted row turn it into a patchwork.
		const line = `›${parts.time} ${parts.severity} ${parts.action} ${parts.operation} ${parts.where} ${parts.process} ${parts.what}`;
		return <Line width={width}>{selectedBar(line)}</Line>;
	}

	const action = text(event, 'Action');
	const actionText = paint(actionColor(action), parts.action);
	const line = [
		// A match of the find (f) is marked in the selection's column.
		`${matched ? paint('yellow', '•') : ' '}${dim(parts.time)}`,
		paint(severityColor[severityBand(event.severity)], parts.severity),
		action === 'Block' ? bold(actionText) : actionText,
		mark(parts.operation, spec),
		paint('blue', mark(parts.where, spec)),
		mark(parts.process, spec),
		mark(parts.what, spec),
	].join(' ');
	return <Line width={width}>{line}</Line>;
});
