import assert from 'node:assert/strict';
import {test} from 'node:test';
import {osc52} from '../../source/act/osc52.js';

test('OSC 52: ESC ] 52 ; c ; base64 BEL, and nothing of the text raw in it', () => {
	assert.equal(osc52('hi'), '\u001B]52;c;aGk=\u0007');
	const hostile = '{"Resource":"/tmp/\u0007\u001B\\\u001B]52;c;ZXZpbA==\u0007\u009C"}';
	const sequence = osc52(hostile);
	assert.match(sequence, /^\u001B]52;c;[A-Za-z\d+/=]*\u0007$/, 'only base64 between the opener and the one BEL');
	assert.equal(Buffer.from(sequence.slice(7, -1), 'base64').toString('utf8'), hostile);
});

test('OSC 52 inside tmux: the bare sequence, then the same wrapped for passthrough with ESC doubled', () => {
	const bare = osc52('x');
	assert.equal(osc52('x', true), `${bare}\u001BPtmux;\u001B${bare}\u001B\\`);
});
