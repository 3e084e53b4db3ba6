/** Poll `test` every 5 ms until it holds or `timeoutMs` passes (then throw with `what`). */
export async function waitFor(test: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!test()) {
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise(resolve => setTimeout(resolve, 5));
	}
}
