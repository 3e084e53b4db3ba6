// Event strings are chosen by whoever runs the watched process: a file named "\x1b]52;..." must not reach the
// terminal as an escape sequence, and a bidi override must not reorder the screen. Everything from an event
// goes through here (or through jsonLine) before it is written.

/** C0, DEL, C1, the bidi embeddings/overrides/isolates and marks, and the Unicode line/paragraph separators. */
const hostile = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/;
const hostileGlobal = new RegExp(hostile.source, 'g');

function placeholder(char: string): string {
	const code = char.charCodeAt(0);
	// C0 controls have their own visible pictures: ␛ for ESC, ␊ for LF, ...
	if (code < 0x20) return String.fromCharCode(0x2400 + code);
	if (code === 0x7f) return '\u2421'; // ␡
	return '\uFFFD'; // C1 controls, bidi controls, line separators
}

/** Replace every control character with a visible one-column placeholder. */
export function sanitize(value: string): string {
	// The test is cheap and almost always false: most strings come back as they are, without a copy.
	return hostile.test(value) ? value.replace(hostileGlobal, placeholder) : value;
}

const jsonUnsafe = /[\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g;

/**
 * JSON for a terminal: JSON.stringify already escapes C0 controls, so escape the rest too (DEL, C1, bidi).
 * The output parses back to the very same value.
 */
export function jsonLine(value: unknown): string {
	return JSON.stringify(value).replace(
		jsonUnsafe,
		char => '\\u' + char.charCodeAt(0).toString(16).padStart(4, '0'),
	);
}
