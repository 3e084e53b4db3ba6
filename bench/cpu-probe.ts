// Loaded with `node --import` into a measured process: when it exits, it writes the CPU time it used (user +
// system, every thread, in ms) as one JSON line to file descriptor 3, which the bench opened as a pipe.
import {writeSync} from 'node:fs';

process.on('exit', () => {
	const {user, system} = process.cpuUsage();
	writeSync(3, `${JSON.stringify({cpuMs: (user + system) / 1000})}\n`);
});
