// Event strings are chosen by whoever runs the watched process: a file named "\x1b]52;..." must not reach the
// terminal as an escape sequence, a bidi override must not reorder the screen, and an invisible character must
// neither hide inside a path nor make a row take other columns on screen than it was measured to take (its
// pane's right border then moves or vanishes). Everything from an event goes through here (or through jsonLine)
// before it is written.

/**
 * Never written as they are: controls (C0, DEL, C1), format characters (bidi controls, zero-width space,
 * non-joiner and joiner, soft hyphen, word joiner and the invisible operators, Mongolian vowel separator, BOM,
 * tag characters, ...), the other default-ignorable characters (Hangul fillers: measured as nothing, drawn two
 * columns wide), the line and paragraph separators, and lone surrogates. Variation selectors stay: they pick
 * the glyph (emoji or text style) of the character before them and take no column anywhere.
 */
const unsafeClass = String.raw`[[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Default_Ignorable_Code_Point}]--\p{Variation_Selector}]`;
const unsafe = new RegExp(unsafeClass, 'v');
const unsafeGlobal = new RegExp(unsafeClass, 'gv');

/**
 * A few ranges that hold every unsafe character of the BMP (and then some). Most strings stop at this test,
 * which on plain, CJK or accented text costs what the old, shorter class of controls cost; the exact
 * Unicode-mode class takes 1.5-6x as long on them. A test checks that these cover unsafeClass.
 */
const bmpRanges = String.raw`\u0000-\u001F\u007F-\u00AD\u034F\u0600-\u08E2\u115F-\u180E\u200B-\u206F\u3164\uFEFF-\uFFFB`;
const maybeUnsafe = new RegExp(`[${bmpRanges}\\uD800-\\uDFFF]`);
const maybeUnsafeInBmp = new RegExp(`[${bmpRanges}]`);
/** The high surrogates of the unsafe characters outside the BMP (U+110BD, U+13430, U+1BCA0, U+1D173, U+E0000-U+E0FFF). */
const astralUnsafeLead = /[\uD804\uD80D\uD82F\uD834\uDB40-\uDB43]/;

/** Node 20 has String.prototype.isWellFormed (ES2024); the ES2023 typings do not know it. */
function isWellFormed(value: string): boolean {
	return (value as string & {isWellFormed(): boolean}).isWellFormed();
}

/** The exact test, made cheap for text with emoji: their surrogates alone only need a look for lone ones. */
function holdsUnsafe(value: string): boolean {
	if (!maybeUnsafe.test(value)) return false;
	if (maybeUnsafeInBmp.test(value)) return unsafe.test(value);
	return (astralUnsafeLead.test(value) && unsafe.test(value)) || !isWellFormed(value);
}

/** ZWJ, or a tag character (its high surrogate then one of U+E0020-U+E007F's low ones). */
const emojiParts = /\u200D|\uDB40[\uDC20-\uDC7F]/;
const element = String.raw`\p{Extended_Pictographic}\p{Emoji_Modifier}?\uFE0F?`;
/**
 * Emoji joined by ZWJ (at most four: no recommended emoji has more), or a black flag with tags (a subdivision
 * flag, 🏴󠁧󠁢󠁥󠁮󠁧󠁿: five tags and a cancel tag), captured; otherwise one unsafe character. Bounded, so a
 * captured sequence is short whatever the input.
 */
const joinedEmojiOrUnsafe = new RegExp(
	String.raw`(${element}(?:\u200D${element}){1,3}|\u{1F3F4}[\u{E0020}-\u{E007E}]{1,8}\u{E007F}?)|${unsafeClass}`,
	'gv',
);
/**
 * One emoji of Unicode's recommended set (RGI), which the terminal draws as one emoji of two columns. Made at
 * the first emoji sequence seen: building it costs ~2-70 ms, which --version, --summary and the first frame
 * would all pay at start-up.
 */
let recommendedEmoji: RegExp | undefined;
/** A test of recommendedEmoji costs 2-7 µs: remembered (bounded), and at most this many per string. */
const maxEmojiTests = 64;
const recommended = new Map<string, boolean>();

function isRecommendedEmoji(sequence: string): boolean {
	let known = recommended.get(sequence);
	if (known === undefined) {
		recommendedEmoji ??= new RegExp(String.raw`^\p{RGI_Emoji}$`, 'v');
		known = recommendedEmoji.test(sequence);
		if (recommended.size < 4096) recommended.set(sequence, known);
	}

	return known;
}

function placeholder(char: string): string {
	const code = char.charCodeAt(0);
	// C0 controls have their own visible pictures: ␛ for ESC, ␊ for LF, ...
	if (code < 0x20) return String.fromCharCode(0x2400 + code);
	if (code === 0x7f) return '\u2421'; // ␡
	return '\uFFFD'; // C1 controls, format and invisible characters, lone surrogates, line separators
}

/** Replace every control and invisible character with a visible one-column placeholder (one per code point). */
export function sanitize(value: string): string {
	// The test is cheap and almost always false: most strings come back as they are, without a copy.
	if (!holdsUnsafe(value)) return value;
	return emojiParts.test(value) ? keepingRecommendedEmoji(value) : value.replace(unsafeGlobal, placeholder);
}

/** Whether `text` holds nothing sanitize() or jsonLine() would replace, so it can be written as it is. */
export function isPrintable(text: string): boolean {
	return !holdsUnsafe(text);
}

/**
 * A ZWJ or a tag is kept only inside a whole recommended emoji (👨‍👩‍👧): there it changes what is seen (one
 * emoji instead of three), so text that looks the same is the same. Anywhere else (after a letter, between
 * emoji that make no known one) a terminal may join what we measure as apart, or the reverse, so the row
 * leaves its pane; and it would hide a difference: it shows as a placeholder.
 */
function keepingRecommendedEmoji(value: string): string {
	let result = '';
	let done = 0;
	let tests = 0;
	joinedEmojiOrUnsafe.lastIndex = 0;
	for (let match = joinedEmojiOrUnsafe.exec(value); match; match = joinedEmojiOrUnsafe.exec(value)) {
		const joined = match[1];
		// Enough tests for any real text: in the rest (a hostile run of joiners) every joiner is replaced.
		if (joined !== undefined && tests >= maxEmojiTests) break;
		result += value.slice(done, match.index);
		if (joined === undefined) {
			result += placeholder(match[0]);
			done = joinedEmojiOrUnsafe.lastIndex;
			continue;
		}

		// The longest start that is a recommended emoji (👨‍👩‍👧 of 👨‍👩‍👧‍👨‍👩‍👧), else the first emoji alone;
		// the scan goes on after it, so the joiner or tags after it are replaced.
		let kept = joined;
		while (!isRecommendedEmoji(kept)) {
			const joiner = kept.lastIndexOf('\u200D');
			if (joiner === -1) {
				if (kept.startsWith('\u{1F3F4}')) kept = '\u{1F3F4}'; // a black flag, its tags replaced
				break;
			}

			tests++;
			kept = kept.slice(0, joiner);
		}

		tests++;
		result += kept;
		done = match.index + kept.length;
		joinedEmojiOrUnsafe.lastIndex = done;
	}

	return result + value.slice(done).replace(unsafeGlobal, placeholder);
}

/** What JSON.stringify leaves as it is but a terminal must not get: the unsafe set but C0 and lone surrogates. */
const jsonUnsafe = new RegExp(String.raw`[${unsafeClass}--[\u0000-\u001F\p{Cs}]]`, 'gv');

function escapeUnits(char: string): string {
	let escaped = '';
	for (let index = 0; index < char.length; index++) escaped += '\\u' + char.charCodeAt(index).toString(16).padStart(4, '0');
	return escaped;
}

/**
 * JSON for a terminal: JSON.stringify already escapes C0 controls and lone surrogates, so escape the rest of
 * what sanitize replaces too (DEL, C1, bidi, invisible characters, emoji joiners included). The output parses
 * back to the very same value.
 */
export function jsonLine(value: unknown): string {
	const json = JSON.stringify(value);
	return maybeUnsafeInBmp.test(json) || astralUnsafeLead.test(json) ? json.replace(jsonUnsafe, escapeUnits) : json;
}
