import type {Key} from 'ink';

export type Command =
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
	| 'cycleOperation'
	| 'cycleAction'
	| 'severityUp'
	| 'severityDown'
	| 'pickNamespace'
	| 'pickPolicy'
	| 'clearFilters'
	| 'help'
	| 'quit'
	// While typing in the `/` prompt or a picker:
	| 'submit'
	| 'cancel'
	| 'historyBack'
	| 'historyForward'
	| 'deleteChar'
	| 'clearText';

/** Where a binding applies: the main screen, the `/` prompt, or a picker (which also takes typed text). */
export type KeyContext = 'main' | 'prompt' | 'picker';

type NamedKey =
	| 'upArrow'
	| 'downArrow'
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

export type Binding = {
	command: Command;
	/** Default: main. */
	context?: KeyContext;
	keys: KeyPress[];
	/** How the help overlay writes the keys. */
	label: string;
	help: string;
	/** Short hint for the footer; bindings without one are only in the help overlay. */
	hint?: string;
};

/** The one keymap: input handling and the help overlay both read this table, so they cannot disagree. */
export const keymap: readonly Binding[] = [
	{command: 'down', keys: [{input: 'j'}, {name: 'downArrow'}], label: 'j ↓', help: 'select the next (older) event'},
	{command: 'up', keys: [{input: 'k'}, {name: 'upArrow'}], label: 'k ↑', help: 'select the previous (newer) event'},
	{command: 'pageDown', keys: [{name: 'pageDown'}, {input: 'f', ctrl: true}], label: 'PgDn ^F', help: 'one page down'},
	{command: 'pageUp', keys: [{name: 'pageUp'}, {input: 'b', ctrl: true}], label: 'PgUp ^B', help: 'one page up'},
	{command: 'newest', keys: [{input: 'g'}, {name: 'home'}], label: 'g Home', help: 'newest event, follow new ones', hint: 'g follow'},
	{command: 'oldest', keys: [{input: 'G'}, {name: 'end'}], label: 'G End', help: 'oldest retained event'},
	{command: 'detail', keys: [{name: 'return'}, {name: 'tab'}], label: 'Enter Tab', help: 'focus the detail pane (j k scroll it)', hint: '⏎ detail'},
	{command: 'back', keys: [{name: 'escape'}], label: 'Esc', help: 'back to the list / close help'},
	{command: 'pause', keys: [{input: ' '}], label: 'space', help: 'pause / resume the list (counters keep counting)', hint: 'space pause'},
	{command: 'search', keys: [{input: '/'}], label: '/', help: 'filter: fuzzy words, field:value, sev>=N, !not, /regex/', hint: '/ filter'},
	{command: 'cycleOperation', keys: [{input: 'o'}], label: 'o', help: 'cycle the Operation filter through the values seen'},
	{command: 'cycleAction', keys: [{input: 'a'}], label: 'a', help: 'cycle the Action filter through the values seen'},
	{command: 'severityUp', keys: [{input: 's'}], label: 's', help: 'raise the minimum severity'},
	{command: 'severityDown', keys: [{input: 'S'}], label: 'S', help: 'lower the minimum severity'},
	{command: 'pickNamespace', keys: [{input: 'n'}], label: 'n', help: 'pick a namespace (type to search)'},
	{command: 'pickPolicy', keys: [{input: 'p'}], label: 'p', help: 'pick a policy (type to search)'},
	{command: 'clearFilters', keys: [{input: 'x'}], label: 'x', help: 'clear every filter', hint: 'x clear'},
	{command: 'help', keys: [{input: '?'}], label: '?', help: 'this help', hint: '? help'},
	{command: 'quit', keys: [{input: 'q'}, {input: 'c', ctrl: true}], label: 'q ^C', help: 'quit', hint: 'q quit'},
	{command: 'submit', context: 'prompt', keys: [{name: 'return'}], label: 'Enter', help: 'keep the filter'},
	{command: 'cancel', context: 'prompt', keys: [{name: 'escape'}], label: 'Esc', help: 'restore the previous filter'},
	{command: 'historyBack', context: 'prompt', keys: [{name: 'upArrow'}], label: '↑ ↓', help: 'earlier / later queries'},
	{command: 'historyForward', context: 'prompt', keys: [{name: 'downArrow'}], label: '', help: ''},
	{command: 'deleteChar', context: 'prompt', keys: [{name: 'backspace'}, {name: 'delete'}], label: 'Backspace', help: 'delete a character'},
	{command: 'clearText', context: 'prompt', keys: [{input: 'u', ctrl: true}], label: '^U', help: 'clear the query'},
	{command: 'submit', context: 'picker', keys: [{name: 'return'}], label: 'Enter', help: 'pick the selected value'},
	{command: 'cancel', context: 'picker', keys: [{name: 'escape'}], label: 'Esc', help: 'close without picking'},
	{command: 'down', context: 'picker', keys: [{name: 'downArrow'}, {input: 'n', ctrl: true}], label: '↓ ↑', help: 'move; type to search'},
	{command: 'up', context: 'picker', keys: [{name: 'upArrow'}, {input: 'p', ctrl: true}], label: '', help: ''},
	{command: 'deleteChar', context: 'picker', keys: [{name: 'backspace'}, {name: 'delete'}], label: 'Backspace', help: 'delete a character'},
];

/** The keymap as help, read by the `?` overlay and `--help`: a title per context, then a line per binding. */
export type KeyHelpLine = {kind: 'title'; context: KeyContext; text: string} | {kind: 'key'; keys: string; text: string};

const contextTitles: Record<KeyContext, string> = {main: 'keys', prompt: 'in the / prompt', picker: 'in a picker'};

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

/** The command bound to a key press in a context, if any. */
export function commandFor(input: string, key: Key, context: KeyContext = 'main'): Command | undefined {
	for (const binding of keymap) {
		if ((binding.context ?? 'main') !== context) continue;
		if (binding.keys.some(press => matches(press, input, key))) return binding.command;
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
			return ['', {...noKey, delete: true}];
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
