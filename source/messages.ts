import {sanitize} from './model/sanitize.js';

/**
 * One message for stderr, `armorwatch: ...`. Whatever it quotes (a file name a shell glob picked up, an option, an
 * error from a library) is cleaned like event text: line breaks between lines are kept, no other control byte
 * reaches the terminal.
 */
export function stderrLine(message: unknown): string {
	const text = message instanceof Error ? message.message : String(message);
	return `armorwatch: ${text.split('\n').map(line => sanitize(line)).join('\n')}\n`;
}
