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

