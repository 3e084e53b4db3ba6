import {alwaysPresent, canonicalName, knownFields, type FieldKind} from './fields.js';
import type {EventFields, EventKind, MonitorEvent} from './event.js';

/** An event before the store gives it a sequence number. */
export type NormalizedEvent = Omit<MonitorEvent, 'seq'>;

/** What normalize() tells a caller that asks: whether the event's fields are the input exactly as it came. */
export type NormalizeReport = {
	/** Karmor's shape already and nothing cleaned: the input's JSON text is the event's --json line. */
	verbatim: boolean;
};

type KnownField = {
	name: string;
	kind: FieldKind;
	/**
	 * A non-empty string (keepsString) or a number (keepsNumber) is kept exactly as it is: the fast check. Two
	 * booleans rather than a `typeof` name to compare with: that comparison was most of normalize's time.
	 */
	keepsString: boolean;
	keepsNumber: boolean;
};

function knownField(name: string): KnownField {
	const kind = knownFields[name];
	return {name, kind, keepsString: kind === 'string', keepsNumber: kind === 'int' || kind === 'int64'};
}

/**
 * Key as it arrives -> the known field it names (null: not a known field). Seeded with the canonical and the
 * lower-case spellings; other spellings are learned as they come, up to a bound so hostile input with endless
 * distinct keys cannot grow it. Saves a toLowerCase() (a new string) and two map lookups per key per event.
 */
const fieldOf = new Map<string, KnownField | null>();
const maxLearnedKeys = 2048;
for (const name of Object.keys(knownFields)) {
	const field = knownField(name);
	fieldOf.set(name, field);
	fieldOf.set(name.toLowerCase(), field);
}

function resolve(key: string): KnownField | null {
	const cached = fieldOf.get(key);
	if (cached !== undefined) return cached;
	const name = canonicalName.get(key.toLowerCase());
	const field = name === undefined ? null : knownField(name);
	if (fieldOf.size < maxLearnedKeys) fieldOf.set(key, field);
	return field;
}

/**
 * No KubeArmor event nests more than a few levels (Owner, ExecEvent, a map). A value nested deeper than this is
 * rejected at the door, so nothing that walks values recursively later (JSON.stringify in --json and serve, the
 * detail pane) can overflow the stack on a line like {"x":[[[[...]]]]}.
 */
export const maxNesting = 64;
const tooDeepReason = `a value nested more than ${maxNesting} levels deep, not an event`;

/**
 * Whether `value` is an object or array with containers nested more than `levels` deep. Recursion stops there,
 * and never enters a string or number: tags and owners hold only those, and a call per item was most of
 * normalize's time on them.
 */
function nestedTooDeep(value: unknown, levels = maxNesting): boolean {
	if (typeof value !== 'object' || value === null) return false;
	if (levels === 0) return true;
	if (Array.isArray(value)) {
		for (const item of value) {
			if (typeof item === 'object' && item !== null && nestedTooDeep(item, levels - 1)) return true;
		}

		return false;
	}

	for (const key in value) {
		const item = (value as Record<string, unknown>)[key];
		if (typeof item === 'object' && item !== null && nestedTooDeep(item, levels - 1)) return true;
	}

	return false;
}

/**
 * The keys of the events seen so far as a tree of key sequences, each step holding the known field its key
 * names. Events of one producer repeat a few key orders, so the next key is nearly always the one the last
 * event with the same keys before it had: one comparison of two interned strings (JSON.parse interns keys)
 * instead of a hash lookup per key, which was a third of normalize's time. Bounded: past maxSteps, keys are
 * resolved one by one.
 */
type KeyStep = {
	key: string;
	field: KnownField | null;
	/** The step the last event through this one took next. */
	next: KeyStep | undefined;
	/** Every step seen after this one, by key, once there is more than one. */
	branches: Map<string, KeyStep> | undefined;
};

const maxSteps = 4096;
let steps = 0;
const root: KeyStep = {key: '', field: null, next: undefined, branches: undefined};

/** The step after `step` for `key`, remembered as its most recent one; undefined once the tree is full. */
function stepAfter(step: KeyStep, key: string): KeyStep | undefined {
	let found = step.branches?.get(key);
	if (found === undefined) {
		if (step.next === undefined || step.next.key === key) {
			found = step.next;
		}

		if (found === undefined) {
			if (steps >= maxSteps) return undefined;
			steps++;
			found = {key, field: resolve(key), next: undefined, branches: undefined};
			if (step.next !== undefined) {
				step.branches ??= new Map([[step.next.key, step.next]]);
				step.branches.set(key, found);
			}
		}
	}

	step.next = found;
	return found;
}

/** cleanInPlace's answers besides a count. */
const needsRename = -1;
const tooDeep = -2;

/**
 * When every known field of `input` is under its canonical name (karmor's shape), clean its values where they
 * are and return how many keys hold a value; else needsRename, and `input` must be rebuilt under canonical names,
 * or tooDeep.
 * Cleaning in place matters for speed: real karmor output carries `"Message":""`, `"ATags":null` or a string
 * Timestamp in most events, and rebuilding a 35-key object costs several times what parsing it did. A value
 * that cleans to nothing becomes `undefined`, which every reader treats as absent and JSON.stringify leaves out.
 * Values cleaned before a rename is found are what the rebuild would make of them anyway.
 */
function cleanInPlace(input: Record<string, unknown>, report: NormalizeReport | undefined): number {
	let count = 0;
	let step: KeyStep | undefined = root;
	for (const key in input) {
		let field: KnownField | null;
		if (step !== undefined) {
			const next: KeyStep | undefined = step.next;
			step = next !== undefined && next.key === key ? next : stepAfter(step, key);
		}

		if (step === undefined) field = resolve(key);
		else field = step.field;
		const value = input[key];
		if (field === null) {
			if (typeof value === 'object' && nestedTooDeep(value)) return tooDeep;
			count++;
			continue;
		}

		if (field.name !== key) return needsRename;
		if (field.keepsString ? typeof value === 'string' && value.length > 0 : field.keepsNumber && typeof value === 'number') {
			count++;
			continue;
		}

		if (nestedTooDeep(value)) return tooDeep;
		const clean = cleanField(field, value);
		if (clean !== value) {
			input[key] = clean;
			if (report) report.verbatim = false;
		}

		if (clean !== undefined) count++;
	}

	return count;
}

/** A known field's value as the event keeps it; undefined when it has none. */
function cleanField(field: KnownField, value: unknown): unknown {
	const clean = cleanValue(field.kind, value);
	// Fields KubeArmor always sends keep a null as 0 (AccuKnox writes null PIDs).
	return clean === undefined && value === null && alwaysPresent.has(field.name) ? 0 : clean;
}

/**
 * Turn one parsed JSON value from any dialect (PascalCase, the daemon's camelCase, AccuKnox's nulls and
 * empty strings, numeric Severity, string Timestamp, the sidekick envelope) into karmor's PascalCase shape.
 * Unknown fields are kept untouched. Returns a reason string when the value is not an event at all.
 *
 * The caller hands `raw` over: when its keys are already karmor's (the common case: `karmor logs --json`, the
 * relay) its values are cleaned where they are and it becomes the event's `fields`, so the caller must not use
 * or modify it afterwards.
 */
export function normalize(raw: unknown, source: string, receivedAt: number, report?: NormalizeReport): NormalizedEvent | string {
	if (report) report.verbatim = false;
	if (!isPlainObject(raw)) return describeNonObject(raw);

	let input = raw;
	let kindHint: EventKind | undefined;
	// kubearmor/sidekick wraps the event: {Timestamp, UpdatedTime, ..., EventType, Detail: {...}}
	if (isPlainObject(raw['Detail']) && typeof raw['EventType'] === 'string') {
		const {Detail, EventType, ...envelope} = raw;
		input = {...envelope, ...(Detail as Record<string, unknown>)};
		kindHint = EventType.toLowerCase() === 'log' ? 'log' : 'alert';
	}

	let fields: EventFields;
	if (report) report.verbatim = input === raw;
	let kept = cleanInPlace(input, report);
	if (kept === tooDeep) return tooDeepReason;
	if (kept >= 0) {
		fields = input;
	} else {
		if (report) report.verbatim = false;
		const rebuilt: EventFields = {};
		kept = 0;
		for (const key in input) {
			const value = input[key];
			if (nestedTooDeep(value)) return tooDeepReason;
			const field = resolve(key);
			// Unknown fields are kept as they came; known ones once cleaned, when anything is left.
			const clean = field === null ? value : cleanField(field, value);
			if (clean === undefined && field !== null) continue;
			setField(rebuilt, field === null ? key : field.name, clean);
			kept++;
		}

		fields = rebuilt;
	}

	if (kept === 0) return 'an empty object, not an event';

	const kind: EventKind =
		kindHint ?? kindOfType(fields['Type']) ?? (fields['PolicyName'] !== undefined || fields['Action'] !== undefined ? 'alert' : 'log');

	// `seq`, `raw` and `verbatim` are set here (the store overwrites seq, ingest sets the others) so assigning
	// them later does not change the object's shape (an added key costs each retained event a 40-byte property
	// array); `time` is worked out on first use (eventTime): most events are never drawn or printed.
	const event: MonitorEvent = {
		seq: 0,
		kind,
		time: Number.NaN,
		severity: parseSeverity(fields['Severity']),
		source,
		receivedAt,
		fields,
		raw: undefined,
		verbatim: false,
	};
	return event;
}

/**
 * An own property, as JSON.parse would make it: a "__proto__" key stays a field and never becomes the object's
 * prototype. Assignments otherwise: building [key, value] pairs for Object.fromEntries cost several times more.
 */
function setField(fields: EventFields, key: string, value: unknown): void {
	if (key === '__proto__') Object.defineProperty(fields, key, {value, enumerable: true, writable: true, configurable: true});
	else fields[key] = value;
}

/**
 * The kind KubeArmor's Type names (fields.ts's alertTypes and logTypes), else undefined. Compared, not looked
 * up in a Set: each event's Type is a new string, and hashing it cost more than comparing it.
 */
function kindOfType(type: unknown): EventKind | undefined {
	switch (type) {
		case 'MatchedPolicy':
		case 'MatchedHostPolicy':
		case 'MatchedNetworkPolicy':
		case 'SystemEvent': {
			return 'alert';
		}

		case 'ContainerLog':
		case 'HostLog': {
			return 'log';
		}

		default: {
			return undefined;
		}
	}
}

function cleanValue(kind: FieldKind | undefined, value: unknown): unknown {
	if (value === null || value === undefined || value === '') return undefined;
	switch (kind) {
		case 'int':
		case 'int64': {
			if (typeof value === 'number') return value;
			if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value.trim());
			return value;
		}

		case 'string': {
			return typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
		}

		case 'tags': {
			if (Array.isArray(value)) return value.length > 0 ? value : undefined;
			return value;
		}

		case 'owner': {
			return cleanObject(value, ownerNames);
		}

		case 'exec': {
			return cleanObject(value, execNames);
		}

		case 'map': {
			return isPlainObject(value) && Object.keys(value).length === 0 ? undefined : value;
		}

		default: {
			return value;
		}
	}
}

/**
 * Lower-cased sub-key -> canonical sub-key, and the canonical ones, of Owner and of ExecEvent. A Map, not an
 * object: looking up "__proto__" or "constructor" in an object literal finds Object.prototype's members.
 */
type SubKeys = {names: ReadonlyMap<string, string>; canonical: ReadonlySet<string>};

function subKeys(names: Record<string, string>): SubKeys {
	return {names: new Map(Object.entries(names)), canonical: new Set(Object.values(names))};
}

const ownerNames = subKeys({ref: 'Ref', name: 'Name', namespace: 'Namespace'});
const execNames = subKeys({execid: 'ExecID', executablename: 'ExecutableName'});

/** Owner and ExecEvent: canonical sub-keys, empty parts dropped, the whole dropped when nothing is left. */
function cleanObject(value: unknown, {names, canonical}: SubKeys): unknown {
	if (!isPlainObject(value)) return value;
	if (cleanAlready(value, names, canonical)) return value;
	const entries: Array<[string, unknown]> = [];
	for (const key in value) {
		const part = value[key];
		if (part === null || part === undefined || part === '') continue;
		entries.push([names.get(key.toLowerCase()) ?? key, part]);
	}

	return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

/** Every part present and under its canonical name: the object can be kept as it is. */
function cleanAlready(
	value: Record<string, unknown>,
	names: ReadonlyMap<string, string>,
	canonical: ReadonlySet<string>,
): boolean {
	let parts = 0;
	for (const key in value) {
		const part = value[key];
		if (part === null || part === undefined || part === '') return false;
		// Not canonical but some spelling of a canonical sub-key: needs renaming.
		if (!canonical.has(key) && names.has(key.toLowerCase())) return false;
		parts++;
	}

	return parts > 0;
}

export function parseSeverity(value: unknown): number {
	const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
	return Number.isInteger(n) && n >= 1 && n <= 10 ? n : 0;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeNonObject(value: unknown): string {
	if (Array.isArray(value)) return 'a JSON array, not an event object';
	if (value === null) return 'JSON null, not an event object';
	return `a JSON ${typeof value}, not an event object`;
}
