import {memo} from 'react';
import {sanitize} from '../../model/sanitize.js';
import type {GroupField} from '../../store/group-fields.js';
import type {Group} from '../../store/groups.js';
import {clockTime, compact, fit, severityCell} from '../format.js';
import {colour, dim, fitSpans} from '../paint.js';
import {Line} from './line.js';
import {Pane} from './pane.js';

type Props = {
	group: Group | undefined;
	/**
	 * The group's count: the group is updated in place, and every change to what this pane shows counts one
	 * more event, so the pane is drawn again exactly when this changes (or the group, the size, the focus).
	 */
	count: number;
	fields: readonly GroupField[];
	/** Columns for the label column. */
	labelWidth: number;
	width: number;
	height: number;
	focused: boolean;
};

/** A group's figures and its key, a line per field: unchanged between notifications that did not add to it. */
export const GroupKey = memo(function GroupKey({group, count, fields, labelWidth, width, height, focused}: Props) {
	const inner = width - 2;
	return (
		<Pane title={group ? `Group ×${compact(count)}` : 'Group'} width={width} height={height} focused={focused}>
			{group === undefined ? (
				<Line width={inner}>{dim(' no group selected')}</Line>
			) : (
				[
					<Line key="figures" width={inner}>
						{fitSpans([[` ${severityCell(group.severity)}  first ${clockTime(group.first)}  last ${clockTime(group.last)}`, dim]], inner)}
					</Line>,
					...fields.slice(0, height - 3).map((field, index) => (
						<Line key={field.name} width={inner}>
							{fitSpans([[` ${fit(field.label, labelWidth)}`, colour('cyan')], [group.values[index] === '' ? '-' : sanitize(group.values[index]!)]], inner)}
						</Line>
					)),
				]
			)}
		</Pane>
	);
});
