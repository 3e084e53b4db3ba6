import {Box, Text} from 'ink';
import type {SourceStatus} from '../../feed/feed.js';
import {sanitize} from '../../model/sanitize.js';
import {ranked} from '../../store/counters.js';
import type {EventStore} from '../../store/event-store.js';
import {clockTime, compact, sparkline} from '../format.js';
import {bold, dim, paint} from '../paint.js';
import {actionColor, severityColor, stateColor, warningColor} from '../theme.js';

type Props = {
	store: EventStore;
	now: number;
	columns: number;
	/** Active filter chips (shown after the figures). */
	chips?: string[];
};

function sourceBadge(status: SourceStatus, now: number): string {
	const seconds = status.since ? Math.max(0, Math.round((now - status.since) / 1000)) : undefined;
	const since = status.state === 'connected' && seconds !== undefined ? ` ${seconds}s` : '';
	const detail = status.detail ? dim(` (${sanitize(status.detail)})`) : '';
	const warning = status.warning ? bold(paint(warningColor, ` ⚠ ${sanitize(status.warning)}`)) : '';
	return `${sanitize(status.label)} ${paint(stateColor[status.state], `● ${status.state}`)}${since}${detail}${warning}`;
}

/**
 * Sources and their state, totals, the rate with a one-minute sparkline, and the counters. Each line is one
 * string with its colours inside (few ink nodes per frame); ink cuts it at the terminal's width.
 */
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
	const chipText = chips.length > 0 ? paint('cyan', `  filter: ${chips.map(chip => sanitize(chip)).join(' ')}`) : '';
	const sources = [...store.sources.values()].map(status => `  ${sourceBadge(status, now)}`).join('');
	const title = `${bold(paint('cyan', 'armorwatch'))}  ${bold(figure(counters.events, shown?.events))} events  ${bold(compact(rate))}/s ${paint('green', spark)}${chipText}${sources}`;

	if (columns < 60) {
		return (
			<Box height={1}>
				<Text wrap="truncate-end">{title}</Text>
			</Box>
		);
	}

	const bands = (['crit', 'high', 'med', 'low'] as const)
		.map(band => ` ${paint(severityColor[band], band)} ${figure(counters.bands[band], shown?.bands[band])}`)
		.join('');
	const operations = ranked(counters.operation)
		.map(([name, count]) => ` ${sanitize(name)} ${figure(count, shown ? (shown.operation.get(name) ?? 0) : undefined)}`)
		.join('');
	const actions = ranked(counters.action)
		.map(([name, count]) => ` ${paint(actionColor(name), sanitize(name))} ${figure(count, shown ? (shown.action.get(name) ?? 0) : undefined)}`)
		.join('');
	const logs = counters.logs > 0 ? dim(`  logs ${figure(counters.logs, shown?.logs)}`) : '';
	const throttles = store.throttles.active(now);
	const throttled =
		throttles.length > 0
			? paint(warningColor, `    throttled: ${throttles.map(t => `${sanitize(t.container)} (until ${clockTime(t.until)})`).join(', ')}`)
			: '';

	return (
		<Box flexDirection="column" height={3} width={columns}>
			<Text wrap="truncate-end">{title}</Text>
			<Text wrap="truncate-end">{`${bold('SEV ')}${bands}${bold('    OP ')}${operations}`}</Text>
			<Text wrap="truncate-end">{`${bold('ACTION')}${actions}${logs}${throttled}`}</Text>
		</Box>
	);
}
