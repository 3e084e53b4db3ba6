import '../helpers/interactive.js';
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {renderToString} from 'ink';
import {HelpOverlay, helpLines, helpOverflow} from '../../source/ui/components/help-overlay.js';
import {columns as columnsOf} from '../../source/ui/format.js';
import {plain} from '../helpers/ui.js';

function draw(width: number, height: number, scroll = 0): string[] {
	return plain(renderToString(<HelpOverlay width={width} height={height} scroll={scroll} />, {columns: width})).split('\n');
}

/** What a help line says, its keys and text as one string with single spaces. */
const words = (text: string) => text.replaceAll(/\s+/g, ' ').trim();
const shown = (line: ReturnType<typeof helpLines>[number]) => words(`${line.keys ?? ''} ${line.text}`);

test('at 120x40 the help fits whole: two columns, no line cut, nothing to scroll', () => {
	// The body of a 120x40 screen: 40 rows less the header (3), the footer (1) and the row ink keeps free.
	const frame = draw(120, 35);
	assert.equal(frame.length, 35);
	const text = words(frame.join(' ').replaceAll('│', ' '));
	for (const line of helpLines()) assert.ok(text.includes(shown(line)), `whole: ${shown(line)}`);
	assert.doesNotMatch(frame.join('\n'), /…/, 'no line ends cut');
	assert.doesNotMatch(frame[0]!, /more/);
	assert.equal(helpOverflow(120, 35), 0);
});

test('when two columns would cut lines, one column scrolls instead: every line whole', () => {
	const lines = helpLines();
	for (const [width, height] of [[100, 35], [80, 20], [110, 30]] as const) {
		const rows = height - 2;
		const hidden = Math.max(0, lines.length - rows);
		assert.equal(helpOverflow(width, height), hidden, `${width}x${height}`);
		let seen = '';
		// A page at a time, the last one scrolled to the end.
		for (let scroll = 0; ; scroll = Math.min(hidden, scroll + rows)) {
			const frame = draw(width, height, scroll);
			assert.ok(frame.every(line => columnsOf(line) <= width));
			seen += ` ${frame.slice(1, -1).map(line => line.replaceAll('│', ' ')).join(' ')}`;
			if (scroll < hidden) assert.match(frame[0]!, new RegExp(`j ↓ ${hidden - scroll} more`));
			if (scroll === hidden) break;
		}

		const text = words(seen);
		for (const line of lines) {
			if (1 + columnsOf(shown(line)) < width - 2) assert.ok(text.includes(shown(line)), `${width}x${height}: ${shown(line)}`);
		}
	}
});
