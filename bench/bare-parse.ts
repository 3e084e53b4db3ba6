// The baseline line mode is measured against: read the file as line mode does (256 KiB at a time), split on
// '\n', JSON.parse every line, nothing else. No imports beyond node:fs, so it pays no start-up cost of ours.
//
//   node dist/bench/bare-parse.js FILE

import {closeSync, openSync, readSync} from 'node:fs';

const fd = openSync(process.argv[2]!, 'r');
const buffer = Buffer.allocUnsafe(256 * 1024);
let rest = '';
let parsed = 0;
for (let position = 0; ; ) {
	const bytes = readSync(fd, buffer, 0, buffer.length, position);
	if (bytes === 0) break;
	position += bytes;
	const text = rest + buffer.toString('utf8', 0, bytes);
	let start = 0;
	for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
		if (end > start && typeof JSON.parse(text.slice(start, end)) === 'object') parsed++;
		start = end + 1;
	}

	rest = text.slice(start);
}

closeSync(fd);
process.stdout.write(`${parsed}\n`);
