import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import type {MonitorEvent} from '../../source/model/event.js';
import {normalize} from '../../source/model/normalize.js';

/** The repo's root, from the compiled dist/test/helpers/ or the source test/helpers/. */
export const repoRoot = fileURLToPath(new URL(import.meta.url.includes('/dist/') ? '../../../' : '../../', import.meta.url));

export const samplesPath = `${repoRoot}test/fixtures/kubearmor-public.ndjson`;

/** The 69 public KubeArmor events, one JSON text per line. */
export function sampleLines(): string[] {
	return readFileSync(samplesPath, 'utf8').split('\n').filter(line => line.trim() !== '');
}

let seq = 0;

/** A MonitorEvent from a raw object, as the store would hold it. */
export function makeEvent(raw: Record<string, unknown>, source = 'test'): MonitorEvent {
	const normalized = normalize(raw, source, Date.UTC(2024, 0, 1));
	if (typeof normalized === 'string') throw new Error(normalized);
	return {...normalized, seq: ++seq};
}
