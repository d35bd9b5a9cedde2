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

