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
	| 'help'
	| 'quit';

type NamedKey = 'upArrow' | 'downArrow' | 'pageUp' | 'pageDown' | 'home' | 'end' | 'return' | 'tab' | 'escape';

/** One way to press a key: a typed character, a named key, or Ctrl plus a letter. */
export type KeyPress = {input: string; ctrl?: boolean} | {name: NamedKey};

export type Binding = {
	command: Command;
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
	{command: 'help', keys: [{input: '?'}], label: '?', help: 'this help', hint: '? help'},
	{command: 'quit', keys: [{input: 'q'}, {input: 'c', ctrl: true}], label: 'q ^C', help: 'quit', hint: 'q quit'},
];

function matches(press: KeyPress, input: string, key: Key): boolean {
	if ('name' in press) return key[press.name];
	if (press.ctrl) return key.ctrl && input === press.input;
	return !key.ctrl && !key.meta && input === press.input;
}

/** The command bound to a key press, if any. */
export function commandFor(input: string, key: Key): Command | undefined {
	for (const binding of keymap) {
		if (binding.keys.some(press => matches(press, input, key))) return binding.command;
	}

	return undefined;
}
