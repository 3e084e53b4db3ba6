import {Box} from 'ink';
import {memo} from 'react';
import type {SourceStatus} from '../../feed/feed.js';
import {sanitize} from '../../model/sanitize.js';
import type {EventStore} from '../../store/event-store.js';
import {clockTime, compact, sparkline} from '../format.js';
import {bold, colour, dim, fitPieces, fitSpans, paint, type Piece, type Span} from '../paint.js';
import {actionColor, severityColor, stateColor, warningColor} from '../theme.js';
import {Line} from './line.js';

type Props = {
	store: EventStore;
	/** store.getVersion(): what the header shows changed only if this did (the store is read directly). */
	version: number;
	/** In whole seconds (useClock). */
	now: number;
	columns: number;
	/** Active filter chips (shown after the figures). */
	chips?: string[];
};

function sourceBadge(status: SourceStatus, now: number): Span[] {
	const seconds = status.since ? Math.max(0, Math.round((now - status.since) / 1000)) : undefined;
	return [
		[`  ${sanitize(status.label)} `],
		[`● ${status.state}`, colour(stateColor[status.state])],
		[status.state === 'connected' && seconds !== undefined ? ` ${seconds}s` : ''],
		[status.detail ? ` (${sanitize(status.detail)})` : '', dim],
		[status.warning ? ` ⚠ ${sanitize(status.warning)}` : '', text => bold(paint(warningColor, text))],
	];
}

const noChips: string[] = [];

/** A frame a key drew (or the clock within the same second) leaves the header as it was: not drawn again. */
function sameHeader(before: Props, after: Props): boolean {
	const chips = before.chips ?? noChips;
	const next = after.chips ?? noChips;
	return (
		before.store === after.store &&
		before.version === after.version &&
		before.now === after.now &&
		before.columns === after.columns &&
		chips.length === next.length &&
		chips.every((chip, index) => chip === next[index])
	);
}

/** More values than a line of `columns` can hold (each takes at least four: " X 1"); the rest are cut anyway. */
function mostShown(columns: number): number {
	return Math.ceil(columns / 4);
}

/**
 * Sources and their state, totals, the rate with a one-minute sparkline, and the counters: three lines (one
 * when narrow), each cut to the terminal's width.
 */
export const Header = memo(function Header({store, now, columns, chips = noChips}: Props) {
	const {counters} = store;
	// With a filter, every figure reads shown/total: what matches next to everything seen.
	const shown = store.view.counters;
	const figure = (total: number, matched: number | undefined) =>
		matched === undefined ? compact(total) : `${compact(matched)}/${compact(total)}`;
	const rate = store.rate.perSecond(now);
	// Only the seconds since start: padding a young history with zeros would read as "no traffic".
	const seconds = Math.max(1, Math.min(60, Math.floor((now - store.startedAt) / 1000)));
	const spark = sparkline(store.rate.history(now).slice(-seconds), Math.min(30, Math.max(8, Math.floor(columns / 8))));
	const title: Span[] = [
		['armorwatch', text => bold(paint('cyan', text))],
		['  '],
		[figure(counters.events, shown?.events), bold],
		[counters.events === 1 ? ' event  ' : ' events  '],
		[compact(rate), bold],
		['/s '],
		[spark, colour('green')],
		[chips.length > 0 ? `  filter: ${chips.map(chip => sanitize(chip)).join(' ')}` : '', colour('cyan')],
		...[...store.sources.values()].flatMap(status => sourceBadge(status, now)),
	];

	if (columns < 60) {
		return <Line width={columns}>{fitSpans(title, columns)}</Line>;
	}

	// Summed from the severity counts at each read: read once.
	const bands = counters.bands;
	const shownBands = shown?.bands;
	const severity: Span[] = [
		['SEV ', bold],
		...(['crit', 'high', 'med', 'low'] as const).flatMap((band): Span[] => [
			[' '],
			[band, colour(severityColor[band])],
			[` ${figure(bands[band], shownBands?.[band])}`],
		]),
		['    OP ', bold],
		...counters.top('operation', mostShown(columns)).map(
			([name, count]): Span => [` ${sanitize(name)} ${figure(count, shown?.countOf('operation', name))}`],
		),
	];
	const throttles = store.throttles.active(now);
	const throttled = throttles.map(t => `${sanitize(t.container)} (until ${clockTime(t.until)})`);
	// A short line keeps the throttled container (alerts from it are being dropped) over the rarer actions.
	const actions: Piece[] = [
		{spans: [['ACTION', bold]]},
		...counters.top('action', mostShown(columns)).map(([name, count], index): Piece => ({
			spans: [[sanitize(name), colour(actionColor(name))], [` ${figure(count, shown?.countOf('action', name))}`]],
			gap: 1,
			keep: index === 0 ? undefined : 2 - index / 100,
		})),
		...(counters.logs > 0 ? [{spans: [[`logs ${figure(counters.logs, shown?.logs)}`, dim]] as Span[], gap: 2, keep: 1}] : []),
		...(throttled.length > 0
			? [{spans: [[`throttled: ${throttled.join(', ')}`, colour(warningColor)]] as Span[], gap: 4, minGap: 2, keep: 3, atLeast: 'throttled: '.length + throttled[0].length}]
			: []),
	];

	return (
		<Box flexDirection="column" height={3} width={columns}>
			<Line width={columns}>{fitSpans(title, columns)}</Line>
			<Line width={columns}>{fitSpans(severity, columns)}</Line>
			<Line width={columns}>{fitPieces(actions, columns)}</Line>
		</Box>
	);
}, sameHeader);
