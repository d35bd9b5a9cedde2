// Hide / pagehide / Finish, preview mode, API discovery, robustness against odd LMSs.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { StrictScorm12API } from './strict-scorm12-api.mjs';
import { pageStrings } from './page-strings.mjs';
import { loadRuntime } from './runtime-source.mjs';

const Ladder = loadRuntime();

const MODULE = { v: 1, kind: 'module', id: 'm', title: 'M', pages: 3 };
const QUIZ = { v: 1, kind: 'assessment', id: 'q', title: 'Q', mastery: 50,
  questions: [{ id: 'q1', type: 'true-false', multiple: false, options: ['t', 'f'], correct: ['t'] }] };
const SHADOW = { v: 1, kind: 'shadowing', id: 's', title: 'S', behaviours: ['b1'] };
const T0 = new Date(2024, 4, 1, 9, 0, 0).getTime();

function clock() {
  let t = T0;
  const now = () => t;
  now.advance = (ms) => { t += ms; };
  return now;
}

function setup(config = MODULE, initial) {
  const api = new StrictScorm12API(initial);
  const now = clock();
  const warnings = [];
  const session = Ladder.createSession({ api, config, now, warn: (m) => warnings.push(m) });
  return { api, now, session, warnings };
}

describe('hide, pagehide, finish', () => {
  test('visibilitychange hidden: session_time, exit, LMSCommit — no LMSFinish; the tab may come back', () => {
    const { api, now, session } = setup();
    session.start();
    api.clearCalls();
    now.advance(61_500);
    assert.equal(session.hide(), true);
    assert.deepEqual(api.trace(), [
      ['LMSSetValue', 'cmi.core.session_time', '00:01:01.50'],
      ['LMSSetValue', 'cmi.core.exit', 'suspend'],
      ['LMSCommit', ''],
    ]);
    assert.equal(api.state, 'running');
    api.clearCalls();
    session.showPage(2);
    assert.equal(api.trace().length, 3, 'still reporting after the tab comes back');
  });

  test('pagehide: exactly once; a second pagehide, hide or finish does nothing', () => {
    const { api, now, session } = setup();
    session.start();
    api.clearCalls();
    now.advance(3_000);
    assert.equal(session.pageHide(), true);
    assert.deepEqual(api.trace(), [
      ['LMSSetValue', 'cmi.core.session_time', '00:00:03.00'],
      ['LMSSetValue', 'cmi.core.exit', 'suspend'],
      ['LMSCommit', ''],
      ['LMSFinish', ''],
    ]);
    const n = api.calls.length;
    assert.equal(session.pageHide(), false);
    assert.equal(session.hide(), false);
    session.finish();
    assert.equal(api.calls.length, n);
    assert.equal(session.finished, true);
    assert.deepEqual(api.failures(), []);
  });

  test('after LMSFinish no API call at all, whatever the learner does', () => {
    for (const config of [MODULE, QUIZ, SHADOW]) {
      const { api, session } = setup(config);
      session.start();
      session.finish();
      const n = api.calls.length;
      session.showPage(2);
      session.submitQuiz({ q1: 't' });
      session.retry();
      session.signOff({ signed: ['b1'], observer: 'A', date: '2024-05-01' });
      session.hide();
      session.pageHide();
      assert.equal(api.calls.length, n, config.kind);
      assert.deepEqual(api.failures(), [], config.kind);
    }
  });

  test('Finish on the last page: exit "" after completion', () => {
    const { api, session } = setup();
    session.start();
    session.showPage(3);
    api.clearCalls();
    session.finish();
    assert.deepEqual(api.trace(), [
      ['LMSSetValue', 'cmi.core.session_time', '00:00:00.00'],
      ['LMSSetValue', 'cmi.core.exit', ''],
      ['LMSCommit', ''],
      ['LMSFinish', ''],
    ]);
  });
});

describe('preview mode', () => {
  test('no API: no throw, notice set, everything works locally', () => {
    for (const api of [null, undefined, {}, { LMSInitialize: 'nope' }]) {
      const session = Ladder.createSession({ api, config: MODULE, strings: pageStrings('module'), now: clock() });
      const view = session.start();
      assert.equal(view.preview, true);
      assert.match(view.notice, /not being recorded/);
      assert.equal(session.showPage(3).ok, true);
      assert.equal(session.status, 'completed');
      assert.equal(session.hide(), false);
      assert.equal(session.pageHide(), false);
      assert.deepEqual(session.finish(), { ok: true, status: 'completed' });
      assert.deepEqual(session.errors, []);
    }
    const quiz = Ladder.createSession({ config: QUIZ, now: clock() });
    quiz.start();
    assert.equal(quiz.submitQuiz({ q1: 'f' }).passed, false);
    assert.equal(quiz.retry().ok, true);
    assert.equal(quiz.submitQuiz({ q1: 't' }).passed, true);
    assert.equal(quiz.view().suspendData, '{"v":1,"a":["t"],"t":2}');
    const shadow = Ladder.createSession({ config: SHADOW, now: clock() });
    shadow.start();
    assert.equal(shadow.signOff({ signed: ['b1'], observer: 'A', date: '2024-05-01' }).complete, true);
  });

  test('LMSInitialize refused: error recorded, preview, no further calls', () => {
    const api = new StrictScorm12API();
    api.LMSInitialize('');
    api.clearCalls();
    const warnings = [];
    const session = Ladder.createSession({ api, config: MODULE, strings: pageStrings('module'), now: clock(), warn: (m) => warnings.push(m) });
    const view = session.start();
    assert.equal(view.preview, true);
    assert.match(view.notice, /not being recorded/);
    assert.deepEqual(api.trace(), [['LMSInitialize', ''], ['LMSGetLastError'], ['LMSGetErrorString', '101']]);
    assert.equal(session.errors[0].code, '101');
    assert.equal(warnings.length, 1);
    session.showPage(2);
    session.pageHide();
    assert.equal(api.calls.length, 3);
  });

  test('an API that throws or returns booleans never breaks the SCO', () => {
    const calls = [];
    const api = {
      LMSInitialize: () => true,
      LMSGetValue: (el) => { calls.push(el); if (el === 'cmi.suspend_data') throw new Error('boom'); return ''; },
      LMSSetValue: () => { throw new Error('kaput'); },
      LMSCommit: () => true,
      LMSFinish: () => true,
      LMSGetLastError: () => '101',
      LMSGetErrorString: () => 'General exception',
    };
    const session = Ladder.createSession({ api, config: MODULE, now: clock(), warn: () => {} });
    assert.doesNotThrow(() => {
      session.start();
      session.showPage(2);
      session.hide();
      session.pageHide();
    });
    assert.equal(session.preview, false);
    assert.ok(session.errors.some((e) => e.code === 'exception' && e.message === 'kaput'));
    assert.ok(session.errors.some((e) => e.message === 'boom'));
    assert.equal(session.finished, true);
  });
});

describe('API discovery', () => {
  function win(props = {}) {
    const w = { ...props };
    if (!('parent' in w)) w.parent = w;
    return w;
  }

  test('own window, then the parent chain', () => {
    const api = new StrictScorm12API();
    const top = win({ API: api });
    const mid = win({ parent: top });
    const sco = win({ parent: mid });
    assert.equal(Ladder.findAPI(sco), api);
    const self = win({ API: api });
    assert.equal(Ladder.findAPI(self), api);
  });

  test('then the opener and its parents', () => {
    const api = new StrictScorm12API();
    const lmsTop = win({ API: api });
    const lmsFrame = win({ parent: lmsTop });
    const popup = win({ opener: lmsFrame });
    assert.equal(Ladder.findAPI(popup), api);
    // a frameset inside the popup: the opener belongs to the popup's top window
    const popupTop = win({ opener: lmsFrame });
    const frame = win({ parent: popupTop });
    frame.top = popupTop;
    assert.equal(Ladder.findAPI(frame), api);
  });

  test('objects without LMSInitialize, cross-origin frames and endless chains are handled', () => {
    const api = new StrictScorm12API();
    assert.equal(Ladder.findAPI(win({ API: { LMSGetValue() {} } })), null);
    assert.equal(Ladder.findAPI(null), null);
    const hostile = {};
    Object.defineProperty(hostile, 'API', { get() { throw new Error('SecurityError'); } });
    Object.defineProperty(hostile, 'parent', { get() { throw new Error('SecurityError'); } });
    assert.equal(Ladder.findAPI(win({ parent: hostile })), null);
    assert.equal(Ladder.findAPI(win({ parent: hostile, opener: win({ API: api }) })), api);
    // 600 nested frames with the API at the top: beyond the 500-hop limit
    let w = win({ API: api });
    for (let i = 0; i < 600; i++) w = win({ parent: w });
    assert.equal(Ladder.findAPI(w), null);
    let near = win({ API: api });
    for (let i = 0; i < 400; i++) near = win({ parent: near });
    assert.equal(Ladder.findAPI(near), api);
  });

  test('no API anywhere → null (preview mode)', () => {
    assert.equal(Ladder.findAPI(win({ opener: win() })), null);
  });
});

describe('suspend_data', () => {
  test('format: only the keys of the kind, v always first', () => {
    assert.equal(Ladder.encodeSuspend({ p: 2 }), '{"v":1,"p":2}');
    assert.equal(Ladder.encodeSuspend({ a: ['ac', ''], t: 3 }), '{"v":1,"a":["ac",""],"t":3}');
    assert.equal(Ladder.encodeSuspend({ s: '10', o: 'Sam', d: '2024-05-01' }), '{"v":1,"s":"10","o":"Sam","d":"2024-05-01"}');
    assert.equal(Ladder.encodeSuspend({}), '{"v":1}');
    assert.deepEqual(Ladder.decodeSuspend('{"v":1,"p":2,"a":["a"],"t":1,"s":"1","o":"x","d":"2024-01-31"}'),
      { v: 1, p: 2, a: ['a'], t: 1, s: '1', o: 'x', d: '2024-01-31' });
  });

  test('decode drops anything malformed', () => {
    for (const bad of ['', 'null', '[]', '{"v":2,"p":1}', '{', 'x'.repeat(5000)]) assert.deepEqual(Ladder.decodeSuspend(bad), { v: 1 });
    assert.deepEqual(Ladder.decodeSuspend('{"v":1,"p":0,"a":["A"],"t":-1,"s":"12","o":3,"d":"2024-13-01"}'), { v: 1 });
  });

  test('worst cases match the documented formulas', () => {
    const q = (k) => ({ id: 'q' + k, type: 'choice', multiple: true, options: 'abcdefghijklmnopqrstuvwxyz'.slice(0, k).split(''), correct: ['a'] });
    const quiz = { kind: 'assessment', questions: [q(2), q(4), q(26)] };
    // 22 + Σ(k_i + 3)
    assert.equal(Ladder.suspendWorstCase(quiz), 22 + (2 + 3) + (4 + 3) + (26 + 3));
    // 166 + B
    assert.equal(Ladder.suspendWorstCase({ kind: 'shadowing', behaviours: ['a', 'b', 'c'] }), 166 + 3);
    // 12 + digits(N)
    assert.equal(Ladder.suspendWorstCase({ kind: 'module', pages: 12 }), 14);
  });

  test('the worst shadowing observer really encodes to the documented length', () => {
    const { api, session } = setup(SHADOW);
    session.start();
    session.signOff({ signed: ['b1'], observer: '"\\'.repeat(40), date: '2024-05-01' });
    assert.equal(api.values['cmi.suspend_data'].length, 166 + 1);
  });

  test('never exceeds 4096 characters, even for absurd configs', () => {
    const questions = [];
    for (let i = 0; i < 300; i++) questions.push({ id: 'q' + i, type: 'choice', multiple: true, options: 'abcdefghijklmnopqrstuvwxyz'.split(''), correct: ['a'] });
    const config = { kind: 'assessment', mastery: 80, questions };
    assert.ok(Ladder.suspendWorstCase(config) > 4096);
    const { api, session } = setup(config);
    session.start();
    const answers = {};
    for (const q of questions) answers[q.id] = q.options;
    const r = session.submitQuiz(answers);
    assert.equal(r.ok, true);
    const data = api.values['cmi.suspend_data'];
    assert.ok(data.length <= 4096, `length ${data.length}`);
    assert.equal(JSON.parse(data).t, 1, 'the attempt counter survives');
    assert.deepEqual(api.failures(), []);

    const behaviours = [];
    for (let i = 0; i < 5000; i++) behaviours.push('b' + i);
    const s = setup({ kind: 'shadowing', behaviours });
    s.session.start();
    s.session.signOff({ signed: behaviours, observer: 'A', date: '2024-05-01' });
    assert.ok(s.api.values['cmi.suspend_data'].length <= 4096);
    assert.ok(Ladder.encodeSuspend({ s: '1'.repeat(9000), o: 'x', d: '2024-05-01' }).length <= 4096);
  });

  test('attempt counter is capped at 4 digits', () => {
    assert.equal(Ladder.encodeSuspend({ a: [], t: 123456 }), '{"v":1,"a":[],"t":9999}');
  });
});

describe('helpers', () => {
  test('formatTimespan', () => {
    assert.equal(Ladder.formatTimespan(0), '00:00:00.00');
    assert.equal(Ladder.formatTimespan(3_723_456), '01:02:03.46');
    assert.equal(Ladder.formatTimespan(-5), '00:00:00.00');
    assert.equal(Ladder.formatTimespan(NaN), '00:00:00.00');
    assert.equal(Ladder.formatTimespan(100 * 3600_000), '100:00:00.00');
    assert.equal(Ladder.formatTimespan(1e15), '9999:59:59.99');
    assert.equal(Ladder.formatTimespan(59_999), '00:01:00.00');
  });

  test('formatTime uses the local clock', () => {
    assert.equal(Ladder.formatTime(new Date(2024, 0, 2, 3, 4, 5)), '03:04:05');
    assert.equal(Ladder.formatTime(new Date(2024, 0, 2, 23, 59, 59, 999).getTime()), '23:59:59');
  });

  test('checkValue fixes what is safe to fix and refuses the rest', () => {
    assert.deepEqual(Ladder.checkValue('cmi.core.lesson_location', 'x'.repeat(300)), { ok: true, value: 'x'.repeat(255) });
    assert.equal(Ladder.checkValue('cmi.core.lesson_status', 'not attempted').ok, false);
    assert.equal(Ladder.checkValue('cmi.core.exit', 'normal').ok, false);
    assert.equal(Ladder.checkValue('cmi.core.score.raw', '101').ok, false);
    assert.equal(Ladder.checkValue('cmi.suspend_data', 'x'.repeat(4097)).ok, false);
    assert.equal(Ladder.checkValue('cmi.interactions.0.id', 'a b').ok, false);
    assert.equal(Ladder.checkValue('cmi.interactions.0.time', '9:00:00').ok, false);
    assert.equal(Ladder.checkValue('cmi.interactions.0.result', 'incorrect').ok, false);
    assert.equal(Ladder.checkValue('cmi.core.student_id', 'x').ok, false);
    assert.equal(Ladder.checkValue('cmi.comments', 'x'.repeat(5000)).value.length, 4096);
    assert.equal(Ladder.checkValue('cmi.interactions.3.student_response', 'y'.repeat(300)).value.length, 255);
  });

  test('an invalid value is never sent', () => {
    const { api, session } = setup();
    session.start();
    api.clearCalls();
    assert.equal(session._set('cmi.core.lesson_status', 'not attempted'), false);
    assert.deepEqual(api.trace(), []);
    assert.equal(session.errors[0].code, 'not sent');
  });

  test('cleanText and isValidDate', () => {
    assert.equal(Ladder.cleanText('  a\n\tb  ', 64), 'a b');
    assert.equal(Ladder.cleanText('😀'.repeat(40), 64), '😀'.repeat(32));
    assert.equal(Ladder.cleanText('x'.repeat(63) + '😀', 64), 'x'.repeat(63));
    assert.equal(Ladder.cleanText('a\uD800b', 64), 'ab');
    assert.equal(Ladder.isValidDate('2024-02-29'), true);
    assert.equal(Ladder.isValidDate('2100-02-29'), false);
    assert.equal(Ladder.isValidDate('2024-04-31'), false);
    assert.equal(Ladder.isValidDate('2024-4-1'), false);
  });

  test('config normalisation drops what the runtime cannot use', () => {
    const c = Ladder.normalizeConfig({ kind: 'assessment', mastery: 120, questions: [
      { id: 'ok', type: 'choice', options: ['a', 'b', 'B', 'a'], correct: ['b', 'z'] },
      { id: '1bad', type: 'choice', options: ['a'], correct: ['a'] },
      { id: 'ok', type: 'choice', options: ['a'], correct: ['a'] },
      { id: 'tf', type: 'true-false', options: ['x'], correct: ['f'] },
    ] });
    assert.equal(c.mastery, 100);
    assert.deepEqual(c.questions, [
      { id: 'ok', type: 'choice', multiple: false, options: ['a', 'b'], correct: ['b'], feedback: {} },
      { id: 'tf', type: 'true-false', multiple: false, options: ['t', 'f'], correct: ['f'], feedback: {} },
    ]);
    assert.equal(Ladder.normalizeConfig(null).kind, 'module');
  });
});
