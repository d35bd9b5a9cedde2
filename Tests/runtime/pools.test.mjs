// Question pools and the sealed answer key: draw N of the bank per try, shuffled options,
// every try recorded as its own interactions, and a config that does not give the key away.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { StrictScorm12API } from './strict-scorm12-api.mjs';
import { loadRuntime } from './runtime-source.mjs';

const Ladder = loadRuntime();

// The page format, computed here with node's own SHA-256 (not the runtime's).
const SALT = '0123456789abcdef';
const sha = (s) => createHash('sha256').update(s, 'utf8').digest();
const marker = (qid, letter, correct) => sha(`${SALT}:${qid}:${letter}:${correct ? 1 : 0}`).toString('hex').slice(0, 16);
function seal(text, qid, letter) {
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i++) bytes[i] ^= sha(`${SALT}:${qid}:${letter}:f:${Math.floor(i / 32)}`)[i % 32];
  return bytes.toString('base64');
}

// Eight questions: the key and feedback as the renderer writes them.
const BANK = [
  ['q1', 'choice', false, 'abc', 'a'], ['q2', 'choice', true, 'abcd', 'bd'], ['q3', 'true-false', false, 'tf', 'f'],
  ['q4', 'choice', false, 'abc', 'c'], ['q5', 'choice', false, 'abcde', 'e'], ['q6', 'true-false', false, 'tf', 't'],
  ['q7', 'choice', true, 'abc', 'ab'], ['q8', 'choice', false, 'ab', 'b'],
];
const KEY = Object.fromEntries(BANK.map(([id, , , , correct]) => [id, correct]));
function config(extra = {}) {
  return {
    v: 1, kind: 'assessment', id: 'pool.assessment', title: 'Pool', mastery: 80, salt: SALT, ...extra,
    questions: BANK.map(([id, type, multiple, letters, correct]) => ({
      id, type, multiple, options: letters.split(''),
      key: letters.split('').map((l) => marker(id, l, correct.includes(l))),
      feedback: letters.split('').map((l) => seal(`Feedback for ${id} ${l}: “${correct.includes(l) ? 'right' : 'wrong'}” ✓`, id, l)),
    })),
  };
}

function seeded(seed) {
  let x = seed;
  return () => { x = (x * 1103515245 + 12345) % 2147483648; return x / 2147483648; };
}

function wrongFor(q) { return [q.options.find((l) => !KEY[q.id].includes(l))]; }
function answers(view, right) {
  return Object.fromEntries(view.quiz.questions.map((q) => [q.id, right ? KEY[q.id].split('') : wrongFor(q)]));
}

test('the runtime SHA-256 agrees with node crypto, multi-block and non-ASCII included', () => {
  for (const s of ['', 'abc', 'x'.repeat(55), 'x'.repeat(56), 'y'.repeat(200), 'Café ✓ 𝄞 – naïve']) {
    assert.equal(Ladder.sha256Hex(s), sha(s).toString('hex'), JSON.stringify(s));
  }
});

test('the key is in no readable form in the config, yet the runtime finds it and opens the feedback', () => {
  const raw = config();
  const text = JSON.stringify(raw);
  assert.ok(!/"correct"/.test(text), 'no correct list in the page config');
  assert.ok(!text.includes('right') && !text.includes('wrong'), 'no feedback text in the page config');
  // Every option has a marker of the same shape, so neither presence nor count tells.
  for (const q of raw.questions) {
    assert.equal(q.key.length, q.options.length);
    assert.ok(q.key.every((k) => /^[0-9a-f]{16}$/.test(k)));
  }
  const c = Ladder.normalizeConfig(raw);
  assert.deepEqual(Object.fromEntries(c.questions.map((q) => [q.id, q.correct.join('')])), KEY);
  assert.equal(c.questions[1].feedback.d, 'Feedback for q2 d: “right” ✓');
  assert.equal(c.questions[0].feedback.b, 'Feedback for q1 b: “wrong” ✓');
  // A marker copied from another option, or a wrong salt, marks nothing correct.
  const swapped = config();
  swapped.questions[0].key = [swapped.questions[0].key[1], swapped.questions[0].key[0], swapped.questions[0].key[2]];
  assert.deepEqual(Ladder.normalizeConfig(swapped).questions[0].correct, []);
  assert.deepEqual(Ladder.normalizeConfig({ ...config(), salt: 'other' }).questions[0].correct, []);
});

test('draw: each try shows N distinct questions of the bank, saved so a reload shows the same try', () => {
  const api = new StrictScorm12API();
  const s = Ladder.createSession({ api, config: config({ draw: 3, shuffle: true }), random: seeded(7), warn: () => {} });
  const view = s.start();
  assert.equal(view.quiz.questions.length, 3);
  assert.equal(new Set(view.quiz.questions.map((q) => q.id)).size, 3);
  const saved = JSON.parse(api.values['cmi.suspend_data']);
  assert.deepEqual(Object.keys(saved), ['v', 'q', 'r', 't']);
  assert.deepEqual(saved.q.map((i) => BANK[i][0]), view.quiz.questions.map((q) => q.id));
  assert.deepEqual(saved.r, view.quiz.questions.map((q) => q.options.join('')));
  assert.equal(api.values['cmi.core.lesson_status'], 'incomplete');
  assert.deepEqual(api.failures(), []);

  // Relaunch: the same questions in the same order, nothing new drawn.
  const api2 = new StrictScorm12API({ entry: 'resume', lesson_status: 'incomplete', lesson_location: 'quiz', suspend_data: api.values['cmi.suspend_data'] });
  const s2 = Ladder.createSession({ api: api2, config: config({ draw: 3, shuffle: true }), random: seeded(99), warn: () => {} });
  assert.deepEqual(s2.start().quiz.questions, view.quiz.questions);
  assert.ok(!api2.trace().some(([fn, el]) => fn === 'LMSSetValue' && el === 'cmi.suspend_data'));

  // A saved draw that does not fit the bank (index out of range, repeat) is replaced.
  for (const bad of ['{"v":1,"q":[0,1,99],"r":["abc","abcd","tf"],"t":0}', '{"v":1,"q":[0,0,1],"r":["abc","abc","abcd"],"t":0}']) {
    const api3 = new StrictScorm12API({ entry: 'resume', lesson_status: 'incomplete', suspend_data: bad });
    const v3 = Ladder.createSession({ api: api3, config: config({ draw: 3, shuffle: true }), random: seeded(3), warn: () => {} }).start();
    assert.equal(new Set(v3.quiz.questions.map((q) => q.id)).size, 3);
    assert.notEqual(api3.values['cmi.suspend_data'], bad);
  }
});

test('each try is its own interactions; mastery is over the drawn questions', () => {
  const api = new StrictScorm12API();
  const s = Ladder.createSession({ api, config: config({ draw: 3, shuffle: true }), random: seeded(11), warn: () => {} });
  const first = s.start().quiz.questions.map((q) => q.id);
  const r1 = s.submitQuiz(answers(s.view(), false));
  assert.equal(r1.ok, true);
  assert.equal(r1.raw, 0);
  assert.equal(api.interactions.length, 3);
  assert.deepEqual(api.interactions.map((i) => i.id), first);
  assert.ok(api.interactions.every((i) => i.result === 'wrong'));
  assert.deepEqual(api.interactions.map((i) => i.correct_responses[0].pattern), first.map((id) => KEY[id].split('').join(',')));
  assert.deepEqual(Object.keys(JSON.parse(api.values['cmi.suspend_data'])), ['v', 'q', 'r', 'a', 't']);

  // Try again draws a new try and saves it (no answers yet).
  assert.equal(s.retry().ok, true);
  const second = s.view().quiz.questions.map((q) => q.id);
  assert.notDeepEqual(second, first, 'seed 11 draws a different try');
  const saved = JSON.parse(api.values['cmi.suspend_data']);
  assert.deepEqual(saved.q.map((i) => BANK[i][0]), second);
  assert.equal(saved.a, undefined);
  assert.equal(saved.t, 1);
  // Unanswered is checked against this try's questions only.
  const missing = s.submitQuiz({ [second[0]]: KEY[second[0]].split('') });
  assert.deepEqual(missing, { ok: false, reason: 'unanswered', questions: second.slice(1) });

  // Two of three right is 67%: under 80, so the score is a share of the drawn three, not of eight.
  const mixed = answers(s.view(), true);
  mixed[second[2]] = wrongFor(s.view().quiz.questions[2]);
  const r2 = s.submitQuiz(mixed);
  assert.equal(r2.raw, 67);
  assert.equal(r2.passed, false);
  s.retry();
  const third = s.view().quiz.questions.map((q) => q.id);
  const r3 = s.submitQuiz(answers(s.view(), true));
  assert.equal(r3.raw, 100);
  assert.equal(r3.passed, true);
  assert.equal(api.interactions.length, 9, 'every try kept');
  assert.deepEqual(api.interactions.map((i) => i.id), [...first, ...second, ...third]);
  assert.deepEqual(api.interactions.map((i) => i.result), ['wrong', 'wrong', 'wrong', 'correct', 'correct', 'wrong', 'correct', 'correct', 'correct']);
  assert.equal(api.values['cmi.core.score.raw'], '100');
  assert.equal(api.values['cmi.core.lesson_status'], 'passed');
  assert.equal(JSON.parse(api.values['cmi.suspend_data']).t, 3);
  assert.deepEqual(api.failures(), []);
  assert.deepEqual(s.errors, []);
});

test('relaunch after a failed pooled try shows that try scored', () => {
  const api = new StrictScorm12API();
  const s = Ladder.createSession({ api, config: config({ draw: 4 }), random: seeded(5), warn: () => {} });
  s.start();
  const shown = s.view().quiz.questions;
  const a = answers(s.view(), true);
  a[shown[0].id] = wrongFor(shown[0]);
  assert.equal(s.submitQuiz(a).raw, 75);
  const data = api.values['cmi.suspend_data'];
  assert.deepEqual(Object.keys(JSON.parse(data)), ['v', 'q', 'a', 't'], 'no r without shuffle');

  {
    const api2 = new StrictScorm12API({ entry: 'resume', lesson_status: 'failed', lesson_location: 'quiz', suspend_data: data });
    const s2 = Ladder.createSession({ api: api2, config: config({ draw: 4 }), random: seeded(1), warn: () => {} });
    const v = s2.start();
    assert.equal(v.quiz.state, 'submitted');
    assert.equal(v.quiz.result.raw, 75);
    assert.equal(v.status, 'failed');
    assert.deepEqual(v.quiz.questions.map((q) => q.id), shown.map((q) => q.id));
  }
});

test('draws over many tries: always N distinct, every question drawn, options in every order, True before False', () => {
  const counts = {};
  const orders = new Set();
  const s = Ladder.createSession({ api: null, config: config({ draw: 3, shuffle: true }), warn: () => {} });
  s.start();
  for (let i = 0; i < 2000; i++) {
    const qs = s.view().quiz.questions;
    assert.equal(qs.length, 3);
    assert.equal(new Set(qs.map((q) => q.id)).size, 3);
    for (const q of qs) {
      counts[q.id] = (counts[q.id] || 0) + 1;
      if (q.id === 'q1') orders.add(q.options.join(''));
      if (q.id === 'q3' || q.id === 'q6') assert.deepEqual(q.options, ['t', 'f']);
      assert.deepEqual([...q.options].sort(), BANK.find((b) => b[0] === q.id)[3].split('').sort());
    }
    s.submitQuiz(answers(s.view(), false));
    s.retry();
  }
  // Each question is expected 2000 × 3 / 8 = 750 times.
  for (const [id] of BANK) assert.ok(counts[id] > 500 && counts[id] < 1000, `${id} drawn ${counts[id]} times`);
  assert.equal(orders.size, 6, 'all six orders of three options');
});

test('suspend data worst case covers pooled quizzes', () => {
  const c = config({ draw: 5, shuffle: true });
  const worst = Ladder.suspendWorstCase(c);
  const s = Ladder.createSession({ api: null, config: c, random: seeded(2), warn: () => {} });
  s.start();
  for (let i = 0; i < 200; i++) {
    s.submitQuiz(Object.fromEntries(s.view().quiz.questions.map((q) => [q.id, q.options])).valueOf());
    const v = s.view();
    if (v.quiz.state !== 'submitted') s.submitQuiz(answers(v, false));
    assert.ok(s.suspendData().length <= worst, `${s.suspendData()} within ${worst}`);
    s.retry();
  }
  assert.equal(worst, JSON.stringify({ v: 1, q: [7, 6, 5, 4, 3], r: ['abcde', 'abcd', 'abc', 'abc', 'abc'], a: ['abcde', 'abcd', 'abc', 'abc', 'abc'], t: 9999 }).length);
});
