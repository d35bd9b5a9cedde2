  function bindShadowing(doc, session, main) {
    const form = doc.getElementById('ladder-signoff');
    if (!form) return;
    const observer = doc.getElementById('ladder-observer');
    const date = doc.getElementById('ladder-date');
    const submit = form.querySelector('button[type="submit"]');
    const boxes = Array.prototype.slice.call(form.querySelectorAll('.ladder-behaviour input'));
    const result = doc.getElementById('ladder-result');
    const setResult = resultLine(result, ['ladder-complete', 'ladder-incomplete', 'ladder-error']);

    function labelOf(id) {
      const box = doc.getElementById('b-' + id);
      const label = box ? form.querySelector('label[for="b-' + id + '"]') : null;
      return label ? String(label.textContent).replace(/\s+/g, ' ').trim() : id;
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

