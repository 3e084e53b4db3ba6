import {setTimeout as sleep} from 'node:timers/promises';
import {stripVTControlCharacters} from 'node:util';

/** Let React and the throttled store notification catch up. */
export async function settle(ms = 60): Promise<void> {
	await sleep(ms);
}

/** The frame as the user reads it: no colour codes. */
export function plain(frame: string | undefined): string {
	return stripVTControlCharacters(frame ?? '');
}

export const keys = {
	down: '\u001B[B',
	up: '\u001B[A',
	enter: '\r',
	tab: '\t',
	escape: '\u001B',
	home: '\u001B[H',
	end: '\u001B[F',
	pageDown: '\u001B[6~',
	space: ' ',
} as const;
