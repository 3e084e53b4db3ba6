// NATS subjects: checking what a user typed, telling whether one pattern covers another (which stream holds a
// subject), and the subjects `armorwatch publish` puts events on. Pure: no client, no I/O.

export const defaultSubjectPrefix = 'kubearmor';
export const defaultSubject = `${defaultSubjectPrefix}.>`;

/** Why `subject` cannot be subscribed to (or published on, with `wildcards` false), or undefined when it can. */
export function subjectProblem(subject: string, wildcards = true): string | undefined {
	if (subject === '') return 'the subject is empty';
	// eslint-disable-next-line no-control-regex
	if (/[\s\u0000-\u001F\u007F]/.test(subject)) return 'a subject holds no spaces or control characters';
	const tokens = subject.split('.');
	for (const [index, token] of tokens.entries()) {
		if (token === '') return 'a subject has no empty parts (no leading, trailing or double dots)';
		if (token === '>' || token === '*') {
			if (!wildcards) return 'this subject cannot hold the wildcards * or >';
			if (token === '>' && index !== tokens.length - 1) return '">" can only be the last part of a subject';
			continue;
		}

		if (token.includes('*') || token.includes('>')) return 'the wildcards * and > stand alone between dots (a.*.c, a.>)';
	}

	return undefined;
}

/**
 * True when every subject matched by `subject` is also matched by `pattern`: `kubearmor.>` covers
 * `kubearmor.alert.prod.>` and itself, `kubearmor.*.prod.>` does not cover `kubearmor.>`.
 */
export function subjectCovers(pattern: string, subject: string): boolean {
	const wide = pattern.split('.');
	const narrow = subject.split('.');
	for (let index = 0; index < wide.length; index++) {
		const token = wide[index]!;
		if (token === '>') return index < narrow.length;
		const other = narrow[index];
		if (other === undefined || other === '>') return false;
		if (token === '*') continue;
		if (other === '*' || other !== token) return false;
	}

	return wide.length === narrow.length;
}

/** Drop subjects another one already covers, so no message is delivered twice (kubearmor.> and kubearmor.alert.>). */
export function withoutCovered(subjects: readonly string[]): string[] {
	const unique = [...new Set(subjects)];
	// Two different subjects never cover each other, so this keeps exactly the widest ones.
	return unique.filter(subject => !unique.some(other => other !== subject && subjectCovers(other, subject)));
}

// eslint-disable-next-line no-control-regex
const unsafeToken = /[.*>\s\u0000-\u001F\u007F-\u009F]/;

/**
 * One part of a published subject: a value as it is, or `_` when it is missing, empty, or holds a character that
 * would change the subject's meaning (`.`, `*`, `>`, whitespace, a control character). `_` keeps the subject's
 * shape, so `kubearmor.alert.*.*.Process` still matches every cluster and namespace.
 */
export function subjectToken(value: unknown): string {
	if (typeof value !== 'string' && typeof value !== 'number') return '_';
	const text = String(value);
	return text === '' || unsafeToken.test(text) ? '_' : text;
}

/** `kubearmor.<alert|log>.<cluster>.<namespace>.<operation>` for one event in karmor's shape. */
export function eventSubject(prefix: string, kind: 'alert' | 'log', fields: Record<string, unknown>): string {
	return `${prefix}.${kind}.${subjectToken(fields['ClusterName'])}.${subjectToken(fields['NamespaceName'])}.${subjectToken(fields['Operation'])}`;
}

type SubjectValue = string | number | undefined;

/** Distinct (kind, cluster, namespace, operation) kept at most; hostile input with endless values starts over. */
const maxCachedSubjects = 4096;

/**
 * eventSubject() with the answer kept per (kind, cluster, namespace, operation): a cluster publishes on a few
 * hundred subjects, and checking three values and joining five parts per event is a tenth of publishing one.
 * Values that are not strings or numbers (an object, null) are not cached; their token is `_` anyway.
 */
export class SubjectCache {
	private readonly byKind = {alert: new Map<SubjectValue, Map<SubjectValue, Map<SubjectValue, string>>>(), log: new Map<SubjectValue, Map<SubjectValue, Map<SubjectValue, string>>>()};
	private size = 0;

	constructor(private readonly prefix: string) {}

	subject(kind: 'alert' | 'log', fields: Record<string, unknown>): string {
		const cluster = fields['ClusterName'];
		const namespace = fields['NamespaceName'];
		const operation = fields['Operation'];
		if (!cacheable(cluster) || !cacheable(namespace) || !cacheable(operation)) return eventSubject(this.prefix, kind, fields);
		let namespaces = this.byKind[kind].get(cluster);
		let operations = namespaces?.get(namespace);
		const cached = operations?.get(operation);
		if (cached !== undefined) return cached;
		const subject = eventSubject(this.prefix, kind, fields);
		if (++this.size > maxCachedSubjects) {
			this.byKind.alert.clear();
			this.byKind.log.clear();
			this.size = 1;
			namespaces = undefined;
			operations = undefined;
		}

		if (namespaces === undefined) {
			namespaces = new Map();
			this.byKind[kind].set(cluster, namespaces);
		}

		if (operations === undefined) {
			operations = new Map();
			namespaces.set(namespace, operations);
		}

		operations.set(operation, subject);
		return subject;
	}
}

function cacheable(value: unknown): value is SubjectValue {
	return value === undefined || typeof value === 'string' || typeof value === 'number';
}
