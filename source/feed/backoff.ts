// Reconnect delays shared by the network feeds (WebSocket, gRPC). Pure: the random source is a parameter, so
// tests pin it.

export type BackoffOptions = {
	/** The first delay. */
	initialMs: number;
	/** No delay is longer than this. */
	maxMs: number;
	/** 0..1: each delay is the exponential step times a random factor in [1 - jitter, 1 + jitter]. */
	jitter: number;
	/** A connection that stayed up at least this long starts the next series from the first delay again. */
	resetAfterMs: number;
};

/** 0.5 s doubling to 30 s, +-20 % jitter, reset after 10 s connected. */
export const defaultBackoff: Readonly<BackoffOptions> = {
	initialMs: 500,
	maxMs: 30_000,
	jitter: 0.2,
	resetAfterMs: 10_000,
};

/**
 * How long to wait before reconnect attempt `attempt` (1 = the first retry after a failure). The exponential step
 * is initialMs * 2^(attempt - 1), capped at maxMs; jitter spreads clients that failed together so they do not
 * all come back in the same instant. The result always lies in [initialMs, maxMs].
 */
export function backoffDelay(
	attempt: number,
	options: Readonly<BackoffOptions> = defaultBackoff,
	random: () => number = Math.random,
): number {
	const {initialMs, maxMs, jitter} = options;
	const exponent = Math.min(Math.max(0, Math.floor(attempt) - 1), 52);
	const step = Math.min(maxMs, initialMs * 2 ** exponent);
	const spread = Math.min(1, Math.max(0, jitter));
	const factor = 1 - spread + 2 * spread * Math.min(1, Math.max(0, random()));
	return Math.round(Math.min(maxMs, Math.max(initialMs, step * factor)));
}

/**
 * The attempt number for the next reconnect after a connection closed: back to 1 when it had stayed up for at
 * least resetAfterMs (a healthy connection that dropped), else one more than before. `connectedMs` is how long
 * the connection was open, or undefined when it never opened.
 */
export function nextAttempt(
	previousAttempt: number,
	connectedMs: number | undefined,
	options: Readonly<BackoffOptions> = defaultBackoff,
): number {
	if (connectedMs !== undefined && connectedMs >= options.resetAfterMs) return 1;
	return previousAttempt + 1;
}
