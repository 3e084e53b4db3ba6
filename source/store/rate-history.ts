/** Events per wall-clock second over the last `seconds` seconds, for the rate figure and the sparkline. */
export class RateHistory {
	private readonly counts: number[];
	/** Which epoch second each slot currently counts. */
	private readonly secondOf: number[];

	constructor(readonly seconds = 60) {
		this.counts = new Array<number>(seconds).fill(0);
		this.secondOf = new Array<number>(seconds).fill(-1);
	}

	record(nowMs: number, count = 1): void {
		const second = Math.floor(nowMs / 1000);
		const slot = second % this.seconds;
		if (this.secondOf[slot] !== second) {
			this.secondOf[slot] = second;
			this.counts[slot] = 0;
		}

		this.counts[slot] += count;
	}

	/** Events in the last complete second. */
	perSecond(nowMs: number): number {
		return this.countAt(Math.floor(nowMs / 1000) - 1);
	}

	/** Counts of the last `seconds` complete seconds, oldest first. */
	history(nowMs: number): number[] {
		const now = Math.floor(nowMs / 1000);
		const result: number[] = [];
		for (let second = now - this.seconds; second < now; second++) result.push(this.countAt(second));
		return result;
	}

	private countAt(second: number): number {
		const slot = ((second % this.seconds) + this.seconds) % this.seconds;
		return this.secondOf[slot] === second ? this.counts[slot] : 0;
	}
}
