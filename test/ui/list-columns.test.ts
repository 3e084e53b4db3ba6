import assert from 'node:assert/strict';
import {test} from 'node:test';
import {stripVTControlCharacters} from 'node:util';
import chalk from 'chalk';
import {columnNeeds} from '../../source/ui/components/alert-list.js';
import {localDayStart} from '../../source/ui/dates.js';
import {listColumns, rowWidth, type ColumnNeeds} from '../../source/ui/list-columns.js';
import {screenLayout} from '../../source/ui/screen-layout.js';
import {fitPieces} from '../../source/ui/paint.js';
import {makeEvent, sampleLines} from '../helpers/samples.js';

const samples = () => sampleLines().map(line => makeEvent(JSON.parse(line) as Record<string, unknown>));
/** The row width the list has on a terminal `columns` wide: its pane, less two borders and the selection marker. */
const inside = (columns: number) => screenLayout({columns, rows: 40, detailFocused: false, footerHeight: 1, timeline: 'off'}).list.width - 3;

test('every list row width is shared out exactly, whatever the rows need', () => {
	const needs: ColumnNeeds[] = [
		{time: 8, action: 5, where: 0, process: 0, what: 0},
		{time: 12, action: 12, where: 60, process: 30, what: 300},
		{time: 12, action: 3, where: 5, process: 4, what: 10},
		{time: 8, action: 6, where: 40, process: 16, what: 2},
	];
	for (let width = 6; width <= 300; width++) {
		for (const need of needs) {
			const widths = listColumns(width, need);
			assert.equal(rowWidth(widths), width, `${width} ${JSON.stringify(need)}: ${JSON.stringify(widths)}`);
			assert.ok(Object.values(widths).every(value => value >= 0), JSON.stringify(widths));
		}
	}
});

test('the resource column takes the spare width: 100 columns give it far more than 7, 200 columns a whole path', () => {
	const events = samples();
	const today = localDayStart(Date.now());
	const at100 = inside(100);
	assert.ok(listColumns(at100, columnNeeds(events, today, at100)).what >= 30);
	// At 200 columns the samples' service-account token path is not cut, beside their longest pod names.
	const at200 = inside(200);
	assert.ok(listColumns(at200, columnNeeds(events, today, at200)).what >= '/var/run/secrets/kubernetes.io/serviceaccount/token'.length);
	// Room the resources do not need goes back to the place.
	const short = listColumns(77, {time: 8, action: 5, where: 50, process: 8, what: 10});
	assert.equal(short.what, 10);
	assert.equal(short.where, 77 - (8 + 3 + 5 + 8) - 6 - short.process - 10, JSON.stringify(short));
});

test('fitPieces drops padding first, then what is least worth keeping, and keeps the order', () => {
	chalk.level = 0;
	const pieces = [
		{spans: [['state']] as const},
		{spans: [['hint-a']] as const, gap: 3, keep: 1},
		{spans: [['hint-b']] as const, gap: 3, keep: 2},
		{spans: [['reason: it broke']] as const, gap: 3, keep: 3, atLeast: 10},
	];
	const plain = (width: number) => stripVTControlCharacters(fitPieces(pieces, width));
	assert.equal(plain(80), 'state   hint-a   hint-b   reason: it broke');
	assert.equal(plain(38), 'state hint-a hint-b reason: it broke', 'padding first');
	assert.equal(plain(30), 'state hint-b reason: it broke', 'then the least worth keeping');
	assert.equal(plain(23), 'state reason: it broke');
	assert.equal(plain(16), 'state reason: i…', 'the last piece is cut down to what it is still worth');
	assert.equal(plain(12), 'state', 'and left out below that');
});

test('a narrow list of old events keeps the process: the date gives way first', () => {
	const widths = listColumns(37, {time: 12, action: 5, where: 20, process: 5, what: 30});
	assert.equal(widths.process, 5);
	assert.equal(widths.time, 8);
	assert.equal(rowWidth(widths), 37);
});
