import {Box, Text} from 'ink';
import {Fragment} from 'react';
import type {SourceStatus} from '../../feed/feed.js';
import {sanitize} from '../../model/sanitize.js';
import {ranked} from '../../store/counters.js';
import type {EventStore} from '../../store/event-store.js';
import {clockTime, compact, sparkline} from '../format.js';
import {actionColor, severityColor, stateColor, warningColor} from '../theme.js';

type Props = {
	store: EventStore;
	now: number;
	columns: number;
	/** Active filter chips (shown after the figures). */
	chips?: string[];
};

function SourceBadge({status, now}: {status: SourceStatus; now: number}) {
	const seconds = status.since ? Math.max(0, Math.round((now - status.since) / 1000)) : undefined;
	const since = status.state === 'connected' && seconds !== undefined ? ` ${seconds}s` : '';
	return (
		<Text>
			{sanitize(status.label)} <Text color={stateColor[status.state]}>● {status.state}</Text>
			{since}
			{status.detail ? <Text dimColor> ({sanitize(status.detail)})</Text> : null}
			{status.warning ? <Text color={warningColor} bold> ⚠ {sanitize(status.warning)}</Text> : null}
		</Text>
	);
}

/** Sources and their state, totals, the rate with a one-minute sparkline, and the counters. */
export function Header({store, now, columns, chips = []}: Props) {
	const {counters} = store;
	// With a filter, every figure reads shown/total: what matches next to everything seen.
	const shown = store.view.counters;
	const figure = (total: number, matched: number | undefined) =>
		matched === undefined ? compact(total) : `${compact(matched)}/${compact(total)}`;
	const rate = store.rate.perSecond(now);
	// Only the seconds since start: padding a young history with zeros would read as "no traffic".
	const seconds = Math.max(1, Math.min(60, Math.floor((now - store.startedAt) / 1000)));
	const spark = sparkline(store.rate.history(now).slice(-seconds), Math.min(30, Math.max(8, Math.floor(columns / 8))));
	const sources = [...store.sources.values()];
	const chipText = chips.length > 0 ? `  filter: ${chips.join(' ')}` : '';

	const title = (
		<Text wrap="truncate-end">
			<Text bold color="cyan">
				armorwatch
			</Text>
			{'  '}
			<Text bold>{figure(counters.events, shown?.events)}</Text> events{'  '}
			<Text bold>{compact(rate)}</Text>/s <Text color="green">{spark}</Text>
			<Text color="cyan">{chipText}</Text>
			{sources.map(status => (
				<Fragment key={status.label}>
					{'  '}
					<SourceBadge status={status} now={now} />
				</Fragment>
			))}
		</Text>
	);

	if (columns < 60) return <Box height={1}>{title}</Box>;

	const throttles = store.throttles.active(now);
	return (
		<Box flexDirection="column" height={3} width={columns}>
			{title}
			<Text wrap="truncate-end">
				<Text bold>SEV </Text>
				{(['crit', 'high', 'med', 'low'] as const).map(band => (
					<Text key={band}>
						{' '}
						<Text color={severityColor[band]}>{band}</Text> {figure(counters.bands[band], shown?.bands[band])}
					</Text>
				))}
				<Text bold>{'    OP '}</Text>
				{ranked(counters.operation).map(([name, count]) => (
					<Text key={name}>
						{' '}
						{sanitize(name)} {figure(count, shown ? (shown.operation.get(name) ?? 0) : undefined)}
					</Text>
				))}
			</Text>
			<Text wrap="truncate-end">
				<Text bold>ACTION</Text>
				{ranked(counters.action).map(([name, count]) => (
					<Text key={name}>
						{' '}
						<Text color={actionColor(name)}>{sanitize(name)}</Text> {figure(count, shown ? (shown.action.get(name) ?? 0) : undefined)}
					</Text>
				))}
				{counters.logs > 0 ? <Text dimColor>{`  logs ${figure(counters.logs, shown?.logs)}`}</Text> : null}
				{throttles.length > 0 ? (
					<Text color={warningColor}>
						{'    throttled: '}
						{throttles
							.map(t => `${sanitize(t.container)} (until ${clockTime(t.until)})`)
							.join(', ')}
					</Text>
				) : null}
			</Text>
		</Box>
	);
}
