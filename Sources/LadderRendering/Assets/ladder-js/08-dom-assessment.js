  function bindAssessment(doc, session, main) {
    const form = doc.getElementById('ladder-quiz');
    if (!form) return;
    const retry = main.querySelector('[data-action="retry"]');
    const submit = form.querySelector('button[type="submit"]');
    const fieldsets = Array.prototype.slice.call(form.querySelectorAll('.ladder-question'));
    const byId = {};
    fieldsets.forEach(function (fs) { byId[fs.getAttribute('data-question')] = fs; });
    const result = doc.getElementById('ladder-result');
    const setResult = resultLine(result, ['ladder-passed', 'ladder-failed', 'ladder-error']);

    function inputs(fs) {
      return Array.prototype.slice.call(fs.querySelectorAll('input'));
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

