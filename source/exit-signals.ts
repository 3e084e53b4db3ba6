import {constants} from 'node:os';

/** The signals that end armorwatch with its work finished: Ctrl-C, kill, a closed terminal. */
export const exitSignals: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** The status a shell reports for a program stopped by `signal`: 128 + its number (SIGINT 130, SIGTERM 143). */
export function signalExitCode(signal: NodeJS.Signals): number {
	return 128 + constants.signals[signal];
}

/**
 * Call `finish` at the first of `signals`: the mode stops reading, prints what it read (the summary), restores
 * the terminal, and exits with signalExitCode. A second signal exits at once with that code ('exit' handlers
 * still restore the terminal): output stuck behind a reader that stopped reading must not make Ctrl-C hang.
 * Returns a function that removes the handlers.
 */
export function onExitSignal(finish: (signal: NodeJS.Signals) => void, signals = exitSignals): () => void {
	let first: NodeJS.Signals | undefined;
	const handler = (signal: NodeJS.Signals): void => {
		if (first) process.exit(signalExitCode(first));
		first = signal;
		finish(signal);
	};

	for (const signal of signals) process.on(signal, handler);
	return () => {
		for (const signal of signals) process.off(signal, handler);
	};
}
