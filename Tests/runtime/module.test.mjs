// Module SCO: first launch, page navigation bookmarks, completion, Finish, resume.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StrictScorm12API } from './strict-scorm12-api.mjs';
import { loadRuntime } from './runtime-source.mjs';

const Ladder = loadRuntime();

const CONFIG = { v: 1, kind: 'module', id: 'inform-customers.module', title: 'Informing customers', pages: 3 };
const T0 = new Date(2024, 4, 1, 9, 0, 0).getTime();

function clock() {
  let t = T0;
  const now = () => t;
  now.advance = (ms) => { t += ms; };
  return now;
}

function setup(initial, config = CONFIG) {
  const api = new StrictScorm12API(initial);
  const now = clock();
  const warnings = [];
  const session = Ladder.createSession({ api, config, now, warn: (m) => warnings.push(m) });
  return { api, now, session, warnings };
}

const START_READS = [
  ['LMSInitialize', ''],
  ['LMSGetValue', 'cmi.core.entry'],
  ['LMSGetValue', 'cmi.core.lesson_status'],
  ['LMSGetValue', 'cmi.core.lesson_location'],
  ['LMSGetValue', 'cmi.suspend_data'],
];

function assertClean(api, session) {
  assert.deepEqual(api.failures(), [], 'every API call succeeded');
  assert.deepEqual(session.errors, [], 'the runtime collected no errors');
}

test('first launch: incomplete, bookmark page 1, one commit', () => {
  const { api, session } = setup();
  const view = session.start();
  assert.deepEqual(api.trace(), [
    ...START_READS,
    ['LMSSetValue', 'cmi.core.lesson_status', 'incomplete'],
    ['LMSSetValue', 'cmi.core.lesson_location', 'page-1'],
    ['LMSSetValue', 'cmi.suspend_data', '{"v":1,"p":1}'],
    ['LMSCommit', ''],
  ]);
  assert.equal(view.page, 1);
  assert.equal(view.status, 'incomplete');
  assert.equal(view.preview, false);
  assertClean(api, session);
});

test('full journey: next, next (completes on page N), Finish — exact sequence', () => {
  const { api, now, session } = setup();
  session.start();
  api.clearCalls();
  now.advance(60_000);
  assert.deepEqual(session.showPage(2), { ok: true, page: 2, changed: true });
  now.advance(60_000);
  session.showPage(3);
  now.advance(5_250);
  assert.deepEqual(session.finish(), { ok: true, status: 'completed' });
  assert.deepEqual(api.trace(), [
    ['LMSSetValue', 'cmi.core.lesson_location', 'page-2'],
    ['LMSSetValue', 'cmi.suspend_data', '{"v":1,"p":2}'],
    ['LMSCommit', ''],
    ['LMSSetValue', 'cmi.core.lesson_location', 'page-3'],
    ['LMSSetValue', 'cmi.suspend_data', '{"v":1,"p":3}'],
    ['LMSSetValue', 'cmi.core.lesson_status', 'completed'],
    ['LMSCommit', ''],
    ['LMSSetValue', 'cmi.core.session_time', '00:02:05.25'],
    ['LMSSetValue', 'cmi.core.exit', ''],
    ['LMSCommit', ''],
    ['LMSFinish', ''],
  ]);
  assert.equal(api.values['cmi.core.lesson_status'], 'completed');
  assert.equal(api.state, 'finished');
  assertClean(api, session);
});

test('going back after completion never downgrades the status', () => {
  const { api, session } = setup();
  session.start();
  session.showPage(3);
  api.clearCalls();
  session.showPage(1);
  assert.deepEqual(api.trace(), [
    ['LMSSetValue', 'cmi.core.lesson_location', 'page-1'],
    ['LMSSetValue', 'cmi.suspend_data', '{"v":1,"p":1}'],
    ['LMSCommit', ''],
  ]);
  assert.equal(session.status, 'completed');
  assert.equal(api.values['cmi.core.lesson_status'], 'completed');
});

test('showPage: same page or out of range sends nothing', () => {
  const { api, session } = setup();
  session.start();
  api.clearCalls();
  assert.deepEqual(session.showPage(1), { ok: true, page: 1, changed: false });
  assert.equal(session.showPage(0).ok, false);
  assert.equal(session.showPage(4).ok, false);
  assert.equal(session.showPage('2.5').ok, false);
  assert.deepEqual(api.trace(), []);
});

test('resume restores the page from lesson_location and writes nothing', () => {
  const { api, session } = setup({ entry: 'resume', lesson_status: 'incomplete', lesson_location: 'page-2', suspend_data: '{"v":1,"p":2}' });
  const view = session.start();
  assert.equal(view.page, 2);
  assert.equal(view.entry, 'resume');
  assert.deepEqual(api.trace(), START_READS);
  assertClean(api, session);
});

test('resume falls back to suspend_data when lesson_location is unusable', () => {
  const { api, session } = setup({ entry: 'resume', lesson_status: 'incomplete', lesson_location: 'page-9', suspend_data: '{"v":1,"p":2}' });
  assert.equal(session.start().page, 2);
  assert.deepEqual(api.trace(), [
    ...START_READS,
    ['LMSSetValue', 'cmi.core.lesson_location', 'page-2'],
    ['LMSCommit', ''],
  ]);
});

test('resume with garbage suspend_data starts on page 1', () => {
  const { api, session } = setup({ entry: 'resume', lesson_status: 'incomplete', lesson_location: 'intro', suspend_data: 'not json' });
  assert.equal(session.start().page, 1);
  assert.deepEqual(api.trace(), [
    ...START_READS,
    ['LMSSetValue', 'cmi.core.lesson_location', 'page-1'],
    ['LMSSetValue', 'cmi.suspend_data', '{"v":1,"p":1}'],
    ['LMSCommit', ''],
  ]);
});

test('resume on the last page of a completed module keeps completed', () => {
  const { api, session } = setup({ entry: 'resume', lesson_status: 'completed', lesson_location: 'page-3', suspend_data: '{"v":1,"p":3}' });
  const view = session.start();
  assert.equal(view.page, 3);
  assert.equal(view.status, 'completed');
  assert.deepEqual(api.trace(), START_READS);
});

test('a one-page module completes at once', () => {
  const { api, session } = setup(undefined, { ...CONFIG, pages: 1 });
  session.start();
  assert.deepEqual(api.trace(), [
    ...START_READS,
    ['LMSSetValue', 'cmi.core.lesson_status', 'completed'],
    ['LMSSetValue', 'cmi.core.lesson_location', 'page-1'],
    ['LMSSetValue', 'cmi.suspend_data', '{"v":1,"p":1}'],
    ['LMSCommit', ''],
  ]);
  assertClean(api, session);
});

test('leaving mid-module: hide commits, pagehide finishes with exit suspend', () => {
  const { api, now, session } = setup();
  session.start();
  session.showPage(2);
  api.clearCalls();
  now.advance(90_000);
  assert.equal(session.hide(), true);
  now.advance(1_000);
  assert.equal(session.pageHide(), true);
  assert.deepEqual(api.trace(), [
    ['LMSSetValue', 'cmi.core.session_time', '00:01:30.00'],
    ['LMSSetValue', 'cmi.core.exit', 'suspend'],
    ['LMSCommit', ''],
    ['LMSSetValue', 'cmi.core.session_time', '00:01:31.00'],
    ['LMSSetValue', 'cmi.core.exit', 'suspend'],
    ['LMSCommit', ''],
    ['LMSFinish', ''],
  ]);
  assert.equal(api.values['cmi.core.entry'], 'resume', 'the LMS will offer resume next time');
  assertClean(api, session);
});

test('then relaunching resumes on the same page', () => {
  const first = setup();
  first.session.start();
  first.session.showPage(2);
  first.session.pageHide();
  const v = first.api.values;
  const second = setup({ entry: v['cmi.core.entry'], lesson_status: v['cmi.core.lesson_status'],
    lesson_location: v['cmi.core.lesson_location'], suspend_data: v['cmi.suspend_data'] });
  assert.equal(second.session.start().page, 2);
  assert.deepEqual(second.api.trace(), START_READS);
});
