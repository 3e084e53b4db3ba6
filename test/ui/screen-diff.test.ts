import assert from 'node:assert/strict';
import {test} from 'node:test';
import chalk, {Chalk} from 'chalk';
import {diffScreens, unknownTerminal, type TerminalState} from '../../source/ui/screen-diff.js';
import {Grid, ScreenModel} from '../../source/ui/screen-model.js';

const colours = new Chalk({level: 1});
const eraseLines = (count: number) => '\u001B[2K\u001B[1A'.repeat(Math.max(0, count - 1)) + '\u001B[2K\u001B[G';

/** Every cell of a model as text and its style in words, so grids with different style tables compare. */
function cells(model: ScreenModel): string[] {
	const style = (id: number) => {
		const {attributes, foreground, background} = model.styles.value(id);
		return `${attributes},${foreground},${background}`;
	};

	return model.grid.rows.map(row => row.text.map((text, column) => `${text}:${style(row.style[column])}`).join('|'));
}

/** What ink does: erase the previous frame's lines, write the frame, a newline after it. */
class InkLike {
	private lines = 0;

	frame(lines: string[]): string {
		const out = eraseLines(this.lines) + lines.join('\n') + '\n';
		this.lines = lines.length + 1;
		return out;
	}
}

/** A differ as the monitor runs it: ink's frames into a model, diffs into a terminal (another model). */
function differ(columns: number, rows: number) {
	const model = new ScreenModel(columns, rows);
	const shown = new Grid(columns, rows);
	const terminal = new ScreenModel(columns, rows);
	const state: TerminalState = unknownTerminal();
	let first = true;
	return {
		model,
		terminal,
		send(inkOutput: string, full = first): string {
			first = false;
			model.write(inkOutput);
			const out = diffScreens(shown, model.grid, model.styles, state, {full});
			terminal.write(out);
			return out;
		},
	};
}

/** A small seeded generator: the same frames every run. */
function random(seed: number) {
	let state = seed;
	return (n: number) => {
		state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
		return state % n;
	};
}

const words = ['ns', 'payments', 'BLOCK', 'AUDIT', '/etc/shadow', '日本語', 'café', 'cafe\u0301', '😀', '👩‍💻', '␛[2J', '│', '…', '▲', ' ', '   '];
const styles = [(text: string) => text, colours.red, colours.bold.cyan, colours.dim, colours.inverse.bold, colours.bgYellow.black];

test('frames of mixed text, wide and combined graphemes and colours: the terminal ends up showing each frame', () => {
	const next = random(7);
	const columns = 40;
	const rows = 12;
	const ink = new InkLike();
	const screen = differ(columns, rows);
	let previous: string[] = [];
	for (let frame = 0; frame < 200; frame++) {
		const lines: string[] = [];
		for (let row = 0; row < rows - 1; row++) {
			let line = '';
			let width = 0;
			// Lines fit the width, as the app's lines do (each word measured as a terminal counts it).
			while (width < columns - 4) {
				const word = words[next(words.length)];
				const size = [...new Intl.Segmenter().segment(word)].length * (/[日本語😀👩]/.test(word) ? 2 : 1);
				if (width + size > columns) break;
				line += styles[next(styles.length)](word);
				width += size;
			}

			// Most rows stay as they were, as on a monitor between two frames.
			lines.push(frame > 0 && next(3) > 0 ? previous[row] : line);
		}

		previous = lines;
		screen.send(ink.frame(lines));
		assert.deepEqual(cells(screen.terminal), cells(screen.model), `frame ${frame}`);
	}
});

test('a counter that moves: only its cells are sent, no line and no screen is cleared', () => {
	const ink = new InkLike();
	const screen = differ(120, 40);
	const frame = (events: number) => [
		`${chalk.bold.cyan('armorwatch')}  ${chalk.bold(String(events))} events  12/s`,
		...Array.from({length: 37}, (_, index) => `│ row ${index} ${'x'.repeat(100)} │`),
	];
	const first = screen.send(ink.frame(frame(1234)));
	assert.ok(first.length > 4000, 'the first frame is drawn whole');
	const second = screen.send(ink.frame(frame(1235)));
	assert.ok(second.length < 30, `one digit changed, ${second.length} bytes sent: ${JSON.stringify(second)}`);
	assert.ok(second.endsWith('5'), JSON.stringify(second));
	assert.doesNotMatch(second, /\u001B\[2?[JK]/);
	assert.equal(screen.send(ink.frame(frame(1235))), '', 'the same frame again: nothing');
});

test('a full redraw writes every row from its first column without clearing the screen', () => {
	const ink = new InkLike();
	const screen = differ(30, 6);
	screen.send(ink.frame(['one', 'two', 'three']));
	// The last change was on the first row: the cursor is believed there, but another program may have moved it.
	screen.send(ink.frame(['One', 'two', 'three']));
	const out = screen.send(ink.frame(['One', 'two', 'three']), true);
	assert.doesNotMatch(out, /\u001B\[2J/, 'no clear of the whole screen (flicker)');
	assert.equal(out.match(/\u001B\[K/g)?.length, 6, 'each row is written and the rest of it erased');
	assert.ok(out.startsWith('\u001B[1H'), JSON.stringify(out));
});

test('a row with a wide or combined grapheme is sent whole from its first column, as a full redraw sends it', () => {
	const ink = new InkLike();
	const screen = differ(30, 4);
	screen.send(ink.frame(['日本 a 1', 'plain b 1']));
	const out = screen.send(ink.frame(['日本 a 2', 'plain b 2']));
	// The row with CJK from column 1 (a terminal may count its widths differently); the plain row only its cell.
	assert.ok(out.includes('\u001B[1H日本 a 2'), JSON.stringify(out));
	assert.match(out, /\u001B\[2;9H2/);
	assert.deepEqual(cells(screen.terminal), cells(screen.model));
	const combining = differ(30, 3);
	combining.send(new InkLike().frame(['cafe\u0301 x']));
	assert.equal(combining.model.grid.rows[0].text.slice(0, 6).join(''), 'cafe\u0301 x');
	assert.equal(combining.model.grid.rows[0].text[3], 'e\u0301', 'the accent joins its letter in one cell');
});

test('the model reads escape sequences cut between two writes, and drops what is not screen content', () => {
	const model = new ScreenModel(20, 3);
	model.write('ab\u001B[3');
	model.write('1mcd\u001B]8;;https://x\u0007link\u001B]8;;\u0007\u001B[?25l\u001B[?2026h');
	assert.equal(model.grid.text().split('\n')[0], 'abcdlink');
	assert.deepEqual(model.styles.value(model.grid.rows[0].style[2]), {attributes: 0, foreground: '31', background: ''});
	assert.deepEqual(model.passThrough, ['\u001B[?25l'], 'cursor visibility goes on to the terminal');
	assert.equal(model.synchronized, true);
});

test('erasing takes the background colour, and blank cells past the text are erased in one go', () => {
	const ink = new InkLike();
	const screen = differ(20, 3);
	screen.send(ink.frame(['a long line of text']));
	const out = screen.send(ink.frame(['a']));
	assert.match(out, /\u001B\[K/);
	assert.ok(out.length < 12, JSON.stringify(out));
	assert.equal(screen.terminal.grid.text().split('\n')[0], 'a');
});
