import {Box, useApp, type Key} from 'ink';
import {useReducer, useRef, useState} from 'react';
import {noFilter, type FilterState} from '../query/filter-state.js';
import {eventTime} from '../model/event.js';
import type {EventStore} from '../store/event-store.js';
import type {GroupField} from '../store/group-fields.js';
import type {GroupOrder} from '../store/groups.js';
import {AlertList} from './components/alert-list.js';
import {DetailPane, detailRowCount} from './components/detail-pane.js';
import {Footer} from './components/footer.js';
import {Header} from './components/header.js';
import {GroupDetail, groupKeyHeight} from './components/group-detail.js';
import {GroupList} from './components/group-list.js';
import {HelpOverlay, helpOverflow} from './components/help-overlay.js';
import {Picker} from './components/picker.js';
import {PolicyPane, policyRows} from './components/policy-pane.js';
import {SavePrompt} from './components/save-prompt.js';
import {noticeMs, useAct} from './hooks/use-act.js';
import {SearchPrompt} from './components/search-prompt.js';
import {TimelinePane} from './components/timeline-pane.js';
import {TooSmall} from './components/too-small.js';
import {useClock} from './hooks/use-clock.js';
import {useFilter} from './hooks/use-filter.js';
import {useFramePace} from './hooks/use-frame-pace.js';
import {useKeyboard} from './hooks/use-keyboard.js';
import {usePicker} from './hooks/use-picker.js';
import {useRefState} from './hooks/use-ref-state.js';
import {useStore} from './hooks/use-store.js';
import {useGroups} from './hooks/use-groups.js';
import {useSearch} from './hooks/use-search.js';
import {useTimeline} from './hooks/use-timeline.js';
import {useTerminalSize, type Size} from './hooks/use-terminal-size.js';
import type {LineEdit} from './line-editor.js';
import {
	commandFor,
	lineEditFor,
	type ConfirmCommand,
	type HelpCommand,
	type PolicyCommand,
	type SaveCommand,
	type TimelineCommand,
} from './keymap.js';
import {groupCommands, listCommands, pickerCommands, promptCommands, type Commands} from './list-commands.js';
import {initialListState, listReducer, newSinceFrozen, scrollFor, type ListContext} from './list-state.js';
import {localDayStart} from './dates.js';
import {minColumns, minRows, screenLayout} from './screen-layout.js';

/** What the list and the group list say when the filter hides every retained event. */
const noMatchText = 'No retained event matches the filter (x clears it).';

const orderLabels: Record<GroupOrder, string> = {count: 'count', last: 'last seen', severity: 'severity'};

export type ScreenProps = {
	store: EventStore;
	/** A fixed size instead of the terminal's (tests, benchmarks). */
	size?: Size;
	/** The filter from the command line (--filter, -n, --operation, ...). */
	initialFilter?: FilterState;
	/** Draw the whole terminal again, not only what changed (^L, and on leaving the help). */
	onRedraw?: () => void;
	/** --group-by: start with the list in groups of these fields. */
	initialGroupBy?: readonly GroupField[];
	/** Where OSC 52 (copy) goes: the terminal's stream, written between frames. Default: stdout. */
	writeTerminal?: (text: string) => void;
	/** Inside tmux the copy is also wrapped for its passthrough. Default: $TMUX is set. */
	inTmux?: boolean;
	/** The wall clock for default file names (tests). */
	clock?: () => Date;
	/** The stream draws at most this often (default 100 ms, the store's own notification interval). */
	frameIntervalMs?: number;
};

const writeStdout = (text: string) => {
	process.stdout.write(text);
};

/**
 * The monitor's screen: header, list, detail, footer, and the overlays. Keys go to the open overlay's commands
 * (help, prompt, picker), else to the focused pane's; each set is a table with one handler per command.
 */
export function Screen({
	store,
	size: fixedSize,
	initialFilter = noFilter,
	initialGroupBy,
	onRedraw,
	writeTerminal = writeStdout,
	inTmux = Boolean(process.env['TMUX']),
	clock,
	frameIntervalMs = 100,
}: ScreenProps) {
	const requestFrame = useFramePace(frameIntervalMs);
	useStore(store, requestFrame);
	const {exit} = useApp();
	const {columns, rows} = useTerminalSize(fixedSize);
	const now = useClock(store.now, requestFrame);
	const [list, dispatch] = useReducer(listReducer, initialListState);
	const [helpScroll, setHelpScroll] = useState(0);
	const [detailScroll, setDetailScroll] = useState(0);
	// What decides where the next key goes (help, focus; the prompt and picker in their hooks) lives in refs: keys
	// read together ("?j", "/shdow") are handled in one go, and each must find what the one before it opened.
	const [helpRef, setHelp] = useRefState(false);
	const [focusRef, setFocus] = useRefState<'list' | 'detail' | 'timeline'>('list');
	// The timeline shows by default where the terminal has room (auto); t shows or hides it.
	const [timelineModeRef, setTimelineMode] = useRefState<'auto' | 'on' | 'off'>('auto');
	const [timelineCursorRef, setTimelineCursor] = useRefState(0);

	const help = helpRef.current;
	const focus = focusRef.current;
	const scrollTop = useRef(0);
	const {compile, currentFilter, setFilter, setScope, prompt, promptOpen, promptActions, predicateFor, spec, chips, filtered} = useFilter(
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

	const groups = useGroups(store, initialGroupBy, setScope);
	const grouped = groups.mode === 'groups';

	// Enter in the find prompt moves to the nearest match: the move needs this frame's list, set below.
	const foundRef = useRef(() => {});
	const search = useSearch(store, compile, () => {
		foundRef.current();
	});

	const act = useAct({store, writeTerminal, inTmux, clock, showingGroups: () => groups.currentMode() === 'groups'});

	const footerHeight = (prompt ?? search.prompt)?.error || act.save?.error ? 2 : 1;
	const layout = screenLayout({columns, rows, detailFocused: focus === 'detail', footerHeight, timeline: timelineModeRef.current});
	const timelineShown = layout.timeline.height > 0;
	const timeline = useTimeline(store, columns - 2, timelineShown);
	const timelineCursor = Math.min(timelineCursorRef.current, Math.max(0, timeline.buckets.length - 1));
	const {listRows, detailRows} = layout;

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

	// The group list, when it shows: only the rows that fit are put in order.
	const groupCount = grouped ? groups.count() : 0;
	const groupSelected = Math.min(groups.selected, Math.max(0, groupCount - 1));
	groups.scrollTop.current = scrollFor(groups.scrollTop.current, groupSelected, listRows, groupCount);
	const groupRows = grouped ? groups.rows(groups.scrollTop.current, listRows) : [];
	const selectedGroup = groupRows[groupSelected - groups.scrollTop.current];
	const detailEvent = grouped ? selectedGroup?.sample : selectedEvent;
	const detailHeight = grouped ? layout.detail.height - groupKeyHeight(groups.fields, layout.detail.height) : layout.detail.height;
	// The find (f, n, N): the selection moves to a match, the list keeps every event. The cursor is the
	// selected event, moved at once by each n so that keys read together ("nnn") each go one match further.
	const findCursor = useRef(0);
	findCursor.current = selectedEvent?.seq ?? 0;
	const [findNote, setFindNote] = useState<string | undefined>(undefined);
	const listAnchor = list.anchor ?? view.newestSeq;
	/** Select event `seq` in the list (frozen there, so it stays under the reader). */
	const selectSeq = (seq: number) => {
		dispatch({type: 'select', index: view.indexOf(seq, listAnchor), context});
		setDetailScroll(0);
	};

	const findMatch = (direction: 'older' | 'newer' | 'nearest') => {
		const matches = store.searchMatches();
		if (!matches || groups.currentMode() === 'groups') return;
		const cursor = findCursor.current;
		const target =
			direction === 'older'
				? matches.older(cursor)
				: direction === 'newer'
					? matches.newer(cursor, listAnchor)
					: matches.has(cursor)
						? cursor
						: (matches.older(cursor) ?? matches.newer(cursor, listAnchor));
		if (target === undefined) {
			setFindNote(matches.count(listAnchor) === 0 ? 'no match' : direction === 'newer' ? 'no newer match' : 'no older match');
			return;
		}

		setFindNote(undefined);
		findCursor.current = target;
		selectSeq(target);
	};

	foundRef.current = () => {
		findMatch('nearest');
	};
	const matches = store.searchMatches();
	const findPosition = matches ? matches.position(selectedEvent?.seq ?? 0, listAnchor) : 0;
	const findStatus = findNote ?? (findPosition > 0 ? `match ${findPosition} of ${matches!.count(listAnchor)}` : `${matches?.count(listAnchor)} matches`);
	const findText = matches ? ` · ${findStatus} (find ${matches.query})` : '';
	const raw = act.raw && !grouped;
	const detailVisible = Math.max(1, detailHeight - 2);
	// Counted a screenful past where the pane is: a huge value is wrapped only as far as it is scrolled.
	const detailMax = Math.max(0, detailRowCount(detailEvent, layout.detail.width, detailScroll + 2 * detailVisible, raw) - detailVisible);
	/** The last scroll position, all of the event wrapped: only G asks, wanting its end. */
	const detailEnd = () => Math.max(0, detailRowCount(detailEvent, layout.detail.width, Number.POSITIVE_INFINITY, raw) - detailVisible);
	const policyMax = act.draft ? Math.max(0, policyRows(act.draft).length - Math.max(1, layout.body.height - 3)) : 0;

	const helpLimit = helpOverflow(columns, layout.body.height);
	const scrollHelp = (delta: number) => () => {
		setHelpScroll(current => Math.min(helpLimit, Math.max(0, current + delta)));
	};

	const helpCommands: Commands<HelpCommand> = {
		quit: exit,
		back() {
			setHelp(false);
			onRedraw?.();
		},
		down: scrollHelp(1),
		up: scrollHelp(-1),
		pageDown: scrollHelp(10),
		pageUp: scrollHelp(-10),
	};

	const mainCommands = listCommands({
		store,
		dispatch,
		context,
		pageRows: listRows,
		detailRows,
		detailMax,
		detailEnd,
		setDetailScroll,
		setFocus,
		setFilter,
		openPrompt: promptActions.open,
		openFind: search.actions.open,
		findMatch,
		openPicker: pickerActions.open,
		openHelp() {
			setHelp(true);
			setHelpScroll(0);
		},
		redraw() {
			onRedraw?.();
		},
		toggleTimeline() {
			setTimelineMode(timelineShown ? 'off' : 'on');
			if (focusRef.current === 'timeline') setFocus('list');
		},
		focusTimeline() {
			if (!timelineShown) setTimelineMode('on');
			setTimelineCursor(Math.max(0, timeline.buckets.length - 1));
			setFocus('timeline');
		},
		toggleGroups() {
			setFocus('list');
			groups.actions.toggle();
		},
		// The event the detail shows: the selected one, or in the group list the group's sample.
		act: {
			copy() {
				act.actions.copyEvent(detailEvent);
			},
			save() {
				act.actions.openSave('view');
			},
			raw() {
				act.actions.toggleRaw();
				setDetailScroll(0);
			},
			draftPolicy() {
				act.actions.openPolicy(detailEvent);
			},
		},
		quit: exit,
	});

	const saveCommands: Commands<SaveCommand> = {submit: act.actions.submitSave, cancel: act.actions.cancelSave};
	const confirmCommands: Commands<ConfirmCommand> = {
		overwrite() {
			act.actions.answerOverwrite(true);
		},
		cancel() {
			act.actions.answerOverwrite(false);
		},
	};
	const policyCommands: Commands<PolicyCommand> = {
		nextAction: act.actions.nextAction,
		copy: act.actions.copyPolicy,
		save() {
			act.actions.openSave('policy');
		},
		down() {
			act.actions.scrollPolicy(1, policyMax);
		},
		up() {
			act.actions.scrollPolicy(-1, policyMax);
		},
		back: act.actions.closePolicy,
	};
	const groupList = groupCommands(mainCommands.list, groups.actions, listRows, () => {
		setFocus('detail');
	});

	const moveTimeline = (delta: number) => () => {
		// From the ref: keys read together ("←←←←") each move one bucket further.
		setTimelineCursor(current => Math.min(Math.max(0, timeline.buckets.length - 1), Math.max(0, Math.min(current, timeline.buckets.length - 1) + delta)));
	};

	const timelineCommands: Commands<TimelineCommand> = {
		earlier: moveTimeline(-1),
		later: moveTimeline(1),
		/** Enter: the list to the newest event of the bucket (the event list, from the groups too). */
		jump() {
			const bucket = timeline.buckets[Math.min(timelineCursorRef.current, timeline.buckets.length - 1)];
			setFocus('list');
			if (!bucket) return;
			let newest: number | undefined;
			for (const event of view.retained()) {
				const time = eventTime(event);
				if (time >= bucket.start && time < bucket.start + timeline.size && event.seq <= listAnchor) newest = event.seq;
			}

			if (newest === undefined) return;
			if (groups.currentMode() === 'groups') groups.actions.toggle();
			selectSeq(newest);
		},
		back() {
			setFocus('list');
		},
	};

	const findPromptCommands = promptCommands(search.actions);
	const fieldsPickerCommands = pickerCommands(groups.actions.toggleField, groups.actions.closePicker, groups.actions.movePicker);
	const filterPromptCommands = promptCommands(promptActions);
	const valuePickerCommands = pickerCommands(pickerActions.submit, pickerActions.close, pickerActions.move);

	/** A line of text being edited (the prompt, a picker's search): its commands, else an edit of the text. */
	const handleLine = <C extends string>(commands: Commands<C>, command: string | undefined, input: string, key: Key, edit: (edit: LineEdit) => void) => {
		if (command !== undefined && command in commands) {
			commands[command as C]();
			return;
		}

		const lineEdit = lineEditFor(command, input, key);
		if (lineEdit) edit(lineEdit);
	};

	const handleKey = (input: string, key: Key) => {
		if (act.confirmOpen()) {
			const command = commandFor(input, key, 'confirm');
			if (command) confirmCommands[command]();
			return;
		}

		if (act.saveOpen()) {
			handleLine(saveCommands, commandFor(input, key, 'save'), input, key, act.actions.editSave);
			return;
		}

		if (promptOpen()) {
			handleLine(filterPromptCommands, commandFor(input, key, 'prompt'), input, key, promptActions.edit);
			return;
		}

		if (search.promptOpen()) {
			handleLine(findPromptCommands, commandFor(input, key, 'prompt'), input, key, search.actions.edit);
			return;
		}

		if (pickerOpen()) {
			handleLine(valuePickerCommands, commandFor(input, key, 'picker'), input, key, pickerActions.edit);
			return;
		}

		if (groups.pickerOpen()) {
			handleLine(fieldsPickerCommands, commandFor(input, key, 'picker'), input, key, groups.actions.editPicker);
			return;
		}

		// Keys typed faster than we read them (key repeat over SSH, a paste) arrive as one string: take each
		// one, and once a key opened the prompt or a picker, the rest is text for it ("/wordpres").
		const presses = input.length > 1 && !key.ctrl && !key.meta ? [...input] : [input];
		for (const [index, press] of presses.entries()) {
			if (promptOpen() || search.promptOpen() || pickerOpen() || groups.pickerOpen() || act.saveOpen()) {
				handleKey(presses.slice(index).join(''), key);
				return;
			}

			if (helpRef.current) {
				const command = commandFor(press, key, 'help');
				if (command) helpCommands[command]();
			} else if (act.policyOpen()) {
				const command = commandFor(press, key, 'policy');
				if (command) policyCommands[command]();
			} else if (focusRef.current === 'timeline') {
				const command = commandFor(press, key, 'timeline');
				const main = command ? undefined : commandFor(press, key, 'main');
				if (command) timelineCommands[command]();
				else if (main === 'quit' || main === 'timeline' || main === 'help') mainCommands.list[main]();
			} else if (focusRef.current === 'detail') {
				const command = commandFor(press, key, 'main');
				if (command) mainCommands.detail[command]();
			} else if (groups.currentMode() === 'groups') {
				const groupCommand = commandFor(press, key, 'groups');
				const command = groupCommand ? undefined : commandFor(press, key, 'main');
				if (groupCommand) groupList.groups[groupCommand]();
				else if (command) groupList.main[command]();
			} else {
				const command = commandFor(press, key, 'main');
				if (command) (groups.currentMode() === 'group' ? groupList.opened : mainCommands.list)[command]();
			}
		}
	};

	useKeyboard(handleKey);

	const allEnded =
		store.sources.size > 0 &&
		[...store.sources.values()].every(source => ['ended', 'closed', 'failed'].includes(source.state));
	const emptyText = filtered
		? noMatchText
		: allEnded
			? 'No events: the input has ended.'
			: 'Waiting for events…';
	const shown = filtered ? ` ${count.toLocaleString('en-US')} of ${store.events.size.toLocaleString('en-US')} shown` : ` ${count.toLocaleString('en-US')}`;
	const title = `Events (newest first)${shown}${findText}${list.anchor === undefined ? '' : ' · frozen'}${groups.mode === 'group' ? ' · one group (Esc: the groups)' : ''}`;
	const dropped = store.groups?.dropped ?? 0;
	const groupTitle = `${groupCount.toLocaleString('en-US')} groups${dropped > 0 ? ` (${dropped.toLocaleString('en-US')} dropped)` : ''} · by ${orderLabels[groups.order]} · of ${groups.fields.map(field => field.name).join(',')}`;

	if (layout.tooSmall) {
		return <TooSmall columns={columns} rows={rows} minColumns={minColumns} minRows={minRows} />;
	}

	let body;
	if (help) body = <HelpOverlay width={columns} height={layout.body.height} scroll={helpScroll} />;
	else if (act.policy && act.draft) body = <PolicyPane policy={act.policy} draft={act.draft} width={columns} height={layout.body.height} />;
	else if (picker) {
		body = (
			<Picker
				title={`Pick a ${picker.kind} (Enter picks, Esc closes; counts within the other filters)`}
				line={picker.line}
				items={choices}
				selected={picker.selected}
				width={columns}
				height={layout.body.height}
			/>
		);
	} else if (groups.picker) {
		body = (
			<Picker
				title="Group by (Enter puts a field in or out, Esc closes)"
				line={groups.picker.line}
				items={groups.pickerItems()}
				selected={groups.picker.selected}
				width={columns}
				height={layout.body.height}
			/>
		);
	} else if (grouped) {
		body = (
			<Box flexDirection={layout.sideBySide ? 'row' : 'column'} height={layout.body.height - layout.timeline.height}>
				{layout.list.height > 0 ? (
					<GroupList
						title={groupTitle}
						rows={groupRows}
						selected={groupSelected - groups.scrollTop.current}
						width={layout.list.width}
						height={layout.list.height}
						focused={focus === 'list'}
						emptyText={filtered ? noMatchText : 'No groups yet: waiting for events…'}
					/>
				) : null}
				<GroupDetail
					group={selectedGroup}
					fields={groups.fields}
					width={layout.detail.width}
					height={layout.detail.height}
					focused={focus === 'detail'}
					scroll={Math.min(detailScroll, detailMax)}
				/>
			</Box>
		);
	} else {
		body = (
			<Box flexDirection={layout.sideBySide ? 'row' : 'column'} height={layout.body.height - layout.timeline.height}>
				{layout.list.height > 0 ? (
					<AlertList
						title={title}
						rows={visible}
						selected={selected - scrollTop.current}
						width={layout.list.width}
						height={layout.list.height}
						focused={focus === 'list'}
						emptyText={emptyText}
						spec={search.spec ?? spec}
						isMatch={matches ? event => matches.has(event.seq) : undefined}
						today={localDayStart(now)}
					/>
				) : null}
				<DetailPane
					event={selectedEvent}
					width={layout.detail.width}
					height={layout.detail.height}
					focused={focus === 'detail'}
					scroll={Math.min(detailScroll, detailMax)}
					spec={spec}
					raw={raw}
				/>
			</Box>
		);
	}

	return (
		<Box flexDirection="column" width={columns} height={rows - 1}>
			<Header store={store} version={store.getVersion()} now={now} columns={columns} chips={chips} />
			{layout.timeline.height > 0 && !help && !picker && !groups.picker ? (
				<TimelinePane timeline={timeline} cursor={timelineCursor} width={columns} height={layout.timeline.height} focused={focus === 'timeline'} />
			) : null}
			{body}
			{act.save ? (
				<SavePrompt save={act.save} columns={columns} />
			) : prompt ? (
				<SearchPrompt prompt={prompt} columns={columns} />
			) : search.prompt ? (
				<SearchPrompt prompt={search.prompt} columns={columns} lead="find " hint="Enter find (n N next / previous) · Esc cancel · empty ends it" />
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
					focus={focus === 'detail' ? 'detail' : 'list'}
					columns={columns}
					notice={act.notice && now - act.notice.at < noticeMs ? act.notice : undefined}
					memoryNotice={store.memoryNotice()}
				/>
			)}
		</Box>
	);
}
