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
