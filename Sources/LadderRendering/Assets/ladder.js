/*
 * Ladder SCO runtime (SCORM 1.2).
 *
 * Plain ES2017 classic script: no modules, no dependencies, no build step.
 * The file has two halves:
 *   1. a DOM-free core (helpers + createSession) that node tests load with require();
 *   2. a DOM binding (bindDocument) that wires the core to the page the Swift renderer
 *      produces (see docs/runtime.md for the page contract).
 * In a browser the script starts itself on DOMContentLoaded; under node it only exports.
 */
(function (root) {
  'use strict';

  // ---------------------------------------------------------------------------
  // Limits and vocabularies (SCORM 1.2 run-time environment, data model)
  // ---------------------------------------------------------------------------

  const LIMITS = Object.freeze({
    suspendData: 4096,   // cmi.suspend_data, CMIString4096
    comments: 4096,      // cmi.comments, CMIString4096
    string255: 255,      // CMIString255 (lesson_location), CMIIdentifier, CMIFeedback
    observer: 64,        // observer name, also the input's maxlength
    attempts: 9999,      // suspend_data "t" never exceeds 4 digits
    pages: 9999,
    apiHops: 500
  });

  const LESSON_STATUS = ['passed', 'completed', 'failed', 'incomplete', 'browsed', 'not attempted'];
  const SCO_LESSON_STATUS = ['passed', 'completed', 'failed', 'incomplete', 'browsed'];
  const EXIT = ['time-out', 'suspend', 'logout', ''];
  const INTERACTION_TYPE = ['true-false', 'choice', 'fill-in', 'matching', 'performance', 'sequencing', 'likert', 'numeric'];
  const INTERACTION_RESULT = ['correct', 'wrong', 'unanticipated', 'neutral'];

  const ID_RE = /^[A-Za-z][A-Za-z0-9_-]*$/;
  const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
  const TIMESPAN_RE = /^(\d{2,4}):([0-5]\d):([0-5]\d)(\.\d{1,2})?$/;
  const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d):([0-5]\d)(\.\d{1,2})?$/;
  const DECIMAL_RE = /^-?(\d+(\.\d+)?|\.\d+)$/;
  const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

  const NOTICE_PREVIEW = 'Preview mode: no learning management system was found, so your progress is not being recorded.';
  const NOTICE_REFUSED = 'Preview mode: the learning management system did not start this session, so your progress is not being recorded.';

  // ---------------------------------------------------------------------------
  // Pure helpers
  // ---------------------------------------------------------------------------

  function pad(n, width) {
    return String(n).padStart(width, '0');
  }

  /** Milliseconds → CMITimespan "HH:MM:SS.SS" (2 to 4 hour digits, capped at 9999:59:59.99). */
  function formatTimespan(ms) {
    let cs = Math.round(Number(ms) / 10);
    if (!isFinite(cs) || cs < 0) cs = 0;
    const max = (9999 * 3600 + 59 * 60 + 59) * 100 + 99;
    if (cs > max) cs = max;
    const h = Math.floor(cs / 360000);
    cs -= h * 360000;
    const m = Math.floor(cs / 6000);
    cs -= m * 6000;
    const s = Math.floor(cs / 100);
    cs -= s * 100;
    return pad(h, 2) + ':' + pad(m, 2) + ':' + pad(s, 2) + '.' + pad(cs, 2);
  }

  /** Date or epoch ms → CMITime "HH:MM:SS" on the local clock. */
  function formatTime(date) {
    const d = date instanceof Date ? date : new Date(Number(date));
    if (isNaN(d.getTime())) return '00:00:00';
    return pad(d.getHours(), 2) + ':' + pad(d.getMinutes(), 2) + ':' + pad(d.getSeconds(), 2);
  }

  /** True for a real calendar date written YYYY-MM-DD. */
  function isValidDate(value) {
    const m = DATE_RE.exec(String(value == null ? '' : value));
    if (!m) return false;
    const y = Number(m[1]);
    const mo = Number(m[2]);
    const d = Number(m[3]);
    if (y < 1 || mo < 1 || mo > 12 || d < 1) return false;
    const days = new Date(Date.UTC(2000, mo, 0)).getUTCDate(); // days in month, leap-year agnostic
    if (d > days) return false;
    if (mo === 2 && d === 29) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
    return true;
  }

  /** Removes unpaired UTF-16 surrogates (they cannot be stored or sent safely). */
  function stripLoneSurrogates(s) {
    let out = '';
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0xD800 && c <= 0xDBFF) {
        const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
        if (next >= 0xDC00 && next <= 0xDFFF) {
          out += s.charAt(i) + s.charAt(i + 1);
          i++;
        }
        continue;
      }
      if (c >= 0xDC00 && c <= 0xDFFF) continue;
      out += s.charAt(i);
    }
    return out;
  }

  /** Cuts to at most max UTF-16 code units without splitting a surrogate pair. */
  function truncate(s, max) {
    if (s.length <= max) return s;
    let t = s.slice(0, max);
    const last = t.charCodeAt(t.length - 1);
    if (last >= 0xD800 && last <= 0xDBFF) t = t.slice(0, -1);
    return t;
  }

  /** One line of plain text: no control characters, whitespace collapsed, trimmed, ≤ max code units. */
  function cleanText(value, max) {
    let s = stripLoneSurrogates(String(value == null ? '' : value));
    s = s.replace(/[\u0000-\u001F\u007F-\u009F\s]+/g, ' ').trim();
    return truncate(s, max).trim();
  }

  /**
   * Encodes the SCO state as compact JSON for cmi.suspend_data.
   * Keys, in this order, only when present in `state`: v (always 1), p, a, t, s, o, d.
   * The result never exceeds 4096 characters: if it would, the answers in "a" are
   * emptied, then the observer in "o"; a Swift-validated package never gets there.
   */
  function encodeSuspend(state) {
    const st = state || {};
    const o = { v: 1 };
    if (st.p != null) o.p = clampInt(st.p, 1, LIMITS.pages, 1);
    if (st.a != null) o.a = (Array.isArray(st.a) ? st.a : []).map(function (x) { return String(x == null ? '' : x).replace(/[^a-z]/g, ''); });
    if (st.t != null) o.t = clampInt(st.t, 0, LIMITS.attempts, 0);
    if (st.s != null) o.s = String(st.s).replace(/[^01]/g, '');
    if (st.o != null) o.o = cleanText(st.o, LIMITS.observer);
    if (st.d != null) o.d = isValidDate(st.d) ? String(st.d) : '';
    let str = JSON.stringify(o);
    if (str.length > LIMITS.suspendData && o.a) {
      o.a = o.a.map(function () { return ''; });
      str = JSON.stringify(o);
    }
    if (str.length > LIMITS.suspendData && o.o != null) {
      o.o = '';
      str = JSON.stringify(o);
    }
    if (str.length > LIMITS.suspendData) {
      str = JSON.stringify(o.p != null ? { v: 1, p: o.p } : { v: 1 });
    }
    return str;
  }

  /** Decodes cmi.suspend_data; anything malformed is dropped. Always returns an object with v: 1. */
  function decodeSuspend(str) {
    const out = { v: 1 };
    let raw;
    try {
      raw = JSON.parse(String(str == null ? '' : str));
    } catch (e) {
      return out;
    }
    if (!raw || typeof raw !== 'object' || Array.isArray(raw) || raw.v !== 1) return out;
    if (Number.isInteger(raw.p) && raw.p >= 1) out.p = raw.p;
    if (Array.isArray(raw.a) && raw.a.every(function (x) { return typeof x === 'string' && /^[a-z]*$/.test(x); })) out.a = raw.a.slice();
    if (Number.isInteger(raw.t) && raw.t >= 0) out.t = Math.min(raw.t, LIMITS.attempts);
    if (typeof raw.s === 'string' && /^[01]*$/.test(raw.s)) out.s = raw.s;
    if (typeof raw.o === 'string') out.o = cleanText(raw.o, LIMITS.observer);
    if (typeof raw.d === 'string' && isValidDate(raw.d)) out.d = raw.d;
    return out;
  }

  /**
   * The longest suspend_data a SCO with this config can write (the Swift build checks the
   * same bound). Module: {"v":1,"p":N}. Assessment: every question with every letter and
   * t = 9999. Shadowing: observer of 64 characters that each JSON-escape to 2 (\" or \\).
   */
  function suspendWorstCase(config) {
    const c = normalizeConfig(config);
    if (c.kind === 'module') return encodeSuspend({ p: c.pages }).length;
    if (c.kind === 'assessment') {
      return JSON.stringify({ v: 1, a: c.questions.map(function (q) { return q.options.join(''); }), t: LIMITS.attempts }).length;
    }
    return JSON.stringify({ v: 1, s: c.behaviours.map(function () { return '1'; }).join(''), o: '"'.repeat(LIMITS.observer), d: '2000-01-01' }).length;
  }

  function clampInt(value, min, max, fallback) {
    const n = Math.floor(Number(value));
    if (!isFinite(n)) return fallback;
    return Math.min(max, Math.max(min, n));
  }

  function isTrue(result) {
    return result === true || result === 'true';
  }

  function isDone(status) {
    return status === 'completed' || status === 'passed';
  }

  /**
   * Checks (and where safe, fixes) a value against its SCORM 1.2 data type before it is sent.
   * Returns {ok: true, value} or {ok: false, reason}.
   */
  function checkValue(element, value) {
    if (value == null) return { ok: false, reason: 'no value' };
    let v = String(value);
    const el = String(element);
    const bad = function (reason) { return { ok: false, reason: reason }; };
    const decimal = function (min, max) {
      if (!DECIMAL_RE.test(v)) return bad('not a CMIDecimal');
      const n = Number(v);
      if ((min != null && n < min) || (max != null && n > max)) return bad('out of range');
      return { ok: true, value: v };
    };
    switch (el) {
      case 'cmi.core.lesson_location':
        return { ok: true, value: truncate(stripLoneSurrogates(v), LIMITS.string255) };
      case 'cmi.core.lesson_status':
        return SCO_LESSON_STATUS.indexOf(v) >= 0 ? { ok: true, value: v } : bad('not a lesson_status the SCO may set');
      case 'cmi.core.exit':
        return EXIT.indexOf(v) >= 0 ? { ok: true, value: v } : bad('not an exit value');
      case 'cmi.core.session_time':
        return TIMESPAN_RE.test(v) ? { ok: true, value: v } : bad('not a CMITimespan');
      case 'cmi.core.score.raw':
      case 'cmi.core.score.min':
      case 'cmi.core.score.max':
        return decimal(0, 100);
      case 'cmi.suspend_data':
        v = stripLoneSurrogates(v);
        // Never truncate: cut JSON cannot be read back. encodeSuspend guarantees the limit.
        return v.length <= LIMITS.suspendData ? { ok: true, value: v } : bad('longer than 4096 characters');
      case 'cmi.comments':
        return { ok: true, value: truncate(stripLoneSurrogates(v), LIMITS.comments) };
      default:
        break;
    }
    const m = /^cmi\.interactions\.(\d+)\.(id|type|student_response|result|correct_responses\.\d+\.pattern|latency|time|weighting)$/.exec(el);
    if (!m) return bad('element not written by this runtime');
    switch (m[2]) {
      case 'id':
        return /^[^\s]{1,255}$/.test(v) ? { ok: true, value: v } : bad('not a CMIIdentifier');
      case 'type':
        return INTERACTION_TYPE.indexOf(v) >= 0 ? { ok: true, value: v } : bad('not an interaction type');
      case 'result':
        return INTERACTION_RESULT.indexOf(v) >= 0 || DECIMAL_RE.test(v) ? { ok: true, value: v } : bad('not an interaction result');
      case 'latency':
        return TIMESPAN_RE.test(v) ? { ok: true, value: v } : bad('not a CMITimespan');
      case 'time':
        return TIME_RE.test(v) ? { ok: true, value: v } : bad('not a CMITime');
      case 'weighting':
        return decimal(null, null);
      default: // student_response, correct_responses.n.pattern: CMIFeedback
        return { ok: true, value: truncate(stripLoneSurrogates(v), LIMITS.string255) };
    }
  }

  /** Normalises the JSON config the page carries (script#ladder-sco). Never throws. */
  function normalizeConfig(raw) {
    const c = raw && typeof raw === 'object' ? raw : {};
    const kind = ['module', 'assessment', 'shadowing'].indexOf(c.kind) >= 0 ? c.kind : 'module';
    const out = {
      v: 1,
      kind: kind,
      id: typeof c.id === 'string' ? c.id : '',
      title: typeof c.title === 'string' ? c.title : '',
      pages: clampInt(c.pages, 1, LIMITS.pages, 1),
      mastery: clampInt(c.mastery, 0, 100, 100),
      questions: [],
      behaviours: []
    };
    const seen = {};
    (Array.isArray(c.questions) ? c.questions : []).forEach(function (q) {
      if (!q || typeof q.id !== 'string' || !ID_RE.test(q.id) || q.id.length > 64 || seen['q' + q.id]) return;
      seen['q' + q.id] = true;
      const trueFalse = q.type === 'true-false';
      let options = (Array.isArray(q.options) ? q.options : []).filter(function (x, i, all) {
        return typeof x === 'string' && /^[a-z]$/.test(x) && all.indexOf(x) === i;
      });
      if (trueFalse) options = ['t', 'f'];
      const correct = options.filter(function (x) { return Array.isArray(q.correct) && q.correct.indexOf(x) >= 0; });
      out.questions.push({
        id: q.id,
        type: trueFalse ? 'true-false' : 'choice',
        multiple: !trueFalse && q.multiple === true,
        options: options,
        correct: correct
      });
    });
    (Array.isArray(c.behaviours) ? c.behaviours : []).forEach(function (b) {
      if (typeof b !== 'string' || !ID_RE.test(b) || b.length > 64 || seen['b' + b]) return;
      seen['b' + b] = true;
      out.behaviours.push(b);
    });
    return out;
  }

  /** Letters chosen for a question, in option order, only valid ones, no duplicates. */
  function normalizeLetters(value, question) {
    let list;
    if (Array.isArray(value)) list = value.map(String);
    else if (value == null) list = [];
    else list = String(value).split('');
    return question.options.filter(function (x) { return list.indexOf(x) >= 0; }).join('');
  }

  // ---------------------------------------------------------------------------
  // API discovery
  // ---------------------------------------------------------------------------

  function apiOf(win) {
    try {
      const api = win.API;
      if (api && typeof api === 'object' && typeof api.LMSInitialize === 'function') return api;
    } catch (e) { /* cross-origin frame */ }
    return null;
  }

  function searchUp(win, budget) {
    let w = win;
    while (w && budget.hops <= LIMITS.apiHops) {
      const api = apiOf(w);
      if (api) return api;
      let parent = null;
      try {
        parent = w.parent;
      } catch (e) {
        return null;
      }
      if (!parent || parent === w) return null;
      w = parent;
      budget.hops++;
    }
    return null;
  }

  /**
   * Finds the SCORM 1.2 API object: win and its parents (at most 500 hops), then
   * win.opener and its parents, then win.top.opener and its parents. Returns null if none.
   */
  function findAPI(win) {
    if (!win) return null;
    let api = searchUp(win, { hops: 0 });
    if (api) return api;
    let opener = null;
    try { opener = win.opener; } catch (e) { opener = null; }
    if (opener) {
      api = searchUp(opener, { hops: 0 });
      if (api) return api;
    }
    let topOpener = null;
    try { topOpener = win.top && win.top !== win ? win.top.opener : null; } catch (e) { topOpener = null; }
    if (topOpener && topOpener !== opener) {
      api = searchUp(topOpener, { hops: 0 });
      if (api) return api;
    }
    return null;
  }

  // ---------------------------------------------------------------------------
  // Session: the logic core (no DOM)
  // ---------------------------------------------------------------------------

  class Session {
    constructor(options) {
      const opts = options || {};
      this.config = normalizeConfig(opts.config);
      this.kind = this.config.kind;
      this.api = opts.api && typeof opts.api.LMSInitialize === 'function' ? opts.api : null;
      const now = typeof opts.now === 'function' ? opts.now : Date.now;
      this._now = function () {
        const t = now();
        return t instanceof Date ? t.getTime() : Number(t);
      };
      this._warn = typeof opts.warn === 'function' ? opts.warn : function (msg, detail) {
        if (typeof console !== 'undefined' && console.warn) console.warn(msg, detail);
      };
      this.connected = false;   // LMSInitialize succeeded and LMSFinish not yet called
      this.preview = false;     // no LMS: everything works locally, nothing is recorded
      this.notice = '';
      this.started = false;
      this.finished = false;    // LMSFinish was called (or the preview session was ended)
      this.errors = [];         // {fn, element, value, code, message}
      this.entry = '';
      this.status = 'not attempted';
      this.startTime = 0;
      // module
      this.page = 1;
      // assessment
      this.answers = {};
      this.attempts = 0;
      this.quizState = 'open';  // 'open' | 'submitted'
      this.lastResult = null;
      this.quizStart = 0;
      this.lastChange = {};
      this.interactionCount = 0;
      // shadowing
      this.signed = {};
      this.observer = '';
      this.date = '';
    }

    // --- LMS plumbing -------------------------------------------------------

    _record(fn, element, value, code, message) {
      const err = { fn: fn, element: element, value: value, code: String(code), message: String(message || '') };
      this.errors.push(err);
      try { this._warn('Ladder: ' + fn + (element ? '(' + element + ')' : '') + ' failed: ' + err.code + ' ' + err.message, err); } catch (e) { /* ignore */ }
    }

    _call(fn, args) {
      if (!this.api) return null;
      let f = this.api[fn];
      // An API object with SCORM 2004's name for finish (seen in wagtail-lms's 1.2 player).
      if (typeof f !== 'function' && fn === 'LMSFinish') f = this.api.LMSTerminate;
      if (typeof f !== 'function') return null;
      try {
        return f.apply(this.api, args);
      } catch (e) {
        this._record(fn, args[0], args[1], 'exception', e && e.message ? e.message : String(e));
        return null;
      }
    }

    _lmsError(fn, element, value) {
      const code = this._call('LMSGetLastError', []);
      const message = code != null && String(code) !== '0' ? this._call('LMSGetErrorString', [String(code)]) : '';
      this._record(fn, element, value, code == null ? 'unknown' : code, message);
    }

    _get(element) {
      if (!this.connected) return '';
      const r = this._call('LMSGetValue', [element]);
      return r == null ? '' : String(r);
    }

    _set(element, value) {
      const checked = checkValue(element, value);
      if (!checked.ok) {
        this._record('LMSSetValue', element, value, 'not sent', checked.reason);
        return false;
      }
      if (!this.connected) return false;
      const r = this._call('LMSSetValue', [element, checked.value]);
      if (isTrue(r)) return true;
      this._lmsError('LMSSetValue', element, checked.value);
      return false;
    }

    _commit() {
      if (!this.connected) return false;
      const r = this._call('LMSCommit', ['']);
      if (isTrue(r)) return true;
      this._lmsError('LMSCommit', '', '');
      return false;
    }

    _setStatus(status) {
      this.status = status;
      this._set('cmi.core.lesson_status', status);
    }

    _suspendState() {
      if (this.kind === 'module') return { p: this.page };
      if (this.kind === 'assessment') {
        const answers = this.answers;
        return { a: this.config.questions.map(function (q) { return answers[q.id] || ''; }), t: this.attempts };
      }
      const signed = this.signed;
      return {
        s: this.config.behaviours.map(function (b) { return signed[b] ? '1' : '0'; }).join(''),
        o: this.observer,
        d: this.date
      };
    }

    /** The suspend_data string for the current state (≤ 4096 characters). */
    suspendData() {
      return encodeSuspend(this._suspendState());
    }

    _interactionBase() {
      if (this.connected) {
        const r = this._get('cmi.interactions._count');
        if (/^\d+$/.test(r)) return Number(r);
      }
      return this.interactionCount;
    }

    _interaction(n, fields) {
      const prefix = 'cmi.interactions.' + n + '.';
      for (let i = 0; i < fields.length; i++) this._set(prefix + fields[i][0], fields[i][1]);
    }

    // --- lifecycle ----------------------------------------------------------

    /**
     * Finds nothing itself: uses the api given to createSession. Calls LMSInitialize(""),
     * reads entry, lesson_status, lesson_location and suspend_data, restores the state,
     * marks a first attempt "incomplete" and writes the bookmark. Returns view().
     */
    start() {
      if (this.started) return this.view();
      this.started = true;
      this.startTime = this._now();
      this.quizStart = this.startTime;
      if (!this.api) {
        this.preview = true;
        this.notice = NOTICE_PREVIEW;
      } else if (isTrue(this._call('LMSInitialize', ['']))) {
        this.connected = true;
      } else {
        this._lmsError('LMSInitialize', '', '');
        this.preview = true;
        this.notice = NOTICE_REFUSED;
      }

      let status = '';
      let location = '';
      let suspend = '';
      if (this.connected) {
        this.entry = this._get('cmi.core.entry');
        status = this._get('cmi.core.lesson_status');
        location = this._get('cmi.core.lesson_location');
        suspend = this._get('cmi.suspend_data');
      }
      if (LESSON_STATUS.indexOf(status) < 0) status = '';
      const saved = decodeSuspend(suspend);
      // Some LMS APIs answer "" for lesson_status on relaunch (Open edX's SCORM XBlock drops
      // the value it fetched). Rebuild the status from our own saved state rather than
      // writing "incomplete" over a passed or completed SCO.
      if (status === '') status = this._statusFromSaved(saved);
      const c = this.config;
      let target = status === '' || status === 'not attempted' ? 'incomplete' : status;
      let wantLocation;

      if (this.kind === 'module') {
        const m = /^page-(\d+)$/.exec(location);
        let page = m ? Number(m[1]) : 0;
        if (!(page >= 1 && page <= c.pages)) page = saved.p >= 1 && saved.p <= c.pages ? saved.p : 1;
        this.page = page;
        if (page === c.pages && !isDone(target)) target = 'completed';
        wantLocation = 'page-' + page;
      } else if (this.kind === 'assessment') {
        this.attempts = saved.t || 0;
        const haveAnswers = Array.isArray(saved.a) && saved.a.length === c.questions.length && this.attempts > 0;
        if (haveAnswers) {
          const answers = {};
          c.questions.forEach(function (q, i) { answers[q.id] = normalizeLetters(saved.a[i], q); });
          if (status === 'passed' || status === 'failed') {
            this.answers = answers;
            this.quizState = 'submitted';
            this.lastResult = this._evaluate(answers);
            this.lastResult.passed = status === 'passed';
          }
        } else if (status === 'passed') {
          this.quizState = 'submitted';
          this.lastResult = { raw: null, passed: true, mastery: c.mastery, results: {} };
        }
        wantLocation = 'quiz';
      } else {
        if (typeof saved.s === 'string' && saved.s.length === c.behaviours.length) {
          const signed = {};
          c.behaviours.forEach(function (b, i) { signed[b] = saved.s.charAt(i) === '1'; });
          this.signed = signed;
        }
        this.observer = saved.o || '';
        this.date = saved.d || '';
        wantLocation = 'signoff';
      }

      this.status = status || 'not attempted';
      let dirty = false;
      if (target !== status) {
        this._setStatus(target);
        dirty = true;
      }
      if (location !== wantLocation) {
        this._set('cmi.core.lesson_location', wantLocation);
        dirty = true;
      }
      if (this.kind === 'module') {
        const data = this.suspendData();
        if (data !== suspend) {
          this._set('cmi.suspend_data', data);
          dirty = true;
        }
      }
      if (dirty) this._commit();
      return this.view();
    }

    /** Module: shows page k (1..N). Bookmarks lesson_location + suspend_data, completes on page N, commits. */
    showPage(k) {
      if (this.kind !== 'module') return { ok: false, reason: 'kind' };
      const page = Number(k);
      if (!Number.isInteger(page) || page < 1 || page > this.config.pages) return { ok: false, reason: 'range' };
      if (page === this.page) return { ok: true, page: page, changed: false };
      this.page = page;
      this._set('cmi.core.lesson_location', 'page-' + page);
      this._set('cmi.suspend_data', this.suspendData());
      if (page === this.config.pages && !isDone(this.status)) this._setStatus('completed');
      this._commit();
      return { ok: true, page: page, changed: true };
    }

    /** Assessment: records that the learner changed the answer to a question (for latency). */
    noteAnswer(questionId) {
      if (this.kind !== 'assessment' || this.quizState !== 'open') return;
      this.lastChange[questionId] = this._now();
    }

    /** The status our suspend data implies: a scored quiz attempt, or a full sign-off. */
    _statusFromSaved(saved) {
      const c = this.config;
      if (this.kind === 'assessment' && saved.t > 0 && Array.isArray(saved.a) && saved.a.length === c.questions.length) {
        const answers = {};
        c.questions.forEach(function (q, i) { answers[q.id] = normalizeLetters(saved.a[i], q); });
        return this._evaluate(answers).passed ? 'passed' : 'failed';
      }
      if (this.kind === 'shadowing' && typeof saved.s === 'string' && saved.s.length === c.behaviours.length &&
          c.behaviours.length > 0 && saved.s.indexOf('0') < 0) {
        return 'completed';
      }
      return '';
    }

    _evaluate(answers) {
      const c = this.config;
      const results = {};
      let correct = 0;
      c.questions.forEach(function (q) {
        const chosen = answers[q.id] || '';
        const ok = chosen === q.correct.join('');
        if (ok) correct++;
        results[q.id] = { chosen: chosen, correct: ok };
      });
      const total = c.questions.length;
      const raw = total ? Math.round(100 * correct / total) : 0;
      return { raw: raw, passed: raw >= c.mastery, mastery: c.mastery, correctCount: correct, total: total, results: results };
    }

    /**
     * Assessment: answersByQuestionId maps question id → chosen letters ("ac" or ["a","c"]).
     * Unanswered or invalid → {ok:false, reason, questions} and nothing is sent.
     * Otherwise appends one interaction per question, sets the score and passed/failed,
     * suspend_data, commits, and returns {ok:true, raw, passed, mastery, attempt, results}.
     */
    submitQuiz(answersByQuestionId) {
      if (this.kind !== 'assessment') return { ok: false, reason: 'kind', questions: [] };
      if (this.quizState !== 'open') return { ok: false, reason: 'locked', questions: [] };
      const input = answersByQuestionId || {};
      const c = this.config;
      const answers = {};
      const missing = [];
      const invalid = [];
      c.questions.forEach(function (q) {
        const letters = normalizeLetters(input[q.id], q);
        answers[q.id] = letters;
        if (!letters) missing.push(q.id);
        else if (!q.multiple && letters.length > 1) invalid.push(q.id);
      });
      if (missing.length) return { ok: false, reason: 'unanswered', questions: missing };
      if (invalid.length) return { ok: false, reason: 'invalid', questions: invalid };

      const submitted = this._now();
      const result = this._evaluate(answers);
      if (this.status === 'passed') result.passed = true;
      this.answers = answers;
      this.attempts = Math.min(this.attempts + 1, LIMITS.attempts);
      this.quizState = 'submitted';
      this.lastResult = result;

      let n = this._interactionBase();
      const self = this;
      c.questions.forEach(function (q) {
        const changed = self.lastChange[q.id] != null ? self.lastChange[q.id] : submitted;
        const chosen = answers[q.id];
        self._interaction(n, [
          ['id', q.id],
          ['type', q.type],
          ['student_response', chosen.split('').join(',')],
          ['result', result.results[q.id].correct ? 'correct' : 'wrong'],
          ['correct_responses.0.pattern', q.correct.join(',')],
          ['latency', formatTimespan(Math.max(0, changed - self.quizStart))],
          ['time', formatTime(changed)],
          ['weighting', '1']
        ]);
        n++;
      });
      this.interactionCount = n;
      this._set('cmi.core.score.min', '0');
      this._set('cmi.core.score.max', '100');
      this._set('cmi.core.score.raw', String(result.raw));
      this._setStatus(result.passed ? 'passed' : 'failed');
      this._set('cmi.suspend_data', this.suspendData());
      this._commit();
      return { ok: true, raw: result.raw, passed: result.passed, mastery: result.mastery, attempt: this.attempts, results: result.results };
    }

    /** Assessment: only after a failed submit. Clears the answers and restarts the latency clock. No LMS call. */
    retry() {
      if (this.kind !== 'assessment') return { ok: false, reason: 'kind' };
      if (this.quizState !== 'submitted' || this.status === 'passed' || !this.lastResult || this.lastResult.passed) {
        return { ok: false, reason: 'not-allowed' };
      }
      this.quizState = 'open';
      this.answers = {};
      this.lastChange = {};
      this.lastResult = null;
      this.quizStart = this._now();
      return { ok: true };
    }

    /**
     * Shadowing: {signed: [behaviour ids], observer, date "YYYY-MM-DD"}.
     * Missing observer/date → {ok:false, reason:'observer'|'date'} and nothing is sent.
     * Otherwise one interaction per behaviour, cmi.comments, completed (all signed) or
     * incomplete, suspend_data, commit. Returns {ok, complete, count, total, signed, missing}.
     */
    signOff(input) {
      if (this.kind !== 'shadowing') return { ok: false, reason: 'kind' };
      if (isDone(this.status)) return { ok: false, reason: 'locked' };
      const data = input || {};
      const observer = cleanText(data.observer, LIMITS.observer);
      if (!observer) return { ok: false, reason: 'observer' };
      const date = String(data.date == null ? '' : data.date).trim();
      if (!isValidDate(date)) return { ok: false, reason: 'date' };
      const chosen = Array.isArray(data.signed) ? data.signed.map(String) : [];
      const behaviours = this.config.behaviours;
      const signed = {};
      behaviours.forEach(function (b) { signed[b] = chosen.indexOf(b) >= 0; });
      const signedList = behaviours.filter(function (b) { return signed[b]; });
      const missing = behaviours.filter(function (b) { return !signed[b]; });
      const complete = missing.length === 0;
      this.signed = signed;
      this.observer = observer;
      this.date = date;

      const at = formatTime(this._now());
      let n = this._interactionBase();
      const self = this;
      behaviours.forEach(function (b) {
        self._interaction(n, [
          ['id', b],
          ['type', 'performance'],
          ['student_response', signed[b] ? 'signed' : 'not-observed'],
          ['result', signed[b] ? 'correct' : 'neutral'],
          ['time', at]
        ]);
        n++;
      });
      this.interactionCount = n;
      this._set('cmi.comments', 'Signed off by ' + observer + ' on ' + date + ': ' + signedList.length + ' of ' + behaviours.length + ' behaviours');
      this._setStatus(complete ? 'completed' : 'incomplete');
      this._set('cmi.suspend_data', this.suspendData());
      this._commit();
      return { ok: true, complete: complete, count: signedList.length, total: behaviours.length, signed: signedList, missing: missing };
    }

    _exitValue() {
      return isDone(this.status) ? '' : 'suspend';
    }

    /** visibilitychange → hidden: session_time, exit, LMSCommit. No LMSFinish. */
    hide() {
      if (!this.connected) return false;
      this._set('cmi.core.session_time', formatTimespan(this._now() - this.startTime));
      this._set('cmi.core.exit', this._exitValue());
      this._commit();
      return true;
    }

    _terminate() {
      if (this.finished) return false;
      this.finished = true;
      if (!this.connected) return false;
      this._set('cmi.core.session_time', formatTimespan(this._now() - this.startTime));
      this._set('cmi.core.exit', this._exitValue());
      this._commit();
      const r = this._call('LMSFinish', ['']);
      if (!isTrue(r)) this._lmsError('LMSFinish', '', '');
      this.connected = false; // no API call after LMSFinish
      return true;
    }

    /** pagehide (or beforeunload fallback): session_time, exit, LMSCommit, LMSFinish, exactly once. */
    pageHide() {
      return this._terminate();
    }

    /** The module's Finish button: same as pageHide; exit is "" once completed. */
    finish() {
      this._terminate();
      return { ok: true, status: this.status };
    }

    /** A snapshot of the state for the DOM layer (and tests). */
    view() {
      const self = this;
      const signed = {};
      this.config.behaviours.forEach(function (b) { signed[b] = !!self.signed[b]; });
      return {
        kind: this.kind,
        preview: this.preview,
        notice: this.notice,
        connected: this.connected,
        finished: this.finished,
        status: this.status,
        entry: this.entry,
        page: this.page,
        pages: this.config.pages,
        quiz: {
          state: this.quizState,
          attempts: this.attempts,
          answers: Object.assign({}, this.answers),
          result: this.lastResult,
          canRetry: this.quizState === 'submitted' && this.status !== 'passed' && !!this.lastResult && !this.lastResult.passed
        },
        signoff: {
          signed: signed,
          observer: this.observer,
          date: this.date,
          complete: this.kind === 'shadowing' && isDone(this.status)
        },
        suspendData: this.suspendData()
      };
    }
  }

  function createSession(options) {
    return new Session(options);
  }

  // ---------------------------------------------------------------------------
  // DOM binding (browser only; relies on the page contract in docs/runtime.md)
  // ---------------------------------------------------------------------------

  function readConfig(doc) {
    const el = doc.getElementById('ladder-sco');
    if (!el) return null;
    try {
      return JSON.parse(el.textContent);
    } catch (e) {
      return null;
    }
  }

  function each(list, fn) {
    Array.prototype.forEach.call(list || [], fn);
  }

  function focusEl(el) {
    if (!el) return;
    if (!el.hasAttribute('tabindex') && !/^(INPUT|BUTTON|SELECT|TEXTAREA|A)$/.test(el.tagName)) el.setAttribute('tabindex', '-1');
    try { el.focus(); } catch (e) { /* ignore */ }
  }

  function bindModule(doc, session, main) {
    const sections = Array.prototype.slice.call(main.querySelectorAll('.ladder-page'));
    const nav = main.querySelector('.ladder-nav');
    if (!sections.length || !nav) return;
    const prev = nav.querySelector('[data-action="prev"]');
    const next = nav.querySelector('[data-action="next"]');
    const fin = nav.querySelector('[data-action="finish"]');
    const progress = nav.querySelector('.ladder-progress');
    const total = session.config.pages;

    function render(moveFocus) {
      const page = session.page;
      let current = null;
      sections.forEach(function (s) {
        const on = Number(s.getAttribute('data-page')) === page;
        s.hidden = !on;
        if (on) current = s;
      });
      if (progress) progress.textContent = 'Page ' + page + ' of ' + total;
      if (prev) prev.hidden = page <= 1;
      if (next) next.hidden = page >= total;
      if (fin) fin.hidden = page !== total;
      if (moveFocus && current) focusEl(doc.getElementById('page-' + page + '-title') || current.querySelector('h2') || current);
    }

    function go(delta) {
      if (session.finished) return;
      const r = session.showPage(session.page + delta);
      if (r.ok) render(true);
    }

    if (prev) prev.addEventListener('click', function () { go(-1); });
    if (next) next.addEventListener('click', function () { go(1); });
    if (fin) {
      fin.addEventListener('click', function () {
        session.finish();
        [prev, next, fin].forEach(function (b) { if (b) b.hidden = true; });
        if (progress) {
          progress.textContent = 'You have finished. You can close this window.';
          focusEl(progress);
        }
      });
    }
    render(false);
  }

  function bindAssessment(doc, session, main) {
    const form = doc.getElementById('ladder-quiz');
    if (!form) return;
    const result = doc.getElementById('ladder-result');
    const retry = main.querySelector('[data-action="retry"]');
    const submit = form.querySelector('button[type="submit"]');
    const fieldsets = Array.prototype.slice.call(form.querySelectorAll('.ladder-question'));
    const byId = {};
    fieldsets.forEach(function (fs) { byId[fs.getAttribute('data-question')] = fs; });

    function inputs(fs) {
      return Array.prototype.slice.call(fs.querySelectorAll('input'));
    }
    function setResult(text, cls) {
      if (!result) return;
      result.textContent = text;
      result.classList.remove('ladder-passed', 'ladder-failed', 'ladder-error');
      if (cls) result.classList.add(cls);
      result.hidden = !text;
    }
    function reset() {
      fieldsets.forEach(function (fs) {
        fs.classList.remove('ladder-correct', 'ladder-wrong', 'ladder-unanswered');
        inputs(fs).forEach(function (i) { i.checked = false; i.disabled = false; });
        each(fs.querySelectorAll('.ladder-feedback'), function (p) { p.hidden = true; });
      });
      if (submit) submit.disabled = false;
      if (retry) retry.hidden = true;
      setResult('', null);
    }
    function showOutcome(answers, outcome) {
      fieldsets.forEach(function (fs) {
        const qid = fs.getAttribute('data-question');
        const chosen = answers[qid] || '';
        const r = outcome.results ? outcome.results[qid] : null;
        fs.classList.remove('ladder-unanswered', 'ladder-correct', 'ladder-wrong');
        if (r) fs.classList.add(r.correct ? 'ladder-correct' : 'ladder-wrong');
        inputs(fs).forEach(function (i) {
          i.checked = chosen.indexOf(i.value) >= 0;
          i.disabled = true;
          const fb = doc.getElementById(i.id + '-feedback');
          if (fb) fb.hidden = !i.checked;
        });
      });
      if (submit) submit.disabled = true;
      let text;
      if (outcome.raw == null) text = 'You have already passed this assessment.';
      else {
        text = 'You scored ' + outcome.raw + '%. Passing score is ' + outcome.mastery + '%. ' +
          (outcome.passed ? 'You passed.' : 'You did not pass this time. Read the feedback, then try again.');
      }
      setResult(text, outcome.passed ? 'ladder-passed' : 'ladder-failed');
      if (retry) retry.hidden = !!outcome.passed;
    }

    form.addEventListener('change', function (e) {
      const fs = e.target && e.target.closest ? e.target.closest('.ladder-question') : null;
      if (!fs) return;
      fs.classList.remove('ladder-unanswered');
      session.noteAnswer(fs.getAttribute('data-question'));
    });
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      const answers = {};
      fieldsets.forEach(function (fs) {
        answers[fs.getAttribute('data-question')] = inputs(fs).filter(function (i) { return i.checked; }).map(function (i) { return i.value; });
      });
      const r = session.submitQuiz(answers);
      if (r.ok) {
        showOutcome(session.answers, r);
        if (result) focusEl(result);
        return;
      }
      if (r.reason === 'unanswered' || r.reason === 'invalid') {
        const numbers = [];
        fieldsets.forEach(function (fs, i) {
          const bad = r.questions.indexOf(fs.getAttribute('data-question')) >= 0;
          fs.classList.toggle('ladder-unanswered', bad);
          if (bad) numbers.push(i + 1);
        });
        setResult((r.reason === 'unanswered' ? 'Answer every question before submitting. Not answered yet: question ' : 'Choose one answer only for question ') +
          numbers.join(', ') + '.', 'ladder-error');
        const first = byId[r.questions[0]];
        if (first) focusEl(first.querySelector('input'));
      }
    });
    if (retry) {
      retry.addEventListener('click', function () {
        if (!session.retry().ok) return;
        reset();
        const first = form.querySelector('input');
        if (first) focusEl(first);
      });
    }

    const view = session.view();
    if (view.quiz.state === 'submitted' && view.quiz.result) showOutcome(view.quiz.answers, view.quiz.result);
  }

  function bindShadowing(doc, session, main) {
    const form = doc.getElementById('ladder-signoff');
    if (!form) return;
    const result = doc.getElementById('ladder-result');
    const observer = doc.getElementById('ladder-observer');
    const date = doc.getElementById('ladder-date');
    const submit = form.querySelector('button[type="submit"]');
    const boxes = Array.prototype.slice.call(form.querySelectorAll('.ladder-behaviour input'));

    function labelOf(id) {
      const box = doc.getElementById('b-' + id);
      const label = box ? form.querySelector('label[for="b-' + id + '"]') : null;
      return label ? String(label.textContent).replace(/\s+/g, ' ').trim() : id;
    }
    function setResult(text, cls) {
      if (!result) return;
      result.textContent = text;
      result.classList.remove('ladder-complete', 'ladder-incomplete', 'ladder-error');
      if (cls) result.classList.add(cls);
      result.hidden = !text;
    }
    function lock() {
      boxes.forEach(function (b) { b.disabled = true; });
      if (observer) observer.disabled = true;
      if (date) date.disabled = true;
      if (submit) submit.disabled = true;
    }
    function outcomeText(view) {
      const total = session.config.behaviours.length;
      const missing = session.config.behaviours.filter(function (b) { return !view.signoff.signed[b]; });
      const head = 'Sign-off recorded by ' + view.signoff.observer + ' on ' + view.signoff.date + ': ';
      if (!missing.length) return head + 'all ' + total + ' behaviours observed.';
      return head + (total - missing.length) + ' of ' + total + ' behaviours. Still to observe: ' + missing.map(labelOf).join('; ') + '.';
    }

    form.addEventListener('submit', function (e) {
      e.preventDefault();
      const r = session.signOff({
        signed: boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; }),
        observer: observer ? observer.value : '',
        date: date ? date.value : ''
      });
      if (observer) observer.removeAttribute('aria-invalid');
      if (date) date.removeAttribute('aria-invalid');
      if (!r.ok) {
        if (r.reason === 'observer') {
          setResult("Enter the observer's name.", 'ladder-error');
          if (observer) { observer.setAttribute('aria-invalid', 'true'); focusEl(observer); }
        } else if (r.reason === 'date') {
          setResult('Enter the date observed (YYYY-MM-DD).', 'ladder-error');
          if (date) { date.setAttribute('aria-invalid', 'true'); focusEl(date); }
        }
        return;
      }
      const view = session.view();
      if (observer) observer.value = view.signoff.observer;
      setResult(outcomeText(view), r.complete ? 'ladder-complete' : 'ladder-incomplete');
      if (r.complete) lock();
      if (result) focusEl(result);
    });

    const view = session.view();
    boxes.forEach(function (b) { b.checked = !!view.signoff.signed[b.value]; });
    if (observer && view.signoff.observer) observer.value = view.signoff.observer;
    if (date && view.signoff.date) date.value = view.signoff.date;
    if (view.signoff.observer && view.signoff.date) setResult(outcomeText(view), view.signoff.complete ? 'ladder-complete' : 'ladder-incomplete');
    if (view.signoff.complete) lock();
  }

  /**
   * Wires the runtime to a page built to the Ladder page contract. options: {api, now, warn}
   * (api defaults to findAPI(win); pass api: null to force preview). Returns {session} or null
   * when the page carries no config. Never throws.
   */
  function bindDocument(win, options) {
    const opts = options || {};
    const doc = win.document;
    const config = readConfig(doc);
    if (!config) return null;
    const api = Object.prototype.hasOwnProperty.call(opts, 'api') ? opts.api : findAPI(win);
    const session = createSession({ api: api, config: config, now: opts.now, warn: opts.warn });
    session.start();

    if (doc.body) doc.body.classList.add('ladder-js');
    const notice = doc.getElementById('ladder-notice');
    if (session.preview && notice) {
      notice.textContent = session.notice;
      notice.hidden = false;
    }
    const main = doc.getElementById('ladder-main') || doc.body;
    try {
      if (session.kind === 'module') bindModule(doc, session, main);
      else if (session.kind === 'assessment') bindAssessment(doc, session, main);
      else bindShadowing(doc, session, main);
    } catch (e) {
      session._record('bind', '', '', 'exception', e && e.message ? e.message : String(e));
    }

    let pagehideFired = false;
    doc.addEventListener('visibilitychange', function () {
      if (doc.visibilityState === 'hidden') session.hide();
    });
    win.addEventListener('pagehide', function () {
      pagehideFired = true;
      session.pageHide();
    });
    if (!('onpagehide' in win)) {
      win.addEventListener('beforeunload', function () {
        if (!pagehideFired) session.pageHide();
      });
    }
    win.addEventListener('pageshow', function (e) {
      // Back from the back/forward cache after LMSFinish: nothing more can be recorded.
      if (e && e.persisted && session.finished && !session.preview && notice) {
        notice.textContent = 'This session has ended and your progress was saved. Reopen this activity from your learning management system to continue.';
        notice.hidden = false;
      }
    });
    return { session: session };
  }

  // ---------------------------------------------------------------------------
  // Exports / auto-start
  // ---------------------------------------------------------------------------

  const LadderRuntime = {
    version: 1,
    LIMITS: LIMITS,
    findAPI: findAPI,
    createSession: createSession,
    Session: Session,
    bindDocument: bindDocument,
    normalizeConfig: normalizeConfig,
    checkValue: checkValue,
    formatTimespan: formatTimespan,
    formatTime: formatTime,
    encodeSuspend: encodeSuspend,
    decodeSuspend: decodeSuspend,
    suspendWorstCase: suspendWorstCase,
    cleanText: cleanText,
    isValidDate: isValidDate
  };

  if (typeof module !== 'undefined' && module.exports) {
    module.exports = LadderRuntime;
  } else if (root && root.document) {
    root.LadderRuntime = LadderRuntime;
    const boot = function () {
      try {
        root.LadderRuntime.instance = bindDocument(root);
      } catch (e) {
        if (typeof console !== 'undefined' && console.warn) console.warn('Ladder: could not start', e);
      }
    };
    if (root.document.readyState === 'loading') root.document.addEventListener('DOMContentLoaded', boot);
    else boot();
  }
})(typeof window !== 'undefined' ? window : this);
