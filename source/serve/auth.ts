import {createHash, timingSafeEqual} from 'node:crypto';

function digest(text: string): Buffer {
	return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * Does an Authorization header present `Bearer <token>`? Both sides are hashed first, so the comparison takes
 * the same time whatever the lengths, and timingSafeEqual leaks nothing about where they differ.
 */
export function bearerMatches(authorization: string | undefined, token: string): boolean {
	const match = /^\s*bearer\s+(\S.*?)\s*$/i.exec(authorization ?? '');
	const presented = match?.[1] ?? '';
	const same = timingSafeEqual(digest(presented), digest(token));
	return same && presented !== '';
}
