// The edits a key can make to a line of text, by the keymap's command names. A file of its own: the keymap (which
// --help reads) needs only these names, not the editor, whose measuring (string-width, Intl.Segmenter) costs
// tens of milliseconds to load.

/** The edits a key can make, by the keymap's command names. */
export const editCommands = [
	'cursorLeft',
	'cursorRight',
	'lineStart',
	'lineEnd',
	'deleteBack',
	'deleteForward',
	'deleteWordBack',
	'killToStart',
	'killToEnd',
] as const;
export type EditCommand = (typeof editCommands)[number];

export function isEditCommand(command: string | undefined): command is EditCommand {
	return (editCommands as readonly string[]).includes(command ?? '');
}

export type LineEdit = {type: EditCommand} | {type: 'insert'; text: string};
