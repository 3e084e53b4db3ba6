import {openSync} from 'node:fs';
import {ReadStream} from 'node:tty';

const enterAlternateScreen = '\u001B[?1049h\u001B[H';
const leaveAlternateScreen = '\u001B[?1049l';
const showCursor = '\u001B[?25h';

/**
 * Where keys come from. When events arrive on stdin, the keyboard is the terminal itself: /dev/tty.
 * Returns undefined when there is no terminal to read (cron, CI): the caller falls back to line mode.
 */
export function openKeyboard(stdinCarriesData: boolean): NodeJS.ReadStream | undefined {
	if (!stdinCarriesData && process.stdin.isTTY) return process.stdin;
	try {
		const stream = new ReadStream(openSync('/dev/tty', 'r'));
		return stream as unknown as NodeJS.ReadStream;
	} catch {
		return undefined;
	}
}

/**
 * Full screen on the alternate screen, and a restore that runs on every way out: a normal quit, a signal,
 * an uncaught exception. Restoring twice is harmless.
 */
export function takeOverTerminal(stdout: NodeJS.WriteStream, keyboard: NodeJS.ReadStream): () => void {
	let restored = false;
	const restore = () => {
		if (restored) return;
		restored = true;
		try {
			if (keyboard.isTTY) keyboard.setRawMode(false);
		} catch {}

		stdout.write(leaveAlternateScreen + showCursor);
	};

	stdout.write(enterAlternateScreen);
	process.once('exit', restore);
	return restore;
}
