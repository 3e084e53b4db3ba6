import type {Key} from 'ink';
import {isEditCommand, type EditCommand, type LineEdit} from './edit-commands.js';

/** What the list screen does (the detail pane, when focused, takes the same keys; see use-list-commands.ts). */
export type MainCommand =
	| 'down'
	| 'up'
	| 'pageDown'
	| 'pageUp'
	| 'newest'
	| 'oldest'
	| 'detail'
	| 'back'
	| 'pause'
	| 'search'
	| 'find'
	| 'nextMatch'
	| 'previousMatch'
	| 'cycleOperation'
	| 'cycleAction'
	| 'severityUp'
	| 'severityDown'
	| 'pickNamespace'
	| 'pickPolicy'
	| 'clearFilters'
	| 'groups'
	| 'timeline'
	| 'focusTimeline'
	| 'help'
	| 'redraw'
	| 'quit'
	// Acting on what was found (source/ui/hooks/use-act.ts):
	| 'copy'
	| 'save'
	| 'raw'
	| 'draftPolicy';

/** In the group list (besides the list's keys). */
export type GroupCommand = 'openGroup' | 'cycleOrder' | 'pickFields';

/** In the timeline, when focused (T). */
export type TimelineCommand = 'earlier' | 'later' | 'jump' | 'back';

/** In the `/` prompt (besides the edits of its text, see line-editor.ts). */
export type PromptCommand = 'submit' | 'cancel' | 'historyBack' | 'historyForward';
/** In a picker (besides the edits of its search text). */
export type PickerCommand = 'submit' | 'cancel' | 'down' | 'up';
/** In the help overlay. */
export type HelpCommand = 'back' | 'down' | 'up' | 'pageDown' | 'pageUp' | 'quit';

/** In the save prompt (besides the edits of the file name), and when the file named exists. */
export type SaveCommand = 'submit' | 'cancel';
export type ConfirmCommand = 'overwrite' | 'cancel';
/** In a policy draft. */
export type PolicyCommand = 'nextAction' | 'copy' | 'save' | 'down' | 'up' | 'back';

/** Each context's commands: a mode's handlers are a Record of its union, so a bound key with no handler does not compile. */
export type CommandOf = {
	main: MainCommand;
	groups: GroupCommand;
	timeline: TimelineCommand;
	prompt: PromptCommand;
	edit: EditCommand;
	picker: PickerCommand;
	help: HelpCommand;
	save: SaveCommand;
	confirm: ConfirmCommand;
	policy: PolicyCommand;
};

/**
 * Where a binding applies: the main screen, the `/` prompt, a picker, the help overlay; `edit` bindings apply
 * in the prompt and in a picker alike (both edit a line of text, and take typed text).
 */
export type KeyContext = keyof CommandOf;

/** What a key press means in a context: the prompt and a picker also take the line edits. */
export type ContextCommand<C extends KeyContext> = C extends 'prompt' | 'picker' | 'save' ? CommandOf[C] | EditCommand : CommandOf[C];

type NamedKey =
	| 'upArrow'
	| 'downArrow'
	| 'leftArrow'
	| 'rightArrow'
	| 'pageUp'
	| 'pageDown'
	| 'home'
	| 'end'
	| 'return'
	| 'tab'
	| 'escape'
	| 'backspace'
	| 'delete';

/** One way to press a key: a typed character, a named key, or Ctrl plus a letter. */
export type KeyPress = {input: string; ctrl?: boolean} | {name: NamedKey};

/** The main screen's bindings leave out their context. */
type BindingOf<C extends KeyContext> = C extends 'main' ? {command: MainCommand; context?: 'main'} : {command: CommandOf[C]; context: C};

/** A key binding: its command is one of its context's (a typo or a command of another mode does not compile). */
export type Binding = BindingOf<KeyContext> & {
	keys: KeyPress[];
	/** How the help overlay writes the keys. */
	label: string;
	help: string;
	/** Short hint for the footer; bindings without one are only in the help overlay. */
	hint?: string;
};

const ctrl = (input: string): KeyPress => ({input, ctrl: true});

/**
 * The one keymap: input handling, the `?` overlay and `--help` all read this table, so they cannot disagree.
 * Help texts stay within 47 columns: the overlay then fits in two columns, uncut, from 120 columns wide.
 */
export const keymap: readonly Binding[] = [
	{command: 'down', keys: [{input: 'j'}, {name: 'downArrow'}], label: 'j ↓', help: 'select the next (older) event'},
	{command: 'up', keys: [{input: 'k'}, {name: 'upArrow'}], label: 'k ↑', help: 'select the previous (newer) event'},
	{command: 'pageDown', keys: [{name: 'pageDown'}, ctrl('f')], label: 'PgDn ^F', help: 'one page down'},
	{command: 'pageUp', keys: [{name: 'pageUp'}, ctrl('b')], label: 'PgUp ^B', help: 'one page up'},
	{command: 'newest', keys: [{input: 'g'}, {name: 'home'}], label: 'g Home', help: 'newest event, follow new ones; detail: its top', hint: 'g follow'},
	{command: 'oldest', keys: [{input: 'G'}, {name: 'end'}], label: 'G End', help: 'oldest retained event; detail: its end'},
	{command: 'detail', keys: [{name: 'return'}, {name: 'tab'}], label: 'Enter Tab', help: 'focus the detail pane (j k scroll it)', hint: '⏎ detail'},
	{command: 'back', keys: [{name: 'escape'}], label: 'Esc', help: 'back to the list'},
	{command: 'pause', keys: [{input: ' '}], label: 'space', help: 'pause / resume (counters keep counting)', hint: 'space pause'},
	{command: 'search', keys: [{input: '/'}], label: '/', help: 'filter: words, field:value, sev>=N, !not, /re/', hint: '/ filter'},
	{command: 'find', keys: [{input: 'f'}], label: 'f', help: 'find (same queries), hiding nothing', hint: 'f find'},
	{command: 'nextMatch', keys: [{input: 'n'}], label: 'n', help: 'next (older) match of the find'},
	{command: 'previousMatch', keys: [{input: 'N'}], label: 'N', help: 'previous (newer) match of the find'},
	{command: 'cycleOperation', keys: [{input: 'o'}], label: 'o', help: 'cycle the Operation filter through values seen'},
	{command: 'cycleAction', keys: [{input: 'a'}], label: 'a', help: 'cycle the Action filter through values seen'},
	{command: 'severityUp', keys: [{input: 's'}], label: 's', help: 'raise the minimum severity'},
	{command: 'severityDown', keys: [{input: 'S'}], label: 'S', help: 'lower the minimum severity'},
	{command: 'pickNamespace', keys: [{input: ':'}], label: ':', help: 'pick a namespace (counts within the filter)'},
	{command: 'pickPolicy', keys: [{input: 'p'}], label: 'p', help: 'pick a policy (counts within the filter)'},
	{command: 'clearFilters', keys: [{input: 'x'}], label: 'x', help: 'clear every filter', hint: 'x clear'},
	{command: 'groups', keys: [{input: '='}], label: '=', help: 'list events / groups of alike events', hint: '= groups'},
	{command: 'timeline', keys: [{input: 't'}], label: 't', help: 'show / hide the timeline'},
	{command: 'focusTimeline', keys: [{input: 'T'}], label: 'T', help: 'move along the timeline (Enter: go there)'},
	{command: 'copy', keys: [{input: 'y'}], label: 'y w', help: 'copy the event (OSC 52) / save the view', hint: 'y copy'},
	{command: 'save', keys: [{input: 'w'}], label: '', help: ''},
	{command: 'raw', keys: [{input: 'r'}], label: 'r P', help: 'the JSON as received / a policy draft'},
	{command: 'draftPolicy', keys: [{input: 'P'}], label: '', help: ''},
	{command: 'help', keys: [{input: '?'}], label: '?', help: 'this help', hint: '? help'},
	{command: 'redraw', keys: [ctrl('l')], label: '^L', help: 'draw the whole screen again'},
	{command: 'quit', keys: [{input: 'q'}, ctrl('c')], label: 'q ^C', help: 'quit', hint: 'q quit'},
	{command: 'openGroup', context: 'groups', keys: [{name: 'return'}], label: 'Enter', help: "the group's events (Esc: back to the groups)"},
	{command: 'cycleOrder', context: 'groups', keys: [{input: 'O'}], label: 'O', help: 'order by count, last seen, severity'},
	{command: 'pickFields', context: 'groups', keys: [{input: 'F'}], label: 'F', help: 'choose the fields a group is made of'},
	{command: 'earlier', context: 'timeline', keys: [{name: 'leftArrow'}, {input: 'h'}], label: '← → h l', help: 'an earlier / later bucket'},
	{command: 'later', context: 'timeline', keys: [{name: 'rightArrow'}, {input: 'l'}], label: '', help: ''},
	{command: 'jump', context: 'timeline', keys: [{name: 'return'}], label: 'Enter', help: "the list to the bucket's newest event"},
	{command: 'back', context: 'timeline', keys: [{name: 'escape'}, {input: 'T'}], label: 'Esc T', help: 'back to the list'},
	{command: 'submit', context: 'prompt', keys: [{name: 'return'}], label: 'Enter', help: 'keep the query (an empty one clears it)'},
	{command: 'cancel', context: 'prompt', keys: [{name: 'escape'}], label: 'Esc', help: 'restore the query from before'},
	{command: 'historyBack', context: 'prompt', keys: [{name: 'upArrow'}], label: '↑ ↓', help: 'earlier / later queries, to edit'},
	{command: 'historyForward', context: 'prompt', keys: [{name: 'downArrow'}], label: '', help: ''},
	{command: 'cursorLeft', context: 'edit', keys: [{name: 'leftArrow'}], label: '← →', help: 'move the cursor'},
	{command: 'cursorRight', context: 'edit', keys: [{name: 'rightArrow'}], label: '', help: ''},
	{command: 'lineStart', context: 'edit', keys: [{name: 'home'}, ctrl('a')], label: 'Home ^A', help: 'to the start of the line'},
	{command: 'lineEnd', context: 'edit', keys: [{name: 'end'}, ctrl('e')], label: 'End ^E', help: 'to the end of the line'},
	{command: 'deleteBack', context: 'edit', keys: [{name: 'backspace'}], label: 'Backspace', help: 'delete the character before the cursor'},
	{command: 'deleteForward', context: 'edit', keys: [{name: 'delete'}], label: 'Delete', help: 'delete the character under the cursor'},
	{command: 'deleteWordBack', context: 'edit', keys: [ctrl('w')], label: '^W', help: 'delete the word before the cursor'},
	{command: 'killToStart', context: 'edit', keys: [ctrl('u')], label: '^U', help: 'delete to the start of the line'},
	{command: 'killToEnd', context: 'edit', keys: [ctrl('k')], label: '^K', help: 'delete to the end of the line'},
	{command: 'submit', context: 'picker', keys: [{name: 'return'}], label: 'Enter', help: 'pick the selected value'},
	{command: 'cancel', context: 'picker', keys: [{name: 'escape'}], label: 'Esc', help: 'close without picking'},
	{command: 'down', context: 'picker', keys: [{name: 'downArrow'}, ctrl('n')], label: '↓ ↑', help: 'move; type to search'},
	{command: 'up', context: 'picker', keys: [{name: 'upArrow'}, ctrl('p')], label: '', help: ''},
	// The save prompt says "Enter save · Esc cancel" itself (and edits as the / prompt does): not in the help.
	{command: 'submit', context: 'save', keys: [{name: 'return'}], label: '', help: ''},
	{command: 'cancel', context: 'save', keys: [{name: 'escape'}], label: '', help: ''},
	// The prompt says "y replace · n keep it" itself: not in the help either, which must fit whole at 120x40.
	{command: 'overwrite', context: 'confirm', keys: [{input: 'y'}], label: '', help: ''},
	{command: 'cancel', context: 'confirm', keys: [{input: 'n'}, {name: 'escape'}], label: '', help: ''},
	{command: 'nextAction', context: 'policy', keys: [{name: 'tab'}], label: 'Tab', help: 'action: Block, Audit, Allow'},
	{command: 'copy', context: 'policy', keys: [{input: 'y'}], label: 'y w j k', help: 'copy (OSC 52), save (YAML), scroll; Esc close'},
	{command: 'save', context: 'policy', keys: [{input: 'w'}], label: '', help: ''},
	{command: 'down', context: 'policy', keys: [{input: 'j'}, {name: 'downArrow'}], label: '', help: ''},
	{command: 'up', context: 'policy', keys: [{input: 'k'}, {name: 'upArrow'}], label: '', help: ''},
	{command: 'back', context: 'policy', keys: [{name: 'escape'}, {input: 'q'}], label: '', help: ''},
	{command: 'back', context: 'help', keys: [{name: 'escape'}, {input: 'q'}, {input: '?'}], label: 'Esc q ?', help: 'close the help'},
	{command: 'down', context: 'help', keys: [{input: 'j'}, {name: 'downArrow'}], label: 'j k ↓ ↑', help: 'scroll a line'},
	{command: 'up', context: 'help', keys: [{input: 'k'}, {name: 'upArrow'}], label: '', help: ''},
	{command: 'pageDown', context: 'help', keys: [{name: 'pageDown'}, ctrl('f')], label: 'PgDn PgUp', help: 'scroll a page'},
	{command: 'pageUp', context: 'help', keys: [{name: 'pageUp'}, ctrl('b')], label: '', help: ''},
	{command: 'quit', context: 'help', keys: [ctrl('c')], label: '^C', help: 'quit'},
];

/** The keymap as help, read by the `?` overlay and `--help`: a title per context, then a line per binding. */
export type KeyHelpLine = {kind: 'title'; context: KeyContext; text: string} | {kind: 'key'; keys: string; text: string};

const contextTitles: Record<KeyContext, string> = {
	main: 'keys',
	groups: 'in the group list (and the keys above)',
	timeline: 'in the timeline',
	prompt: 'in the / prompt (opens empty; ↑ recalls the last query)',
	edit: 'editing text (a prompt, a picker)',
	picker: 'in a picker',
	help: 'in the help',
	save: 'saving (w): the name edits as above',
	confirm: 'when the file exists',
	policy: 'in a policy draft (P)',
};

export function keyHelp(): KeyHelpLine[] {
	const lines: KeyHelpLine[] = [];
	let context: KeyContext | undefined;
	// Bindings without a label are the second half of a pair described on the line before (↑ ↓).
	for (const binding of keymap) {
		if (binding.label === '') continue;
		const bindingContext = binding.context ?? 'main';
		if (bindingContext !== context) {
			context = bindingContext;
			lines.push({kind: 'title', context, text: contextTitles[context]});
		}

		lines.push({kind: 'key', keys: binding.label, text: binding.help});
	}

	return lines;
}

function matches(press: KeyPress, input: string, key: Key): boolean {
	if ('name' in press) return key[press.name];
	if (press.ctrl) return key.ctrl && input === press.input;
	return !key.ctrl && !key.meta && input === press.input;
}

/** The command bound to a key press in a context, if any; the prompt and a picker also take the line edits. */
export function commandFor<C extends KeyContext>(input: string, key: Key, context: C): ContextCommand<C> | undefined {
	const contexts: KeyContext[] = context === 'prompt' || context === 'picker' || context === 'save' ? [context, 'edit'] : [context];
	for (const each of contexts) {
		for (const binding of keymap) {
			if ((binding.context ?? 'main') !== each) continue;
			// The binding's context is `each`, one of C's: its command is one of ContextCommand<C>.
			if (binding.keys.some(press => matches(press, input, key))) return binding.command as ContextCommand<C>;
		}
	}

	return undefined;
}

const noKey: Key = {
	upArrow: false,
	downArrow: false,
	leftArrow: false,
	rightArrow: false,
	pageDown: false,
	pageUp: false,
	home: false,
	end: false,
	return: false,
	escape: false,
	ctrl: false,
	shift: false,
	tab: false,
	backspace: false,
	delete: false,
	meta: false,
	super: false,
	hyper: false,
	capsLock: false,
	numLock: false,
};

/** A control character, captured so that split() keeps it. */
const controlCharacter = /([\u0000-\u001F\u007F])/;

/**
 * What ink hands over at once, cut into the pieces a handler can take. ink splits a read only at escape
 * sequences, so keys that come together (a held j while a frame is drawn, typing over a slow SSH link, a filter
 * pasted with its Enter) arrive as one string, "jjj" or "shdow\r". Each control character (Enter, Tab,
 * Backspace, Ctrl plus a letter) becomes the press ink makes of it alone; the text between stays one piece,
 * which the screen takes key by key and the prompt as typed text (a long paste stays one edit).
 */
export function keyPresses(input: string, key: Key): Array<[input: string, key: Key]> {
	if (input.length <= 1 || key.meta || key.escape || !controlCharacter.test(input)) return [[input, key]];
	// Split with a capturing group: text and the control characters between it, in order.
	return input
		.split(controlCharacter)
		.filter(piece => piece !== '')
		.map(piece => (controlCharacter.test(piece) ? pressOf(piece) : [piece, noKey]));
}

function pressOf(character: string): [string, Key] {
	switch (character) {
		case '\r': {
			return [character, {...noKey, return: true}];
		}

		case '\t': {
			return ['', {...noKey, tab: true}];
		}

		case '\b': {
			return ['', {...noKey, backspace: true}];
		}

		case '\u007F': {
			// What the Backspace key sends on Linux and macOS terminals (the Delete key sends ESC [3~).
			return ['', {...noKey, backspace: true}];
		}

		default: {
			const code = character.charCodeAt(0);
			// Ctrl plus a letter arrives as 1..26, and ink names it by the letter. Other controls go on as they are
			// (no binding takes them, and typedText drops them).
			if (code >= 1 && code <= 26) return [String.fromCharCode(code + 96), {...noKey, ctrl: true}];
			return [character, noKey];
		}
	}
}

/** Typed text for the prompt and pickers: printable characters only, never a control or escape sequence. */
export function typedText(input: string, key: Key): string {
	if (key.ctrl || key.meta || key.escape || key.return || key.tab) return '';
	return input.replaceAll(/[\u0000-\u001F\u007F-\u009F]/g, '');
}

/** The edit a key makes to a line of text (the prompt, a picker's search): a bound edit, or the text typed. */
export function lineEditFor(command: string | undefined, input: string, key: Key): LineEdit | undefined {
	if (isEditCommand(command)) return {type: command};
	if (command !== undefined) return undefined;
	const text = typedText(input, key);
	return text === '' ? undefined : {type: 'insert', text};
}
