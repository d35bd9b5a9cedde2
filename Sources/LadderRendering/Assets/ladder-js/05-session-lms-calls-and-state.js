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

