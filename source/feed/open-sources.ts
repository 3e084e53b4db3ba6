import {DemoFeed} from './demo-feed.js';
import type {Feed} from './feed.js';
import {FileFeed, StreamFeed} from './ndjson-feed.js';

export type SourceOptions = {
	follow: boolean;
	rate: number;
};

/** One feed per source argument: "-" is stdin, "demo" the demo feed, anything else a file. */
export function openSources(sources: string[], options: SourceOptions): Feed[] {
	return sources.map(source => {
		if (source === '-') return new StreamFeed(process.stdin, 'stdin');
		if (source === 'demo') return new DemoFeed({rate: options.rate});
		return new FileFeed(source, options.follow);
	});
}
