// The DOM binding against pages built to the page contract, on a tiny fake DOM
// (no npm packages): enough HTML parsing, selectors, events and focus for ladder.js.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import { StrictScorm12API } from './strict-scorm12-api.mjs';
import { pageStrings, snapshotPage } from './page-strings.mjs';
import { loadRuntime, runtimeSource } from './runtime-source.mjs';

const Ladder = loadRuntime();

// ---------------------------------------------------------------------------
// Fake DOM
// ---------------------------------------------------------------------------

const VOID = new Set(['input', 'img', 'br', 'meta', 'link', 'hr']);
const decode = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

class EventTargetish {
  constructor() { this.listeners = {}; }
  addEventListener(type, fn) { (this.listeners[type] ||= []).push(fn); }
  _fire(evt) {
    evt.currentTarget = this;
    for (const fn of this.listeners[evt.type] || []) fn.call(this, evt);
  }
  dispatchEvent(evt) {
    evt.target ||= this;
    this._fire(evt);
    return !evt.defaultPrevented;
  }
}

function makeEvent(type, props = {}) {
  return { type, bubbles: true, defaultPrevented: false, preventDefault() { this.defaultPrevented = true; }, ...props };
}

class Text {
  constructor(data) { this.nodeType = 3; this.data = data; this.parentNode = null; }
  get textContent() { return this.data; }
}

class Element extends EventTargetish {
  constructor(doc, tag, attrs = []) {
    super();
    this.nodeType = 1;
    this.ownerDocument = doc;
    this.tagName = tag.toUpperCase();
    this.attrs = new Map(attrs);
    this.childNodes = [];
    this.parentNode = null;
    this.checked = this.attrs.has('checked');
    this._value = this.attrs.get('value') ?? '';
    const self = this;
    this.classList = {
      _list: () => (self.getAttribute('class') || '').split(/\s+/).filter(Boolean),
      _set(list) { self.setAttribute('class', list.join(' ')); },
      contains: (c) => self.classList._list().includes(c),
      add: (...cs) => self.classList._set([...new Set([...self.classList._list(), ...cs])]),
      remove: (...cs) => self.classList._set(self.classList._list().filter((c) => !cs.includes(c))),
      toggle: (c, force) => {
        const on = force === undefined ? !self.classList.contains(c) : !!force;
        if (on) self.classList.add(c); else self.classList.remove(c);
        return on;
      },
    };
  }
  get id() { return this.getAttribute('id') || ''; }
  get value() { return this._value; }
  set value(v) { this._value = String(v); }
  get type() { return (this.getAttribute('type') || (this.tagName === 'BUTTON' ? 'submit' : 'text')).toLowerCase(); }
  get name() { return this.getAttribute('name') || ''; }
  get hidden() { return this.attrs.has('hidden'); }
  set hidden(v) { if (v) this.attrs.set('hidden', ''); else this.attrs.delete('hidden'); }
  get disabled() { return this.attrs.has('disabled'); }
  set disabled(v) { if (v) this.attrs.set('disabled', ''); else this.attrs.delete('disabled'); }
  get children() { return this.childNodes.filter((n) => n.nodeType === 1); }
  getAttribute(n) { return this.attrs.has(n) ? this.attrs.get(n) : null; }
  setAttribute(n, v) { this.attrs.set(n, String(v)); }
  removeAttribute(n) { this.attrs.delete(n); }
  hasAttribute(n) { return this.attrs.has(n); }
  appendChild(n) { return this.insertBefore(n, null); }
  // As in the DOM, a node that already has a parent moves.
  insertBefore(n, ref) {
    if (n.parentNode) n.parentNode.childNodes = n.parentNode.childNodes.filter((c) => c !== n);
    n.parentNode = this;
    const at = ref ? this.childNodes.indexOf(ref) : -1;
    if (at < 0) this.childNodes.push(n); else this.childNodes.splice(at, 0, n);
    return n;
  }
  get textContent() { return this.childNodes.map((n) => n.textContent).join(''); }
  set textContent(v) { this.childNodes = []; if (v !== '') this.appendChild(new Text(String(v))); }
  *descendants() {
    for (const c of this.children) { yield c; yield* c.descendants(); }
  }
  querySelectorAll(sel) { return [...this.descendants()].filter((e) => e.matches(sel)); }
  querySelector(sel) { return this.querySelectorAll(sel)[0] || null; }
  matches(sel) { return sel.split(',').some((s) => matchComplex(this, s.trim().split(/\s+/))); }
  closest(sel) {
    for (let e = this; e && e.nodeType === 1; e = e.parentNode) if (e.matches(sel)) return e;
    return null;
  }
  focus() { this.ownerDocument.activeElement = this; }
  dispatchEvent(evt) {
    evt.target ||= this;
    for (let n = this; n; n = n.parentNode) {
      n._fire(evt);
      if (!evt.bubbles) break;
    }
    return !evt.defaultPrevented;
  }
  click() {
    if (this.disabled) return;
    if (this.tagName === 'INPUT' && this.type === 'checkbox') this.checked = !this.checked;
    if (this.tagName === 'INPUT' && this.type === 'radio') {
      for (const r of this.ownerDocument.querySelectorAll(`input[name="${this.name}"]`)) r.checked = false;
      this.checked = true;
    }
    this.dispatchEvent(makeEvent('click'));
    if (this.tagName === 'INPUT' && (this.type === 'checkbox' || this.type === 'radio')) this.dispatchEvent(makeEvent('change'));
    if (this.tagName === 'BUTTON' && this.type === 'submit') {
      const form = this.closest('form');
      if (form) form.dispatchEvent(makeEvent('submit'));
    }
  }
}

function matchCompound(el, compound) {
  const tag = /^[a-z0-9]+/i.exec(compound);
  if (tag && el.tagName !== tag[0].toUpperCase()) return false;
  const re = /#([\w-]+)|\.([\w-]+)|\[([\w-]+)(?:="([^"]*)")?\]/y;
  re.lastIndex = tag ? tag[0].length : 0;
  while (re.lastIndex < compound.length) {
    const m = re.exec(compound);
    if (!m) throw new Error('fake DOM: unsupported selector ' + compound);
    if (m[1] && el.id !== m[1]) return false;
    if (m[2] && !el.classList.contains(m[2])) return false;
    if (m[3] && (!el.hasAttribute(m[3]) || (m[4] !== undefined && el.getAttribute(m[3]) !== m[4]))) return false;
  }
  return true;
}

function matchComplex(el, parts) {
  if (!matchCompound(el, parts[parts.length - 1])) return false;
  let rest = parts.slice(0, -1);
  for (let a = el.parentNode; rest.length && a && a.nodeType === 1; a = a.parentNode) {
    if (matchCompound(a, rest[rest.length - 1])) rest = rest.slice(0, -1);
  }
  return rest.length === 0;
}

class Document extends EventTargetish {
  constructor(html) {
    super();
    this.activeElement = null;
    this.visibilityState = 'visible';
    this.readyState = 'complete';
    this.documentElement = new Element(this, 'html');
    this.documentElement.parentNode = this;
    parseInto(this, this.documentElement, html);
    this.body = this.documentElement.querySelector('body');
  }
  getElementById(id) { return this.documentElement.querySelector('#' + id); }
  querySelectorAll(sel) { return this.documentElement.querySelectorAll(sel); }
  querySelector(sel) { return this.documentElement.querySelector(sel); }
  get nodeType() { return 9; }
}

function parseInto(doc, root, html) {
  const stack = [root];
  const re = /<!--[\s\S]*?-->|<\/([a-zA-Z0-9]+)\s*>|<([a-zA-Z0-9]+)((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*\/?>|([^<]+)/g;
  let m;
  while ((m = re.exec(html)) !== null) {
    const top = stack[stack.length - 1];
    if (m[1]) {
      const tag = m[1].toUpperCase();
      while (stack.length > 1 && stack.pop().tagName !== tag);
    } else if (m[2]) {
      const attrs = [];
      const ar = /([^\s=>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;
      let a;
      while ((a = ar.exec(m[3] || '')) !== null) attrs.push([a[1], decode(a[2] ?? a[3] ?? a[4] ?? '')]);
      const el = top.appendChild(new Element(doc, m[2], attrs));
      const tag = m[2].toLowerCase();
      if (tag === 'script') {
        const end = html.indexOf('</script>', re.lastIndex);
        el.appendChild(new Text(html.slice(re.lastIndex, end)));
        re.lastIndex = end + '</script>'.length;
      } else if (!VOID.has(tag)) {
        stack.push(el);
      }
    } else if (m[4] && m[4].trim()) {
      top.appendChild(new Text(decode(m[4])));
    }
  }
}

function makeWindow(html, { api, pagehide = true } = {}) {
  const win = new EventTargetish();
  win.document = new Document(html);
  win.parent = win;
  win.top = win;
  win.opener = null;
  if (pagehide) win.onpagehide = null;
  if (api) win.API = api;
  win.dispatchEvent = (evt) => { evt.target = win; win._fire(evt); };
  return win;
}

// ---------------------------------------------------------------------------
// Pages built exactly to the page contract
// ---------------------------------------------------------------------------

const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

function page(kind, config, mainInner) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${config.title}</title>
<link rel="stylesheet" href="../ladder/ladder.css"></head>
<body class="ladder" data-kind="${kind}">
<header class="ladder-header"><p class="ladder-course">Customer Service</p></header>
<div id="ladder-notice" class="ladder-notice" role="status" hidden></div>
<main id="ladder-main" tabindex="-1"><h1>${config.title}</h1>
${mainInner}
</main>
<script type="application/json" id="ladder-sco">${esc(JSON.stringify(config))}</script>
<script type="application/json" id="ladder-strings">${esc(JSON.stringify(pageStrings(kind)))}</script>
<script src="../ladder/ladder.js"></script>
</body></html>`;
}

const MODULE = { v: 1, kind: 'module', id: 'inform-customers.module', title: 'Informing customers', pages: 3 };
function modulePage() {
  let html = '';
  for (let k = 1; k <= 3; k++) {
    html += `<section class="ladder-page" id="page-${k}" data-page="${k}" aria-labelledby="page-${k}-title"><h2 id="page-${k}-title">Page ${k}</h2><p>Text ${k}.</p></section>\n`;
  }
  html += '<nav class="ladder-nav" aria-label="Pages"><button type="button" data-action="prev">Previous</button><span class="ladder-progress" aria-live="polite"></span><button type="button" data-action="next">Next</button><button type="button" data-action="finish">Finish</button></nav>';
  return page('module', MODULE, html);
}

const QUIZ = { v: 1, kind: 'assessment', id: 'inform-customers.assessment', title: 'Check', mastery: 80,
  questions: [
    { id: 'opening-order', type: 'choice', multiple: false, options: ['a', 'b', 'c'], correct: ['a'] },
    { id: 'script-always', type: 'true-false', multiple: false, options: ['t', 'f'], correct: ['f'] },
  ] };
function quizPage() {
  let html = '<form id="ladder-quiz" class="ladder-quiz" novalidate>';
  for (const q of QUIZ.questions) {
    html += `<fieldset class="ladder-question" id="q-${q.id}" data-question="${q.id}"><legend>Prompt ${q.id}</legend>`;
    if (q.id === 'opening-order') html += '<p class="ladder-scenario">A caller rings.</p>';
    for (const L of q.options) {
      html += `<div class="ladder-option"><input type="radio" id="q-${q.id}-${L}" name="q-${q.id}" value="${L}"><label for="q-${q.id}-${L}">Option ${L}</label><p class="ladder-feedback" id="q-${q.id}-${L}-feedback" hidden>Feedback ${q.id} ${L}</p></div>`;
    }
    html += '</fieldset>';
  }
  html += '<button type="submit" class="ladder-primary">Submit answers</button></form>';
  html += '<div id="ladder-result" class="ladder-result" role="status" aria-live="polite" hidden></div>';
  html += '<button type="button" data-action="retry" hidden>Try again</button>';
  return page('assessment', QUIZ, html);
}

const SHADOW = { v: 1, kind: 'shadowing', id: 'inform-customers.shadowing', title: 'Shadow', behaviours: ['opens-with-greeting', 'verifies-identity'] };
function shadowPage() {
  let html = '<section><h2>What to watch</h2><p>Watch a call.</p></section><form id="ladder-signoff" class="ladder-signoff">';
  const labels = { 'opens-with-greeting': 'Opens with the house greeting', 'verifies-identity': 'Verifies identity' };
  for (const b of SHADOW.behaviours) {
    html += `<div class="ladder-behaviour" data-behaviour="${b}"><input type="checkbox" id="b-${b}" name="b-${b}" value="${b}"><label for="b-${b}">${labels[b]}</label><p class="ladder-evidence">Evidence for ${b}</p></div>`;
  }
  html += '<label for="ladder-observer">Observer\'s name</label><input id="ladder-observer" name="observer" maxlength="64" autocomplete="name">';
  html += '<label for="ladder-date">Date observed</label><input id="ladder-date" name="date" type="date">';
  html += '<button type="submit" class="ladder-primary">Record sign-off</button></form>';
  html += '<div id="ladder-result" class="ladder-result" role="status" aria-live="polite" hidden></div>';
  return page('shadowing', SHADOW, html);
}

const T0 = new Date(2024, 4, 1, 9, 0, 0).getTime();
function clock() {
  let t = T0;
  const now = () => t;
  now.advance = (ms) => { t += ms; };
  return now;
}

function boot(html, initial, opts = {}) {
  const api = opts.noApi ? null : new StrictScorm12API(initial);
  const win = makeWindow(html, { api, pagehide: opts.pagehide !== false });
  const now = clock();
  const bound = Ladder.bindDocument(win, { now, warn: () => {}, random: opts.random });
  const doc = win.document;
  const $ = (sel) => doc.querySelector(sel);
  return { api, win, doc, $, now, session: bound && bound.session, bound };
}

const visible = (el) => !el.hidden;

// ---------------------------------------------------------------------------

describe('module page', () => {
  test('one page at a time, progress, buttons, focus, Finish', () => {
    const { api, doc, $, session } = boot(modulePage());
    assert.ok(doc.body.classList.contains('ladder-js'));
    assert.ok($('#ladder-notice').hidden, 'no notice with an LMS');
    const sections = doc.querySelectorAll('.ladder-page');
    assert.deepEqual(sections.map(visible), [true, false, false]);
    assert.equal($('.ladder-progress').textContent, 'Page 1 of 3');
    assert.ok($('[data-action="prev"]').hidden);
    assert.ok(!$('[data-action="next"]').hidden);
    assert.ok($('[data-action="finish"]').hidden);
    assert.equal(doc.activeElement, null, 'no focus steal on load');

    api.clearCalls();
    $('[data-action="next"]').click();
    assert.deepEqual(sections.map(visible), [false, true, false]);
    assert.equal($('.ladder-progress').textContent, 'Page 2 of 3');
    assert.equal(doc.activeElement, $('#page-2-title'));
    assert.equal($('#page-2-title').getAttribute('tabindex'), '-1');
    assert.ok(!$('[data-action="prev"]').hidden);

    $('[data-action="next"]').click();
    assert.deepEqual(sections.map(visible), [false, false, true]);
    assert.ok($('[data-action="next"]').hidden);
    assert.ok(!$('[data-action="finish"]').hidden);

    $('[data-action="prev"]').click();
    $('[data-action="next"]').click();
    $('[data-action="finish"]').click();
    assert.match($('.ladder-progress').textContent, /You can close this window\./);
    for (const a of ['prev', 'next', 'finish']) assert.ok($(`[data-action="${a}"]`).hidden);
    assert.deepEqual(api.trace(), [
      ['LMSSetValue', 'cmi.core.lesson_location', 'page-2'],
      ['LMSSetValue', 'cmi.suspend_data', '{"v":1,"p":2}'],
      ['LMSCommit', ''],
      ['LMSSetValue', 'cmi.core.lesson_location', 'page-3'],
      ['LMSSetValue', 'cmi.suspend_data', '{"v":1,"p":3}'],
      ['LMSSetValue', 'cmi.core.lesson_status', 'completed'],
      ['LMSCommit', ''],
      ['LMSSetValue', 'cmi.core.lesson_location', 'page-2'],
      ['LMSSetValue', 'cmi.suspend_data', '{"v":1,"p":2}'],
      ['LMSCommit', ''],
      ['LMSSetValue', 'cmi.core.lesson_location', 'page-3'],
      ['LMSSetValue', 'cmi.suspend_data', '{"v":1,"p":3}'],
      ['LMSCommit', ''],
      ['LMSSetValue', 'cmi.core.session_time', '00:00:00.00'],
      ['LMSSetValue', 'cmi.core.exit', ''],
      ['LMSCommit', ''],
      ['LMSFinish', ''],
    ]);
    assert.ok(session.finished);
    assert.deepEqual(api.failures(), []);
  });

  test('resume shows the bookmarked page', () => {
    const { doc, $ } = boot(modulePage(), { entry: 'resume', lesson_status: 'incomplete', lesson_location: 'page-3', suspend_data: '{"v":1,"p":3}' });
    assert.deepEqual(doc.querySelectorAll('.ladder-page').map(visible), [false, false, true]);
    assert.equal($('.ladder-progress').textContent, 'Page 3 of 3');
  });

  test('no LMS: preview notice shown, pages still work', () => {
    const { $, doc } = boot(modulePage(), undefined, { noApi: true });
    assert.ok(!$('#ladder-notice').hidden);
    assert.match($('#ladder-notice').textContent, /progress is not being recorded/);
    $('[data-action="next"]').click();
    assert.deepEqual(doc.querySelectorAll('.ladder-page').map(visible), [false, true, false]);
  });
});

describe('page lifecycle events', () => {
  test('visibilitychange hidden commits; pagehide finishes once; beforeunload unused when pagehide exists', () => {
    const { api, win, doc } = boot(modulePage());
    assert.equal(win.listeners.beforeunload, undefined);
    assert.equal(win.listeners.unload, undefined, 'never unload');
    api.clearCalls();
    doc.visibilityState = 'hidden';
    doc.dispatchEvent(makeEvent('visibilitychange'));
    assert.deepEqual(api.trace().map((c) => c[0] + ' ' + (c[1] ?? '')), ['LMSSetValue cmi.core.session_time', 'LMSSetValue cmi.core.exit', 'LMSCommit ']);
    doc.visibilityState = 'visible';
    doc.dispatchEvent(makeEvent('visibilitychange'));
    assert.equal(api.calls.length, 3, 'becoming visible sends nothing');
    win.dispatchEvent(makeEvent('pagehide', { persisted: false }));
    win.dispatchEvent(makeEvent('pagehide', { persisted: false }));
    assert.equal(api.trace().filter((c) => c[0] === 'LMSFinish').length, 1);
    assert.equal(api.calls.length, 7);
    assert.deepEqual(api.failures(), []);
  });

  test('beforeunload is the fallback where pagehide does not exist', () => {
    const { api, win } = boot(modulePage(), undefined, { pagehide: false });
    assert.equal(win.listeners.beforeunload.length, 1);
    win.dispatchEvent(makeEvent('beforeunload'));
    assert.equal(api.state, 'finished');
    assert.deepEqual(api.failures(), []);
  });

  test('back from the bfcache after LMSFinish: notice says the session ended', () => {
    const { win, $ } = boot(modulePage());
    win.dispatchEvent(makeEvent('pagehide', { persisted: true }));
    win.dispatchEvent(makeEvent('pageshow', { persisted: true }));
    assert.ok(!$('#ladder-notice').hidden);
    assert.match($('#ladder-notice').textContent, /session has ended/);
  });

  test('a page without config: nothing happens, nothing throws', () => {
    const win = makeWindow('<body class="ladder"><main id="ladder-main"></main></body>', { api: new StrictScorm12API() });
    assert.equal(Ladder.bindDocument(win), null);
    assert.equal(win.API.calls.length, 0);
  });
});

describe('assessment page', () => {
  test('unanswered, fail with feedback, retry, pass', () => {
    const { api, doc, $, now } = boot(quizPage());
    const submit = $('button[type="submit"]');
    api.clearCalls();

    $('#q-opening-order-a').click();
    submit.click();
    assert.match($('#ladder-result').textContent, /Answer every question.*question 2\./);
    assert.ok(!$('#ladder-result').hidden);
    assert.ok($('#q-script-always').classList.contains('ladder-unanswered'));
    assert.equal(doc.activeElement, $('#q-script-always-t'));
    assert.deepEqual(api.trace(), []);

    now.advance(30_000);
    $('#q-script-always-t').click();
    assert.ok(!$('#q-script-always').classList.contains('ladder-unanswered'));
    now.advance(5_000);
    submit.click();
    assert.equal($('#ladder-result').textContent, 'You scored 50%. Passing score is 80%. You did not pass this time. Read the feedback, then try again.');
    assert.ok($('#ladder-result').classList.contains('ladder-failed'));
    assert.ok($('#q-opening-order').classList.contains('ladder-correct'));
    assert.ok($('#q-script-always').classList.contains('ladder-wrong'));
    assert.ok(!$('#q-script-always-t-feedback').hidden);
    assert.ok($('#q-script-always-f-feedback').hidden);
    assert.ok(doc.querySelectorAll('#ladder-quiz input').every((i) => i.disabled));
    assert.ok(submit.disabled);
    assert.ok(!$('[data-action="retry"]').hidden);
    const latency = api.interactions.map((i) => i.latency);
    assert.deepEqual(latency, ['00:00:00.00', '00:00:30.00']);

    $('[data-action="retry"]').click();
    assert.ok($('[data-action="retry"]').hidden);
    assert.ok($('#ladder-result').hidden);
    assert.ok(doc.querySelectorAll('#ladder-quiz input').every((i) => !i.disabled && !i.checked));
    assert.ok(doc.querySelectorAll('.ladder-feedback').every((p) => p.hidden));
    assert.ok(!$('#q-script-always').classList.contains('ladder-wrong'));
    assert.equal(doc.activeElement, $('#q-opening-order-a'));

    $('#q-opening-order-a').click();
    $('#q-script-always-f').click();
    submit.click();
    assert.match($('#ladder-result').textContent, /^You scored 100%\. Passing score is 80%\. You passed\.$/);
    assert.ok($('[data-action="retry"]').hidden);
    assert.equal(api.values['cmi.core.lesson_status'], 'passed');
    assert.equal(api.values['cmi.suspend_data'], '{"v":1,"a":["a","f"],"t":2}');
    assert.equal(api.interactions.length, 4);
    assert.deepEqual(api.failures(), []);
  });

  test('resume after a fail shows the previous answers, feedback and Try again', () => {
    const { $, doc } = boot(quizPage(), { entry: 'resume', lesson_status: 'failed', lesson_location: 'quiz', suspend_data: '{"v":1,"a":["b","f"],"t":1}' });
    assert.ok($('#q-opening-order-b').checked);
    assert.ok($('#q-script-always-f').checked);
    assert.ok(!$('#q-opening-order-b-feedback').hidden);
    assert.ok($('#q-opening-order').classList.contains('ladder-wrong'));
    assert.match($('#ladder-result').textContent, /You scored 50%/);
    assert.ok(!$('[data-action="retry"]').hidden);
    assert.ok(doc.querySelectorAll('#ladder-quiz input').every((i) => i.disabled));
  });

  test('resume after a pass without suspend data: locked with a message', () => {
    const { $ } = boot(quizPage(), { entry: 'resume', lesson_status: 'passed', lesson_location: 'quiz' });
    assert.equal($('#ladder-result').textContent, 'You have already passed this assessment.');
    assert.ok($('button[type="submit"]').disabled);
    assert.ok($('[data-action="retry"]').hidden);
  });
});

describe('the sample assessment as Ladder renders it (pool of 10, draw 5, shuffled)', () => {
  // The page Swift renders, from the snapshot the Swift tests compare with.
  const SAMPLE = readFileSync(new URL('../LadderKitTests/__Snapshots__/SCOPageSnapshotTests/inform-customers.assessment.html', import.meta.url), 'utf8');
  function seeded(seed) {
    let x = seed;
    return () => { x = (x * 1103515245 + 12345) % 2147483648; return x / 2147483648; };
  }

  test('shows 5 questions in drawn order, options shuffled, feedback only after marking', () => {
    const { api, doc, $, session } = boot(SAMPLE, undefined, { random: seeded(42) });
    const shown = session.view().quiz.questions;
    assert.equal(shown.length, 5);
    const visibleSets = doc.querySelectorAll('.ladder-question').filter(visible);
    assert.deepEqual(visibleSets.map((f) => f.getAttribute('data-question')), shown.map((q) => q.id));
    assert.deepEqual(visibleSets.map((f) => f.querySelector('.ladder-qnum').textContent), ['1.', '2.', '3.', '4.', '5.']);
    assert.equal(doc.querySelectorAll('.ladder-question').length - visibleSets.length, 5, 'the other 5 are hidden');
    for (const q of shown) {
      const order = $('#q-' + q.id).querySelectorAll('.ladder-option input').map((i) => i.value);
      assert.deepEqual(order, q.options);
      assert.ok(q.correct.length >= 1, `the runtime found the key of ${q.id}`);
    }
    assert.ok(doc.querySelectorAll('.ladder-feedback').every((p) => p.textContent === ''), 'no feedback text before marking');
    assert.deepEqual(JSON.parse(api.values['cmi.suspend_data']).q.length, 5);

    for (const q of shown) for (const l of q.correct) $(`#q-${q.id}-${l}`).click();
    $('button[type="submit"]').click();
    assert.match($('#ladder-result').textContent, /^You scored 100%\. Passing score is 80%\. You passed\.$/);
    for (const q of shown) {
      for (const l of q.correct) {
        const fb = $(`#q-${q.id}-${l}-feedback`);
        assert.ok(!fb.hidden);
        assert.match(fb.textContent, /^(Correct|Yes|Right)\./);
      }
    }
    assert.deepEqual(api.interactions.map((i) => i.id), shown.map((q) => q.id));
    assert.ok(api.interactions.every((i) => i.result === 'correct'));
    assert.deepEqual(api.failures(), []);
  });

  test('a failed try, then Try again lays out a new draw; both tries recorded', () => {
    const { api, doc, $, session } = boot(SAMPLE, undefined, { random: seeded(7) });
    const first = session.view().quiz.questions;
    for (const q of first) $(`#q-${q.id}-${q.options.find((l) => !q.correct.includes(l))}`).click();
    $('button[type="submit"]').click();
    assert.match($('#ladder-result').textContent, /^You scored 0%/);
    $('[data-action="retry"]').click();
    const second = session.view().quiz.questions;
    assert.notDeepEqual(second.map((q) => q.id), first.map((q) => q.id));
    assert.deepEqual(doc.querySelectorAll('.ladder-question').filter(visible).map((f) => f.getAttribute('data-question')), second.map((q) => q.id));
    assert.equal(doc.activeElement, $(`#q-${second[0].id}-${second[0].options[0]}`), 'focus on the first option shown');
    for (const q of second) for (const l of q.correct) $(`#q-${q.id}-${l}`).click();
    $('button[type="submit"]').click();
    assert.equal(api.values['cmi.core.lesson_status'], 'passed');
    assert.deepEqual(api.interactions.map((i) => i.id), [...first, ...second].map((q) => q.id));
    assert.deepEqual(api.interactions.map((i) => i.result), [...first.map(() => 'wrong'), ...second.map(() => 'correct')]);
  });
});

describe('shadowing page', () => {
  test('needs observer and date; partial sign-off lists what is missing; full sign-off locks', () => {
    const { api, $, doc } = boot(shadowPage());
    const submit = $('button[type="submit"]');
    api.clearCalls();
    submit.click();
    assert.equal($('#ladder-result').textContent, "Enter the observer's name.");
    assert.equal($('#ladder-observer').getAttribute('aria-invalid'), 'true');
    assert.equal(doc.activeElement, $('#ladder-observer'));
    $('#ladder-observer').value = 'Sam Lee';
    submit.click();
    assert.match($('#ladder-result').textContent, /Enter the date observed/);
    assert.equal(doc.activeElement, $('#ladder-date'));
    assert.deepEqual(api.trace(), []);

    $('#ladder-date').value = '2024-05-01';
    $('#b-opens-with-greeting').click();
    submit.click();
    assert.equal($('#ladder-result').textContent, 'Sign-off recorded by Sam Lee on 2024-05-01: 1 of 2 behaviours. Still to observe: Verifies identity.');
    assert.equal($('#ladder-observer').getAttribute('aria-invalid'), null);
    assert.equal(api.values['cmi.core.lesson_status'], 'incomplete');
    assert.ok(!submit.disabled);

    $('#b-verifies-identity').click();
    submit.click();
    assert.equal($('#ladder-result').textContent, 'Sign-off recorded by Sam Lee on 2024-05-01: all 2 behaviours observed.');
    assert.equal(api.values['cmi.core.lesson_status'], 'completed');
    assert.equal(api.values['cmi.comments'], 'Signed off by Sam Lee on 2024-05-01: 2 of 2 behaviours');
    assert.ok(submit.disabled && $('#ladder-observer').disabled && $('#b-verifies-identity').disabled);
    assert.deepEqual(api.failures(), []);
  });

  test('resume restores boxes, observer and date', () => {
    const { $ } = boot(shadowPage(), { entry: 'resume', lesson_status: 'incomplete', lesson_location: 'signoff',
      suspend_data: '{"v":1,"s":"01","o":"Ana Ruiz","d":"2024-04-30"}' });
    assert.equal($('#b-opens-with-greeting').checked, false);
    assert.equal($('#b-verifies-identity').checked, true);
    assert.equal($('#ladder-observer').value, 'Ana Ruiz');
    assert.equal($('#ladder-date').value, '2024-04-30');
    assert.match($('#ladder-result').textContent, /Still to observe: Opens with the house greeting\./);
  });
});

describe('classic script in a browser-like global', () => {
  test('no module object: defines window.LadderRuntime and starts on DOMContentLoaded, API found in the parent', () => {
    const api = new StrictScorm12API();
    const lms = { API: api };
    lms.parent = lms;
    const win = makeWindow(modulePage());
    win.parent = lms;
    win.top = lms;
    win.document.readyState = 'loading';
    const context = vm.createContext({ window: win, console });
    vm.runInContext(runtimeSource(), context, { filename: 'ladder.js' });
    assert.equal(typeof win.LadderRuntime.createSession, 'function');
    assert.equal(api.calls.length, 0, 'waits for DOMContentLoaded');
    win.document.dispatchEvent(makeEvent('DOMContentLoaded'));
    assert.equal(api.calls[0].fn, 'LMSInitialize');
    assert.equal(win.document.querySelector('.ladder-progress').textContent, 'Page 1 of 3');
    assert.ok(win.LadderRuntime.instance.session);
    assert.deepEqual(api.failures(), []);
  });
});

describe('pages in the curriculum\'s language (Ladder\'s Spanish, French and German snapshot pages)', () => {
  // The sample rendered with `language: es` (and fr, de) by the Swift tests: the runtime's
  // text comes from the page's strings block, never from ladder.js.
  function seeded(seed) {
    let x = seed;
    return () => { x = (x * 1103515245 + 12345) % 2147483648; return x / 2147483648; };
  }

  test('Spanish module: "Página 1 de N", the finish message, the preview notice', () => {
    const { $, session } = boot(snapshotPage('module', 'es'), undefined, { noApi: true });
    const total = session.config.pages;
    assert.ok(total >= 2);
    assert.equal($('.ladder-progress').textContent, `Página 1 de ${total}`);
    assert.equal($('#ladder-notice').textContent,
      'Modo de vista previa: no se ha encontrado ningún sistema de gestión del aprendizaje, así que tu progreso no se está registrando.');
    $('[data-action="next"]').click();
    assert.equal($('.ladder-progress').textContent, `Página 2 de ${total}`);
    for (let p = 2; p < total; p++) $('[data-action="next"]').click();
    $('[data-action="finish"]').click();
    assert.equal($('.ladder-progress').textContent, 'Has terminado. Ya puedes cerrar esta ventana.');
  });

  test('French and German modules: "Page 1 sur N", "Seite 1 von N"', () => {
    const fr = boot(snapshotPage('module', 'fr'));
    assert.equal(fr.$('.ladder-progress').textContent, `Page 1 sur ${fr.session.config.pages}`);
    const de = boot(snapshotPage('module', 'de'));
    assert.equal(de.$('.ladder-progress').textContent, `Seite 1 von ${de.session.config.pages}`);
  });

  test('Spanish quiz: unanswered (plural), score and feedback texts', () => {
    const { $, session } = boot(snapshotPage('assessment', 'es'), undefined, { random: seeded(42) });
    const shown = session.view().quiz.questions;
    $('button[type="submit"]').click();
    const numbers = shown.map((_, i) => i + 1).join(', ');
    assert.equal($('#ladder-result').textContent,
      `Responde a todas las preguntas antes de enviar. Faltan por responder las preguntas ${numbers}.`);
    // All but the last answered: one question left takes the singular.
    const wrong = (q) => $(`#q-${q.id}-${q.options.find((l) => !q.correct.includes(l))}`).click();
    shown.slice(0, -1).forEach(wrong);
    $('button[type="submit"]').click();
    assert.equal($('#ladder-result').textContent,
      `Responde a todas las preguntas antes de enviar. Falta por responder la pregunta ${shown.length}.`);
    wrong(shown[shown.length - 1]);
    $('button[type="submit"]').click();
    assert.equal($('#ladder-result').textContent,
      `Has obtenido un 0\u00a0%. Para aprobar se necesita un ${session.config.mastery}\u00a0%. Esta vez no has aprobado. Lee los comentarios y vuelve a intentarlo.`);
    $('[data-action="retry"]').click();
    for (const q of session.view().quiz.questions) for (const l of q.correct) $(`#q-${q.id}-${l}`).click();
    $('button[type="submit"]').click();
    assert.equal($('#ladder-result').textContent,
      `Has obtenido un 100\u00a0%. Para aprobar se necesita un ${session.config.mastery}\u00a0%. Has aprobado.`);
  });

  test('Spanish sign-off: messages, outcome and the LMS comment, plural by behaviour count', () => {
    const { api, $, session } = boot(snapshotPage('shadowing', 'es'));
    const total = session.config.behaviours.length;
    assert.ok(total >= 2);
    $('button[type="submit"]').click();
    assert.equal($('#ladder-result').textContent, 'Escribe el nombre del observador.');
    $('#ladder-observer').value = 'Ana Ruiz';
    $('button[type="submit"]').click();
    assert.equal($('#ladder-result').textContent, 'Escribe la fecha de la observación (AAAA-MM-DD).');
    $('#ladder-date').value = '2024-05-02';
    for (const b of session.config.behaviours) $('#b-' + b).click();
    $('button[type="submit"]').click();
    assert.equal($('#ladder-result').textContent,
      `Visto bueno registrado por Ana Ruiz el 2024-05-02: se han observado las ${total} conductas.`);
    assert.equal(api.values['cmi.comments'], `Visto bueno de Ana Ruiz el 2024-05-02: ${total} de ${total} conductas`);
  });

  test('no English text in the runtime\'s output: every string shown comes from the block', () => {
    const en = pageStrings('module');
    const es = pageStrings('module', 'es');
    assert.equal(es.lang, 'es');
    assert.deepEqual(Object.keys(es.strings).sort(), Object.keys(en.strings).sort());
    const text = Ladder.makeText(es);
    assert.equal(text('module.progress', { page: 1, total: 3 }), 'Página 1 de 3');
    assert.equal(text('no.such.key'), 'no.such.key', 'a missing key shows as itself, never as English');
    // French takes the singular for 0 as well as 1.
    const fr = Ladder.makeText(pageStrings('assessment', 'fr'));
    assert.equal(fr('quiz.unanswered', { numbers: '1' }, 1), 'Répondez à toutes les questions avant de valider. Question sans réponse\u00a0: 1.');
    assert.equal(fr('quiz.unanswered', { numbers: '1, 2' }, 2), 'Répondez à toutes les questions avant de valider. Questions sans réponse\u00a0: 1, 2.');
    assert.deepEqual(pageStrings('assessment', 'fr').pluralOne, [0, 1]);
    assert.deepEqual(pageStrings('assessment', 'es').pluralOne, [1]);
  });
});
