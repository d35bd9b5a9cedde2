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
    questions: 1000,     // the largest bank (assessment YAML's draw: is at most 1000 too)
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

  // SHA-256 (FIPS 180-4) of a string's UTF-8 bytes, synchronous and in plain JS: the quiz
  // checks answers while the page starts and on submit, where crypto.subtle's promises and
  // its secure-context rule (no file:, no plain http: off localhost) cannot be relied on.
  const SHA_K = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
  ];

  function utf8Bytes(str) {
    const out = [];
    const s = String(str);
    for (let i = 0; i < s.length; i++) {
      let c = s.codePointAt(i);
      if (c > 0xffff) i++;
      if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;  // a lone surrogate, as TextEncoder does
      if (c < 0x80) out.push(c);
      else if (c < 0x800) out.push(0xc0 | c >> 6, 0x80 | c & 63);
      else if (c < 0x10000) out.push(0xe0 | c >> 12, 0x80 | c >> 6 & 63, 0x80 | c & 63);
      else out.push(0xf0 | c >> 18, 0x80 | c >> 12 & 63, 0x80 | c >> 6 & 63, 0x80 | c & 63);
    }
    return out;
  }

  /** SHA-256 of a string (UTF-8) → 32 bytes. */
  function sha256(str) {
    const bytes = utf8Bytes(str);
    const bits = bytes.length * 8;
    bytes.push(0x80);
    while (bytes.length % 64 !== 56) bytes.push(0);
    for (let i = 7; i >= 0; i--) bytes.push(i >= 4 ? 0 : (bits >>> (i * 8)) & 0xff);
    const h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    const w = new Array(64);
    const rotr = function (x, n) { return (x >>> n) | (x << (32 - n)); };
    for (let off = 0; off < bytes.length; off += 64) {
      for (let t = 0; t < 16; t++) {
        const j = off + t * 4;
        w[t] = (bytes[j] << 24 | bytes[j + 1] << 16 | bytes[j + 2] << 8 | bytes[j + 3]) | 0;
      }
      for (let t = 16; t < 64; t++) {
        const s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >>> 3);
        const s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >>> 10);
        w[t] = (w[t - 16] + s0 + w[t - 7] + s1) | 0;
      }
      let a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
      for (let t = 0; t < 64; t++) {
        const t1 = (k + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + SHA_K[t] + w[t]) | 0;
        const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
        k = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
      }
      h[0] = (h[0] + a) | 0; h[1] = (h[1] + b) | 0; h[2] = (h[2] + c) | 0; h[3] = (h[3] + d) | 0;
      h[4] = (h[4] + e) | 0; h[5] = (h[5] + f) | 0; h[6] = (h[6] + g) | 0; h[7] = (h[7] + k) | 0;
    }
    const out = [];
    h.forEach(function (x) { out.push(x >>> 24, x >>> 16 & 0xff, x >>> 8 & 0xff, x & 0xff); });
    return out;
  }

  function hex(bytes) {
    return bytes.map(function (b) { return (b < 16 ? '0' : '') + b.toString(16); }).join('');
  }

  /** The option marker the renderer writes for a correct option (AnswerKey.swift). */
  function optionMarker(salt, questionId, letter) {
    return hex(sha256(salt + ':' + questionId + ':' + letter + ':1')).slice(0, 16);
  }

  /** Opens option feedback sealed by AnswerKey.swift (base64, XOR SHA-256 keystream); '' if unreadable. */
  function openFeedback(sealed, salt, questionId, letter) {
    if (typeof sealed !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(sealed)) return '';
    const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const bytes = [];
    let acc = 0, nbits = 0;
    for (const ch of sealed.replace(/=+$/, '')) {
      acc = (acc << 6) | B64.indexOf(ch);
      nbits += 6;
      if (nbits >= 8) { nbits -= 8; bytes.push((acc >> nbits) & 0xff); }
    }
    let stream = [];
    for (let i = 0; i < bytes.length; i++) {
      if (i % 32 === 0) stream = sha256(salt + ':' + questionId + ':' + letter + ':f:' + (i / 32));
      bytes[i] ^= stream[i % 32];
    }
    try {
      return decodeURIComponent(bytes.map(function (b) { return '%' + (b < 16 ? '0' : '') + b.toString(16); }).join(''));
    } catch (e) {
      return '';
    }
  }

  /**
   * Encodes the SCO state as compact JSON for cmi.suspend_data.
   * Keys, in this order, only when present in `state`: v (always 1), p, q, r, a, t, s, o, d.
   * The result never exceeds 4096 characters: if it would, the answers in "a" are
   * emptied, then the observer in "o"; a Swift-validated package never gets there.
   */
  function encodeSuspend(state) {
    const st = state || {};
    const o = { v: 1 };
    if (st.p != null) o.p = clampInt(st.p, 1, LIMITS.pages, 1);
    if (st.q != null) o.q = (Array.isArray(st.q) ? st.q : []).map(function (x) { return clampInt(x, 0, LIMITS.questions - 1, 0); });
    if (st.r != null) o.r = (Array.isArray(st.r) ? st.r : []).map(function (x) { return String(x == null ? '' : x).replace(/[^a-z]/g, ''); });
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
    if (Array.isArray(raw.q) && raw.q.every(function (x) { return Number.isInteger(x) && x >= 0; })) out.q = raw.q.slice();
    if (Array.isArray(raw.r) && raw.r.every(function (x) { return typeof x === 'string' && /^[a-z]*$/.test(x); })) out.r = raw.r.slice();
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
   * t = 9999; a drawn quiz counts the largest bank indices and the questions with the most
   * options (an upper bound). Shadowing: observer of 64 characters that each JSON-escape to 2.
   */
  function suspendWorstCase(config) {
    const c = normalizeConfig(config);
    if (c.kind === 'module') return encodeSuspend({ p: c.pages }).length;
    if (c.kind === 'assessment') {
      if (!c.draw && !c.shuffle) {
        return JSON.stringify({ v: 1, a: c.questions.map(function (q) { return q.options.join(''); }), t: LIMITS.attempts }).length;
      }
      const m = c.questions.length;
      const n = c.draw || m;
      const widest = c.questions.map(function (q) { return q.options.join(''); })
        .sort(function (x, y) { return y.length - x.length; }).slice(0, n);
      const o = { v: 1 };
      if (c.draw) o.q = widest.map(function (_, i) { return m - 1 - i; });
      if (c.shuffle) o.r = widest;
      o.a = widest;
      o.t = LIMITS.attempts;
      return JSON.stringify(o).length;
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

  /**
   * Normalises the page's strings block (script#ladder-strings, written by Ladder from its
   * catalogue in the curriculum's language): {lang, pluralOne: [counts taking the "one"
   * form], strings: {key: text or {one, other}}}. Never throws.
   */
  function normalizeStrings(raw) {
    const c = raw && typeof raw === 'object' ? raw : {};
    const strings = {};
    const given = c.strings && typeof c.strings === 'object' ? c.strings : {};
    Object.keys(given).forEach(function (key) {
      const v = given[key];
      if (typeof v === 'string') strings[key] = v;
      else if (v && typeof v === 'object' && typeof v.one === 'string' && typeof v.other === 'string') strings[key] = { one: v.one, other: v.other };
    });
    return {
      lang: typeof c.lang === 'string' ? c.lang : '',
      pluralOne: Array.isArray(c.pluralOne) ? c.pluralOne.filter(function (n) { return Number.isInteger(n); }) : [1],
      strings: strings
    };
  }

  /**
   * text(key, values, count) over a strings block: the text (the form `count` takes) with
   * its {placeholders} filled in one pass. The runtime has no text of its own: a key the
   * block lacks shows as the key.
   */
  function makeText(raw) {
    const block = normalizeStrings(raw);
    return function (key, values, count) {
      let entry = Object.prototype.hasOwnProperty.call(block.strings, key) ? block.strings[key] : null;
      if (entry && typeof entry === 'object') entry = block.pluralOne.indexOf(count) >= 0 ? entry.one : entry.other;
      if (typeof entry !== 'string') return key;
      return entry.replace(/\{([A-Za-z]+)\}/g, function (whole, name) {
        return values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
      });
    };
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
      salt: typeof c.salt === 'string' ? c.salt : '',
      draw: 0,
      shuffle: c.shuffle === true,
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
      // The page carries a marker per option (key) and sealed feedback, matched to the raw
      // option letters by position; a hand-written config may still give `correct` plainly.
      const raw = Array.isArray(q.options) ? q.options : [];
      const keyOf = {};
      const feedback = {};
      raw.forEach(function (x, i) {
        if (typeof x !== 'string') return;
        if (Array.isArray(q.key) && typeof q.key[i] === 'string') keyOf[x] = q.key[i];
        if (Array.isArray(q.feedback) && typeof q.feedback[i] === 'string') feedback[x] = openFeedback(q.feedback[i], out.salt, q.id, x);
      });
      const correct = Array.isArray(q.key)
        ? options.filter(function (x) { return keyOf[x] != null && keyOf[x] === optionMarker(out.salt, q.id, x); })
        : options.filter(function (x) { return Array.isArray(q.correct) && q.correct.indexOf(x) >= 0; });
      out.questions.push({
        id: q.id,
        type: trueFalse ? 'true-false' : 'choice',
        multiple: !trueFalse && q.multiple === true,
        options: options,
        correct: correct,
        feedback: feedback
      });
    });
    if (out.questions.length > LIMITS.questions) out.questions.length = LIMITS.questions;
    if (c.draw != null) {
      const d = clampInt(c.draw, 0, out.questions.length, 0);
      out.draw = d >= 1 ? d : 0;
    }
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
      this.text = makeText(opts.strings);
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
      // a pooled quiz (draw and/or shuffle): bank indices shown this try, in order, and
      // each shown question's option letters in display order
      this.pooled = this.kind === 'assessment' && (this.config.draw > 0 || this.config.shuffle);
      this._random = typeof opts.random === 'function' ? opts.random : Math.random;
      this.drawn = this.config.questions.map(function (_, i) { return i; });
      this.order = {};
      this.config.questions.forEach(function (q) { this.order[q.id] = q.options.slice(); }, this);
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
        const shown = this.questions();
        const a = shown.map(function (q) { return answers[q.id] || ''; });
        if (!this.pooled) return { a: a, t: this.attempts };
        const self = this;
        const st = {};
        if (this.config.draw) st.q = this.drawn.slice();
        if (this.config.shuffle) st.r = shown.map(function (q) { return self.order[q.id].join(''); });
        // A pooled quiz keeps answers only for a submitted try: an open try has none yet.
        if (this.quizState === 'submitted') st.a = a;
        st.t = this.attempts;
        return st;
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

    /** Assessment: the questions of this try, in the order shown. */
    questions() {
      const qs = this.config.questions;
      return this.drawn.map(function (i) { return qs[i]; });
    }

    /** A new try's questions: `draw` of the bank at random, options shuffled if asked. */
    _newDraw() {
      const c = this.config;
      const rnd = this._random;
      const pick = function (n) { const k = Math.floor(Number(rnd()) * n); return k >= 0 && k < n ? k : 0; };
      const idx = c.questions.map(function (_, i) { return i; });
      const n = c.draw || idx.length;
      for (let i = 0; i < n; i++) {
        const j = i + pick(idx.length - i);
        const t = idx[i]; idx[i] = idx[j]; idx[j] = t;
      }
      this.drawn = c.draw ? idx.slice(0, n) : c.questions.map(function (_, i) { return i; });
      const order = {};
      c.questions.forEach(function (q) {
        const letters = q.options.slice();
        if (c.shuffle && q.type !== 'true-false') {
          for (let i = letters.length - 1; i > 0; i--) {
            const j = pick(i + 1);
            const t = letters[i]; letters[i] = letters[j]; letters[j] = t;
          }
        }
        order[q.id] = letters;
      });
      this.order = order;
    }

    /** Restores a saved draw (q, r) if it fits this bank; returns whether it did. */
    _restoreDraw(saved) {
      const c = this.config;
      let drawn = c.questions.map(function (_, i) { return i; });
      if (c.draw) {
        if (!Array.isArray(saved.q) || saved.q.length !== c.draw) return false;
        const seen = {};
        if (!saved.q.every(function (i) { const ok = i < c.questions.length && !seen[i]; seen[i] = true; return ok; })) return false;
        drawn = saved.q.slice();
      }
      const order = {};
      c.questions.forEach(function (q) { order[q.id] = q.options.slice(); });
      if (c.shuffle) {
        if (!Array.isArray(saved.r) || saved.r.length !== drawn.length) return false;
        const fits = drawn.every(function (i, k) {
          const q = c.questions[i];
          const letters = saved.r[k].split('');
          if (letters.length !== q.options.length || !q.options.every(function (x) { return letters.indexOf(x) >= 0; })) return false;
          order[q.id] = letters;
          return true;
        });
        if (!fits) return false;
      }
      this.drawn = drawn;
      this.order = order;
      return true;
    }

    /** The answers a saved state holds for the saved try's questions, or null. */
    _savedAnswers(saved) {
      const shown = this.questions();
      if (!(saved.t > 0) || !Array.isArray(saved.a) || saved.a.length !== shown.length) return null;
      const answers = {};
      shown.forEach(function (q, i) { answers[q.id] = normalizeLetters(saved.a[i], q); });
      return answers;
    }

    /** The option feedback for one letter of a question ('' if none). */
    feedbackFor(questionId, letter) {
      const q = this.config.questions.filter(function (x) { return x.id === questionId; })[0];
      return q && q.feedback && typeof q.feedback[letter] === 'string' ? q.feedback[letter] : '';
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
        this.notice = this.text('notice.preview');
      } else if (isTrue(this._call('LMSInitialize', ['']))) {
        this.connected = true;
      } else {
        this._lmsError('LMSInitialize', '', '');
        this.preview = true;
        this.notice = this.text('notice.refused');
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
      let drawNew = false;

      if (this.kind === 'module') {
        const m = /^page-(\d+)$/.exec(location);
        let page = m ? Number(m[1]) : 0;
        if (!(page >= 1 && page <= c.pages)) page = saved.p >= 1 && saved.p <= c.pages ? saved.p : 1;
        this.page = page;
        if (page === c.pages && !isDone(target)) target = 'completed';
        wantLocation = 'page-' + page;
      } else if (this.kind === 'assessment') {
        this.attempts = saved.t || 0;
        const restored = this.pooled && this._restoreDraw(saved);
        const answers = (!this.pooled || restored) ? this._savedAnswers(saved) : null;
        if (this.pooled && !restored && status !== 'passed') {
          // A new try: draw it now and save the draw, so a reload shows the same questions.
          this._newDraw();
          drawNew = true;
        }
        if (answers) {
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
      if (this.kind === 'module' || drawNew) {
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
      if (this.kind === 'assessment' && (!this.pooled || this._restoreDraw(saved))) {
        const answers = this._savedAnswers(saved);
        if (answers) return this._evaluate(answers).passed ? 'passed' : 'failed';
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
      const shown = this.questions();
      shown.forEach(function (q) {
        const chosen = answers[q.id] || '';
        const ok = chosen === q.correct.join('');
        if (ok) correct++;
        results[q.id] = { chosen: chosen, correct: ok };
      });
      const total = shown.length;
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
      const shown = this.questions();
      shown.forEach(function (q) {
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
      shown.forEach(function (q) {
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

    /**
     * Assessment: only after a failed submit. Clears the answers and restarts the latency
     * clock. No LMS call, except that a pooled quiz draws the new try and saves the draw
     * (suspend_data, commit), so a reload shows the same questions.
     */
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
      if (this.pooled) {
        this._newDraw();
        this._set('cmi.suspend_data', this.suspendData());
        this._commit();
      }
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
      this._set('cmi.comments', this.text('shadowing.comment',
        { observer: observer, date: date, signed: signedList.length, total: behaviours.length }, behaviours.length));
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
          questions: this.kind === 'assessment' ? this.questions().map(function (q) {
            return { id: q.id, options: self.order[q.id].slice(), multiple: q.multiple, correct: q.correct.slice() };
          }) : [],
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

  function readConfig(doc, id) {
    const el = doc.getElementById(id || 'ladder-sco');
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
      if (progress) progress.textContent = session.text('module.progress', { page: page, total: total });
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
          progress.textContent = session.text('module.finished');
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
    // Shows this try's questions in their order (a pooled quiz hides the rest), numbers
    // them, and puts each question's options in the order the session chose.
    function layout() {
      const shown = session.view().quiz.questions;
      const on = {};
      shown.forEach(function (q, i) {
        const fs = byId[q.id];
        if (!fs) return;
        on[q.id] = true;
        if (session.pooled && submit && submit.parentNode === form) form.insertBefore(fs, submit);
        const num = fs.querySelector('.ladder-qnum');
        if (num) num.textContent = (i + 1) + '.';
        if (session.config.shuffle) {
          q.options.forEach(function (letter) {
            const input = doc.getElementById(fs.id + '-' + letter);
            const row = input && input.closest ? input.closest('.ladder-option') : null;
            if (row) fs.appendChild(row);
          });
        }
      });
      fieldsets.forEach(function (fs) { fs.hidden = !on[fs.getAttribute('data-question')]; });
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
          if (fb) {
            // Feedback text reaches the page only once its option has been chosen and marked.
            if (i.checked) fb.textContent = session.feedbackFor(qid, i.value);
            fb.hidden = !i.checked;
          }
        });
      });
      if (submit) submit.disabled = true;
      let text;
      if (outcome.raw == null) text = session.text('quiz.alreadyPassed');
      else text = session.text(outcome.passed ? 'quiz.passed' : 'quiz.failed', { score: outcome.raw, mastery: outcome.mastery });
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
        session.view().quiz.questions.forEach(function (q, i) {
          const fs = byId[q.id];
          const bad = r.questions.indexOf(q.id) >= 0;
          if (fs) fs.classList.toggle('ladder-unanswered', bad);
          if (bad) numbers.push(i + 1);
        });
        setResult(session.text(r.reason === 'unanswered' ? 'quiz.unanswered' : 'quiz.oneAnswerOnly', { numbers: numbers.join(', ') }, numbers.length),
          'ladder-error');
        const first = byId[r.questions[0]];
        if (first) focusEl(first.querySelector('input'));
      }
    });
    if (retry) {
      retry.addEventListener('click', function () {
        if (!session.retry().ok) return;
        reset();
        layout();
        const firstQ = byId[(session.view().quiz.questions[0] || {}).id];
        const first = firstQ ? firstQ.querySelector('.ladder-option input') : form.querySelector('input');
        if (first) focusEl(first);
      });
    }

    layout();
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
      const values = { observer: view.signoff.observer, date: view.signoff.date, total: total, signed: total - missing.length, missing: missing.map(labelOf).join('; ') };
      return session.text(missing.length ? 'shadowing.partial' : 'shadowing.complete', values, total);
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
          setResult(session.text('shadowing.needObserver'), 'ladder-error');
          if (observer) { observer.setAttribute('aria-invalid', 'true'); focusEl(observer); }
        } else if (r.reason === 'date') {
          setResult(session.text('shadowing.needDate'), 'ladder-error');
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
   * Wires the runtime to a page built to the Ladder page contract. options: {api, now, warn, random}
   * (api defaults to findAPI(win); pass api: null to force preview). The page's text comes
   * from its strings block (script#ladder-strings). Returns {session} or null when the page
   * carries no config. Never throws.
   */
  function bindDocument(win, options) {
    const opts = options || {};
    const doc = win.document;
    const config = readConfig(doc);
    if (!config) return null;
    const api = Object.prototype.hasOwnProperty.call(opts, 'api') ? opts.api : findAPI(win);
    const strings = readConfig(doc, 'ladder-strings');
    const session = createSession({ api: api, config: config, strings: strings, now: opts.now, warn: opts.warn, random: opts.random });
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
        notice.textContent = session.text('notice.ended');
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
    normalizeStrings: normalizeStrings,
    makeText: makeText,
    checkValue: checkValue,
    formatTimespan: formatTimespan,
    formatTime: formatTime,
    encodeSuspend: encodeSuspend,
    decodeSuspend: decodeSuspend,
    suspendWorstCase: suspendWorstCase,
    sha256Hex: function (s) { return hex(sha256(s)); },
    optionMarker: optionMarker,
    openFeedback: openFeedback,
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
