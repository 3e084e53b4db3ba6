import {Box} from 'ink';
import {sanitize} from '../../model/sanitize.js';
import type {GroupField} from '../../store/group-fields.js';
import type {Group} from '../../store/groups.js';
import {clockTime, compact, fit, severityCell} from '../format.js';
import {colour, dim, fitSpans} from '../paint.js';
import {DetailPane} from './detail-pane.js';
import {Line} from './line.js';
import {Pane} from './pane.js';

type Props = {
	group: Group | undefined;
	fields: readonly GroupField[];
	width: number;
	height: number;
	focused: boolean;
	scroll: number;
};

/** Rows the key pane takes for these fields: its border, the figures, a line per field. */
export function groupKeyHeight(fields: readonly GroupField[], height: number): number {
	return Math.min(fields.length + 3, Math.max(3, height - 4));
}

/** A group's key (a line per field) and figures, then its sample event (the most severe, latest) in full. */
export function GroupDetail({group, fields, width, height, focused, scroll}: Props) {
	const inner = width - 2;
	const keyHeight = groupKeyHeight(fields, height);
	const labelWidth = Math.min(14, Math.max(...fields.map(field => field.label.length)) + 1);
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Pane title={group ? `Group ×${compact(group.count)}` : 'Group'} width={width} height={keyHeight} focused={focused}>
				{group === undefined ? (
					<Line width={inner}>{dim(' no group selected')}</Line>
				) : (
					[
						<Line key="figures" width={inner}>
							{fitSpans([[` ${severityCell(group.severity)}  first ${clockTime(group.first)}  last ${clockTime(group.last)}`, dim]], inner)}
						</Line>,
						...fields.slice(0, keyHeight - 3).map((field, index) => (
							<Line key={field.name} width={inner}>
								{fitSpans([[` ${fit(field.label, labelWidth)}`, colour('cyan')], [group.values[index] === '' ? '-' : sanitize(group.values[index]!)]], inner)}
							</Line>
						)),
					]
				)}
			</Pane>
			<DetailPane event={group?.sample} width={width} height={height - keyHeight} focused={focused} scroll={scroll} spec={undefined} />
		</Box>
	);
}
