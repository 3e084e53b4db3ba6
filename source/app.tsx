import {Box, useApp, useInput} from 'ink';
import {useReducer, useRef, useState} from 'react';
import type {EventStore} from './store/event-store.js';
import {AlertList} from './ui/components/alert-list.js';
import {DetailPane, detailRowCount} from './ui/components/detail-pane.js';
import {Footer} from './ui/components/footer.js';
import {Header} from './ui/components/header.js';
import {HelpOverlay} from './ui/components/help-overlay.js';
import {useClock} from './ui/hooks/use-clock.js';
import {useStore} from './ui/hooks/use-store.js';
import {useTerminalSize, type Size} from './ui/hooks/use-terminal-size.js';
import {commandFor, type Command} from './ui/keymap.js';
import {initialListState, listReducer, newSinceFrozen, scrollFor, type ListContext} from './ui/list-state.js';

export type AppProps = {
	store: EventStore;
	/** A fixed size instead of the terminal's (tests, benchmarks). */
	size?: Size;
};

/** Wide terminals put the detail pane beside the list; narrow ones put it under, full screen when focused. */
const sideBySideColumns = 100;

export function App({store, size: fixedSize}: AppProps) {
	useStore(store);
	const {exit} = useApp();
	const {columns, rows} = useTerminalSize(fixedSize);
	const now = useClock(store.now);
	const [list, dispatch] = useReducer(listReducer, initialListState);
	const [focus, setFocus] = useState<'list' | 'detail'>('list');
	const [help, setHelp] = useState(false);
	const [detailScroll, setDetailScroll] = useState(0);
	const scrollTop = useRef(0);

	// Layout. The root is one row shorter than the terminal: a full-height frame makes ink clear the screen
	// on every frame (flicker).
	const headerHeight = columns < 60 ? 1 : 3;
	const bodyHeight = Math.max(4, rows - 1 - headerHeight - 1);
	const wide = columns >= sideBySideColumns;
	const listWidth = wide ? Math.floor(columns * 0.6) : columns;
	const detailWidth = wide ? columns - listWidth : columns;
	let listHeight = bodyHeight;
	let detailHeight = bodyHeight;
	if (!wide) {
		listHeight = focus === 'detail' ? 0 : Math.max(3, Math.ceil(bodyHeight * 0.55));
		detailHeight = focus === 'detail' ? bodyHeight : bodyHeight - listHeight;
	}

	const listRows = Math.max(1, listHeight - 2);

	// What the list shows right now.
	const {view} = store;
	const anchor = list.anchor ?? Number.POSITIVE_INFINITY;
	const count = view.count(anchor);
	const selected = Math.min(list.selected, Math.max(0, count - 1));
	scrollTop.current = scrollFor(scrollTop.current, selected, listRows, count);
	const visible = view.rows(anchor, scrollTop.current, listRows);
	const selectedEvent = visible[selected - scrollTop.current];
	const context: ListContext = {
		newestSeq: view.newestSeq,
		count,
		matchedTotal: view.matchedTotal,
		matchedBlock: view.matchedBlock,
		pageSize: listRows,
	};
	const fresh = newSinceFrozen(list, view.matchedTotal, view.matchedBlock);
	const detailVisible = Math.max(1, detailHeight - 2);
	const detailMax = Math.max(0, detailRowCount(selectedEvent, detailWidth) - detailVisible);

	const handle = (command: Command) => {
		if (command === 'quit') {
			exit();
			return;
		}

		if (help) {
			if (command === 'back' || command === 'help') setHelp(false);
			return;
		}

		if (focus === 'detail') {
			const scrollBy = (delta: number) => {
				setDetailScroll(current => Math.min(detailMax, Math.max(0, current + delta)));
			};

			switch (command) {
				case 'down': {
					scrollBy(1);
					return;
				}

				case 'up': {
					scrollBy(-1);
					return;
				}

				case 'pageDown': {
					scrollBy(detailVisible);
					return;
				}

				case 'pageUp': {
					scrollBy(-detailVisible);
					return;
				}

				case 'back':
				case 'detail': {
					setFocus('list');
					return;
				}

				default:
			}
		}

		switch (command) {
			case 'down':
			case 'up': {
				dispatch({type: 'move', delta: command === 'down' ? 1 : -1, context});
				setDetailScroll(0);
				break;
			}

			case 'pageDown':
			case 'pageUp': {
				dispatch({type: 'move', delta: command === 'pageDown' ? listRows : -listRows, context});
				setDetailScroll(0);
				break;
			}

			case 'newest': {
				dispatch({type: 'newest'});
				setFocus('list');
				setDetailScroll(0);
				break;
			}

			case 'oldest': {
				dispatch({type: 'oldest', context});
				setDetailScroll(0);
				break;
			}

			case 'detail': {
				// Reading an event: hold the list still so the event does not change underneath.
				dispatch({type: 'freeze', context});
				setFocus('detail');
				break;
			}

			case 'back': {
				setFocus('list');
				break;
			}

			case 'pause': {
				dispatch({type: 'pause', context});
				break;
			}

			case 'help': {
				setHelp(true);
				break;
			}
		}
	};

	// ink re-subscribes the input handler in an effect, after the frame is drawn: a key pressed in between
	// would reach the previous render's handler and its stale state. The ref always holds this render's.
	const handleRef = useRef(handle);
	handleRef.current = handle;
	useInput((input, key) => {
		// Keys typed faster than we read them (key repeat over SSH) arrive as one string: take each one.
		const presses = input.length > 1 && !key.ctrl && !key.meta ? [...input] : [input];
		for (const press of presses) {
			const command = commandFor(press, key);
			if (command !== undefined) handleRef.current(command);
		}
	});

	const allEnded =
		store.sources.size > 0 &&
		[...store.sources.values()].every(source => ['ended', 'closed', 'failed'].includes(source.state));
	const emptyText = allEnded ? 'No events: the input has ended.' : 'Waiting for events…';
	const title = `Events (newest first) ${count.toLocaleString('en-US')}${list.anchor === undefined ? '' : ' · frozen'}`;

	return (
		<Box flexDirection="column" width={columns} height={rows - 1}>
			<Header store={store} now={now} columns={columns} />
			{help ? (
				<HelpOverlay width={columns} height={bodyHeight} />
			) : (
				<Box flexDirection={wide ? 'row' : 'column'} height={bodyHeight}>
					{listHeight > 0 ? (
						<AlertList
							title={title}
							rows={visible}
							selected={selected - scrollTop.current}
							width={listWidth}
							height={listHeight}
							focused={focus === 'list'}
							emptyText={emptyText}
						/>
					) : null}
					<DetailPane
						event={selectedEvent}
						width={detailWidth}
						height={detailHeight}
						focused={focus === 'detail'}
						scroll={Math.min(detailScroll, detailMax)}
					/>
				</Box>
			)}
			<Footer
				paused={list.paused}
				frozen={list.anchor !== undefined}
				newCount={fresh.count}
				newBlock={fresh.block}
				malformed={store.counters.malformed}
				lastProblem={store.lastProblem}
				retained={store.events.size}
				total={store.counters.events}
				focus={focus}
				columns={columns}
			/>
		</Box>
	);
}
