// Lines' text drawn by the screen model in place of ink's frame (row-painter.ts): markers, frames, painting.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {RowPainter} from '../../source/ui/row-painter.js';
import {ScreenModel} from '../../source/ui/screen-model.js';

const inside = (marker: string) => marker.slice(1, -1);

test('a marker stands for its text until two frames later, and a new frame never repeats the last one\'s markers', () => {
	const painter = new RowPainter();
	const first = painter.mark('first row');
	const second = painter.mark('second row');
	assert.notEqual(first, second);
	assert.equal(painter.text(inside(first)), 'first row');
	assert.equal(painter.text(inside(second)), 'second row');

	painter.wrote();
	const next = painter.mark('next frame');
	assert.notEqual(next, first, 'a frame after a write has markers of its own: ink never sees two frames alike');
	assert.equal(painter.text(inside(next)), 'next frame');
	assert.equal(painter.text(inside(first)), 'first row', 'ink may write its last frame again (it does as it unmounts)');

	painter.wrote();
	painter.mark('a third frame');
	assert.equal(painter.text(inside(first)), undefined, 'two frames back is forgotten');
	assert.equal(painter.text('not a marker'), undefined);
});

test('past 10,000 lines in one frame, a line is its own text: no marker outgrows the narrowest marked line', () => {
	const painter = new RowPainter();
	for (let line = 0; line < 10_000; line++) assert.ok(painter.mark(`line ${line}`).length <= 10);
	assert.equal(painter.mark('one more'), 'one more');
});

test('marks made before ink writes (a render it did not write) stay in the frame it writes', () => {
	const painter = new RowPainter();
	const skipped = painter.mark('drawn, not written');
	const written = painter.mark('written');
	painter.wrote();
	assert.equal(painter.text(inside(written)), 'written');
	assert.equal(painter.text(inside(skipped)), 'drawn, not written');
});

function model(columns: number, rows: number, painter: RowPainter): ScreenModel {
	const screen = new ScreenModel(columns, rows);
	screen.rowText = marker => painter.text(marker);
	return screen;
}

test('the screen model draws a marked text where its marker was, over the blank cells ink left after it', () => {
	const painter = new RowPainter();
	const screen = model(30, 3, painter);
	const marker = painter.mark('\u001B[31mred\u001B[39m and plain');
	// As ink writes it: a border, the marker in the line's first cells, blanks to the next border.
	screen.write(`|${marker}${' '.repeat(20)}|\r\n|x`);
	// The line's cells: the marker's 5, then 20 blanks; the text takes the first 13 of them.
	assert.equal(screen.grid.text().split('\n')[0], `|red and plain${' '.repeat(5 + 20 - 13)}|`);
	assert.equal(screen.grid.text().split('\n')[1].trimEnd(), '|x', 'the cursor carries on where ink left it');
	const red = screen.styles.value(screen.grid.rows[0].style[1]!);
	assert.equal(red.foreground, '31');
	assert.equal(screen.styles.value(screen.grid.rows[0].style[5]!).foreground, '', 'the text\'s colours end with it');

	screen.write('y');
	assert.equal(screen.grid.text().split('\n')[1].trimEnd(), '|xy');
});

test('a marker that stands for nothing leaves blanks, never its own characters', () => {
	const painter = new RowPainter();
	const screen = model(20, 2, painter);
	screen.write('|\u00017.7\u0002   |');
	assert.equal(screen.grid.text().split('\n')[0], `|${' '.repeat(8)}|`);
});

test('rows scrolled up after their marker are drawn where they went', () => {
	const painter = new RowPainter();
	const screen = model(10, 2, painter);
	const marker = painter.mark('moved');
	screen.write(`a\r\n${marker}\r\nb`);
	assert.deepEqual(screen.grid.text().split('\n').map(line => line.trimEnd()), ['moved', 'b']);
});
