// Behaviour learned from third-party LMS runtimes (Tests/peers/): APIs that answer "" for
// lesson_status on relaunch, and a 1.2 API object that names finish LMSTerminate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadRuntime } from './runtime-source.mjs';

const Ladder = loadRuntime();

const QUIZ = {
  v: 1, kind: 'assessment', id: 'x.assessment', title: 'Check', mastery: 80,
  questions: [
    { id: 'q1', type: 'choice', multiple: false, options: ['a', 'b'], correct: ['a'] },
    { id: 'q2', type: 'true-false', multiple: false, options: ['t', 'f'], correct: ['f'] },
  ],
};
const SHADOW = { v: 1, kind: 'shadowing', id: 'x.shadowing', title: 'Shadow', behaviours: ['b1', 'b2'] };

// A permissive API that keeps suspend_data but always answers "" for lesson_status, as the
// Open edX SCORM XBlock does on relaunch.
function forgetfulAPI(suspend) {
  const sets = [];
  const values = { 'cmi.suspend_data': suspend, 'cmi.core.entry': 'resume', 'cmi.core.lesson_location': '' };
  return {
    sets,
    LMSInitialize: () => 'true',
    LMSFinish: () => 'true',
    LMSGetValue: (k) => (k === 'cmi.core.lesson_status' ? '' : values[k] ?? ''),
    LMSSetValue: (k, v) => { sets.push([k, v]); values[k] = v; return 'true'; },
    LMSCommit: () => 'true',
    LMSGetLastError: () => '0',
    LMSGetErrorString: () => '',
    LMSGetDiagnostic: () => '',
  };
}

test('a passed quiz is not downgraded when the LMS forgets lesson_status', () => {
  const api = forgetfulAPI('{"v":1,"a":["a","f"],"t":1}');
  const session = Ladder.createSession({ api, config: QUIZ, now: () => 0, warn: () => {} });
  session.start();
  assert.equal(session.view().status, 'passed');
  assert.deepEqual(api.sets.filter(([k]) => k === 'cmi.core.lesson_status'), [], 'no status written over the pass');
});

test('a failed quiz rebuilt from suspend data stays failed (and may be retried)', () => {
  const api = forgetfulAPI('{"v":1,"a":["b","f"],"t":1}');
  const session = Ladder.createSession({ api, config: QUIZ, now: () => 0, warn: () => {} });
  session.start();
  assert.equal(session.view().status, 'failed');
});

test('a complete sign-off stays completed when the LMS forgets lesson_status', () => {
  const api = forgetfulAPI('{"v":1,"s":"11","o":"Ana","d":"2026-11-23"}');
  const session = Ladder.createSession({ api, config: SHADOW, now: () => 0, warn: () => {} });
  session.start();
  assert.equal(session.view().status, 'completed');
  assert.deepEqual(api.sets.filter(([k]) => k === 'cmi.core.lesson_status'), []);
});

test('a partial sign-off is still marked incomplete', () => {
  const api = forgetfulAPI('{"v":1,"s":"10","o":"Ana","d":"2026-11-23"}');
  const session = Ladder.createSession({ api, config: SHADOW, now: () => 0, warn: () => {} });
  session.start();
  assert.deepEqual(api.sets.filter(([k]) => k === 'cmi.core.lesson_status'), [['cmi.core.lesson_status', 'incomplete']]);
});

test('finish falls back to LMSTerminate when the API has no LMSFinish', () => {
  const api = forgetfulAPI('');
  const calls = [];
  delete api.LMSFinish;
  api.LMSTerminate = (arg) => { calls.push(arg); return 'true'; };
  const session = Ladder.createSession({ api, config: SHADOW, now: () => 0, warn: () => {} });
  session.start();
  session.pageHide();
  assert.deepEqual(calls, ['']);
});
