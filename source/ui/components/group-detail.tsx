import {Box} from 'ink';
import type {GroupField} from '../../store/group-fields.js';
import type {Group} from '../../store/groups.js';
import {DetailPane} from './detail-pane.js';
import {GroupKey} from './group-key.js';

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
	const keyHeight = groupKeyHeight(fields, height);
	const labelWidth = Math.min(14, Math.max(...fields.map(field => field.label.length)) + 1);
	return (
		<Box flexDirection="column" width={width} height={height}>
			<GroupKey group={group} count={group?.count ?? 0} fields={fields} labelWidth={labelWidth} width={width} height={keyHeight} focused={focused} />
			<DetailPane event={group?.sample} width={width} height={height - keyHeight} focused={focused} scroll={scroll} spec={undefined} />
		</Box>
	);
}
