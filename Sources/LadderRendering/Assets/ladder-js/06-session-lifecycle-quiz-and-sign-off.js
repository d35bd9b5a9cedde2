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

