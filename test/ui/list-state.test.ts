import assert from 'node:assert/strict';
import {test} from 'node:test';
import {initialListState, listReducer, newSinceFrozen, scrollFor, type ListContext} from '../../source/ui/list-state.js';

const context = (overrides: Partial<ListContext> = {}): ListContext => ({
	newestSeq: 100,
	count: 100,
	matchedTotal: 100,
	matchedBlock: 10,
	pageSize: 20,
	...overrides,
});

test('following: moving down freezes the list at the newest event', () => {
	const state = listReducer(initialListState, {type: 'move', delta: 1, context: context()});
	assert.equal(state.anchor, 100);
	assert.equal(state.selected, 1);
	assert.deepEqual(newSinceFrozen(state, 130, 14), {count: 30, block: 4});
});

test('moving up past the top returns to following; g always does', () => {
	let state = listReducer(initialListState, {type: 'move', delta: 1, context: context()});
	state = listReducer(state, {type: 'move', delta: -1, context: context()});
	assert.equal(state.anchor, 100, 'still frozen on the top row');
	state = listReducer(state, {type: 'move', delta: -1, context: context()});
	assert.equal(state.anchor, undefined);
	state = listReducer(listReducer(initialListState, {type: 'oldest', context: context()}), {type: 'newest'});
	assert.deepEqual(state, initialListState);
});

test('space pauses without moving and resumes following', () => {
	let state = listReducer(initialListState, {type: 'pause', context: context()});
	assert.equal(state.paused, true);
	assert.equal(state.anchor, 100);
	assert.equal(state.selected, 0);
	state = listReducer(state, {type: 'move', delta: -1, context: context()});
	assert.equal(state.anchor, 100, 'paused: up at the top does not resume');
	state = listReducer(state, {type: 'pause', context: context()});
	assert.deepEqual(state, initialListState);
});

test('selection is clamped to the list', () => {
	let state = listReducer(initialListState, {type: 'move', delta: 500, context: context()});
	assert.equal(state.selected, 99);
	state = listReducer(state, {type: 'oldest', context: context({count: 40})});
	assert.equal(state.selected, 39);
});

test('following with a single event: moving down stays following', () => {
	assert.equal(listReducer(initialListState, {type: 'move', delta: 1, context: context({count: 1})}), initialListState);
});

test('scrollFor keeps the selection on screen and moves the window only when needed', () => {
	assert.equal(scrollFor(0, 5, 10, 100), 0);
	assert.equal(scrollFor(0, 12, 10, 100), 3);
	assert.equal(scrollFor(3, 8, 10, 100), 3);
	assert.equal(scrollFor(3, 1, 10, 100), 1);
	assert.equal(scrollFor(50, 0, 10, 5), 0, 'short list');
});
