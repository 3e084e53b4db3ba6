import {text, valueText, type MonitorEvent} from '../model/event.js';
import {podWorkload} from '../model/workload.js';
import {fieldDefinitions} from '../query/parse.js';

/** One field a group's key is made of. */
export type GroupField = {
	/** The query-language name (`policy`, `op`, `workload`). */
	name: string;
	/** The name line mode prints it under: the KubeArmor field, or `Workload`. */
	label: string;
	/** The event's value, '' when it has none. */
	read: (event: MonitorEvent) => string;
	/**
	 * The KubeArmor field whose packed column (query/vocabulary.ts) holds exactly what read() gives, so groups
	 * can be built from the columns; undefined when they differ (Tags: the column falls back to ATags).
	 */
	column: string | undefined;
};

// Pod names repeat (a storm comes from a few replicas): remember each one's answer, so most events cost one
// look-up and hand the table the same string (whose hash is then already known).
const workloads = new Map<string, {namespace: string; workload: string}>();
const maxRemembered = 10_000;

/**
 * `namespace/workload` for pods, the host name for host events: where the story happened. A function of the
 * three fields' texts only, so the packed columns of those fields give the same answer (groups.ts).
 */
export function workloadOf(pod: string, namespace: string, host: string): string {
	if (pod === '') return host;
	const known = workloads.get(pod);
	if (known !== undefined && known.namespace === namespace) return known.workload;
	if (workloads.size >= maxRemembered) workloads.clear();
	const workload = `${namespace}/${podWorkload(pod)}`;
	workloads.set(pod, {namespace, workload});
	return workload;
}

function readWorkload(event: MonitorEvent): string {
	const pod = valueText(event.fields['PodName']);
	if (pod === '') return valueText(event.fields['HostName']);
	return workloadOf(pod, valueText(event.fields['NamespaceName']), '');
}

/** The fields the workload is made of, in workloadOf's order. */
export const workloadColumns = ['PodName', 'NamespaceName', 'HostName'] as const;

export const workloadField: GroupField = {name: 'workload', label: 'Workload', read: readWorkload, column: undefined};

// One reader per field, each naming its property: events come in dozens of shapes, and over 100,000 of them a
// load by a variable name (text(event, name)) took twice what these named loads take.
const readers: Record<string, (event: MonitorEvent) => string> = {
	NamespaceName: event => valueText(event.fields['NamespaceName']),
	PodName: event => valueText(event.fields['PodName']),
	ContainerName: event => valueText(event.fields['ContainerName']),
	ContainerImage: event => valueText(event.fields['ContainerImage']),
	HostName: event => valueText(event.fields['HostName']),
	ClusterName: event => valueText(event.fields['ClusterName']),
	PolicyName: event => valueText(event.fields['PolicyName']),
	ProcessName: event => valueText(event.fields['ProcessName']),
	ParentProcessName: event => valueText(event.fields['ParentProcessName']),
	Resource: event => valueText(event.fields['Resource']),
	Source: event => valueText(event.fields['Source']),
	Operation: event => valueText(event.fields['Operation']),
	Action: event => valueText(event.fields['Action']),
	Type: event => valueText(event.fields['Type']),
	Result: event => valueText(event.fields['Result']),
	Enforcer: event => valueText(event.fields['Enforcer']),
};

const byName = new Map<string, GroupField>([['workload', workloadField]]);
for (const definition of fieldDefinitions) {
	const read = readers[definition.field] ?? ((event: MonitorEvent) => text(event, definition.field));
	// The query reads Tags as ATags joined when it is missing; a group's tag is the Tags field alone.
	const column = definition.field === 'Tags' ? undefined : definition.field;
	const field: GroupField = {name: definition.name, label: definition.field, read, column};
	byName.set(definition.name, field);
	for (const alias of definition.aliases) byName.set(alias, field);
}

/** The names `--group-by` and the field picker offer, in the query language's order. */
export const groupFieldNames: readonly string[] = ['workload', ...fieldDefinitions.map(definition => definition.name)];

/** What a storm is, by default: the same policy, operation and action, by the same process on the same thing, in one workload. */
export const defaultGroupBy: readonly string[] = ['policy', 'op', 'action', 'proc', 'res', 'workload'];

export function groupField(name: string): GroupField | undefined {
	return byName.get(name.trim().toLowerCase());
}

/** `policy,op` -> fields, or an error in words naming what is not a field. */
export function parseGroupBy(text: string): GroupField[] | {error: string} {
	const names = text.split(',').map(name => name.trim()).filter(Boolean);
	if (names.length === 0) return {error: `--group-by needs field names, e.g. ${defaultGroupBy.join(',')}`};
	const fields: GroupField[] = [];
	for (const name of names) {
		const field = groupField(name);
		if (!field) return {error: `--group-by: unknown field "${name}" (fields: ${groupFieldNames.join(' ')})`};
		if (!fields.includes(field)) fields.push(field);
	}

	return fields;
}
