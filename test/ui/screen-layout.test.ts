import assert from 'node:assert/strict';
import {test} from 'node:test';
import {screenLayout, timelineHeight, type LayoutInput} from '../../source/ui/screen-layout.js';

const base: LayoutInput = {columns: 120, rows: 40, detailFocused: false, footerHeight: 1, timeline: 'off'};

test('the panes and the header and footer fill the screen, one row short of it', () => {
	for (const columns of [40, 59, 60, 99, 100, 200]) {
		for (const rows of [10, 24, 31, 32, 49, 50, 60]) {
			for (const timeline of ['off', 'on', 'auto'] as const) {
				for (const detailFocused of [false, true]) {
					const layout = screenLayout({columns, rows, detailFocused, footerHeight: 1, timeline});
					assert.equal(layout.header + layout.body.height + layout.footer, Math.max(rows - 1, layout.header + 4 + layout.footer));
					const panes = layout.body.height - layout.timeline.height;
					if (layout.sideBySide) {
						assert.equal(layout.list.width + layout.detail.width, columns);
						assert.equal(layout.list.height, panes);
						assert.equal(layout.detail.height, panes);
					} else {
						assert.equal(layout.list.height + layout.detail.height, panes);
						assert.equal(layout.list.width, columns);
					}
				}
			}
		}
	}
});

test('wide: the detail beside the list; narrow: under it, and the whole body when focused', () => {
	const wide = screenLayout(base);
	assert.equal(wide.sideBySide, true);
	assert.deepEqual(wide.list, {width: 80, height: 35});
	assert.equal(wide.listRows, 33);
	const narrow = screenLayout({...base, columns: 80});
	assert.equal(narrow.sideBySide, false);
	assert.ok(narrow.list.height > narrow.detail.height);
	const focused = screenLayout({...base, columns: 80, detailFocused: true});
	assert.equal(focused.list.height, 0);
	assert.equal(focused.detail.height, focused.body.height);
});

test('a narrow terminal gets a one-row header, an error under the prompt a two-row footer', () => {
	assert.equal(screenLayout({...base, columns: 59}).header, 1);
	assert.equal(screenLayout(base).header, 3);
	assert.equal(screenLayout({...base, footerHeight: 2}).body.height, screenLayout(base).body.height - 1);
});

test('the timeline shows when asked, and by default only where the rows leave room for it', () => {
	assert.equal(screenLayout({...base, timeline: 'on'}).timeline.height, timelineHeight);
	assert.equal(screenLayout({...base, timeline: 'off'}).timeline.height, 0);
	assert.equal(screenLayout({...base, rows: 50, timeline: 'auto'}).timeline.height, timelineHeight);
	assert.equal(screenLayout({...base, rows: 40, timeline: 'auto'}).timeline.height, 0);
	assert.equal(screenLayout({...base, rows: 24, timeline: 'auto'}).timeline.height, 0);
	// Asked for on a tiny screen: the list keeps its room.
	assert.equal(screenLayout({...base, rows: 10, timeline: 'on'}).timeline.height, 0);
});

test('too small for the panes: said so', () => {
	assert.equal(screenLayout({...base, columns: 39}).tooSmall, true);
	assert.equal(screenLayout({...base, rows: 9}).tooSmall, true);
	assert.equal(screenLayout({...base, columns: 40, rows: 10}).tooSmall, false);
});

test('side by side only where the list keeps the width it has on an 80-column terminal', () => {
	const at80 = screenLayout({...base, columns: 80, rows: 24});
	assert.equal(at80.sideBySide, false);
	assert.equal(screenLayout({...base, columns: 100}).sideBySide, false, 'at 100 columns the list keeps the whole width');
	const at120 = screenLayout(base);
	assert.equal(at120.sideBySide, true);
	assert.ok(at120.list.width >= at80.list.width, `120x40 list ${at120.list.width} narrower than 80x24's ${at80.list.width}`);
	for (let columns = 120; columns <= 400; columns++) {
		const layout = screenLayout({...base, columns});
		assert.ok(layout.list.width >= 80 && layout.detail.width >= 40, `${columns}: ${layout.list.width} + ${layout.detail.width}`);
		assert.ok(layout.detail.width <= 64, `${columns}: the detail pane takes no more than its values need`);
	}
});
