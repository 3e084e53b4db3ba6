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

/**
 * Raw mode again, after a process sharing the terminal reset it. In `node gen.js | armorwatch` the producer's
 * stdin is the same terminal, and Node restores, as it exits, the terminal modes it found when it started
 * (cooked, before armorwatch went raw): from then on keys echo and wait for Enter. The producer's exit is what
 * ends our input, so the caller does this when a source ends. libuv skips setting the mode it believes is set,
 * so raw mode is left and entered again. Nothing to do once the monitor has let go of the terminal.
 */
export function reassertRawMode(keyboard: NodeJS.ReadStream): void {
	if (!keyboard.isTTY || !keyboard.isRaw || keyboard.destroyed) return;
	try {
		keyboard.setRawMode(false);
		keyboard.setRawMode(true);
	} catch {}
}
