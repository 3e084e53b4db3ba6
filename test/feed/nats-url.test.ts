// The pure parts of the NATS source and of publish: URLs, subjects, the sequence header, --since and the
// command line's NATS options.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {parseDuration, parseSince} from '../../source/feed/nats/durations.js';
import {parseNatsOptions} from '../../source/feed/nats/nats-options.js';
import {NatsConfigError, parseNatsUrl} from '../../source/feed/nats/nats-url.js';
import {findSequenceHeader, SequenceGaps, sequenceHeaderBlock, sequenceValue} from '../../source/feed/nats/sequence.js';
import {eventSubject, SubjectCache, subjectCovers, subjectProblem, subjectToken, withoutCovered} from '../../source/feed/nats/subjects.js';
import {parseOptions, UsageError} from '../../source/options.js';
import {shuffled} from '../helpers/shuffle.js';

test('nats:// URLs: port 4222 and kubearmor.> by default, credentials kept out of the label', () => {
	const plain = parseNatsUrl('nats://nats.example');
	assert.deepEqual([plain.host, plain.port, plain.tls, plain.subjects, plain.label], ['nats.example', 4222, false, ['kubearmor.>'], 'nats://nats.example:4222/kubearmor.>']);

	const full = parseNatsUrl('nats://alice:s%40cret@10.0.0.5:4333/kubearmor.alert.prod.>');
	assert.deepEqual([full.user, full.pass, full.port, full.subjects], ['alice', 's@cret', 4333, ['kubearmor.alert.prod.>']]);
	assert.equal(full.label, 'nats://10.0.0.5:4333/kubearmor.alert.prod.>');
	assert.doesNotMatch(full.label, /alice|cret/);

	const token = parseNatsUrl('tls://T0KEN-abc@[::1]:4222/a.*.c,b.>');
	assert.deepEqual([token.token, token.host, token.tls, token.subjects], ['T0KEN-abc', '::1', true, ['a.*.c', 'b.>']]);
	assert.equal(token.label, 'tls://[::1]:4222/a.*.c,b.>');
	assert.doesNotMatch(token.label, /T0KEN/);
});

test('several subjects: one that another covers is dropped, so no message comes twice', () => {
	assert.deepEqual(parseNatsUrl('nats://h/kubearmor.alert.>,kubearmor.>,other.x').subjects, ['kubearmor.>', 'other.x']);
	assert.deepEqual(withoutCovered(['a.b', 'a.*', 'a.b', 'c.>']), ['a.*', 'c.>']);
});

test('bad URLs get words, and never repeat a password', () => {
	const cases: Array<[string, RegExp]> = [
		['nats://', /no host/],
		['nats://h:99999', /port must be a number/],
		['nats://h:4222/a..b', /no empty parts/],
		['nats://h/a.>.b', /only be the last/],
		['nats://h/a.b*', /stand alone/],
		['nats://h/a b', /no spaces/],
		['nats://::1:4222', /IPv6/],
		['nats://:pw-secret@h', /user name .* empty/],
	];
	for (const [url, message] of cases) {
		assert.throws(
			() => parseNatsUrl(url),
			(error: Error) => error instanceof NatsConfigError && message.test(error.message) && !error.message.includes('pw-secret'),
			url,
		);
	}
});

test('subjectCovers: wildcards as the server reads them', () => {
	assert.ok(subjectCovers('kubearmor.>', 'kubearmor.alert.prod.>'));
	assert.ok(subjectCovers('kubearmor.>', 'kubearmor.>'));
	assert.ok(subjectCovers('kubearmor.*.prod.>', 'kubearmor.alert.prod.payments.File'));
	assert.ok(subjectCovers('a.*.c', 'a.*.c'));
	assert.ok(!subjectCovers('kubearmor.*.prod.>', 'kubearmor.>'));
	assert.ok(!subjectCovers('kubearmor.>', 'kubearmor'), '> needs at least one more part');
	assert.ok(!subjectCovers('a.b', 'a.*'));
	assert.ok(!subjectCovers('a.*', 'a.b.c'));
	assert.ok(!subjectCovers('a.b.c', 'a.b'));
	assert.equal(subjectProblem('kubearmor', false), undefined);
	assert.match(subjectProblem('kube.>', false)!, /cannot hold the wildcards/);
});

test('published subjects: kind, cluster, namespace, operation; a missing or unsafe value becomes _', () => {
	assert.equal(eventSubject('kubearmor', 'alert', {ClusterName: 'prod', NamespaceName: 'payments', Operation: 'Process'}), 'kubearmor.alert.prod.payments.Process');
	assert.equal(eventSubject('kubearmor', 'log', {ClusterName: 'prod', Operation: 'File'}), 'kubearmor.log.prod._.File', 'a host event has no namespace');
	assert.equal(eventSubject('x.y', 'alert', {ClusterName: 'prod.eu', NamespaceName: 'a b', Operation: '*'}), 'x.y.alert._._._');
	for (const odd of ['>', 'a>b', 'tab\there', 'new\nline', '\u001b[31m', '\u009b', '', null, undefined, {}, true]) {
		assert.equal(subjectToken(odd), '_', JSON.stringify(odd));
	}

	assert.equal(subjectToken('wordpress-mysql'), 'wordpress-mysql');
	assert.equal(subjectToken('Ünïcode'), 'Ünïcode', 'UTF-8 is fine in a subject');
	assert.equal(subjectToken(42), '42');
});

test('the subject cache gives what eventSubject gives, for every kind and odd value, also past its bound', () => {
	const cache = new SubjectCache('kubearmor');
	const values = ['prod', 'payments', 'Process', 'a.b', '>', '', 42, '42', undefined, null, {}, 'Ünïcode'];
	const fieldsList: Array<Record<string, unknown>> = [];
	for (const cluster of values) for (const namespace of values) for (const operation of values) fieldsList.push({ClusterName: cluster, NamespaceName: namespace, Operation: operation});
	// Twice over, so the second round is answered from the cache; then 5,000 distinct namespaces, past its bound.
	for (const round of [1, 2]) {
		for (const fields of fieldsList) {
			for (const kind of ['alert', 'log'] as const) assert.equal(cache.subject(kind, fields), eventSubject('kubearmor', kind, fields), `round ${round} ${JSON.stringify(fields)}`);
		}
	}

	for (let n = 0; n < 5000; n++) {
		const fields = {ClusterName: 'prod', NamespaceName: `ns-${n}`, Operation: n % 2 === 0 ? 'File' : 'Process'};
		assert.equal(cache.subject('alert', fields), `kubearmor.alert.prod.ns-${n}.${fields.Operation}`);
	}

	assert.equal(cache.subject('log', {ClusterName: 'prod', NamespaceName: 'payments', Operation: 'Network'}), 'kubearmor.log.prod.payments.Network');
	assert.equal(cache.subject('alert', {ClusterName: 'prod', NamespaceName: 'ns-1', Operation: 'Process'}), 'kubearmor.alert.prod.ns-1.Process');
});

test('SequenceGaps counts what never came, per publisher and subject, whatever the watcher filters', () => {
	const gaps = new SequenceGaps();
	// A watcher of one subject sees 1, 2, then 6: 3, 4 and 5 were dropped.
	for (const n of [1, 2, 6]) gaps.note('s.a', sequenceValue(n, 'P1'));
	assert.equal(gaps.missed, 3);
	// Another subject of the same publisher numbers on its own: no gap between subjects.
	for (const n of [1, 2, 3]) gaps.note('s.b', sequenceValue(n, 'P1'));
	assert.equal(gaps.missed, 3);
	// A second publisher, first seen at 40: what came before the watcher started is not a loss.
	gaps.note('s.a', sequenceValue(40, 'P2'));
	gaps.note('s.a', sequenceValue(41, 'P2'));
	assert.equal(gaps.missed, 3);
	// A repeat (overlapping subscriptions) and junk are not gaps.
	gaps.note('s.a', sequenceValue(41, 'P2'));
	for (const junk of ['', 'x', '-3 P', '1.5 P', ' P']) gaps.note('s.a', junk);
	assert.equal(gaps.missed, 3);
});

test('SequenceGaps remembers a bounded number of subjects: past it, a gap can be missed but never made up', () => {
	const gaps = new SequenceGaps(3);
	for (const subject of ['s.a', 's.b', 's.c']) gaps.note(subject, sequenceValue(1, 'P1'));
	assert.equal(gaps.note('s.c', sequenceValue(3, 'P1')), 1, 'within the bound, gaps count');
	// A fourth subject is past the bound: the three before are forgotten, the new one kept.
	gaps.note('s.d', sequenceValue(1, 'P1'));
	assert.equal(gaps.note('s.a', sequenceValue(9, 'P1')), 0, 'a forgotten subject starts again, with no false gap');
	assert.equal(gaps.note('s.d', sequenceValue(3, 'P1')), 1, 'the subject kept still counts');
	assert.equal(gaps.missed, 2);
	// Hostile subjects without end: nothing false is counted along the way.
	const endless = new SequenceGaps(100);
	for (let index = 0; index < 10_000; index++) endless.note(`s.${index}`, sequenceValue(1 + (index % 7), 'P1'));
	assert.equal(endless.missed, 0);
});

test('the sequence header is found in a raw header block, as the client would read it', () => {
	const block = (lines: string[]) => Buffer.from(`NATS/1.0\r\n${lines.join('\r\n')}\r\n\r\n`, 'latin1');
	assert.equal(findSequenceHeader(sequenceHeaderBlock(sequenceValue(7, 'P1'))), '7 P1');
	assert.equal(findSequenceHeader(block(['Nats-Msg-Id: x', 'Armorwatch-Seq: 12 Q', 'Other: y'])), '12 Q');
	assert.equal(findSequenceHeader(block(['Other: Armorwatch-Seq: 3 Z'])), undefined, 'only a line of its own');
	assert.equal(findSequenceHeader(block(['Nats-Msg-Id: x'])), undefined);
	assert.equal(findSequenceHeader(new Uint8Array(0)), undefined);
});

test('noteBlock (read from the raw bytes) counts exactly what findSequenceHeader + note count, odd values too', () => {
	const values = [
		...['1', '2', '6', '7', '7', '3', '9', '0012', '13'].map(n => `${n} P1`),
		...['5 P2', '5 P2', '8 P2 ', ' 9 P2', '10  P2', '11\tP2', '12 P2\t', '13 P2\u00A0', '1e3 P2', '+20 P2', '21.0 P2', '0x20 P2'],
		...['0 P3', '-3 P3', '1 P3', '999999999999999 P3', '1000000000000000 P3', '9007199254740993 P3', '3 ', '3', ' P3', '', '4 P 3', '5 P 3'],
	];
	const fast = new SequenceGaps();
	const slow = new SequenceGaps();
	const blocks = [
		...values.map(value => Buffer.from(`NATS/1.0\r\nArmorwatch-Seq: ${value}\r\n\r\n`, 'latin1')),
		Buffer.from('NATS/1.0\r\nArmorwatch-Seq:14 P1\r\nOther: y\r\n\r\n', 'latin1'),
		Buffer.from('NATS/1.0\r\nNats-Msg-Id: x\r\n\r\n', 'latin1'),
		Buffer.from('NATS/1.0\r\nOther: Armorwatch-Seq: 30 P1\r\n\r\n', 'latin1'),
	];
	for (const subject of ['s.a', 's.b']) {
		for (const block of shuffled(blocks, 7)) {
			// The client's buffer holds the data after the header block: nothing past `end` is read. Every `end`
			// too, so a header line the block cuts off is read as far as the block goes, as the slow way reads it.
			const bytes = Buffer.concat([block, Buffer.from('\r\nArmorwatch-Seq: 99 P1\r\n{"a":1}')]);
			for (let end = block.length; end >= 0; end--) {
				const expected = slow.note(subject, findSequenceHeader(block.subarray(0, end)) ?? '');
				assert.equal(fast.noteBlock({subject}, bytes, end), expected, `${JSON.stringify(block.toString('latin1'))} to ${end}`);
				assert.equal(fast.missed, slow.missed);
			}
		}
	}

	assert.ok(fast.missed > 0);
});

test('--since: durations back from now, ISO times, words for the rest', () => {
	const now = Date.UTC(2024, 4, 1, 12, 0, 0);
	assert.deepEqual(parseSince('15m', now), {since: now - 15 * 60_000});
	assert.deepEqual(parseSince('1h30m', now), {since: now - 90 * 60_000});
	assert.deepEqual(parseSince('2024-05-01T10:00Z', now), {since: Date.UTC(2024, 4, 1, 10)});
	assert.deepEqual(parseSince('2024-05-01T11:59:30+00:00', now), {since: Date.UTC(2024, 4, 1, 11, 59, 30)});
	assert.match((parseSince('2024-05-02T00:00Z', now) as {error: string}).error, /future/);
	assert.match((parseSince('yesterday', now) as {error: string}).error, /duration like 15m/);
	assert.match((parseSince('\u001b[2J', now) as {error: string}).error, /␛/, 'no escape reaches the terminal');
	assert.equal(parseDuration('24h'), 86_400_000);
	assert.equal(parseDuration('0s'), undefined);
	assert.equal(parseDuration('5'), undefined);
});

test('the command line: NATS flags go together as they must', () => {
	const parse = (...argv: string[]) => parseOptions(argv, true, false, {});
	const watching = parse('nats://h/kubearmor.alert.>', '--last', '500', '--stream', 'KA', '--nats-token', 'tok');
	assert.deepEqual(watching.nats.history, {last: 500, stream: 'KA'});
	assert.equal(watching.nats.token, 'tok');
	assert.equal(parseOptions(['nats://h'], true, false, {ARMORWATCH_NATS_TOKEN: 'from-env'}).nats.token, 'from-env');

	const publishing = parse('publish', 'demo', '--to', 'nats://h:4222', '--stream', 'KA', '--max-age', '2h', '--max-bytes', '1G', '--subject-prefix', 'ka');
	assert.equal(publishing.mode, 'publish');
	assert.deepEqual(publishing.sources, ['demo']);
	assert.deepEqual(publishing.nats.stream, {name: 'KA', maxAgeMs: 7_200_000, maxBytes: 1024 ** 3});
	assert.equal(publishing.nats.subjectPrefix, 'ka');

	const refused: Array<[string[], RegExp]> = [
		[['demo', '--last', '5'], /give a nats:\/\/ source/],
		[['nats://h', '--last', '5', '--since', '1h'], /one of --last and --since/],
		[['nats://h', '--last', '0'], /whole number above 0/],
		[['nats://h', '--since', 'soon'], /duration like 15m/],
		[['nats://h', '--stream', 'KA'], /--stream names the stream/],
		[['nats://h', '--to', 'nats://x'], /for `armorwatch publish`/],
		[['nats://h/a..b'], /no empty parts/],
		[['nats://h', '--nats-token', ''], /needs a value/],
		[['publish', 'demo'], /needs --to/],
		[['publish', 'demo', '--to', 'nats://h/kubearmor.>'], /takes no subject/],
		[['publish', 'demo', '--to', 'nats://h', '--subject-prefix', 'a.>'], /wildcards/],
		[['publish', 'demo', '--to', 'nats://h', '--max-age', '1h'], /limits of the stream/],
		[['publish', 'demo', '--to', 'nats://h', '--stream', 'KA', '--max-age', 'long'], /duration like 24h/],
		[['publish', 'demo', '--to', 'nats://h', '--stream', 'a.b'], /stream name holds no/],
		[['publish', 'demo', '--to', 'nats://h', '--since', '1h'], /for watching/],
		[['publish', 'demo', '--to', 'nats://h', '-n', 'payments'], /filter where you watch/],
		[['redis://h'], /nats:\/\//],
	];
	for (const [argv, message] of refused) {
		assert.throws(() => parse(...argv), (error: Error) => error instanceof UsageError && message.test(error.message), argv.join(' '));
	}
});
