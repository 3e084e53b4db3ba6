import {open} from 'node:fs/promises';
import {resolve} from 'node:path';

/** `armorwatch-20261202-031544.ndjson`: local date and time, sortable, in the working directory. */
export function defaultSaveName(now: Date): string {
	const pad = (n: number) => String(n).padStart(2, '0');
	const date = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}`;
	const time = `${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
	return `armorwatch-${date}-${time}.ndjson`;
}

export type SaveResult = {ok: true; path: string; lines: number; bytes: number} | {ok: false; path: string; exists: boolean; error: string};

/** The reason a write failed, in words. */
function describe(error: NodeJS.ErrnoException, path: string): string {
	switch (error.code) {
		case 'EEXIST': {
			return `${path} exists`;
		}

		case 'EACCES':
		case 'EPERM': {
			return `cannot write ${path}: permission denied`;
		}

		case 'ENOENT': {
			return `cannot write ${path}: no such directory`;
		}

		case 'EISDIR': {
			return `cannot write ${path}: it is a directory`;
		}

		case 'ENOSPC': {
			return `cannot write ${path}: the disk is full`;
		}

		default: {
			return `cannot write ${path}: ${error.message}`;
		}
	}
}

/**
 * Write `lines` (each one line of NDJSON, without its newline) to `path`. An existing file is never replaced
 * unless `overwrite` says so (the caller asked the user). Writes in pieces, so a large view does not need one
 * string of its whole size.
 */
export async function saveLines(path: string, lines: Iterable<string>, overwrite = false): Promise<SaveResult> {
	const full = resolve(path);
	let handle;
	try {
		handle = await open(full, overwrite ? 'w' : 'wx');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		return {ok: false, path: full, exists: code === 'EEXIST', error: describe(error as NodeJS.ErrnoException, full)};
	}

	let count = 0;
	let bytes = 0;
	try {
		let piece = '';
		for (const line of lines) {
			piece += line + '\n';
			count++;
			if (piece.length >= 256 * 1024) {
				bytes += (await handle.write(piece)).bytesWritten;
				piece = '';
			}
		}

		if (piece) bytes += (await handle.write(piece)).bytesWritten;
		await handle.close();
	} catch (error) {
		await handle.close().catch(() => undefined);
		return {ok: false, path: full, exists: false, error: describe(error as NodeJS.ErrnoException, full)};
	}

	return {ok: true, path: full, lines: count, bytes};
}
