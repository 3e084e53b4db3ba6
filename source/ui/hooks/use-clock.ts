import {useEffect, useState} from 'react';

/** The time, refreshed every `intervalMs`: the rate, sparkline and throttle expiry move even when idle. */
export function useClock(now: () => number, intervalMs = 1000): number {
	const [time, setTime] = useState(now);
	useEffect(() => {
		const timer = setInterval(() => {
			setTime(now());
		}, intervalMs);
		return () => {
			clearInterval(timer);
		};
	}, [now, intervalMs]);
	return time;
}
