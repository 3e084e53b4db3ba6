import '../helpers/interactive.js';
import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import stringWidth from 'string-width';
import {Screen} from '../../source/ui/screen.js';
import {Ingest} from '../../source/feed/ingest.js';
import {EventStore} from '../../source/store/event-store.js';
import {localDateTime} from '../../source/ui/dates.js';
import {sampleLines} from '../helpers/samples.js';
import {renderAt, until} from '../helpers/ui.js';

// How events and the screen's width meet: times and dates, the action words, and where the columns go.

const cleanups: Array<() => void> = [];
afterEach(() => {
	for (const cleanup of cleanups.splice(0)) cleanup();
});

function setup(columns: number, rows: number, now?: () => number) {
	const store = new EventStore({maxEvents: 1000, notifyIntervalMs: 10, now});
	const ingest = new Ingest(store);
	const app = renderAt(<Screen store={store} size={{columns, rows}} />);
	app.resize(columns, <Screen store={store} size={{columns, rows}} />);
	cleanups.push(() => {
		app.unmount();
		store.close();
	});
	return {store, ingest, app, frame: app.frame};
}

function today(extra: Record<string, unknown>) {
	return {UpdatedTime: new Date().toISOString(), Operation: 'File', NamespaceName: 'payments', PodName: 'api-1', ...extra};
}

/** The list pane's width: its top border, from ┌ to the ┐ that closes it. */
function listPaneWidth(frame: string): number {
	const top = frame.split('\n').find(line => line.startsWith('┌ Events'))!;
	return stringWidth(top.slice(0, top.indexOf('┐') + 1));
}

test('the header says "1 event", not "1 events"', async () => {
	const {ingest, frame} = setup(80, 24);
	ingest.value(today({Action: 'Block'}), 'test');
	assert.match(await until(frame, text => /armorwatch\s+1 event/.test(text)), /armorwatch {2}1 event {2}/);
	ingest.value(today({Action: 'Audit'}), 'test');
	assert.match(await until(frame, text => text.includes('2 events')), /armorwatch {2}2 events {2}/);
});

test('at 120 columns the footer keeps the last malformed line\'s reason and the header the throttled container', async () => {
	const now = Date.now();
	const {ingest, frame} = setup(120, 40, () => now);
	for (const line of sampleLines()) ingest.line(line, 'samples');
	for (const Action of ['Audit (Block)', 'Audit (Allow)', 'Allow', 'Remove']) ingest.value(today({Action}), 'test');
	ingest.value(
		{
			UpdatedTime: new Date(now).toISOString(),
			Type: 'SystemEvent',
			Operation: 'AlertThreshold',
			NamespaceName: 'payments',
			PodName: 'api-7d9f8b6c4-x2x9z',
			ContainerName: 'api',
			MaxAlertsPerSec: 10,
			DroppingAlertsInterval: 30,
		},
		'test',
	);
	ingest.line('{"Action": "Block", oops', 'alerts.ndjson');
	const text = await until(frame, text => text.includes('74 events') && text.includes('malformed'));
	const lines = text.split('\n');
	assert.ok(lines.at(-1)!.includes('last: alerts.ndjson: not JSON: "{\\"Action\\": \\"Block\\", oops"'), lines.at(-1));
	assert.match(lines[2], /^ACTION Block 37 .*throttled: payments\/api-7d9f8b6c4-x2x9z\/api \(until \d\d:\d\d:\d\d\)$/);
	for (const line of lines) assert.ok(stringWidth(line) <= 120, line);
});

test('every row stays inside its pane at every width from 40 to 120 columns, and at 200', async () => {
	const {store, ingest, app, frame} = setup(200, 30);
	for (const line of sampleLines()) ingest.line(line, 'samples');
	for (const Action of ['Audit (Block)', 'Audit (Allow)', 'Remove']) ingest.value(today({Action, Resource: '/etc/ssl/private/key.pem'}), 'test');
	ingest.value(today({ProcessName: '/tmp/\u001B[2J\u001B]0;pwned\u0007evil', Resource: '日本語/ファイル/🚀/\u202Etxt.exe', PodName: 'ポッド-1'}), 'test');
	await until(frame, text => text.includes('73 events'));
	for (const columns of [...Array.from({length: 81}, (_, index) => 40 + index), 200]) {
		app.resize(columns, <Screen store={store} size={{columns, rows: 30}} />);
		// eslint-disable-next-line no-await-in-loop
		const text = await until(frame, text => text.split('\n').some(line => stringWidth(line) === columns && line.startsWith('┌')));
		const lines = text.split('\n');
		const bordered = lines.filter(line => /^[┌│└]/.test(line));
		assert.ok(bordered.length > 10, `${columns}: ${text}`);
		for (const line of bordered) {
			assert.equal(stringWidth(line), columns, `${columns} columns: ${line}`);
			assert.match(line, /[┐│┘]$/, `${columns} columns, right border lost: ${line}`);
		}

		for (const line of lines) assert.ok(stringWidth(line) <= columns, `${columns}: ${line}`);
	}
});

test('the list is no narrower at 120x40 than at 80x24, and takes the whole width at 100 columns', async () => {
	const widths: number[] = [];
	for (const [columns, rows] of [
		[80, 24],
		[100, 40],
		[120, 40],
	]) {
		const {ingest, frame} = setup(columns, rows);
		for (const line of sampleLines()) ingest.line(line, 'samples');
		// eslint-disable-next-line no-await-in-loop
		widths.push(listPaneWidth(await until(frame, text => text.includes('69 events'))));
	}

	assert.deepEqual(widths.slice(0, 2), [80, 100]);
	assert.ok(widths[2] >= widths[0], `120x40: ${widths[2]}, 80x24: ${widths[0]}`);
});

test('the resource takes the spare width: 30+ characters at 100 columns, a whole path at 200', async () => {
	const path = '/var/lib/mysql/wordpress/wp_options-2024-backup.ibd';
	for (const [columns, shown] of [
		[100, path.slice(0, 30)],
		[200, path],
	] as const) {
		const {ingest, frame} = setup(columns, 30);
		for (const line of sampleLines()) ingest.line(line, 'samples');
		ingest.value(today({Action: 'Block', NamespaceName: 'wordpress-mysql', PodName: 'mysql-74775b4bf4-65nqf', ProcessName: '/usr/sbin/mysqld', Resource: path}), 'test');
		// eslint-disable-next-line no-await-in-loop
		const text = await until(frame, text => text.includes('70 events'));
		const row = text.split('\n').find(line => line.includes('mysqld'))!;
		assert.ok(row.includes(shown), `${columns} columns: ${row}`);
	}
});

test('rows from other days show their date; an event without a time shows none, and the detail says so', async () => {
	const {ingest, app, frame} = setup(100, 40);
	ingest.line(sampleLines()[1], 'samples'); // 2023-09-28T12:13:09Z
	ingest.value(today({Action: 'Audit (Block)', ProcessName: '/usr/bin/today'}), 'test');
	ingest.line(sampleLines()[0], 'samples'); // no time of its own
	const text = await until(frame, text => text.includes('3 events') && text.includes('no time'));
	const rows = text.split('\n');
	const sampleDate = new Date(Date.parse('2023-09-28T12:13:09.159Z'));
	const month = sampleDate.toLocaleString('en-US', {month: 'short'});
	assert.ok(
		rows.some(line => line.includes(`${month} ${String(sampleDate.getDate()).padStart(2)}  2023`) && line.includes('BLOCK')),
		`last year's event shows its date:\n${text}`,
	);
	assert.ok(rows.some(line => /│› ?no time .*BLOCK/.test(line)), `the timeless event, selected:\n${text}`);
	assert.ok(rows.some(line => /\d\d:\d\d:\d\d .*AUDIT\(block\)/.test(line)), `today's event with its time:\n${text}`);
	assert.match(text, /time\s+none in the event/);
	assert.match(text, /received\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} [+-]\d\d:\d\d/);

	app.press('jj'); // the event from 2023
	const detail = await until(frame, text => text.includes('Detail #1'));
	const time = localDateTime(Date.parse('2023-09-28T12:13:09.159Z'));
	assert.ok(detail.replaceAll(/\n│ +/g, ' ').includes(`${time} (epoch`), detail);
});
