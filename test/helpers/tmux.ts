// The real terminal path: armorwatch inside tmux, keys sent to the terminal, the screen read back with
// capture-pane, and the terminal checked after every way out. Each test process has a tmux server of its own.
import assert from 'node:assert/strict';
import {execFileSync, spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after} from 'node:test';
import {setTimeout as sleep} from 'node:timers/promises';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const socket = `armorwatch-e2e-${process.pid}`;
export {cliPath as cli} from './cli.js';
export const scratch = mkdtempSync(join(tmpdir(), 'armorwatch-e2e-'));
/** CI must have tmux (.ci/run installs it); elsewhere a missing tmux skips with a reason. */
export const skip = hasTmux ? false : process.env['CI'] ? false : 'tmux is not installed';

after(() => {
	if (hasTmux) spawnSync('tmux', ['-L', socket, 'kill-server']);
});

export function tmux(...args: string[]): string {
	return execFileSync('tmux', ['-L', socket, ...args], {encoding: 'utf8'});
}

export function screen(session: string): string {
	return tmux('capture-pane', '-p', '-t', session);
}

export function paneFlag(session: string, flag: string): string {
	return tmux('display', '-p', '-t', session, `#{${flag}}`).trim();
}

/** Poll the screen until it matches, at most `ms`. */
export async function waitForScreen(session: string, pattern: RegExp, ms = 15_000): Promise<string> {
	const deadline = Date.now() + ms;
	let last = '';
	while (Date.now() < deadline) {
		last = screen(session);
		if (pattern.test(last)) return last;
		await sleep(100);
	}

	throw new Error(`screen never matched ${String(pattern)}:\n${last}`);
}

export async function keys(session: string, ...presses: string[]): Promise<void> {
	for (const press of presses) {
		tmux('send-keys', '-t', session, press);
		await sleep(150);
	}
}

/**
 * Start `command` (a bash command line) in a fresh 120x40 tmux session; afterwards the pane prints the exit code
 * and stty. Returns the file stty writes to.
 */
export function start(session: string, command: string): string {
	const sttyFile = join(scratch, `${session}.stty`);
	const script = `${command}; echo "EXIT=$?"; stty -a > ${sttyFile}; sleep 60`;
	tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '40', 'bash', '-c', script);
	return sttyFile;
}

/** The monitor exited with `exitCode` and left the terminal as it found it. */
export async function assertRestored(session: string, sttyFile: string, exitCode: string): Promise<void> {
	const text = await waitForScreen(session, /EXIT=\d+/);
	assert.match(text, new RegExp(`EXIT=${exitCode}`));
	assert.doesNotMatch(text, /Events \(newest first\)/, 'the monitor screen is gone: alternate screen left');
	assert.equal(paneFlag(session, 'alternate_on'), '0');
	assert.equal(paneFlag(session, 'cursor_flag'), '1', 'cursor shown');
	// The shell writes the stty file after printing EXIT: wait for it (a loaded machine takes a while).
	const deadline = Date.now() + 10_000;
	while (!existsSync(sttyFile) || statSync(sttyFile).size === 0) {
		if (Date.now() > deadline) throw new Error(`no ${sttyFile} from the shell`);
		await sleep(50);
	}

	const stty = readFileSync(sttyFile, 'utf8');
	assert.match(stty, /(^|\s)icanon(\s|$)/, 'raw mode off: canonical input back');
	assert.match(stty, /(^|\s)echo(\s|$)/, 'raw mode off: echo back');
}

/** Send `signal` to the armorwatch the pane's shell runs (meow sets its process title to the command name). */
export function signalMonitor(session: string, signal: string): void {
	execFileSync('pkill', [`-${signal}`, '-P', paneFlag(session, 'pane_pid'), '-x', 'armorwatch']);
}
