// Copy to the clipboard through the terminal (OSC 52): works over SSH, since the terminal on the user's desk does
// the copying. Only our own bytes go into the sequence: the text travels base64-encoded, so nothing in an event
// can end the sequence early or start another.

/** Terminals drop larger OSC 52 payloads (xterm and others cap them); past this we say so instead of sending. */
export const maxClipboardBytes = 1024 * 1024;

/** The escape sequence that puts `text` on the clipboard; inside tmux also wrapped for its passthrough. */
export function osc52(text: string, inTmux = false): string {
	const payload = Buffer.from(text, 'utf8').toString('base64');
	const sequence = `\u001B]52;c;${payload}\u0007`;
	// tmux takes the bare sequence itself when its set-clipboard is on, and hands the wrapped one (ESC doubled)
	// to the outer terminal when allow-passthrough is on: send both, one of them reaches the clipboard.
	return inTmux ? `${sequence}\u001BPtmux;\u001B${sequence}\u001B\\` : sequence;
}

/** "12.3 KB" for the footer. */
export function byteSize(bytes: number): string {
	if (bytes < 1024) return `${bytes} bytes`;
	if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
	return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
