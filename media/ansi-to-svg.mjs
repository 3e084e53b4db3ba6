#!/usr/bin/env node
// Converts a terminal capture with SGR colour escapes (tmux capture-pane -e -p)
// into an SVG that looks like a dark terminal window. No dependencies.
// Regenerate the README screenshots: npx tsc -p . && bash media/capture-screenshot.sh
// Usage: node media/ansi-to-svg.mjs in.ansi out.svg [--cols 120 --rows 40 --title text]
import {readFileSync, writeFileSync} from 'node:fs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
	const i = args.indexOf(`--${name}`);
	return i === -1 ? fallback : args.splice(i, 2)[1];
};
const title = option('title', 'armorwatch');
let cols = Number(option('cols', 0));
let rows = Number(option('rows', 0));
const [input, output] = args;
if (!input || !output) {
	console.error('usage: node media/ansi-to-svg.mjs in.ansi out.svg [--cols N --rows N --title T]');
	process.exit(2);
}

const FONT = 'DejaVu Sans Mono, Menlo, Consolas, monospace';
const FONT_SIZE = 14.6;
const CW = 8.8; // cell width: DejaVu Sans Mono and Menlo advance 0.602 em
const CH = 17; // cell height: the font's ascent + descent (1.164 em), so │ lines join
const BASELINE = 13.5; // from the top of a cell; puts ─ lines on a pixel row
const PAD = 14;
const BAR = 30; // title bar
const DEFAULT_FG = '#d4d4d4';
const DEFAULT_BG = '#1a1b26';
// The 16 basic colours (a dark theme, like most terminal defaults).
const BASIC = [
	'#15161e', '#f7768e', '#9ece6a', '#e0af68', '#7aa2f7', '#bb9af7', '#7dcfff', '#a9b1d6',
	'#5f6685', '#ff899d', '#b9f27c', '#ffc777', '#8db0ff', '#c7a9ff', '#a4daff', '#e6e9f5',
];

const hex = (r, g, b) => '#' + [r, g, b].map(v => Math.max(0, Math.min(255, v)).toString(16).padStart(2, '0')).join('');
function color256(n) {
	if (n < 16) return BASIC[n];
	if (n < 232) {
		const level = v => (v === 0 ? 0 : 55 + v * 40);
		n -= 16;
		return hex(level(Math.floor(n / 36)), level(Math.floor(n / 6) % 6), level(n % 6));
	}
	const v = 8 + (n - 232) * 10;
	return hex(v, v, v);
}
function mix(a, b, t) {
	const p = c => [1, 3, 5].map(i => parseInt(c.slice(i, i + 2), 16));
	const [x, y] = [p(a), p(b)];
	return hex(...x.map((v, i) => Math.round(v * t + y[i] * (1 - t))));
}

// East Asian Wide / Fullwidth and emoji ranges: such a character takes two cells.
const WIDE = [
	[0x1100, 0x115f], [0x231a, 0x231b], [0x23e9, 0x23ec], [0x23f0, 0x23f3], [0x25fd, 0x25fe],
	[0x2614, 0x2615], [0x2648, 0x2653], [0x26a1, 0x26a1], [0x26aa, 0x26ab], [0x26bd, 0x26be],
	[0x26c4, 0x26c5], [0x26d4, 0x26d4], [0x26ea, 0x26ea], [0x26f2, 0x26f5], [0x26fa, 0x26fd],
	[0x2705, 0x2705], [0x270a, 0x270b], [0x2728, 0x2728], [0x274c, 0x274c], [0x2753, 0x2755],
	[0x2757, 0x2757], [0x2795, 0x2797], [0x27b0, 0x27b0], [0x27bf, 0x27bf], [0x2b1b, 0x2b1c],
	[0x2b50, 0x2b50], [0x2b55, 0x2b55], [0x2e80, 0x303e], [0x3041, 0x33ff], [0x3400, 0x4dbf],
	[0x4e00, 0x9fff], [0xa000, 0xa4cf], [0xa960, 0xa97f], [0xac00, 0xd7a3], [0xf900, 0xfaff],
	[0xfe10, 0xfe19], [0xfe30, 0xfe6f], [0xff00, 0xff60], [0xffe0, 0xffe6], [0x1f004, 0x1f004],
	[0x1f0cf, 0x1f0cf], [0x1f18e, 0x1f18e], [0x1f191, 0x1f19a], [0x1f200, 0x1f251], [0x1f300, 0x1f64f],
	[0x1f680, 0x1f6ff], [0x1f7e0, 0x1f7eb], [0x1f900, 0x1f9ff], [0x1fa70, 0x1faff], [0x20000, 0x3fffd],
];
const isWide = cp => cp >= 0x1100 && WIDE.some(([a, b]) => cp >= a && cp <= b);
const isZeroWidth = cp =>
	(cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) || cp === 0x2060 ||
	(cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0x1f3fb && cp <= 0x1f3ff) || (cp >= 0xe0100 && cp <= 0xe01ef);

// Parse into a grid of cells {ch, style}. tmux carries the SGR state across lines.
const fresh = () => ({fg: null, bg: null, bold: false, dim: false, italic: false, underline: false, inverse: false, strike: false});
let style = fresh();
function applySgr(params) {
	const p = params === '' ? [0] : params.split(/[;:]/).map(v => (v === '' ? 0 : Number(v)));
	for (let i = 0; i < p.length; i++) {
		const n = p[i];
		if (n === 0) style = fresh();
		else if (n === 1) style.bold = true;
		else if (n === 2) style.dim = true;
		else if (n === 3) style.italic = true;
		else if (n === 4) style.underline = true;
		else if (n === 7) style.inverse = true;
		else if (n === 9) style.strike = true;
		else if (n === 22) style.bold = style.dim = false;
		else if (n === 23) style.italic = false;
		else if (n === 24) style.underline = false;
		else if (n === 27) style.inverse = false;
		else if (n === 29) style.strike = false;
		else if (n >= 30 && n <= 37) style.fg = BASIC[n - 30];
		else if (n >= 90 && n <= 97) style.fg = BASIC[n - 90 + 8];
		else if (n >= 40 && n <= 47) style.bg = BASIC[n - 40];
		else if (n >= 100 && n <= 107) style.bg = BASIC[n - 100 + 8];
		else if (n === 39) style.fg = null;
		else if (n === 49) style.bg = null;
		else if (n === 38 || n === 48) {
			let c = null;
			if (p[i + 1] === 5) { c = color256(p[i + 2] ?? 0); i += 2; }
			else if (p[i + 1] === 2) { c = hex(p[i + 2] ?? 0, p[i + 3] ?? 0, p[i + 4] ?? 0); i += 4; }
			if (n === 38) style.fg = c; else style.bg = c;
		}
	}
}

const text = readFileSync(input, 'utf8').replace(/\r/g, '').replace(/\n$/, '');
const grid = [];
for (const line of text.split('\n')) {
	const cells = [];
	for (let i = 0; i < line.length; ) {
		if (line[i] === '\x1b') {
			const rest = line.slice(i);
			const csi = /^\x1b\[([0-9;:?]*)([ -\/]*[@-~])/.exec(rest);
			const osc = /^\x1b\][^\x07\x1b]*(\x07|\x1b\\)/.exec(rest);
			const m = csi ?? osc ?? /^\x1b[\s\S]?/.exec(rest);
			if (csi && csi[2] === 'm') applySgr(csi[1]);
			i += m[0].length;
			continue;
		}
		const cp = line.codePointAt(i);
		const ch = String.fromCodePoint(cp);
		i += ch.length;
		if (cp < 0x20 || cp === 0x7f) continue;
		if (isZeroWidth(cp) && cells.length > 0) {
			const last = cells.at(-1).ch === null ? cells.at(-2) : cells.at(-1);
			last.ch += ch;
			continue;
		}
		const cellStyle = {...style};
		cells.push({ch, style: cellStyle});
		if (isWide(cp)) cells.push({ch: null, style: cellStyle}); // the wide glyph's second cell
	}
	grid.push(cells);
}
cols ||= Math.max(...grid.map(r => r.length));
rows ||= grid.length;

// Resolve a style to drawing colours: inverse swaps, dim blends into the background.
function paint(s) {
	let fg = s.fg ?? DEFAULT_FG;
	let bg = s.bg;
	if (s.inverse) [fg, bg] = [bg ?? DEFAULT_BG, fg];
	if (s.dim) fg = mix(fg, bg ?? DEFAULT_BG, 0.55);
	return {fg, bg};
}
const escapeXml = s => s.replace(/[&<>"']/g, c => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;'})[c]);
const num = v => String(Math.round(v * 100) / 100);

const width = cols * CW + PAD * 2;
const height = rows * CH + PAD * 2 + BAR;
const out = [];
out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${num(width)}" height="${num(height)}" viewBox="0 0 ${num(width)} ${num(height)}">`);
const W = num(width);
out.push(`<rect width="${W}" height="${num(height)}" rx="8" fill="${DEFAULT_BG}"/>`);
out.push(`<rect width="${W}" height="${BAR}" rx="8" fill="#24253a"/><rect y="${BAR - 8}" width="${W}" height="8" fill="#24253a"/>`);
['#ff5f57', '#febc2e', '#28c840'].forEach((c, i) => out.push(`<circle cx="${18 + i * 20}" cy="${BAR / 2}" r="6" fill="${c}"/>`));
out.push(`<text x="${num(width / 2)}" y="${BAR / 2 + 5}" text-anchor="middle" font-family="${FONT}" font-size="13" fill="#8f94b0">${escapeXml(title)}</text>`);
out.push(`<g transform="translate(${PAD} ${PAD + BAR})">`);

// Backgrounds first, as one rect per run of cells with the same colour.
out.push('<g shape-rendering="crispEdges">');
grid.slice(0, rows).forEach((cells, row) => {
	for (let col = 0; col < cells.length && col < cols; ) {
		const {bg} = paint(cells[col].style);
		let end = col + 1;
		while (end < cells.length && end < cols && paint(cells[end].style).bg === bg) end++;
		if (bg) out.push(`<rect x="${num(col * CW)}" y="${row * CH}" width="${num((end - col) * CW)}" height="${CH}" fill="${bg}"/>`);
		col = end;
	}
});
out.push('</g>');

// Text: one <text> per run with the same attributes; every glyph gets its own x
// (its cell's column), so box drawing and fallback-font glyphs stay on the grid.
out.push(`<g font-family="${FONT}" font-size="${FONT_SIZE}" xml:space="preserve">`);
const key = s => {
	const {fg} = paint(s);
	return [fg, s.bold, s.italic, s.underline, s.strike].join();
};
grid.slice(0, rows).forEach((cells, row) => {
	for (let col = 0; col < cells.length && col < cols; ) {
		const k = key(cells[col].style);
		let end = col;
		const xs = [];
		let str = '';
		while (end < cells.length && end < cols && key(cells[end].style) === k) {
			const {ch} = cells[end];
			// A glyph outside the BMP counts as two x slots in some renderers: give it its own run.
			if (ch !== null && ch.codePointAt(0) > 0xffff && end > col) break;
			if (ch !== null) {
				for (const part of ch) { xs.push(num(end * CW)); str += part; }
			}
			end++;
			if (ch !== null && ch.codePointAt(0) > 0xffff) break;
		}
		const s = cells[col].style;
		if (str.trim() !== '' || s.underline || s.strike) {
			const attrs = [`x="${xs.join(' ')}"`, `y="${row * CH + BASELINE}"`, `fill="${paint(s).fg}"`];
			if (s.bold) attrs.push('font-weight="bold"');
			if (s.italic) attrs.push('font-style="italic"');
			if (s.underline || s.strike) attrs.push(`text-decoration="${s.underline ? 'underline' : 'line-through'}"`);
			out.push(`<text ${attrs.join(' ')}>${escapeXml(str)}</text>`);
		}
		col = end;
	}
});
out.push('</g></g></svg>');
writeFileSync(output, out.join('\n') + '\n');
