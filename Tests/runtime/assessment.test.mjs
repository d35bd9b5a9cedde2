// Assessment SCO: pass, fail → retry → pass, interactions, latency, resume, guards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StrictScorm12API } from './strict-scorm12-api.mjs';
import { loadRuntime } from './runtime-source.mjs';

const Ladder = loadRuntime();

const CONFIG = {
  v: 1, kind: 'assessment', id: 'inform-customers.assessment', title: 'Informing check', mastery: 80,
  questions: [
    { id: 'opening-order', type: 'choice', multiple: false, options: ['a', 'b', 'c'], correct: ['a'] },
    { id: 'verify-steps', type: 'choice', multiple: true, options: ['a', 'b', 'c', 'd'], correct: ['a', 'c'] },
    { id: 'script-always', type: 'true-false', multiple: false, options: ['t', 'f'], correct: ['f'] },
  ],
};
const T0 = new Date(2024, 4, 1, 9, 0, 0).getTime();
const ALL_RIGHT = { 'opening-order': 'a', 'verify-steps': ['c', 'a'], 'script-always': 'f' };
const ONE_WRONG = { 'opening-order': 'a', 'verify-steps': 'ac', 'script-always': ['t'] };

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
  const session = Ladder.createSession({ api, config: CONFIG, now, warn: (m) => warnings.push(m) });
  return { api, now, session, warnings };
}

const START_READS = [
  ['LMSInitialize', ''],
  ['LMSGetValue', 'cmi.core.entry'],
  ['LMSGetValue', 'cmi.core.lesson_status'],
  ['LMSGetValue', 'cmi.core.lesson_location'],
  ['LMSGetValue', 'cmi.suspend_data'],
];

function interaction(n, id, type, response, result, pattern, latency, time) {
  const p = `cmi.interactions.${n}.`;
  return [
    ['LMSSetValue', p + 'id', id],
    ['LMSSetValue', p + 'type', type],
    ['LMSSetValue', p + 'student_response', response],
    ['LMSSetValue', p + 'result', result],
    ['LMSSetValue', p + 'correct_responses.0.pattern', pattern],
    ['LMSSetValue', p + 'latency', latency],
    ['LMSSetValue', p + 'time', time],
    ['LMSSetValue', p + 'weighting', '1'],
  ];
}

// Answers each question in turn, 10 s, 25 s and 40 s after `from`, then submits at +60 s.
function answerAndSubmit(session, now, answers) {
  const start = now();
  for (const [qid, at] of [['opening-order', 10_000], ['verify-steps', 25_000], ['script-always', 40_000]]) {
    now.advance(start + at - now());
    session.noteAnswer(qid);
  }
  now.advance(start + 60_000 - now());
  return session.submitQuiz(answers);
}

function assertClean(api, session) {
  assert.deepEqual(api.failures(), [], 'every API call succeeded');
  assert.deepEqual(session.errors, [], 'the runtime collected no errors');
}

test('first launch: incomplete and bookmark "quiz"', () => {
  const { api, session } = setup();
  const view = session.start();
  assert.deepEqual(api.trace(), [
    ...START_READS,
    ['LMSSetValue', 'cmi.core.lesson_status', 'incomplete'],
    ['LMSSetValue', 'cmi.core.lesson_location', 'quiz'],
    ['LMSCommit', ''],
  ]);
  assert.equal(view.quiz.state, 'open');
  assert.equal(view.quiz.attempts, 0);
  assertClean(api, session);
});

test('pass: score, passed, one interaction per question — exact sequence', () => {
  const { api, now, session } = setup();
  session.start();
  api.clearCalls();
  const r = answerAndSubmit(session, now, ALL_RIGHT);
  assert.deepEqual(r, {
    ok: true, raw: 100, passed: true, mastery: 80, attempt: 1,
    results: {
      'opening-order': { chosen: 'a', correct: true },
      'verify-steps': { chosen: 'ac', correct: true },
      'script-always': { chosen: 'f', correct: true },
    },
  });
  assert.deepEqual(api.trace(), [
    ['LMSGetValue', 'cmi.interactions._count'],
    ...interaction(0, 'opening-order', 'choice', 'a', 'correct', 'a', '00:00:10.00', '09:00:10'),
    ...interaction(1, 'verify-steps', 'choice', 'a,c', 'correct', 'a,c', '00:00:25.00', '09:00:25'),
    ...interaction(2, 'script-always', 'true-false', 'f', 'correct', 'f', '00:00:40.00', '09:00:40'),
    ['LMSSetValue', 'cmi.core.score.min', '0'],
    ['LMSSetValue', 'cmi.core.score.max', '100'],
    ['LMSSetValue', 'cmi.core.score.raw', '100'],
    ['LMSSetValue', 'cmi.core.lesson_status', 'passed'],
    ['LMSSetValue', 'cmi.suspend_data', '{"v":1,"a":["a","ac","f"],"t":1}'],
    ['LMSCommit', ''],
  ]);
  assert.equal(api.interactions.length, 3);
  assert.deepEqual(api.interactions[1], {
    id: 'verify-steps', time: '09:00:25', type: 'choice', weighting: '1', student_response: 'a,c', result: 'correct',
    latency: '00:00:25.00', objectives: [], correct_responses: [{ pattern: 'a,c' }],
  });
  assertClean(api, session);
});

test('fail, retry, pass: interactions appended, attempt counter in suspend_data', () => {
  const { api, now, session } = setup();
  session.start();
  api.clearCalls();

  const first = answerAndSubmit(session, now, ONE_WRONG);
  assert.equal(first.ok, true);
  assert.equal(first.raw, 67);
  assert.equal(first.passed, false);
  assert.equal(first.results['script-always'].correct, false);
  assert.equal(session.view().quiz.canRetry, true);

  now.advance(60_000); // reads feedback for a minute
  assert.deepEqual(session.retry(), { ok: true });
  assert.equal(session.view().quiz.state, 'open');
  assert.deepEqual(session.view().quiz.answers, {});
  const second = answerAndSubmit(session, now, ALL_RIGHT);
  assert.equal(second.passed, true);
  assert.equal(second.attempt, 2);

  assert.deepEqual(api.trace(), [
    ['LMSGetValue', 'cmi.interactions._count'],
    ...interaction(0, 'opening-order', 'choice', 'a', 'correct', 'a', '00:00:10.00', '09:00:10'),
    ...interaction(1, 'verify-steps', 'choice', 'a,c', 'correct', 'a,c', '00:00:25.00', '09:00:25'),
    ...interaction(2, 'script-always', 'true-false', 't', 'wrong', 'f', '00:00:40.00', '09:00:40'),
    ['LMSSetValue', 'cmi.core.score.min', '0'],
    ['LMSSetValue', 'cmi.core.score.max', '100'],
    ['LMSSetValue', 'cmi.core.score.raw', '67'],
    ['LMSSetValue', 'cmi.core.lesson_status', 'failed'],
    ['LMSSetValue', 'cmi.suspend_data', '{"v":1,"a":["a","ac","t"],"t":1}'],
    ['LMSCommit', ''],
    // retry itself sends nothing; the latency clock restarts at 09:02:00
    ['LMSGetValue', 'cmi.interactions._count'],
    ...interaction(3, 'opening-order', 'choice', 'a', 'correct', 'a', '00:00:10.00', '09:02:10'),
    ...interaction(4, 'verify-steps', 'choice', 'a,c', 'correct', 'a,c', '00:00:25.00', '09:02:25'),
    ...interaction(5, 'script-always', 'true-false', 'f', 'correct', 'f', '00:00:40.00', '09:02:40'),
    ['LMSSetValue', 'cmi.core.score.min', '0'],
    ['LMSSetValue', 'cmi.core.score.max', '100'],
    ['LMSSetValue', 'cmi.core.score.raw', '100'],
    ['LMSSetValue', 'cmi.core.lesson_status', 'passed'],
    ['LMSSetValue', 'cmi.suspend_data', '{"v":1,"a":["a","ac","f"],"t":2}'],
    ['LMSCommit', ''],
  ]);
  assert.equal(api.interactions.length, 6);
  assert.equal(api.interactions[2].result, 'wrong');
  assert.equal(api.interactions[5].result, 'correct');
  assertClean(api, session);
});

test('once passed, stay passed: no retry, no resubmit', () => {
  const { api, now, session } = setup();
  session.start();
  answerAndSubmit(session, now, ALL_RIGHT);
  api.clearCalls();
  assert.deepEqual(session.retry(), { ok: false, reason: 'not-allowed' });
  assert.deepEqual(session.submitQuiz(ONE_WRONG), { ok: false, reason: 'locked', questions: [] });
  assert.deepEqual(api.trace(), []);
  assert.equal(session.status, 'passed');
});

test('retry is not allowed before a submit', () => {
  const { session } = setup();
  session.start();
  assert.deepEqual(session.retry(), { ok: false, reason: 'not-allowed' });
});

test('unanswered or over-answered questions: message, nothing sent', () => {
  const { api, session } = setup();
  session.start();
  api.clearCalls();
  assert.deepEqual(session.submitQuiz({ 'opening-order': 'a' }), { ok: false, reason: 'unanswered', questions: ['verify-steps', 'script-always'] });
  assert.deepEqual(session.submitQuiz({ ...ALL_RIGHT, 'verify-steps': ['x', 'z'] }), { ok: false, reason: 'unanswered', questions: ['verify-steps'] });
  assert.deepEqual(session.submitQuiz({ ...ALL_RIGHT, 'opening-order': 'ab' }), { ok: false, reason: 'invalid', questions: ['opening-order'] });
  assert.deepEqual(api.trace(), []);
  assert.equal(session.view().quiz.attempts, 0);
});

test('latency without noteAnswer runs to the submit; long quizzes get more hour digits', () => {
  const { api, now, session } = setup();
  session.start();
  now.advance(101 * 3600_000 + 1_234);
  session.submitQuiz(ALL_RIGHT);
  assert.equal(api.interactions[0].latency, '101:00:01.23');
  const d = new Date(T0 + 101 * 3600_000 + 1_234); // local clock, whatever the time zone (and its DST)
  assert.equal(api.interactions[0].time, [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':'));
  assertClean(api, session);
});

test('interactions already stored by the LMS: new ones start at _count', () => {
  const { api, now, session } = setup({ entry: 'resume', lesson_status: 'incomplete', lesson_location: 'quiz', interactionsCount: 4 });
  session.start();
  answerAndSubmit(session, now, ALL_RIGHT);
  assert.equal(api.interactions.length, 7);
  assert.equal(api.interactions[4].id, 'opening-order');
  assertClean(api, session);
});

test('_count errors: a local counter still appends in order', () => {
  const { api, now, session, warnings } = setup({ notImplemented: ['cmi.interactions._count'] });
  session.start();
  answerAndSubmit(session, now, ONE_WRONG);
  session.retry();
  answerAndSubmit(session, now, ALL_RIGHT);
  assert.deepEqual(api.interactions.map((i) => i.id), ['opening-order', 'verify-steps', 'script-always', 'opening-order', 'verify-steps', 'script-always']);
  assert.equal(api.values['cmi.core.lesson_status'], 'passed');
  assert.deepEqual(session.errors, [], 'a failed read is not a write error');
  assert.deepEqual(warnings, []);
});

test('an LMS without interactions: errors collected and warned, never thrown; score still recorded', () => {
  const { api, now, session, warnings } = setup({ notImplemented: ['cmi.interactions'] });
  session.start();
  api.clearCalls();
  const r = answerAndSubmit(session, now, ALL_RIGHT);
  assert.equal(r.ok, true);
  assert.equal(session.errors.length, 3 * 8);
  assert.deepEqual(session.errors[0], { fn: 'LMSSetValue', element: 'cmi.interactions.0.id', value: 'opening-order', code: '401', message: 'Not implemented error' });
  assert.equal(warnings.length, 3 * 8);
  // after a failed set the runtime asks for the error, then goes on
  assert.deepEqual(api.trace().slice(0, 4), [
    ['LMSGetValue', 'cmi.interactions._count'],
    ['LMSSetValue', 'cmi.interactions.0.id', 'opening-order'],
    ['LMSGetLastError'],
    ['LMSGetErrorString', '401'],
  ]);
  assert.equal(api.values['cmi.core.score.raw'], '100');
  assert.equal(api.values['cmi.core.lesson_status'], 'passed');
});

test('resume after a fail: previous answers and result shown, retry allowed, counter continues', () => {
  const { api, now, session } = setup({ entry: 'resume', lesson_status: 'failed', lesson_location: 'quiz',
    suspend_data: '{"v":1,"a":["a","ac","t"],"t":1}', interactionsCount: 3 });
  const view = session.start();
  assert.deepEqual(api.trace(), START_READS, 'nothing to write on resume');
  assert.equal(view.quiz.state, 'submitted');
  assert.equal(view.quiz.attempts, 1);
  assert.deepEqual(view.quiz.answers, { 'opening-order': 'a', 'verify-steps': 'ac', 'script-always': 't' });
  assert.equal(view.quiz.result.raw, 67);
  assert.equal(view.quiz.result.passed, false);
  assert.equal(view.quiz.canRetry, true);
  assert.equal(session.retry().ok, true);
  answerAndSubmit(session, now, ALL_RIGHT);
  assert.equal(api.values['cmi.suspend_data'], '{"v":1,"a":["a","ac","f"],"t":2}');
  assert.equal(api.interactions.length, 6);
  assertClean(api, session);
});

test('resume after a pass: locked, even without suspend_data', () => {
  const a = setup({ entry: 'resume', lesson_status: 'passed', lesson_location: 'quiz', suspend_data: '{"v":1,"a":["a","ac","f"],"t":3}' });
  const view = a.session.start();
  assert.equal(view.quiz.state, 'submitted');
  assert.equal(view.quiz.result.raw, 100);
  assert.equal(view.quiz.result.passed, true);
  assert.equal(view.quiz.canRetry, false);
  assert.equal(a.session.submitQuiz(ALL_RIGHT).reason, 'locked');

  const b = setup({ entry: 'resume', lesson_status: 'passed', lesson_location: 'quiz', suspend_data: '' });
  const v2 = b.session.start();
  assert.equal(v2.quiz.state, 'submitted');
  assert.equal(v2.quiz.result.raw, null);
  assert.equal(v2.quiz.result.passed, true);
  assert.deepEqual(b.api.trace(), START_READS);
});

test('leaving after a pass: exit is "" ; after a fail: exit is suspend', () => {
  const pass = setup();
  pass.session.start();
  answerAndSubmit(pass.session, pass.now, ALL_RIGHT);
  pass.api.clearCalls();
  pass.session.pageHide();
  assert.deepEqual(pass.api.trace(), [
    ['LMSSetValue', 'cmi.core.session_time', '00:01:00.00'],
    ['LMSSetValue', 'cmi.core.exit', ''],
    ['LMSCommit', ''],
    ['LMSFinish', ''],
  ]);

  const fail = setup();
  fail.session.start();
  answerAndSubmit(fail.session, fail.now, ONE_WRONG);
  fail.api.clearCalls();
  fail.session.hide();
  assert.deepEqual(fail.api.trace(), [
    ['LMSSetValue', 'cmi.core.session_time', '00:01:00.00'],
    ['LMSSetValue', 'cmi.core.exit', 'suspend'],
    ['LMSCommit', ''],
  ]);
});
