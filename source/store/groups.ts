import {eventTime, type MonitorEvent} from '../model/event.js';
import type {GroupField} from './group-fields.js';

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

	get size(): number {
		return this.groups.size;
	}

	add(event: MonitorEvent): Group {
		this.events++;
		this.version++;
		const time = eventTime(event);
		let group = this.find(event);
		if (group) {
			group.count++;
			if (time < group.first) group.first = time;
			if (time > group.last) {
				shiftMinutes(group.minutes, Math.floor(time / minuteMs) - Math.floor(group.last / minuteMs));
				group.last = time;
			}

			if (moreTelling(event, group.sample)) group.sample = event;
			if (event.severity > group.severity) group.severity = event.severity;
		} else {
			if (this.groups.size >= this.maxGroups) this.dropLeastRecent();
			const values = this.fields.map(field => field.read(event));
			const key = values.join(keySeparator);
			group = {key, values, count: 1, first: time, last: time, severity: event.severity, sample: event, minutes: new Array<number>(sparkMinutes).fill(0), older: undefined, newer: undefined};
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

/** The sample a group shows: the most severe event, the latest of those, then the lower seq for a full tie. */
function moreTelling(event: MonitorEvent, sample: MonitorEvent): boolean {
	if (event.severity !== sample.severity) return event.severity > sample.severity;
	const time = eventTime(event);
	const sampleTime = eventTime(sample);
	if (time !== sampleTime) return time > sampleTime;
	return event.seq < sample.seq;
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
