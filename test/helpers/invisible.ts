// Characters a terminal draws as nothing (or as other columns than they measure), for the tests of what is
// shown for them.

/** Invisible and layout-breaking characters, each with what a reader calls it. */
export const invisibles: Array<[string, string]> = [
	['zero-width space', '\u200B'],
	['zero-width non-joiner', '\u200C'],
	['zero-width joiner', '\u200D'],
	['left-to-right mark', '\u200E'],
	['right-to-left mark', '\u200F'],
	['word joiner', '\u2060'],
	['function application', '\u2061'],
	['invisible times', '\u2062'],
	['invisible separator', '\u2063'],
	['invisible plus', '\u2064'],
	['BOM inside text', '\uFEFF'],
	['soft hyphen', '\u00AD'],
	['Mongolian vowel separator', '\u180E'],
	['tag A', '\u{E0041}'],
	['cancel tag', '\u{E007F}'],
	['language tag', '\u{E0001}'],
	['Hangul filler', '\u3164'],
	['lone high surrogate', '\uD800'],
	['lone low surrogate', '\uDC00'],
];
