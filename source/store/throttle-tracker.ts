import {containerKey, eventTime, text, type MonitorEvent} from '../model/event.js';

export type Throttle = {container: string; until: number; maxAlertsPerSec?: number};

/**
 * KubeArmor sends one AlertThreshold event when it starts dropping a container's alerts and nothing when it
 * stops; the container counts as throttled until UpdatedTime + DroppingAlertsInterval.
 */
export class ThrottleTracker {
	private readonly byContainer = new Map<string, Throttle>();

	add(event: MonitorEvent): void {
		if (text(event, 'Operation') !== 'AlertThreshold') return;
		const interval = Number(event.fields['DroppingAlertsInterval'] ?? 30);
		const until = eventTime(event) + (Number.isFinite(interval) && interval > 0 ? interval : 30) * 1000;
		const container = containerKey(event);
		const max = Number(event.fields['MaxAlertsPerSec']);
		const previous = this.byContainer.get(container);
		if (previous && previous.until >= until) return;
		this.byContainer.set(container, {container, until, maxAlertsPerSec: Number.isFinite(max) ? max : undefined});
	}

	/** Containers throttled at `now`, soonest to end first. Expired entries are forgotten. */
	active(now: number): Throttle[] {
		const result: Throttle[] = [];
		for (const [key, throttle] of this.byContainer) {
			if (throttle.until <= now) this.byContainer.delete(key);
			else result.push(throttle);
		}

		return result.sort((a, b) => a.until - b.until);
	}
}
