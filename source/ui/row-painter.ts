/**
 * Rows' text drawn into the screen model instead of through ink's frame. ink splits every character of every
 * line of every frame into graphemes (about 1 µs a character; 40-45% of a 120x40 frame's CPU). A Line that has a
 * painter hands ink a short marker instead of its text; the screen model (screen-model.ts), reading ink's frame,
 * blanks the marker's cells and writes the text there once the frame is read.
 *
 * A marker is `\x01frame.id\x02`: control characters never come from an event (sanitize.ts replaces them), and ink
 * gives each one cell. The frame number changes with every frame ink writes, so two frames whose rows differ never
 * look the same to ink (it skips writing a frame equal to the last). The texts of the frame before are kept too:
 * ink writes its last frame again when it unmounts.
 */
export class RowPainter {
	private frame = 0;
	private texts: string[] = [];
	private previousFrame = -1;
	private previousTexts: string[] = [];
	/** Set when ink wrote: the next mark starts a new frame. */
	private written = false;

	/** The marker standing in for `text` in ink's frame. */
	mark(text: string): string {
		if (this.written) {
			this.previousFrame = this.frame;
			this.previousTexts = this.texts;
			this.frame = (this.frame + 1) % frameCycle;
			this.texts = [];
			this.written = false;
		}

		// More lines than a frame ever has: the rest go through ink's frame as text, so no marker outgrows markedWidth.
		if (this.texts.length >= maxMarks) return text;
		const id = this.texts.push(text) - 1;
		return `${markStart}${this.frame}.${id}${markEnd}`;
	}

	/** What a marker stands for; undefined when it is not one of the last two frames'. */
	text(marker: string): string | undefined {
		const dot = marker.indexOf('.');
		if (dot < 0) return undefined;
		const frame = Number(marker.slice(0, dot));
		const id = Number(marker.slice(dot + 1));
		if (frame === this.frame) return this.texts[id];
		if (frame === this.previousFrame) return this.previousTexts[id];
		return undefined;
	}

	/** ink wrote (a frame, or any part of one). */
	wrote(): void {
		this.written = true;
	}
}

export const markStart = '\u0001';
export const markEnd = '\u0002';
/** Frame numbers go round: only the last two are ever looked up. */
const frameCycle = 1000;
const maxMarks = 10_000;
/**
 * A line narrower than the longest marker (`\x01999.9999\x02`) keeps its text: a marker is one cell a character,
 * and one wider than its line would run into the next pane's cells.
 */
export const markedWidth = 10;
