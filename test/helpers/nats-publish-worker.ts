// `armorwatch publish`'s publisher in a worker thread, for tests where the main thread stalls on purpose (a slow
// consumer): it publishes `count` copies of `line`, waits until the server has read them all, then raises
// `flag[0]` (Atomics) so the stalled thread can stop waiting. A message "more" publishes one more and answers
// "sent".
import {isMainThread, parentPort, workerData} from 'node:worker_threads';
import {eventSubject} from '../../source/feed/nats/subjects.js';
import {normalize} from '../../source/model/normalize.js';
import {jsonLine} from '../../source/model/sanitize.js';
import {NatsPublisher} from '../../source/publish/publisher.js';

type Job = {url: string; line: string; count: number; flag: Int32Array};

async function publishJob({url, line, count, flag}: Job): Promise<void> {
	const event = normalize(JSON.parse(line), 'worker', Date.now());
	if (typeof event === 'string') throw new Error(event);
	const subject = eventSubject('kubearmor', event.kind, event.fields);
	const payload = jsonLine(event.fields);
	const publisher = new NatsPublisher({to: url, prefix: 'kubearmor', bufferEvents: count + 10, log: () => undefined});
	publisher.start();
	for (let index = 0; index < count; index++) publisher.publish(subject, payload);
	await publisher.flush(30_000);
	Atomics.store(flag, 0, 1);
	Atomics.notify(flag, 0);
	parentPort!.on('message', async (message: string) => {
		if (message === 'more') {
			publisher.publish(subject, payload);
			await publisher.flush(10_000);
			parentPort!.postMessage('sent');
		} else if (message === 'close') {
			await publisher.close();
			parentPort!.close();
		}
	});
	parentPort!.postMessage('published');
}

// `node --test dist/test/` loads every file, this one too: as the main thread it has nothing to do.
if (!isMainThread) await publishJob(workerData as Job);
