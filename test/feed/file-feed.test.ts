import assert from 'node:assert/strict';
import {appendFileSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {after, test} from 'node:test';
import type {FeedSink, SourceStatus} from '../../source/feed/feed.js';
import {FileFeed} from '../../source/feed/ndjson-feed.js';

const scratch = mkdtempSync(join(tmpdir(), 'armorwatch-file-feed-'));
after(() => {
	rmSync(scratch, {recursive: true, force: true});
});

/** A sink that records the lines and the status details a feed delivers. */
function recorder(): FeedSink & {lines: string[]; details: string[]} {
	const lines: string[] = [];
	const details: string[] = [];
	return {
		lines,
		details,
		line(text) {
			lines.push(text);
		},
		value() {},
		malformed() {},
		oversized() {},
		status(status: SourceStatus) {
			if (status.detail) details.push(status.detail);
		},
	};
}

/** Wait until `check` holds, polling, for at most `ms` (the feed polls a followed file every 250 ms). */
async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
	const end = Date.now() + ms;
	while (!check()) {
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await sleep(20);
	}
}

const line = (n: number) => JSON.stringify({Operation: 'File', PID: n});

test('a followed file truncated in place (copy-truncate) is read again from its start', async () => {
	const file = join(scratch, 'truncated.ndjson');
	writeFileSync(file, `${line(1)}\n${line(2)}\n`);
	const sink = recorder();
	const feed = new FileFeed(file, true);
	feed.start(sink);
	try {
		await until(() => sink.lines.length === 2, 'the first two lines');
		truncateSync(file, 0);
		await until(() => sink.details.some(detail => detail.includes('truncated')), 'the truncation to be noticed');
		appendFileSync(file, `${line(3)}\n`);
		await until(() => sink.lines.length === 3, 'the line written after truncation');
		assert.deepEqual(sink.lines, [line(1), line(2), line(3)]);
	} finally {
		feed.stop();
		await feed.done;
	}
});

test('a followed file renamed away and created again (logrotate) is read to its end, then the new one', async () => {
	const file = join(scratch, 'rotated.ndjson');
	writeFileSync(file, `${line(1)}\n`);
	const sink = recorder();
	const feed = new FileFeed(file, true);
	feed.start(sink);
	try {
		await until(() => sink.lines.length === 1, 'the first line');
		renameSync(file, `${file}.1`);
		// The writer still has the old file open: what it writes now, a last line without its newline included,
		// is read before the feed moves on.
		appendFileSync(`${file}.1`, `${line(2)}\n${line(3)}`);
		await until(() => sink.lines.length === 2, 'a line written to the renamed file');
		writeFileSync(file, `${line(4)}\n`);
		await until(() => sink.lines.length === 4, 'the new file');
		assert.deepEqual(sink.lines, [line(1), line(2), line(3), line(4)]);
		assert.ok(sink.details.some(detail => detail.includes('rotated')), sink.details.join('; '));
		appendFileSync(file, `${line(5)}\n`);
		await until(() => sink.lines.length === 5, 'a line appended to the new file');
	} finally {
		feed.stop();
		await feed.done;
	}
});

test('without --follow a file is read once to its end', async () => {
	const file = join(scratch, 'once.ndjson');
	writeFileSync(file, `${line(1)}\n${line(2)}`);
	const sink = recorder();
	const feed = new FileFeed(file, false);
	feed.start(sink);
	await feed.done;
	assert.deepEqual(sink.lines, [line(1), line(2)]);
	assert.ok(sink.details.includes('end of file'));
});
