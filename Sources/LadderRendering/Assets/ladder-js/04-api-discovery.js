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

