import {setTimeout as sleep} from 'node:timers/promises';
import {stripVTControlCharacters} from 'node:util';
import {render} from 'ink-testing-library';
import type {ReactElement} from 'react';

/** Let React and the throttled store notification catch up. */
export async function settle(ms = 60): Promise<void> {
	await sleep(ms);
}

/**
 * Wait until the frame satisfies `check` (a loaded CI machine may need more than one tick), at most `ms`;
 * then return it. On time-out the last frame is returned and the caller's assertion reports it.
 */
export async function until(frame: () => string, check: (text: string) => boolean, ms = 3000): Promise<string> {
	const deadline = Date.now() + ms;
	let text = frame();
	while (!check(text) && Date.now() < deadline) {
		await sleep(20);
		text = frame();
	}

	return text;
}

/** The frame as the user reads it: no colour codes. */
export function plain(frame: string | undefined): string {
	return stripVTControlCharacters(frame ?? '');
}

export const keys = {
	down: '\u001B[B',
	up: '\u001B[A',
	left: '\u001B[D',
	right: '\u001B[C',
	enter: '\r',
	tab: '\t',
	escape: '\u001B',
	home: '\u001B[H',
	end: '\u001B[F',
	pageDown: '\u001B[6~',
	space: ' ',
	/** What the Backspace key sends (DEL); the Delete key sends ESC [3~. */
	backspace: '\u007F',
	delete: '\u001B[3~',
} as const;

/**
 * Render at any width: ink-testing-library's terminal says it is 100 columns, and ink cuts what is wider, so it
 * is told otherwise (as a terminal does on SIGWINCH).
 */
export function renderAt(tree: ReactElement) {
	const app = render(tree);
	return {
		frame: () => plain(app.lastFrame()),
		/** Draw `next` on a terminal `columns` wide. */
		resize: (columns: number, next: ReactElement) => {
			Object.defineProperty(app.stdout, 'columns', {get: () => columns, configurable: true});
			app.stdout.emit('resize');
			app.rerender(next);
		},
		press: (keys: string) => {
			app.stdin.write(keys);
		},
		unmount: () => {
			app.unmount();
		},
	};
}
