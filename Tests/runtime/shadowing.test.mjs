// Shadowing SCO: sign-off of observed behaviours by an observer on a date.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StrictScorm12API } from './strict-scorm12-api.mjs';
import { pageStrings } from './page-strings.mjs';
import { loadRuntime } from './runtime-source.mjs';

const Ladder = loadRuntime();

const CONFIG = { v: 1, kind: 'shadowing', id: 'inform-customers.shadowing', title: 'Shadow a call',
  behaviours: ['opens-with-greeting', 'verifies-identity', 'confirms-next-step'] };
const T0 = new Date(2024, 4, 1, 9, 0, 0).getTime();

function clock() {
  let t = T0;
  const now = () => t;
  now.advance = (ms) => { t += ms; };
  return now;
}

function setup(initial) {
  const api = new StrictScorm12API(initial);
  const now = clock();
  const warnings = [];
  const session = Ladder.createSession({ api, config: CONFIG, strings: pageStrings('shadowing'), now, warn: (m) => warnings.push(m) });
  return { api, now, session, warnings };
}

const START_READS = [
  ['LMSInitialize', ''],
  ['LMSGetValue', 'cmi.core.entry'],
  ['LMSGetValue', 'cmi.core.lesson_status'],
  ['LMSGetValue', 'cmi.core.lesson_location'],
  ['LMSGetValue', 'cmi.suspend_data'],
];

function behaviour(n, id, signed, time) {
  const p = `cmi.interactions.${n}.`;
  return [
    ['LMSSetValue', p + 'id', id],
    ['LMSSetValue', p + 'type', 'performance'],
    ['LMSSetValue', p + 'student_response', signed ? 'signed' : 'not-observed'],
    ['LMSSetValue', p + 'result', signed ? 'correct' : 'neutral'],
    ['LMSSetValue', p + 'time', time],
  ];
}

function assertClean(api, session) {
  assert.deepEqual(api.failures(), [], 'every API call succeeded');
  assert.deepEqual(session.errors, [], 'the runtime collected no errors');
}

test('first launch: incomplete and bookmark "signoff"', () => {
  const { api, session } = setup();
  session.start();
  assert.deepEqual(api.trace(), [
    ...START_READS,
    ['LMSSetValue', 'cmi.core.lesson_status', 'incomplete'],
    ['LMSSetValue', 'cmi.core.lesson_location', 'signoff'],
    ['LMSCommit', ''],
  ]);
});

test('partial sign-off: incomplete, missing behaviours listed — exact sequence', () => {
  const { api, now, session } = setup();
  session.start();
  api.clearCalls();
  now.advance(5 * 60_000);
  const r = session.signOff({ signed: ['verifies-identity', 'opens-with-greeting'], observer: '  Sam   Lee ', date: '2024-05-01' });
  assert.deepEqual(r, { ok: true, complete: false, count: 2, total: 3,
    signed: ['opens-with-greeting', 'verifies-identity'], missing: ['confirms-next-step'] });
  assert.deepEqual(api.trace(), [
    ['LMSGetValue', 'cmi.interactions._count'],
    ...behaviour(0, 'opens-with-greeting', true, '09:05:00'),
    ...behaviour(1, 'verifies-identity', true, '09:05:00'),
    ...behaviour(2, 'confirms-next-step', false, '09:05:00'),
    ['LMSSetValue', 'cmi.comments', 'Signed off by Sam Lee on 2024-05-01: 2 of 3 behaviours'],
    ['LMSSetValue', 'cmi.core.lesson_status', 'incomplete'],
    ['LMSSetValue', 'cmi.suspend_data', '{"v":1,"s":"110","o":"Sam Lee","d":"2024-05-01"}'],
    ['LMSCommit', ''],
  ]);
  assertClean(api, session);
});

test('then all signed: completed, new interactions appended, form locked', () => {
  const { api, now, session } = setup();
  session.start();
  session.signOff({ signed: ['opens-with-greeting'], observer: 'Sam Lee', date: '2024-05-01' });
  api.clearCalls();
  now.advance(2 * 3600_000);
  const r = session.signOff({ signed: CONFIG.behaviours, observer: 'Ana Ruiz', date: '2024-05-02' });
  assert.equal(r.complete, true);
  assert.deepEqual(api.trace(), [
    ['LMSGetValue', 'cmi.interactions._count'],
    ...behaviour(3, 'opens-with-greeting', true, '11:00:00'),
    ...behaviour(4, 'verifies-identity', true, '11:00:00'),
    ...behaviour(5, 'confirms-next-step', true, '11:00:00'),
    ['LMSSetValue', 'cmi.comments', 'Signed off by Ana Ruiz on 2024-05-02: 3 of 3 behaviours'],
    ['LMSSetValue', 'cmi.core.lesson_status', 'completed'],
    ['LMSSetValue', 'cmi.suspend_data', '{"v":1,"s":"111","o":"Ana Ruiz","d":"2024-05-02"}'],
    ['LMSCommit', ''],
  ]);
  assert.equal(api.interactions.length, 6);
  assert.equal(session.view().signoff.complete, true);
  api.clearCalls();
  assert.deepEqual(session.signOff({ signed: [], observer: 'X', date: '2024-05-03' }), { ok: false, reason: 'locked' });
  assert.deepEqual(api.trace(), []);
  assertClean(api, session);
});

test('observer and date are required; nothing is sent without them', () => {
  const { api, session } = setup();
  session.start();
  api.clearCalls();
  assert.deepEqual(session.signOff({ signed: CONFIG.behaviours, observer: '   ', date: '2024-05-01' }), { ok: false, reason: 'observer' });
  assert.deepEqual(session.signOff({ signed: CONFIG.behaviours, observer: 'Sam', date: '' }), { ok: false, reason: 'date' });
  assert.deepEqual(session.signOff({ signed: CONFIG.behaviours, observer: 'Sam', date: '01/05/2024' }), { ok: false, reason: 'date' });
  assert.deepEqual(session.signOff({ signed: CONFIG.behaviours, observer: 'Sam', date: '2023-02-29' }), { ok: false, reason: 'date' });
  assert.deepEqual(session.signOff({ observer: 'Sam' }), { ok: false, reason: 'date' });
  assert.deepEqual(api.trace(), []);
});

test('unknown behaviour ids are ignored; long or odd observer names are cleaned to 64 characters', () => {
  const { api, session } = setup();
  session.start();
  const name = 'Dr. "Quote" \\ Back\u0000slash ' + 'x'.repeat(100);
  const r = session.signOff({ signed: ['nope', 'verifies-identity'], observer: name, date: '2024-02-29' });
  assert.equal(r.count, 1);
  const observer = session.view().signoff.observer;
  assert.equal(observer.length, 64);
  assert.ok(!observer.includes('\u0000'));
  const data = api.values['cmi.suspend_data'];
  assert.deepEqual(JSON.parse(data), { v: 1, s: '010', o: observer, d: '2024-02-29' });
  assert.ok(api.values['cmi.comments'].startsWith('Signed off by Dr. "Quote" \\ Back slash xxx'));
  assertClean(api, session);
});

test('resume restores checked behaviours, observer and date', () => {
  const { api, session } = setup({ entry: 'resume', lesson_status: 'incomplete', lesson_location: 'signoff',
    suspend_data: '{"v":1,"s":"101","o":"Sam Lee","d":"2024-05-01"}' });
  const view = session.start();
  assert.deepEqual(api.trace(), START_READS);
  assert.deepEqual(view.signoff, {
    signed: { 'opens-with-greeting': true, 'verifies-identity': false, 'confirms-next-step': true },
    observer: 'Sam Lee', date: '2024-05-01', complete: false,
  });
});

test('resume ignores a behaviour string of the wrong length (the checklist changed)', () => {
  const { session } = setup({ entry: 'resume', lesson_status: 'incomplete', lesson_location: 'signoff',
    suspend_data: '{"v":1,"s":"11","o":"Sam Lee","d":"2024-05-01"}' });
  const view = session.start();
  assert.deepEqual(Object.values(view.signoff.signed), [false, false, false]);
  assert.equal(view.signoff.observer, 'Sam Lee');
});

test('leaving before completion: exit suspend; after completion: exit ""', () => {
  const a = setup();
  a.session.start();
  a.api.clearCalls();
  a.session.hide();
  assert.deepEqual(a.api.trace()[1], ['LMSSetValue', 'cmi.core.exit', 'suspend']);

  const b = setup();
  b.session.start();
  b.session.signOff({ signed: CONFIG.behaviours, observer: 'Sam', date: '2024-05-01' });
  b.api.clearCalls();
  b.session.pageHide();
  assert.deepEqual(b.api.trace(), [
    ['LMSSetValue', 'cmi.core.session_time', '00:00:00.00'],
    ['LMSSetValue', 'cmi.core.exit', ''],
    ['LMSCommit', ''],
    ['LMSFinish', ''],
  ]);
});
