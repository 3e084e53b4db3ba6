import {Box, useApp, type Key} from 'ink';
import {useReducer, useRef, useState} from 'react';
import {cycle, noFilter, stepSeverity, type FilterState} from './query/filter-state.js';
import type {EventStore} from './store/event-store.js';
import {AlertList} from './ui/components/alert-list.js';
import {DetailPane, detailRowCount} from './ui/components/detail-pane.js';
import {Footer} from './ui/components/footer.js';
import {Header} from './ui/components/header.js';
import {HelpOverlay, helpOverflow} from './ui/components/help-overlay.js';
import {Picker} from './ui/components/picker.js';
import {SearchPrompt} from './ui/components/search-prompt.js';
import {TooSmall} from './ui/components/too-small.js';
import {useClock} from './ui/hooks/use-clock.js';
import {useFilter} from './ui/hooks/use-filter.js';
import {useKeyboard} from './ui/hooks/use-keyboard.js';
import {usePicker} from './ui/hooks/use-picker.js';
import {useRefState} from './ui/hooks/use-ref-state.js';
import {useStore} from './ui/hooks/use-store.js';
import {useTerminalSize, type Size} from './ui/hooks/use-terminal-size.js';
import {commandFor, lineEditFor, type Command} from './ui/keymap.js';
import {initialListState, listReducer, newSinceFrozen, scrollFor, type ListContext} from './ui/list-state.js';

export type AppProps = {
	store: EventStore;
	/** A fixed size instead of the terminal's (tests, benchmarks). */
	size?: Size;
	/** The filter from the command line (--filter, -n, --operation, ...). */
	initialFilter?: FilterState;
	/** Draw the whole terminal again, not only what changed (^L, and on leaving the help). */
	onRedraw?: () => void;
};

/** Wide terminals put the detail pane beside the list; narrow ones put it under, full screen when focused. */
const sideBySideColumns = 100;
/** Below this the panes cannot hold a list row and a line of detail: the screen says so instead. */
const minColumns = 40;
const minRows = 10;

/** Values seen so far, in a stable order so cycling with o / a does not jump around as counts change. */
function seen(tally: Map<string, number>): string[] {
	return [...tally.keys()].sort((a, b) => a.localeCompare(b));
}

export function App({store, size: fixedSize, initialFilter = noFilter, onRedraw}: AppProps) {
	useStore(store);
	const {exit} = useApp();
	const {columns, rows} = useTerminalSize(fixedSize);
	const now = useClock(store.now);
	const [list, dispatch] = useReducer(listReducer, initialListState);
	const [helpScroll, setHelpScroll] = useState(0);
	const [detailScroll, setDetailScroll] = useState(0);
	// What decides where the next key goes (help, focus; the prompt and picker in their hooks) lives in refs: keys
	// read together ("?j", "/shdow") are handled in one go, and each must find what the one before it opened.
	const [helpRef, setHelp] = useRefState(false);
	const [focusRef, setFocus] = useRefState<'list' | 'detail'>('list');

	const help = helpRef.current;
	const focus = focusRef.current;
	const scrollTop = useRef(0);
	const {currentFilter, setFilter, prompt, promptOpen, promptActions, predicateFor, spec, chips, filtered} = useFilter(
		store,
		initialFilter,
		() => {
			// The list's contents changed: start again from the newest match.
			dispatch({type: 'reset'});
			scrollTop.current = 0;
			setDetailScroll(0);
		},
	);
	const {picker, choices, pickerOpen, pickerActions} = usePicker(store, currentFilter, predicateFor, (kind, value) => {
		setFilter(current => ({...current, [kind]: value}));
	});

	// Layout. The root is one row shorter than the terminal: a full-height frame makes ink clear the screen
	// on every frame (flicker).
	const headerHeight = columns < 60 ? 1 : 3;
	const footerHeight = prompt?.error ? 2 : 1;
	const bodyHeight = Math.max(4, rows - 1 - headerHeight - footerHeight);
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
	const handleHelp = (command: Command | undefined) => {
		if (command === 'quit') exit();
		if (command === 'back') {
			setHelp(false);
			onRedraw?.();
		}

		const limit = helpOverflow(columns, bodyHeight);
		if (command === 'down' || command === 'pageDown') setHelpScroll(current => Math.min(limit, current + (command === 'down' ? 1 : 10)));
		if (command === 'up' || command === 'pageUp') setHelpScroll(current => Math.max(0, current - (command === 'up' ? 1 : 10)));
	};

	const handleMain = (command: Command) => {
		if (command === 'quit') {
			exit();
			return;
		}

		if (command === 'redraw') {
			onRedraw?.();
			return;
		}

		if (focusRef.current === 'detail') {
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

				// g / G read the event from its top or its end; the list keeps its place.
				case 'newest': {
					setDetailScroll(0);
					return;
				}

				case 'oldest': {
					setDetailScroll(detailMax);
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

			case 'search': {
				promptActions.open();
				break;
			}

			case 'cycleOperation': {
				setFilter(current => ({...current, operation: cycle(current.operation, seen(store.counters.operation))}));
				break;
			}

			case 'cycleAction': {
				setFilter(current => ({...current, action: cycle(current.action, seen(store.counters.action))}));
				break;
			}

			case 'severityUp':
			case 'severityDown': {
				const delta = command === 'severityUp' ? 1 : -1;
				setFilter(current => ({...current, minSeverity: stepSeverity(current.minSeverity, delta)}));
				break;
			}

			case 'pickNamespace':
			case 'pickPolicy': {
				pickerActions.open(command === 'pickNamespace' ? 'namespace' : 'policy');
				break;
			}

			case 'clearFilters': {
				setFilter(noFilter);
				break;
			}

			case 'help': {
				setHelp(true);
				setHelpScroll(0);
				break;
			}

			default:
		}
	};

	const handlePrompt = (input: string, key: Key) => {
		const command = commandFor(input, key, 'prompt');
		if (command === 'submit') promptActions.submit();
		else if (command === 'cancel') promptActions.cancel();
		else if (command === 'historyBack') promptActions.historyBack();
		else if (command === 'historyForward') promptActions.historyForward();
		else {
			const edit = lineEditFor(command, input, key);
			if (edit) promptActions.edit(edit);
		}
	};

	const handlePicker = (input: string, key: Key) => {
		const command = commandFor(input, key, 'picker');
		if (command === 'cancel') pickerActions.close();
		else if (command === 'down') pickerActions.move(1);
		else if (command === 'up') pickerActions.move(-1);
		else if (command === 'submit') pickerActions.submit();
		else {
			const edit = lineEditFor(command, input, key);
			if (edit) pickerActions.edit(edit);
		}
	};

	const handleKey = (input: string, key: Key) => {
		if (promptOpen()) {
			handlePrompt(input, key);
			return;
		}

		if (pickerOpen()) {
			handlePicker(input, key);
			return;
		}

		// Keys typed faster than we read them (key repeat over SSH, a paste) arrive as one string: take each
		// one, and once a key opened the prompt or a picker, the rest is text for it ("/wordpres").
		const presses = input.length > 1 && !key.ctrl && !key.meta ? [...input] : [input];
		for (const [index, press] of presses.entries()) {
			if (promptOpen() || pickerOpen()) {
				handleKey(presses.slice(index).join(''), key);
				return;
			}

			if (helpRef.current) handleHelp(commandFor(press, key, 'help'));
			else {
				const command = commandFor(press, key);
				if (command !== undefined) handleMain(command);
			}
		}
	};

	useKeyboard(handleKey);

	const allEnded =
		store.sources.size > 0 &&
		[...store.sources.values()].every(source => ['ended', 'closed', 'failed'].includes(source.state));
	const emptyText = filtered
		? 'No retained event matches the filter (x clears it).'
		: allEnded
			? 'No events: the input has ended.'
			: 'Waiting for events…';
	const shown = filtered ? ` ${count.toLocaleString('en-US')} of ${store.events.size.toLocaleString('en-US')} shown` : ` ${count.toLocaleString('en-US')}`;
	const title = `Events (newest first)${shown}${list.anchor === undefined ? '' : ' · frozen'}`;

	if (columns < minColumns || rows < minRows) {
		return <TooSmall columns={columns} rows={rows} minColumns={minColumns} minRows={minRows} />;
	}

	let body;
	if (help) body = <HelpOverlay width={columns} height={bodyHeight} scroll={helpScroll} />;
	else if (picker) {
		body = (
			<Picker
				title={`Pick a ${picker.kind} (Enter picks, Esc closes; counts within the other filters)`}
				line={picker.line}
				items={choices}
				selected={picker.selected}
				width={columns}
				height={bodyHeight}
			/>
		);
	} else {
		body = (
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
						spec={spec}
					/>
				) : null}
				<DetailPane
					event={selectedEvent}
					width={detailWidth}
					height={detailHeight}
					focused={focus === 'detail'}
					scroll={Math.min(detailScroll, detailMax)}
					spec={spec}
				/>
			</Box>
		);
	}

	return (
		<Box flexDirection="column" width={columns} height={rows - 1}>
			<Header store={store} now={now} columns={columns} chips={chips} />
			{body}
			{prompt ? (
				<SearchPrompt prompt={prompt} columns={columns} />
			) : (
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
			)}
		</Box>
	);
}
