// What a query's words and regexes search, built the plain way: the tests' expectations are computed over it.

import type {MonitorEvent} from '../../source/model/event.js';
import {searchValues} from '../../source/query/vocabulary.js';

/**
 * The event's searchable fields as they are, one per line (a word never matches across two fields, and `^` /
 * `$` anchor at field edges): what a query's words and regexes search.
 */
export function searchText(event: MonitorEvent): string {
	return searchValues(event)
		.filter(value => value !== '')
		.join('\n');
}
