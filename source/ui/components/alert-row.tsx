import {Text} from 'ink';
import {memo} from 'react';
import {severityBand, text, type MonitorEvent} from '../../model/event.js';
import type {HighlightSpec} from '../../query/index.js';
import {rowParts} from '../format.js';
import {actionColor, severityColor} from '../theme.js';
import {Marked} from './marked.js';

type Props = {event: MonitorEvent; width: number; selected: boolean; spec: HighlightSpec | undefined};

/** One event on one line: time, severity, action, operation, namespace/pod, process, resource or message. */
export const AlertRow = memo(function AlertRow({event, width, selected, spec}: Props) {
	// The marker column shows the selection without colour too (NO_COLOR, monochrome terminals).
	const parts = rowParts(event, width - 1);
	if (selected) {
		// One uniform bar: colours inside an inverted row turn it into a patchwork.
		return (
			<Text inverse bold wrap="truncate">
				›{parts.time} {parts.severity} {parts.action} {parts.operation} {parts.where} {parts.process} {parts.what}
			</Text>
		);
	}

	return (
		<Text wrap="truncate">
			{' '}
			<Text dimColor>{parts.time}</Text> <Text color={severityColor[severityBand(event.severity)]}>{parts.severity}</Text>{' '}
			<Text color={actionColor(text(event, 'Action'))} bold={text(event, 'Action') === 'Block'}>
				{parts.action}
			</Text>{' '}
			<Marked text={parts.operation} spec={spec} />{' '}
			<Text color="blue">
				<Marked text={parts.where} spec={spec} />
			</Text>{' '}
			<Marked text={parts.process} spec={spec} /> <Marked text={parts.what} spec={spec} />
		</Text>
	);
});
