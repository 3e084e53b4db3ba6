// A small YAML writer for the policy drafts: mappings, sequences, strings, numbers and booleans, nothing else.
// Strings that YAML would read as something other than the same string (true, 1.5, a leading '-', ': ' inside)
// are written double-quoted, with every character YAML does not allow raw escaped, so an event's text can
// never turn into structure.

export type YamlValue = string | number | boolean | YamlValue[] | {[key: string]: YamlValue};

const plainSafe = /^[A-Za-z0-9/_.][A-Za-z0-9/_.\- ()+@=,]*$/;
const looksLikeOther = /^(?:true|false|yes|no|on|off|y|n|null|~|[-+]?(?:\d[\d_]*)?(?:\.\d*)?(?:e[-+]?\d+)?|0x[\da-f]+|0o[0-7]+|\.inf|\.nan)$/i;

/** A scalar string as YAML: plain when that reads back the same, else double-quoted and escaped. */
export function yamlString(text: string): string {
	if (text !== '' && plainSafe.test(text) && !looksLikeOther.test(text) && !text.endsWith(' ')) return text;
	let quoted = '"';
	for (const character of text) {
		const code = character.codePointAt(0)!;
		if (character === '"') quoted += '\\"';
		else if (character === '\\') quoted += '\\\\';
		else if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029 || code === 0xfeff) {
			quoted += `\\u${code.toString(16).padStart(4, '0')}`;
		} else if (code >= 0xd800 && code <= 0xdfff) quoted += '\\ufffd'; // a lone surrogate: no YAML can hold it
		else quoted += character;
	}

	return `${quoted}"`;
}

function scalar(value: string | number | boolean): string {
	return typeof value === 'string' ? yamlString(value) : String(value);
}

function isScalar(value: YamlValue): value is string | number | boolean {
	return typeof value !== 'object';
}

/** Block-style YAML for `value`, each level indented two spaces; ends with a newline. */
export function toYaml(value: YamlValue, indent = ''): string {
	if (isScalar(value)) return `${indent}${scalar(value)}\n`;
	if (Array.isArray(value)) {
		if (value.length === 0) return `${indent}[]\n`;
		let text = '';
		for (const item of value) {
			if (isScalar(item)) text += `${indent}- ${scalar(item)}\n`;
			else {
				// The item's first line goes after the dash, the rest under it.
				const body = toYaml(item, `${indent}  `);
				text += `${indent}- ${body.slice(indent.length + 2)}`;
			}
		}

		return text;
	}

	const entries = Object.entries(value);
	if (entries.length === 0) return `${indent}{}\n`;
	let text = '';
	for (const [key, item] of entries) {
		if (isScalar(item)) text += `${indent}${yamlString(key)}: ${scalar(item)}\n`;
		else if (Array.isArray(item) ? item.length === 0 : Object.keys(item).length === 0) {
			text += `${indent}${yamlString(key)}: ${Array.isArray(item) ? '[]' : '{}'}\n`;
		} else text += `${indent}${yamlString(key)}:\n${toYaml(item, `${indent}  `)}`;
	}

	return text;
}
