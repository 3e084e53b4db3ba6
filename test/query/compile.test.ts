import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import type {MonitorEvent} from '../../source/model/event.js';
import {normalize, type NormalizedEvent} from '../../source/model/normalize.js';
import {compileQuery, Vocabulary} from '../../source/query/index.js';
import {searchText} from '../helpers/search-text.js';
import {EventStore} from '../../source/store/event-store.js';
import {EventView} from '../../source/store/event-view.js';
import {EventRing} from '../../source/store/event-ring.js';

const samplesUrl = new URL(
	import.meta.url.includes('/dist/') ? '../../../test/fixtures/kubearmor-public.ndjson' : '../fixtures/kubearmor-public.ndjson',
	import.meta.url,
);

function sampleEvents(): NormalizedEvent[] {
	return readFileSync(samplesUrl, 'utf8')
		.split('\n')
		.filter(line => line.trim() !== '')
		.map(line => {
			const normalized = normalize(JSON.parse(line), 'test', Date.now());
			if (typeof normalized === 'string') throw new Error(normalized);
			return normalized;
		});
}

/**
 * The public samples, plus one event touching /etc/shadow: none of the public samples does, so this one is the
 * first sample (a wordpress File alert) with its Resource and Source changed to /etc/shadow.
 */
function samples(): MonitorEvent[] {
	const events = sampleEvents();
	const shadow = structuredClone(events[0]!);
	shadow.fields['Resource'] = '/etc/shadow';
	shadow.fields['Source'] = '/bin/cat /etc/shadow';
	events.push(shadow);
	return events.map((event, index) => ({...event, seq: index + 1}));
}

function ringOf(events: MonitorEvent[]): EventRing {
	const ring = new EventRing(events.length);
	for (const event of events) ring.push(event);
	return ring;
}

function run(query: string, events: MonitorEvent[], vocabulary?: Vocabulary): MonitorEvent[] {
	const result = compileQuery(query, vocabulary);
	if (!result.ok) throw new Error(`${query}: ${result.error} at ${result.position}`);
	assert.ok(result.predicate, query);
	return events.filter(event => result.predicate!(event));
}

/** The searchable text, lower-cased, to compute expectations with. */
function lower(event: MonitorEvent): string {
	return searchText(event).toLowerCase();
}

function text(event: MonitorEvent, name: string): string {
	const value = event.fields[name];
	return typeof value === 'string' ? value : '';
}

const events = samples();
const vocabulary = new Vocabulary({source: ringOf(events)});

test('the public samples are what these expectations assume', () => {
	assert.equal(events.length, 70);
	assert.ok(events.some(event => text(event, 'NamespaceName') === 'wordpress-mysql'));
});

test('shdow finds the events touching /etc/shadow (a typo of a known term)', () => {
	const expected = events.filter(event => lower(event).includes('/etc/shadow'));
	assert.equal(expected.length, 1);
	assert.deepEqual(run('shdow', events, vocabulary), expected);
	const result = compileQuery('shdow', vocabulary);
	assert.ok(result.ok);
	assert.deepEqual(result.fuzzy, [{word: 'shdow', terms: ['shadow']}]);
	assert.deepEqual(run('SHDOW', events, vocabulary), expected, 'case-insensitive');
});

test('wordpres finds the wordpress events', () => {
	const expected = events.filter(event => lower(event).includes('wordpress'));
	assert.ok(expected.length >= 12);
	assert.deepEqual(run('wordpres', events, vocabulary), expected);
	assert.deepEqual(run('wordpress', events, vocabulary), expected);
	assert.deepEqual(run('wordprss', events, vocabulary), expected, 'a letter left out');
});

test('other typos: a swapped pair, a wrong letter, a missing one', () => {
	const kubectl = events.filter(event => text(event, 'ProcessName') === '/usr/bin/kubectl');
	assert.equal(kubectl.length, 1);
	assert.deepEqual(run('kubctl', events, vocabulary), kubectl);
	assert.deepEqual(run('kubectl', events, vocabulary), kubectl);
	const nginx = events.filter(event => lower(event).includes('nginx'));
	assert.ok(nginx.length > 5);
	assert.deepEqual(run('ngnix', events, vocabulary), nginx);
	const credentials = run('cretentials', events, vocabulary);
	assert.ok(credentials.some(event => text(event, 'Resource').endsWith('/credentials')));
});

test('a nonsense word matches nothing, with or without a vocabulary', () => {
	for (const word of ['qxzvjk', 'zzyzzyva', 'xylophonic']) {
		assert.deepEqual(run(word, events, vocabulary), [], word);
		assert.deepEqual(run(word, events), [], word);
	}
});

test('short words and quoted phrases are matched as typed, never by typo', () => {
	assert.deepEqual(run('"shdow"', events, vocabulary), []);
	for (const short of ['bsh', 'shd', 'ngx']) {
		const result = compileQuery(short, vocabulary);
		assert.ok(result.ok);
		assert.deepEqual(result.fuzzy, [], short);
		assert.deepEqual(run(short, events, vocabulary), events.filter(event => lower(event).includes(short)), short);
	}

	assert.deepEqual(run('/etc/shdow', events, vocabulary), []);
	const phrase = events.filter(event => text(event, 'Message').toLowerCase().includes('file integrity'));
	assert.ok(phrase.length > 2);
	assert.deepEqual(run('"File Integrity"', events, vocabulary), phrase);
});

test('bare words search the listed fields only', () => {
	// Result is not a bare-word field: "Permission denied" is found with result:, not as a phrase.
	assert.deepEqual(run('"permission denied"', events), []);
	const denied = events.filter(event => text(event, 'Result') === 'Permission denied');
	assert.ok(denied.length > 5);
	assert.deepEqual(run('result:"permission denied"', events), denied);
	// Host and labels are.
	assert.ok(run('aks-agentpool', events).length > 0);
	assert.deepEqual(
		run('app=mysql', events),
		events.filter(event => text(event, 'Labels').includes('app=mysql')),
	);
});

test('field:value is a substring of one field, field:=value the whole of it', () => {
	const wordpressNs = events.filter(event => text(event, 'NamespaceName') === 'wordpress-mysql');
	assert.deepEqual(run('ns:wordpress', events), wordpressNs);
	assert.deepEqual(run('ns:=wordpress-mysql', events), wordpressNs);
	assert.deepEqual(run('ns:=WORDPRESS-MYSQL', events), wordpressNs);
	assert.deepEqual(run('ns:=wordpress', events), []);
	assert.deepEqual(run('pod:wordpress', events), events.filter(event => text(event, 'PodName').includes('wordpress')));
	assert.deepEqual(run('op:=network', events), events.filter(event => text(event, 'Operation') === 'Network'));
	assert.deepEqual(run('proc:=/usr/bin/curl', events), events.filter(event => text(event, 'ProcessName') === '/usr/bin/curl'));
	assert.deepEqual(run('action:block', events), events.filter(event => text(event, 'Action').includes('Block')));
	assert.deepEqual(run('enforcer:bpf', events), events.filter(event => text(event, 'Enforcer').toLowerCase().includes('bpf')));
	assert.deepEqual(run('type:host', events), events.filter(event => text(event, 'Type').includes('Host')));
	// An absent field is empty: host events have no namespace.
	assert.deepEqual(run('ns:=""', events), events.filter(event => text(event, 'NamespaceName') === ''));
});

test('tags and labels: substring of the list, or := one whole item', () => {
	const mitre = events.filter(event => {
		const tags = event.fields['ATags'];
		return Array.isArray(tags) ? tags.includes('MITRE') : text(event, 'Tags').split(',').includes('MITRE');
	});
	assert.ok(mitre.length > 3);
	assert.deepEqual(run('tag:=mitre', events), mitre);
	const mitreAnywhere = run('tag:mitre', events);
	assert.ok(mitreAnywhere.length >= mitre.length);
	assert.deepEqual(run('tag:=mitre_t1036_masquerading', events).length > 0, true);
	assert.deepEqual(run('label:=app=wordpress', events), events.filter(event => text(event, 'Labels') === 'app=wordpress'));
	assert.deepEqual(run('label:=app', events), []);
});

test('severity forms', () => {
	const bySeverity = (keep: (severity: number) => boolean) => events.filter(event => keep(event.severity));
	assert.deepEqual(run('sev>=5', events), bySeverity(s => s >= 5));
	assert.deepEqual(run('sev<=3', events), bySeverity(s => s >= 1 && s <= 3));
	assert.deepEqual(run('sev:10', events), bySeverity(s => s === 10));
	assert.deepEqual(run('sev:0', events), bySeverity(s => s === 0));
	assert.deepEqual(run('sev:crit', events), bySeverity(s => s >= 9));
	assert.deepEqual(run('!sev>=5', events), bySeverity(s => s < 5));
	assert.ok(run('sev:10', events).length > 0);
});

test('! negates any token, and tokens are ANDed', () => {
	const files = run('op:file', events);
	assert.deepEqual(run('!op:file', events), events.filter(event => !files.includes(event)));
	const curl = run('curl', events);
	assert.deepEqual(run('!curl', events), events.filter(event => !curl.includes(event)));
	assert.deepEqual(
		run('wordpress op:file !sev:0', events),
		events.filter(event => lower(event).includes('wordpress') && text(event, 'Operation') === 'File' && event.severity !== 0),
	);
	assert.deepEqual(run('!/curl|wget/', events).length, events.length - run('/curl|wget/', events).length);
	assert.deepEqual(run('!shdow', events, vocabulary).length, events.length - 1);
});

test('/regex/ over the searchable fields, field:/regex/ over one', () => {
	assert.deepEqual(run('/curl|wget/', events), events.filter(event => /curl|wget/i.test(searchText(event))));
	assert.deepEqual(run('res:/^\\/etc\\//', events), events.filter(event => text(event, 'Resource').startsWith('/etc/')));
	assert.deepEqual(
		run('/^\\/usr\\/bin\\/apt$/', events),
		events.filter(event => searchText(event).toLowerCase().split('\n').includes('/usr/bin/apt')),
		'^ and $ anchor at each field',
	);
	assert.deepEqual(run('/CURL/', events), run('/curl/', events), 'case-insensitive');
});

/** 5,000 events cycling the samples with a few strings varied, for the packed (chunk) path. */
function manyEvents(count: number): MonitorEvent[] {
	const base = sampleEvents();
	const result: MonitorEvent[] = [];
	for (let i = 0; i < count; i++) {
		const event = structuredClone(base[i % base.length]!);
		if (typeof event.fields['PodName'] === 'string') event.fields['PodName'] += `-${i % 37}`;
		if (i % 101 === 7) event.fields['Resource'] = '/etc/shadow';
		if (i % 103 === 11) event.fields['Resource'] = '/etc/gshadow';
		if (i % 13 === 3) event.fields['Source'] = `${text(event as MonitorEvent, 'Source')}\nsecond line ${i}`;
		if (i % 17 === 5) event.fields['Message'] = 'İstanbul ünïcode message';
		if (i % 211 === 9) event.fields = {Operation: 'File', Result: 'Passed'}; // Nothing searchable.
		result.push({...event, seq: 0});
	}

	return result;
}

const packedQueries = [
	'wordpress',
	'wordpres',
	'shdow',
	'ngnix',
	'qxzvjk',
	'"file integrity"',
	'ns:wordpress-mysql',
	'ns:=""',
	'!op:file sev>=1',
	'tag:=mitre !sev<=3',
	'label:app=wordpress',
	'/curl|wget/',
	'/^\\/usr\\/bin/',
	'/line \\d+$/',
	'/raw[\\s\\S]*bash/',
	'/c[au]t .*run/',
	'/apt(-get)?$/',
	'/(a+)+$/',
	'/(curl|wget) +-/',
	'/^[a-z]+$/',
	'res:/^\\/etc\\//',
	'/istanbul/',
	'!/x*/',
	'/^$/',
	'/^\\w{3,}\\/?$/',
	'sev:0 !wordpress',
];

test('scanning packed chunks gives exactly the event-by-event answers, ring wrapped or not', () => {
	for (const capacity of [5000, 3000, 1500]) {
		const all = manyEvents(5000);
		const ring = new EventRing(capacity);
		for (const event of all) event.seq = ring.push(event);
		const retained = all.slice(-Math.min(capacity, all.length));
		const packed = new Vocabulary({source: ring});
		// The same terms, fed one by one and without a source: nothing packed, every event tested on its own.
		const unpacked = new Vocabulary();
		for (const event of retained) unpacked.add(event);
		// Before packing (each event on its own) and after (the chunks' columns).
		for (const pack of [false, true]) {
			while (pack && packed.packSome(Number.POSITIVE_INFINITY));
			for (const query of packedQueries) {
				const fast = compileQuery(query, packed);
				const plain = compileQuery(query, unpacked);
				assert.ok(fast.ok && plain.ok, query);
				const view = new EventView(ring, fast.predicate);
				const got = view.rows(Number.POSITIVE_INFINITY, 0, capacity).reverse();
				const expected = retained.filter(event => plain.predicate!(event));
				const where = `${query} (capacity ${capacity}, ${pack ? 'packed' : 'not packed'})`;
				assert.equal(got.length, expected.length, where);
				assert.deepEqual(
					got.map(event => event.seq),
					expected.map(event => event.seq),
					where,
				);
				// The predicate asked event by event agrees too (the pickers count that way).
				assert.deepEqual(
					retained.filter(event => fast.predicate!(event)).map(event => event.seq),
					expected.map(event => event.seq),
					where,
				);
			}
		}

		assert.ok(packed.chunkCount > 0);
		assert.ok(packed.chunkCount <= Math.ceil(capacity / 1024) + 1);
	}
});

test('answers kept from one scan to the next stay right as dropped events free value numbers for new values', () => {
	const ring = new EventRing(3000);
	const packed = new Vocabulary({source: ring});
	const queries = ['resource:file-1', '/file-2\\d*$/', '"file-3"', 'resource:=/data/file-4000', '!resource:file-5 sev>=5'];
	// Compiled once, as a filter stays set while events stream in: each keeps its answers by value number.
	const compiled = queries.map(query => ({query, fast: compileQuery(query, packed), plain: compileQuery(query)}));
	const base = sampleEvents();
	let made = 0;
	for (let batch = 0; batch < 8; batch++) {
		for (let i = 0; i < 1000; i++, made++) {
			const event = structuredClone(base[made % base.length]!) as MonitorEvent;
			// Most values new: once the ring is full, the dropped events' numbers go to them.
			event.fields['Resource'] = `/data/file-${made}`;
			event.fields['Source'] = made % 3 === 0 ? `/bin/cat /data/file-${made}` : '/bin/sh';
			event.seq = ring.push(event);
		}

		while (packed.packSome(Number.POSITIVE_INFINITY));
		const retained: MonitorEvent[] = [];
		for (let seq = ring.oldestSeq; seq <= ring.newestSeq; seq++) retained.push(ring.get(seq)!);
		for (const {query, fast, plain} of compiled) {
			assert.ok(fast.ok && plain.ok, query);
			const found: number[] = [];
			fast.predicate!.matchesIn!(ring, ring.oldestSeq, ring.newestSeq, found);
			assert.deepEqual(found, retained.filter(event => plain.predicate!(event)).map(event => event.seq), `${query} (batch ${batch})`);
		}
	}
});

test('a typo found inside a longer word matches only when that word is a typo too', () => {
	const all = manyEvents(3000);
	const ring = new EventRing(all.length);
	for (const event of all) event.seq = ring.push(event);
	const vocabulary = new Vocabulary({source: ring});
	while (vocabulary.packSome(Number.POSITIVE_INFINITY));
	const result = compileQuery('shdow', vocabulary);
	assert.ok(result.ok);
	assert.deepEqual(result.fuzzy, [{word: 'shdow', terms: ['shadow']}]);
	const found = new EventView(ring, result.predicate).rows(Number.POSITIVE_INFINITY, 0, all.length);
	const shadow = all.filter(event => text(event, 'Resource') === '/etc/shadow');
	assert.ok(shadow.length > 10);
	// `gshadow` holds `shadow`, but is two edits from `shdow`: its events are not typos of it, packed or not.
	assert.deepEqual(found.map(event => event.seq).sort((a, b) => a - b), shadow.map(event => event.seq));
	assert.ok(all.some(event => text(event, 'Resource') === '/etc/gshadow' && !result.predicate!({...event, seq: 0})));
});

test('new events are tested as they arrive, a typo finds a term first seen after the query was set', () => {
	const store = new EventStore({maxEvents: 2000});
	const base = sampleEvents().filter(event => !lower({...event, seq: 0}).includes('shadow'));
	for (let i = 0; i < 1500; i++) store.add(structuredClone(base[i % base.length]!));
	const live = new Vocabulary({source: store.events});
	const result = compileQuery('shdow', live);
	assert.ok(result.ok);
	assert.deepEqual(result.fuzzy, [{word: 'shdow', terms: []}]);
	store.setFilter(result.predicate);
	assert.equal(store.view.count(), 0);

	const shadow = structuredClone(base[0]!);
	shadow.fields['Resource'] = '/etc/shadow';
	const added = store.add(shadow);
	for (let i = 0; i < 10; i++) store.add(structuredClone(base[i]!));
	assert.equal(store.view.count(), 1);
	assert.deepEqual(store.view.rows(Number.POSITIVE_INFINITY, 0, 10), [added]);
	assert.deepEqual(result.fuzzy[0]!.terms, ['shadow']);
	assert.ok(result.highlights.terms.includes('shadow'));

	// A new namespace is picked up too: a typo of it finds every event holding it, the first one included.
	const renamed = () => {
		const event = structuredClone(base[1]!);
		event.fields['NamespaceName'] = 'quarantine-zone';
		return event;
	};

	// As in line mode: an empty store, the filter set before anything arrives.
	const lineStore = new EventStore({maxEvents: 2000});
	const typo = compileQuery('quarantne', new Vocabulary({source: lineStore.events}));
	assert.ok(typo.ok);
	const expansions: readonly string[] = typo.fuzzy[0]!.terms;
	assert.equal(expansions.length, 0);
	lineStore.setFilter(typo.predicate);
	const arrivals = Array.from({length: 40}, () => lineStore.add(renamed()));
	assert.ok(expansions.includes('quarantine'), expansions.join(' '));
	assert.equal(lineStore.view.count(), 40);
	assert.equal(lineStore.view.rows(Number.POSITIVE_INFINITY, 0, 1)[0], arrivals.at(-1));
	lineStore.close();

	// A new filter over the same store scans the retained events (packed by now) and agrees.
	const again = compileQuery('shdow', live);
	assert.ok(again.ok);
	store.setFilter(again.predicate);
	assert.deepEqual(store.view.rows(Number.POSITIVE_INFINITY, 0, 10), [added]);
	store.close();
});

test('a vocabulary fed with add() instead of a source expands typos too', () => {
	const pushed = new Vocabulary();
	for (const event of events) pushed.add(event);
	assert.deepEqual(run('shdow', events, pushed), run('shdow', events, vocabulary));
	assert.ok(pushed.size > 100);
	assert.ok(pushed.terms.includes('wordpress'));
	assert.ok(pushed.terms.includes('wordpress-mysql'));
	assert.ok(!pushed.terms.some(term => term.includes('2q9wf')), 'generated pod suffixes are not terms');
});

test('the vocabulary stays bounded', () => {
	const small = new Vocabulary({maxTerms: 50});
	for (const event of manyEvents(3000).map((event, index) => ({...event, seq: index + 1}))) small.add(event);
	assert.equal(small.size, 50);
});
