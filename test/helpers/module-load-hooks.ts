// ESM loader hooks (run off the main thread by node): append the URL of every module loaded to a file, as it
// loads, so a test can see which modules a run of the CLI needed. Registered by log-module-loads.ts.
import {appendFileSync} from 'node:fs';
import type {InitializeHook, LoadHook} from 'node:module';

let logFile: string | undefined;

export const initialize: InitializeHook<{file: string}> = data => {
	logFile = data.file;
};

export const load: LoadHook = async (url, context, nextLoad) => {
	if (logFile) appendFileSync(logFile, `${url}\n`);
	return nextLoad(url, context);
};
