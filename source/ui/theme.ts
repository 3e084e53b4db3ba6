import type {SeverityBand} from '../model/event.js';

/** Colours only ever add to a glyph or a word; NO_COLOR / --no-color turn them off (see cli). */
export const severityColor: Record<SeverityBand, string> = {
	crit: 'magentaBright',
	high: 'red',
	med: 'yellow',
	low: 'cyan',
	none: 'gray',
};

export function actionColor(action: string): string | undefined {
	if (action === 'Block' || action === 'Remove') return 'red';
	if (action.startsWith('Audit')) return 'yellow';
	if (action === 'Allow') return 'green';
	return undefined;
}

export const stateColor: Record<string, string> = {
	reading: 'green',
	following: 'green',
	connected: 'green',
	starting: 'yellow',
	connecting: 'yellow',
	reconnecting: 'yellow',
	ended: 'gray',
	closed: 'gray',
	failed: 'red',
};

export const focusColor = 'cyan';
export const warningColor = 'yellowBright';
