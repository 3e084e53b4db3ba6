// One alert storm for the group tests, in the UI and in a real terminal.

/** An event as karmor prints it. */
export type StormEvent = Record<string, unknown>;

/** The one that matters: a Block of a reverse shell from the same pod, at 12:02:30. */
export const stormBlock: StormEvent = {
	UpdatedTime: '2024-01-01T12:02:30.000000Z',
	NamespaceName: 'payments',
	PodName: 'api-7d4b9c8f6d-x2k9q',
	ProcessName: '/bin/nc',
	Resource: '10.0.0.9:4444',
	Operation: 'Network',
	Action: 'Block',
	Severity: '9',
	Type: 'MatchedPolicy',
	PolicyName: 'block-reverse-shell',
};

/**
 * `audits` DefaultPosture audits of /usr/bin/apt reading /etc/shadow by three replicas of one deployment
 * (payments/api), spread over 12:00..12:04, with a stormBlock after each audit whose index is in `blocksAfter`.
 */
export function stormEvents(audits: number, blocksAfter: readonly number[]): StormEvent[] {
	const events: StormEvent[] = [];
	for (let index = 0; index < audits; index++) {
		events.push({
			UpdatedTime: `2024-01-01T12:0${index % 5}:${String(index % 60).padStart(2, '0')}.000000Z`,
			NamespaceName: 'payments',
			PodName: `api-7d4b9c8f6d-${['x2k9q', 'b7m4p', 'zz9kc'][index % 3]}`,
			ProcessName: '/usr/bin/apt',
			Resource: '/etc/shadow',
			Operation: 'File',
			Action: 'Audit',
			Severity: '3',
			Type: 'MatchedPolicy',
			PolicyName: 'DefaultPosture',
		});
		if (blocksAfter.includes(index)) events.push({...stormBlock});
	}

	return events;
}
