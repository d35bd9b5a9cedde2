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

  // The line that reports a quiz's or a sign-off's outcome: setResult(text, cls) shows text
  // with cls, one of classes (null for none), and hides the line while text is empty.
  function resultLine(result, classes) {
    return function setResult(text, cls) {
      if (!result) return;
      result.textContent = text;
      result.classList.remove.apply(result.classList, classes);
      if (cls) result.classList.add(cls);
      result.hidden = !text;
    };
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

