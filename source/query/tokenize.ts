// The query text split into tokens, with positions, before any meaning is given to them (parse.ts does that).
//
//   word            a bare word                        "two words"   one quoted token
//   key:value       key:=value  sev>=5  sev<=5  sev:5  (a key is letters only)
//   /regex/         key:/regex/                        !token        negates any token
//
// A token starting with `/` is a regular expression only when it is closed by a `/` at the end of a word
// (`/curl|wget/`, `/(/`); a path such as `/etc/shadow` stays a bare word.

export type TokenOperator = ':' | ':=' | '>=' | '<=' | '>' | '<' | '=';

export type Token = {
	/** Where the token starts in the query (its `!` included) and ends (exclusive). */
	start: number;
	end: number;
	negated: boolean;
	/** `key` of `key:value`, as typed (not lower-cased), and where it starts. */
	key?: string;
	keyStart: number;
	op?: TokenOperator;
	/** The value with quotes and escapes removed, or the regex body. */
	value: string;
	valueStart: number;
	quoted: boolean;
	regex: boolean;
};

export type QueryError = {ok: false; error: string; position: number};

export type TokenizeResult = {ok: true; tokens: Token[]} | QueryError;

const operators: readonly TokenOperator[] = [':=', '>=', '<=', ':', '>', '<', '='];

function isSpace(char: string | undefined): boolean {
	return char === ' ' || char === '\t' || char === '\n' || char === '\r' || char === '\f' || char === '\v';
}

function isLetter(code: number): boolean {
	return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/** True when the character at `index` is preceded by an odd number of backslashes. */
function escaped(text: string, index: number): boolean {
	let count = 0;
	for (let i = index - 1; i >= 0 && text[i] === '\\'; i--) count++;
	return count % 2 === 1;
}

function wordEnd(text: string, from: number): number {
	let i = from;
	while (i < text.length && !isSpace(text[i])) i++;
	return i;
}

/** The end (exclusive, after the closing `/`) of a regular expression starting at `from`, or -1. */
function regexEnd(text: string, from: number): number {
	const end = wordEnd(text, from);
	// Closed within the first word: `/curl|wget/`, `/(/`, `/^\/etc\//`.
	if (end - from >= 2 && text[end - 1] === '/' && !escaped(text, end - 1)) return end;
	// A second `/` inside the first word makes it a path (`/etc/shadow`), not a regex.
	for (let i = from + 1; i < end; i++) if (text[i] === '/' && !escaped(text, i)) return -1;
	// Otherwise it may contain spaces: `/permission denied/`.
	for (let i = end; i < text.length; i++) {
		if (text[i] === '/' && !escaped(text, i) && (i + 1 === text.length || isSpace(text[i + 1]))) return i + 1;
	}

	return -1;
}

type Quoted = {value: string; end: number} | QueryError;

/** A `"..."` string starting at `from` (the opening quote); `\"` and `\\` are escapes. */
function readQuoted(text: string, from: number): Quoted {
	let value = '';
	for (let i = from + 1; i < text.length; i++) {
		const char = text[i];
		if (char === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) {
			value += text[i + 1];
			i++;
			continue;
		}

		if (char === '"') {
			if (i + 1 < text.length && !isSpace(text[i + 1])) {
				return {ok: false, error: 'expected a space after the closing quote', position: i + 1};
			}

			return {value, end: i + 1};
		}

		value += char;
	}

	return {ok: false, error: 'unclosed quote: add the closing "', position: from};
}

/** Split a query into tokens; the only errors here are about quoting and a lone `!`. */
export function tokenize(text: string): TokenizeResult {
	const tokens: Token[] = [];
	let i = 0;
	while (i < text.length) {
		if (isSpace(text[i])) {
			i++;
			continue;
		}

		const start = i;
		let negated = false;
		if (text[i] === '!') {
			negated = true;
			i++;
			if (i >= text.length || isSpace(text[i])) {
				return {ok: false, error: '"!" must be followed by the token to negate, e.g. !ns:kube-system', position: start};
			}

			if (text[i] === '!') return {ok: false, error: 'two "!" in a row', position: i};
		}

		const token: Token = {
			start,
			end: i,
			negated,
			keyStart: i,
			value: '',
			valueStart: i,
			quoted: false,
			regex: false,
		};

		// key + operator, e.g. `ns:` `sev>=`; a key is letters only, so `104.1.2.3:80` stays a word.
		let k = i;
		while (k < text.length && isLetter(text.charCodeAt(k))) k++;
		if (k > i) {
			const op = operators.find(candidate => text.startsWith(candidate, k));
			if (op) {
				token.key = text.slice(i, k);
				token.op = op;
				i = k + op.length;
			}
		}

		token.valueStart = i;
		if (text[i] === '"') {
			const quoted = readQuoted(text, i);
			if ('ok' in quoted) return quoted;
			token.value = quoted.value;
			token.quoted = true;
			i = quoted.end;
		} else if (text[i] === '/' && regexEnd(text, i) !== -1) {
			const end = regexEnd(text, i);
			token.value = text.slice(i + 1, end - 1);
			token.regex = true;
			token.valueStart = i + 1;
			i = end;
		} else {
			const end = wordEnd(text, i);
			token.value = text.slice(i, end);
			i = end;
		}

		token.end = i;
		tokens.push(token);
	}

	return {ok: true, tokens};
}
