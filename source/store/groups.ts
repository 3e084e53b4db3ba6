import {eventTime, type MonitorEvent} from '../model/event.js';
import {chunkSize, fieldNumber, type Chunk, type Column, type SeqSource} from '../query/vocabulary.js';
import {podWorkload} from '../model/workload.js';
import {workloadColumns, workloadField, workloadOf, type GroupField} from './group-fields.js';

/** Minutes of history each group keeps for its sparkline, ending at its last event. */
export const sparkMinutes = 8;

/** Every event with the same values of the chosen fields: one security story. */
export type Group = {
	/** The values joined; unique within a table. */
	readonly key: string;
	/** One value per key field, '' where the events have none. */
	readonly values: readonly string[];
	count: number;
	/** Event times (ms) of the earliest and latest event. */
	first: number;
	last: number;
	/** The highest severity seen. */
	severity: number;
	/** The most severe event, the latest of those: what the detail pane shows. */
	sample: MonitorEvent;
	/**
	 * The sample's event time, and `severity` is its severity: an event is weighed against the sample without
	 * reading the sample, an old event long out of the CPU's caches.
	 */
	sampleTime: number;
	/** Events per minute of event time, the last `sparkMinutes` minutes up to `last`, oldest first. */
	readonly minutes: number[];
	/** Neighbours in the table's recency list (older, newer). */
	older: Group | undefined;
	newer: Group | undefined;
};

/** One key field's values -> the next field's level, or at the last field the group. */
type Level = Map<string, Level | Group>;

export type GroupOrder = 'count' | 'last' | 'severity';

export const groupOrders: readonly GroupOrder[] = ['count', 'last', 'severity'];

const minuteMs = 60_000;

/**
 * Groups kept live as events arrive (each event costs one key and one Map look-up, never a rescan). Everything
 * a group shows is a count, a minimum or a maximum, so the table is the same whatever order its events came in.
 * At most `maxGroups` are kept: the least recently added to is dropped first, and counted.
 */
export class GroupTable {
	/** Groups dropped to stay within maxGroups. */
	dropped = 0;
	/** Events added, dropped groups' included. */
	events = 0;
	private readonly groups = new Map<string, Group>();
	private readonly root: Level = new Map();
	/** The recency list: least recently added to first. */
	private oldest: Group | undefined;
	private newest: Group | undefined;
	private version = 0;
	private sortedVersion = -1;
	private sortedOrder: GroupOrder | undefined;
	private sortedList: Group[] = [];
	private topVersion = -1;
	private topOrder: GroupOrder | undefined;
	private topList: Group[] = [];

	constructor(
		readonly fields: readonly GroupField[],
		readonly maxGroups = 10_000,
	) {}

	/** A table holding these events, as if each had been added in turn. */
	static of(fields: readonly GroupField[], events: Iterable<MonitorEvent>, maxGroups?: number): GroupTable {
		const table = new GroupTable(fields, maxGroups);
		for (const event of events) table.add(event);
		return table;
	}

	/**
	 * The same table as of() over the retained events `seqs` (oldest first; all of them when undefined), built
	 * from the query index's packed columns where a chunk is packed: each event's key is then a few typed-array
	 * reads combined into one number, looked up in a per-chunk Map, instead of reading and hashing its fields
	 * (memory latency: event -> fields -> string -> hash). Events of unpacked chunks, and keys with a field
	 * that has no column, take the per-event path. Only each event's time and severity are read from it.
	 */
	static ofRetained(fields: readonly GroupField[], events: SeqSource, packed: PackedChunks | undefined, seqs: readonly number[] | undefined, maxGroups?: number): GroupTable {
		const table = new GroupTable(fields, maxGroups);
		const columnar = packed !== undefined && fields.every(field => field.name === workloadField.name || (field.column !== undefined && fieldNumber(field.column) >= 0));
		const oldest = events.oldestSeq;
		const newest = events.newestSeq;
		const count = seqs ? seqs.length : Math.max(0, newest - oldest + 1);
		const seqAt = seqs ? (index: number) => seqs[index]! : (index: number) => oldest + index;
		// One run of events per chunk, oldest first: the same order of adds as of() (the recency bound depends on it).
		for (let index = 0; index < count; ) {
			const seq = seqAt(index);
			const chunkEnd = (Math.floor((seq - 1) / chunkSize) + 1) * chunkSize;
			let end = seqs ? index + 1 : Math.min(count, index + 1 + chunkEnd - seq);
			while (end < count && seqAt(end) <= chunkEnd) end++;
			const chunk = columnar ? packed.packedChunk(seq) : undefined;
			if (!chunk || !table.addPacked(chunk, events, seqAt, index, end)) {
				for (let at = index; at < end; at++) table.add(events.get(seqAt(at))!);
			}

			index = end;
		}

		return table;
	}

	get size(): number {
		return this.groups.size;
	}

	add(event: MonitorEvent): Group {
		return this.addTo(this.find(event), event, undefined);
	}

	/**
	 * Add the events seqAt(from) .. seqAt(to - 1), all of `chunk`, from its columns. False (nothing added) when
	 * the chunk holds too many distinct values for the key to be one small number.
	 */
	private addPacked(chunk: Chunk, events: SeqSource, seqAt: (index: number) => number, from: number, to: number): boolean {
		const keyOf = chunkCodes(this.fields, chunk);
		if (!keyOf) return false;
		const codeOf = keyOf.codes;
		const groupOf = new Map<number, Group>();
		let dropped = this.dropped;
		let lastCode = -1;
		let lastGroup: Group | undefined;
		for (let index = from; index < to; index++) {
			const seq = seqAt(index);
			const offset = seq - chunk.start;
			const code = codeOf[offset]!;
			let group = code === lastCode ? lastGroup : groupOf.get(code);
			const event = events.get(seq)!;
			if (group) this.addTo(group, event, undefined);
			else {
				const values = keyOf.values(offset);
				group = this.addTo(this.findValues(values), event, values);
				// A group dropped for the bound may still be remembered by code: forget them all (drops are rare).
				if (this.dropped !== dropped) {
					dropped = this.dropped;
					groupOf.clear();
				}

				groupOf.set(code, group);
			}

			lastCode = code;
			lastGroup = group;
		}

		return true;
	}

	/** Count `event` in `group` (found by its key), or in a new group of these values (the event's when undefined). */
	private addTo(found: Group | undefined, event: MonitorEvent, values: readonly string[] | undefined): Group {
		this.events++;
		this.version++;
		const time = eventTime(event);
		let group = found;
		if (group) {
			group.count++;
			if (time < group.first) group.first = time;
			if (time > group.last) {
				shiftMinutes(group.minutes, Math.floor(time / minuteMs) - Math.floor(group.last / minuteMs));
				group.last = time;
			}

			if (moreTelling(event, time, group)) {
				group.sample = event;
				group.sampleTime = time;
				group.severity = event.severity;
			}
		} else {
			if (this.groups.size >= this.maxGroups) this.dropLeastRecent();
			const key = (values ??= this.fields.map(field => field.read(event))).join(keySeparator);
			group = {key, values, count: 1, first: time, last: time, severity: event.severity, sample: event, sampleTime: time, minutes: new Array<number>(sparkMinutes).fill(0), older: undefined, newer: undefined};
			this.groups.set(key, group);
			this.place(group);
		}

		this.markNewest(group);
		const age = Math.floor(group.last / minuteMs) - Math.floor(time / minuteMs);
		if (age < sparkMinutes) group.minutes[sparkMinutes - 1 - age]++;
		return group;
	}

	/**
	 * The group of `event`, through one Map per key field (value -> next level): each look-up hashes a string
	 * JSON.parse made, where one joined key would first be copied whole for every event.
	 */
	private find(event: MonitorEvent): Group | undefined {
		const {fields} = this;
		let level: Level | Group | undefined = this.root;
		for (let index = 0; index < fields.length && level !== undefined; index++) level = (level as Level).get(fields[index].read(event));
		return level as Group | undefined;
	}

	private findValues(values: readonly string[]): Group | undefined {
		let level: Level | Group | undefined = this.root;
		for (let index = 0; index < values.length && level !== undefined; index++) level = (level as Level).get(values[index]!);
		return level as Group | undefined;
	}

	private place(group: Group): void {
		let level = this.root;
		const last = group.values.length - 1;
		for (let index = 0; index < last; index++) {
			let next = level.get(group.values[index]) as Level | undefined;
			if (!next) {
				next = new Map();
				level.set(group.values[index], next);
			}

			level = next;
		}

		level.set(group.values[last], group);
	}

	private unplace(group: Group): void {
		const path: Level[] = [this.root];
		for (let index = 0; index < group.values.length - 1; index++) path.push(path[index].get(group.values[index]) as Level);
		for (let index = group.values.length - 1; index >= 0; index--) {
			path[index].delete(group.values[index]);
			if (path[index].size > 0) return;
		}
	}

	get(key: string): Group | undefined {
		return this.groups.get(key);
	}

	/** Every group, in `order`; ties by key, so the order never depends on arrival. Sorted again only after a change. */
	sorted(order: GroupOrder = 'count'): readonly Group[] {
		if (this.sortedVersion === this.version && this.sortedOrder === order) return this.sortedList;
		this.sortedList = [...this.groups.values()].sort(orderings[order]);
		this.sortedVersion = this.version;
		this.sortedOrder = order;
		return this.sortedList;
	}

	/**
	 * The first `count` groups of sorted(order), found in one pass that keeps only those (a screen shows a few
	 * dozen of thousands of groups, and they change at every notification: sorting them all each time cost more
	 * than drawing the rows). Kept until the next change.
	 */
	top(order: GroupOrder, count: number): readonly Group[] {
		if (count >= this.groups.size) return this.sorted(order);
		if (this.sortedVersion === this.version && this.sortedOrder === order) return this.sortedList.slice(0, count);
		if (this.topVersion === this.version && this.topOrder === order && this.topList.length >= count) return this.topList.slice(0, count);
		const compare = orderings[order];
		const best: Group[] = [];
		for (const group of this.groups.values()) {
			if (best.length === count && compare(group, best[count - 1]!) >= 0) continue;
			// Where it goes among the best so far (binary search), the worst one out when full.
			let low = 0;
			let high = best.length;
			while (low < high) {
				const middle = (low + high) >> 1;
				if (compare(best[middle]!, group) <= 0) low = middle + 1;
				else high = middle;
			}

			best.splice(low, 0, group);
			if (best.length > count) best.pop();
		}

		this.topList = best;
		this.topVersion = this.version;
		this.topOrder = order;
		return best;
	}

	private markNewest(group: Group): void {
		if (this.newest === group) return;
		if (group.older) group.older.newer = group.newer;
		if (group.newer) group.newer.older = group.older;
		if (this.oldest === group) this.oldest = group.newer;
		group.older = this.newest;
		group.newer = undefined;
		if (this.newest) this.newest.newer = group;
		this.newest = group;
		this.oldest ??= group;
	}

	private dropLeastRecent(): void {
		const group = this.oldest;
		if (!group) return;
		this.oldest = group.newer;
		if (this.oldest) this.oldest.older = undefined;
		else this.newest = undefined;
		this.groups.delete(group.key);
		this.unplace(group);
		this.dropped++;
	}
}

/** The query index's packed chunks (query/vocabulary.ts' Vocabulary). */
export type PackedChunks = {
	packedChunk(seq: number): Chunk | undefined;
};

/** Codes above this are not kept as one small integer (a Map keyed by them would hash heap numbers). */
const maxCode = 2 ** 30;

/** Each event's key code by its offset in a chunk, and the key's values of the event at an offset. */
type ChunkCodes = {
	readonly codes: Int32Array;
	values(offset: number): string[];
};

// Reused by every chunk: chunks are grouped one at a time.
const scratchCodes = new Int32Array(chunkSize);

/**
 * The key of each of a chunk's events as one integer, a mixed-radix number over the chunk's distinct values
 * per key field, worked out a column at a time; undefined when the chunk has too many distinct values for
 * that. The workload counts as one field: the chunk's distinct pods are reduced to workloads (replicas of one
 * workload then share a code), host events numbered after them by host.
 */
function chunkCodes(fields: readonly GroupField[], chunk: Chunk): ChunkCodes | undefined {
	const codes = scratchCodes;
	codes.fill(0);
	const readers: Array<(offset: number) => string> = [];
	let radix = 1;
	for (const field of fields) {
		const multiplier = radix;
		if (field.name === workloadField.name) {
			const [pods, namespaces, hosts] = workloadColumns.map(name => chunk.columns[fieldNumber(name)]!);
			const baseOfPod = podBases(pods);
			const namespaceCount = namespaces.values.length;
			const podWorkloads = baseOfPod.count * namespaceCount;
			radix *= podWorkloads + hosts.values.length;
			if (radix > maxCode) return undefined;
			const {numbers} = baseOfPod;
			const podIds = pods.ids;
			const namespaceIds = namespaces.ids;
			const hostIds = hosts.ids;
			for (let offset = 0; offset < chunkSize; offset++) {
				const base = numbers[podIds[offset]!]!;
				codes[offset] += (base < 0 ? podWorkloads + hostIds[offset]! : base * namespaceCount + namespaceIds[offset]!) * multiplier;
			}

			readers.push(offset => workloadOf(pods.values[podIds[offset]!]!, namespaces.values[namespaceIds[offset]!]!, hosts.values[hostIds[offset]!]!));
		} else {
			const column = chunk.columns[fieldNumber(field.column!)]!;
			radix *= column.values.length;
			if (radix > maxCode) return undefined;
			addColumn(codes, column.ids, multiplier);
			readers.push(offset => column.values[column.ids[offset]!]!);
		}
	}

	return {codes, values: offset => readers.map(read => read(offset))};
}

function addColumn(codes: Int32Array, ids: Uint8Array | Uint16Array, multiplier: number): void {
	for (let offset = 0; offset < chunkSize; offset++) codes[offset] += ids[offset]! * multiplier;
}

// Each pod's workload base name, by the pod's number in the shared value table: a chunk's pods are mostly the
// previous chunk's, so the suffix regexes run once per pod, not once per pod per chunk. A number freed and
// given to another value is caught by comparing the pod name.
const basePods: string[] = [];
const baseNames: string[] = [];

/** The chunk's pods numbered by their workload's base name (-1: no pod), and how many bases there are. */
function podBases(pods: Column): {numbers: Int32Array; count: number} {
	const baseIds = new Map<string, number>();
	const numbers = new Int32Array(pods.values.length);
	for (let id = 0; id < pods.values.length; id++) {
		const pod = pods.values[id]!;
		if (pod === '') {
			numbers[id] = -1;
			continue;
		}

		const shared = pods.shared[id]!;
		let base: string;
		if (shared >= 0 && basePods[shared] === pod) base = baseNames[shared]!;
		else {
			base = podWorkload(pod);
			if (shared >= 0) {
				basePods[shared] = pod;
				baseNames[shared] = base;
			}
		}

		let number = baseIds.get(base);
		if (number === undefined) {
			number = baseIds.size;
			baseIds.set(base, number);
		}

		numbers[id] = number;
	}

	return {numbers, count: baseIds.size};
}

/** Between a key's values in the joined key that names a group (the table looks values up one field at a time). */
const keySeparator = '\u0000';

/** The key of the group `event` belongs to, grouped by `fields`. */
export function groupKey(fields: readonly GroupField[], event: MonitorEvent): string {
	let key = fields[0].read(event);
	for (let index = 1; index < fields.length; index++) key += keySeparator + fields[index].read(event);
	return key;
}

const byKey = (a: Group, b: Group) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** Each order in full: ties by key, so no two groups are ever equal. */
const orderings: Record<GroupOrder, (a: Group, b: Group) => number> = {
	count: (a, b) => b.count - a.count || b.last - a.last || byKey(a, b),
	last: (a, b) => b.last - a.last || b.count - a.count || byKey(a, b),
	severity: (a, b) => b.severity - a.severity || b.count - a.count || byKey(a, b),
};

/**
 * The sample a group shows: the most severe event, the latest of those, then the lower seq for a full tie.
 * The group's severity is its sample's (the highest seen), its sampleTime the sample's time.
 */
function moreTelling(event: MonitorEvent, time: number, group: Group): boolean {
	if (event.severity !== group.severity) return event.severity > group.severity;
	if (time !== group.sampleTime) return time > group.sampleTime;
	return event.seq < group.sample.seq;
}

/** Move the sparkline's window `by` minutes later. */
function shiftMinutes(minutes: number[], by: number): void {
	if (by <= 0) return;
	if (by >= minutes.length) {
		minutes.fill(0);
		return;
	}

	minutes.copyWithin(0, by);
	minutes.fill(0, minutes.length - by);
}
