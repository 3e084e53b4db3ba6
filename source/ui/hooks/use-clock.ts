import {useEffect, useRef} from 'react';

/**
 * The time in whole `intervalMs` (seconds): what the header's rate, sparkline and ages, and the throttle and
 * notice expiries need. Read at every render; when a new second begins and no frame showed it yet, a frame is
 * asked for at `requestFrame`'s pace, so while events stream the clock rides on their frames and adds none.
 */
export function useClock(now: () => number, requestFrame: () => void, intervalMs = 1000): number {
	const time = Math.floor(now() / intervalMs) * intervalMs;
	const shown = useRef(time);
	shown.current = time;
	useEffect(() => {
		let timer: NodeJS.Timeout;
		const untilNext = () => intervalMs - (now() % intervalMs) + 1;
		const wake = () => {
			if (Math.floor(now() / intervalMs) * intervalMs !== shown.current) requestFrame();
			timer = setTimeout(wake, untilNext());
		};

		timer = setTimeout(wake, untilNext());
		return () => {
			clearTimeout(timer);
		};
	}, [now, requestFrame, intervalMs]);
	return time;
}
