import {readFileSync} from 'node:fs';

/**
 * CPU time (ms) the calling thread has run, from Linux's /proc/thread-self/schedstat (nanoseconds on a CPU);
 * undefined where there is no such file. process.cpuUsage() counts every thread: V8's background threads
 * (concurrent marking and sweeping after the work before, optimizing compilers) run beside a synchronous call on
 * a second core, and were more than half of what it reported for one (the first group build: 26-58 ms of the
 * main thread in 62-133 ms of the process).
 */
export function threadCpuMs(): number | undefined {
	try {
		return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
	} catch {
		return undefined;
	}
}
