// A SCORM 1.2 API object (window.API) for tests, as strict as a conformant LMS.
//
// Error codes (SCORM 1.2 RTE): 0 no error, 101 general exception, 201 invalid argument,
// 202 element cannot have children, 203 element not an array (cannot have count),
// 301 not initialized, 401 not implemented, 402 invalid set value (element is a keyword),
// 403 element is read only, 404 element is write only, 405 incorrect data type.
//
// Choices where the specification leaves room, made strictly:
// - Initialize/Finish/Commit take exactly "" (anything else, even undefined: 201).
// - LMSInitialize twice, or after LMSFinish: 101. LMSFinish twice: 101.
//   LMSGetValue/LMSSetValue/LMSCommit before LMSInitialize or after LMSFinish: 301.
// - Setting a keyword (*._children, *._count) is 402, as the 1.2 error table says;
//   every other read-only element is 403.
// - An element name not starting with "cmi." or with an unknown "_keyword" segment: 201.
//   A well-formed "cmi." name the data model does not define: 401.
// - Indexed elements are appended in order: n must be the current count (append) or an
//   existing index, else 405 on set and 201 on get. Same for correct_responses.m and
//   interactions.n.objectives.m.
// - Values must be JavaScript strings (405 otherwise), and match the element's data type.
// - student_response and correct_responses patterns are checked against the interaction's
//   type once the type is known (true-false: 0|1|t|f; choice: letters/digits joined by ",",
//   optionally in {}; numeric: CMIDecimal; otherwise CMIFeedback ≤ 255).
// - cmi.comments replaces by default; `appendComments: true` models LMSs that append.

const ERROR_STRINGS = {
  '0': 'No error',
  '101': 'General exception',
  '201': 'Invalid argument error',
  '202': 'Element cannot have children',
  '203': 'Element not an array - cannot have count',
  '301': 'Not initialized',
  '401': 'Not implemented error',
  '402': 'Invalid set value, element is a keyword',
  '403': 'Element is read only',
  '404': 'Element is write only',
  '405': 'Incorrect data type',
};

const STATUS = ['passed', 'completed', 'failed', 'incomplete', 'browsed', 'not attempted'];
const SCO_STATUS = ['passed', 'completed', 'failed', 'incomplete', 'browsed'];
const EXIT = ['time-out', 'suspend', 'logout', ''];
const ENTRY = ['ab-initio', 'resume', ''];
const CREDIT = ['credit', 'no-credit'];
const LESSON_MODE = ['browse', 'normal', 'review'];
const TIME_LIMIT_ACTION = ['exit,message', 'exit,no message', 'continue,message', 'continue,no message', ''];
const INTERACTION_TYPE = ['true-false', 'choice', 'fill-in', 'matching', 'performance', 'sequencing', 'likert', 'numeric'];
const INTERACTION_RESULT = ['correct', 'wrong', 'unanticipated', 'neutral'];

const CHILDREN = {
  'cmi.core': 'student_id,student_name,lesson_location,credit,lesson_status,entry,score,total_time,lesson_mode,exit,session_time',
  'cmi.core.score': 'raw,min,max',
  'cmi.objectives': 'id,score,status',
  'cmi.objectives.n.score': 'raw,min,max',
  'cmi.student_data': 'mastery_score,max_time_allowed,time_limit_action',
  'cmi.student_preference': 'audio,language,speed,text',
  'cmi.interactions': 'id,objectives,time,type,correct_responses,weighting,student_response,result,latency',
};

// ---- data types -------------------------------------------------------------

const isDecimal = (v) => /^-?(\d+(\.\d+)?|\.\d+)$/.test(v);
const T = {
  string255: (v) => v.length <= 255,
  string4096: (v) => v.length <= 4096,
  identifier: (v) => /^\S{1,255}$/.test(v),
  feedback: (v) => v.length <= 255,
  decimal: (v) => isDecimal(v),
  score: (v) => v === '' || (isDecimal(v) && Number(v) >= 0 && Number(v) <= 100),
  timespan: (v) => /^\d{2,4}:[0-5]\d:[0-5]\d(\.\d{1,2})?$/.test(v),
  time: (v) => /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,2})?$/.test(v),
  sinteger: (min, max) => (v) => /^-?\d+$/.test(v) && Number(v) >= min && Number(v) <= max,
  vocab: (list) => (v) => list.includes(v),
  result: (v) => INTERACTION_RESULT.includes(v) || isDecimal(v),
};

function responseValid(type, v) {
  if (v.length > 255) return false;
  switch (type) {
    case 'true-false': return /^[01tf]$/.test(v);
    case 'choice': {
      const inner = /^\{.*\}$/.test(v) ? v.slice(1, -1) : v;
      return inner === '' || /^[0-9a-z](,[0-9a-z])*$/.test(inner);
    }
    case 'numeric': return isDecimal(v);
    default: return true;
  }
}

// ---- the data model -----------------------------------------------------------
// access: ro | rw | wo | keyword. Keys use "n" for an index.

const MODEL = {
  'cmi.core._children': { access: 'keyword' },
  'cmi.core.student_id': { access: 'ro' },
  'cmi.core.student_name': { access: 'ro' },
  'cmi.core.lesson_location': { access: 'rw', type: T.string255 },
  'cmi.core.credit': { access: 'ro' },
  'cmi.core.lesson_status': { access: 'rw', type: T.vocab(SCO_STATUS) },
  'cmi.core.entry': { access: 'ro' },
  'cmi.core.score._children': { access: 'keyword' },
  'cmi.core.score.raw': { access: 'rw', type: T.score },
  'cmi.core.score.min': { access: 'rw', type: T.score },
  'cmi.core.score.max': { access: 'rw', type: T.score },
  'cmi.core.total_time': { access: 'ro' },
  'cmi.core.lesson_mode': { access: 'ro' },
  'cmi.core.exit': { access: 'wo', type: T.vocab(EXIT) },
  'cmi.core.session_time': { access: 'wo', type: T.timespan },
  'cmi.suspend_data': { access: 'rw', type: T.string4096 },
  'cmi.launch_data': { access: 'ro' },
  'cmi.comments': { access: 'rw', type: T.string4096 },
  'cmi.comments_from_lms': { access: 'ro' },
  'cmi.objectives._children': { access: 'keyword' },
  'cmi.objectives._count': { access: 'keyword' },
  'cmi.objectives.n.id': { access: 'rw', type: T.identifier },
  'cmi.objectives.n.score._children': { access: 'keyword' },
  'cmi.objectives.n.score.raw': { access: 'rw', type: T.score },
  'cmi.objectives.n.score.min': { access: 'rw', type: T.score },
  'cmi.objectives.n.score.max': { access: 'rw', type: T.score },
  'cmi.objectives.n.status': { access: 'rw', type: T.vocab(STATUS) },
  'cmi.student_data._children': { access: 'keyword' },
  'cmi.student_data.mastery_score': { access: 'ro' },
  'cmi.student_data.max_time_allowed': { access: 'ro' },
  'cmi.student_data.time_limit_action': { access: 'ro' },
  'cmi.student_preference._children': { access: 'keyword' },
  'cmi.student_preference.audio': { access: 'rw', type: T.sinteger(-1, 100) },
  'cmi.student_preference.language': { access: 'rw', type: T.string255 },
  'cmi.student_preference.speed': { access: 'rw', type: T.sinteger(-100, 100) },
  'cmi.student_preference.text': { access: 'rw', type: T.sinteger(-1, 1) },
  'cmi.interactions._children': { access: 'keyword' },
  'cmi.interactions._count': { access: 'keyword' },
  'cmi.interactions.n.id': { access: 'wo', type: T.identifier },
  'cmi.interactions.n.objectives._count': { access: 'keyword' },
  'cmi.interactions.n.objectives.n.id': { access: 'wo', type: T.identifier },
  'cmi.interactions.n.time': { access: 'wo', type: T.time },
  'cmi.interactions.n.type': { access: 'wo', type: T.vocab(INTERACTION_TYPE) },
  'cmi.interactions.n.correct_responses._count': { access: 'keyword' },
  'cmi.interactions.n.correct_responses.n.pattern': { access: 'wo', type: 'response' },
  'cmi.interactions.n.weighting': { access: 'wo', type: T.decimal },
  'cmi.interactions.n.student_response': { access: 'wo', type: 'response' },
  'cmi.interactions.n.result': { access: 'wo', type: T.result },
  'cmi.interactions.n.latency': { access: 'wo', type: T.timespan },
};

// Containers and leaves: a name X for which "X._count" is a well-formed question (203).
const CONTAINERS = new Set(['cmi', 'cmi.core', 'cmi.core.score', 'cmi.student_data', 'cmi.student_preference',
  'cmi.objectives.n', 'cmi.objectives.n.score', 'cmi.interactions.n', 'cmi.interactions.n.correct_responses.n',
  'cmi.interactions.n.objectives.n']);
for (const key of Object.keys(MODEL)) if (!key.endsWith('._children') && !key.endsWith('._count')) CONTAINERS.add(key);

const KNOWN_KEYWORDS = new Set(['_children', '_count']);

export class StrictScorm12API {
  /**
   * initial: {entry, lesson_status, lesson_location, suspend_data, student_id, student_name,
   * credit, lesson_mode, total_time, launch_data, comments, comments_from_lms, mastery_score,
   * max_time_allowed, time_limit_action, score_raw, interactionsCount (prior interactions kept
   * by the LMS), notImplemented: [element prefixes answering 401], appendComments: boolean}
   */
  constructor(initial = {}) {
    const init = { ...initial };
    this.state = 'not-initialized'; // 'running' | 'finished'
    this.lastError = '0';
    this.lastDiagnostic = '';
    this.calls = [];
    this.notImplemented = init.notImplemented || [];
    this.appendComments = !!init.appendComments;
    this.values = {
      'cmi.core.student_id': init.student_id ?? 'learner-1',
      'cmi.core.student_name': init.student_name ?? 'Learner, Test',
      'cmi.core.lesson_location': init.lesson_location ?? '',
      'cmi.core.credit': init.credit ?? 'credit',
      'cmi.core.lesson_status': init.lesson_status ?? 'not attempted',
      'cmi.core.entry': init.entry ?? 'ab-initio',
      'cmi.core.score.raw': init.score_raw ?? '',
      'cmi.core.score.min': '',
      'cmi.core.score.max': '',
      'cmi.core.total_time': init.total_time ?? '0000:00:00.00',
      'cmi.core.lesson_mode': init.lesson_mode ?? 'normal',
      'cmi.core.exit': '',
      'cmi.core.session_time': '',
      'cmi.suspend_data': init.suspend_data ?? '',
      'cmi.launch_data': init.launch_data ?? '',
      'cmi.comments': init.comments ?? '',
      'cmi.comments_from_lms': init.comments_from_lms ?? '',
      'cmi.student_data.mastery_score': init.mastery_score ?? '',
      'cmi.student_data.max_time_allowed': init.max_time_allowed ?? '',
      'cmi.student_data.time_limit_action': init.time_limit_action ?? '',
      'cmi.student_preference.audio': '0',
      'cmi.student_preference.language': '',
      'cmi.student_preference.speed': '0',
      'cmi.student_preference.text': '0',
    };
    for (const [el, list] of [['cmi.core.lesson_status', STATUS], ['cmi.core.entry', ENTRY], ['cmi.core.credit', CREDIT],
      ['cmi.core.lesson_mode', LESSON_MODE], ['cmi.student_data.time_limit_action', TIME_LIMIT_ACTION]]) {
      if (!list.includes(this.values[el])) throw new Error(`StrictScorm12API: bad initial ${el}: ${this.values[el]}`);
    }
    this.objectives = [];   // [{id, score:{raw,min,max}, status}]
    this.interactions = []; // [{id, time, type, weighting, student_response, result, latency, objectives:[], correct_responses:[]}]
    for (let i = 0; i < (init.interactionsCount || 0); i++) this.interactions.push(newInteraction());

    // Own-property functions, so they work detached (const {LMSGetValue} = api) like most LMS adapters.
    for (const fn of ['LMSInitialize', 'LMSFinish', 'LMSGetValue', 'LMSSetValue', 'LMSCommit',
      'LMSGetLastError', 'LMSGetErrorString', 'LMSGetDiagnostic']) {
      const impl = this['_' + fn].bind(this);
      this[fn] = (...args) => {
        const result = impl(...args);
        this.calls.push({ fn, args, result, error: this.lastError });
        return result;
      };
    }
  }

  // ---- inspection helpers for tests -------------------------------------------

  /** Calls as arrays [fn, ...args], e.g. ["LMSSetValue", "cmi.core.exit", "suspend"]. */
  trace() { return this.calls.map((c) => [c.fn, ...c.args]); }
  /** Calls that ended with an error code other than "0". */
  failures() { return this.calls.filter((c) => c.error !== '0'); }
  /** Forget recorded calls (state is kept). */
  clearCalls() { this.calls = []; }
  /** Peek at any stored value, including write-only ones, without recording a call. */
  peek(element) {
    const r = this._resolve(element);
    if (r.error) return undefined;
    return this._read(r, true);
  }

  // ---- API ----------------------------------------------------------------------

  _ok(result) { this.lastError = '0'; this.lastDiagnostic = ''; return result; }
  _fail(code, result, diagnostic) { this.lastError = code; this.lastDiagnostic = diagnostic || ERROR_STRINGS[code]; return result; }

  _LMSInitialize(arg) {
    if (arg !== '') return this._fail('201', 'false', 'LMSInitialize takes ""');
    if (this.state === 'running') return this._fail('101', 'false', 'LMSInitialize was already called');
    if (this.state === 'finished') return this._fail('101', 'false', 'LMSInitialize after LMSFinish');
    this.state = 'running';
    return this._ok('true');
  }

  _LMSFinish(arg) {
    if (this.state === 'not-initialized') return this._fail('301', 'false', 'LMSFinish before LMSInitialize');
    if (this.state === 'finished') return this._fail('101', 'false', 'LMSFinish was already called');
    if (arg !== '') return this._fail('201', 'false', 'LMSFinish takes ""');
    this.state = 'finished';
    if (this.values['cmi.core.exit'] === 'suspend') this.values['cmi.core.entry'] = 'resume';
    else this.values['cmi.core.entry'] = '';
    return this._ok('true');
  }

  _LMSCommit(arg) {
    if (this.state !== 'running') return this._fail('301', 'false', 'LMSCommit outside a session');
    if (arg !== '') return this._fail('201', 'false', 'LMSCommit takes ""');
    return this._ok('true');
  }

  _LMSGetLastError() { return this.lastError; }

  _LMSGetErrorString(code) { return ERROR_STRINGS[String(code)] ?? ''; }

  _LMSGetDiagnostic(code) {
    if (code === undefined || code === '' || String(code) === this.lastError) return this.lastDiagnostic;
    return ERROR_STRINGS[String(code)] ?? '';
  }

  _LMSGetValue(element) {
    if (this.state !== 'running') return this._fail('301', '', 'LMSGetValue outside a session');
    const r = this._resolve(element);
    if (r.error) return this._fail(r.error, '', r.diagnostic);
    if (r.def.access === 'wo') return this._fail('404', '', `${element} is write only`);
    if (!this._indexesExist(r)) return this._fail('201', '', `${element}: no such index`);
    return this._ok(this._read(r, false));
  }

  _LMSSetValue(element, value) {
    if (this.state !== 'running') return this._fail('301', 'false', 'LMSSetValue outside a session');
    const r = this._resolve(element);
    if (r.error) return this._fail(r.error, 'false', r.diagnostic);
    if (r.def.access === 'keyword') return this._fail('402', 'false', `${element} is a keyword`);
    if (r.def.access === 'ro') return this._fail('403', 'false', `${element} is read only`);
    if (typeof value !== 'string') return this._fail('405', 'false', `${element}: value must be a string, got ${typeof value}`);
    if (!this._indexesAppendable(r)) return this._fail('405', 'false', `${element}: index out of order`);
    if (r.def.type === 'response') {
      const type = this._interactionAt(r.idx[0])?.type ?? '';
      if (!responseValid(type, value)) return this._fail('405', 'false', `${element}: "${value}" is not a ${type || 'CMIFeedback'} response`);
    } else if (!r.def.type(value)) {
      return this._fail('405', 'false', `${element}: "${value.length > 40 ? value.slice(0, 40) + '…' : value}" has the wrong type or vocabulary`);
    }
    if (r.key === 'cmi.comments' && this.appendComments) {
      const joined = this.values['cmi.comments'] + value;
      if (joined.length > 4096) return this._fail('405', 'false', 'cmi.comments would exceed 4096 characters');
      this.values['cmi.comments'] = joined;
      return this._ok('true');
    }
    this._write(r, value);
    return this._ok('true');
  }

  // ---- element resolution -----------------------------------------------------------

  _resolve(element) {
    if (typeof element !== 'string' || element === '') return { error: '201', diagnostic: 'element name must be a non-empty string' };
    const parts = element.split('.');
    if (parts[0] !== 'cmi' || parts.length < 2) return { error: '201', diagnostic: `${element} is not a cmi element` };
    const idx = [];
    const keyParts = [];
    for (const p of parts) {
      if (/^\d+$/.test(p)) {
        if (p.length > 1 && p.startsWith('0')) return { error: '201', diagnostic: `${element}: bad index ${p}` };
        idx.push(Number(p));
        keyParts.push('n');
      } else if (p === '') {
        return { error: '201', diagnostic: `${element}: empty segment` };
      } else {
        keyParts.push(p);
      }
    }
    const key = keyParts.join('.');
    for (const prefix of this.notImplemented) {
      if (element === prefix || element.startsWith(prefix + '.')) return { error: '401', diagnostic: `${element} is not implemented` };
    }
    const def = MODEL[key];
    if (def) return { key, def, idx, element };
    const last = keyParts[keyParts.length - 1];
    const parent = keyParts.slice(0, -1).join('.');
    if (last === '_children' && (CONTAINERS.has(parent) || MODEL[parent])) return { error: '202', diagnostic: `${parent} has no _children` };
    if (last === '_count' && (CONTAINERS.has(parent) || MODEL[parent])) return { error: '203', diagnostic: `${parent} is not an array` };
    if (keyParts.some((p) => p.startsWith('_') && !KNOWN_KEYWORDS.has(p))) return { error: '201', diagnostic: `${element}: unknown keyword` };
    return { error: '401', diagnostic: `${element} is not in the data model` };
  }

  _interactionAt(n) { return this.interactions[n]; }

  // Every index in the path refers to an existing record.
  _indexesExist(r) {
    const { key, idx } = r;
    if (key.startsWith('cmi.objectives.n')) return idx[0] < this.objectives.length;
    if (key.startsWith('cmi.interactions.n')) {
      const it = this.interactions[idx[0]];
      if (!it) return false;
      if (key.startsWith('cmi.interactions.n.correct_responses.n')) return idx[1] < it.correct_responses.length;
      if (key.startsWith('cmi.interactions.n.objectives.n')) return idx[1] < it.objectives.length;
    }
    return true;
  }

  // Every index is an existing record or exactly the next one.
  _indexesAppendable(r) {
    const { key, idx } = r;
    if (key.startsWith('cmi.objectives.n')) return idx[0] <= this.objectives.length;
    if (key.startsWith('cmi.interactions.n')) {
      if (idx[0] > this.interactions.length) return false;
      const it = this.interactions[idx[0]];
      const inner = key.startsWith('cmi.interactions.n.correct_responses.n') ? 'correct_responses'
        : key.startsWith('cmi.interactions.n.objectives.n') ? 'objectives' : null;
      if (inner) return idx[1] <= (it ? it[inner].length : 0);
    }
    return true;
  }

  _read(r, peek) {
    const { key, idx } = r;
    if (key.endsWith('._children')) return CHILDREN[key.slice(0, -'._children'.length)] ?? '';
    if (key === 'cmi.objectives._count') return String(this.objectives.length);
    if (key === 'cmi.interactions._count') return String(this.interactions.length);
    if (key === 'cmi.interactions.n.objectives._count') return String(this.interactions[idx[0]]?.objectives.length ?? 0);
    if (key === 'cmi.interactions.n.correct_responses._count') return String(this.interactions[idx[0]]?.correct_responses.length ?? 0);
    if (key.startsWith('cmi.objectives.n.')) {
      const o = this.objectives[idx[0]];
      if (!o) return peek ? undefined : '';
      const field = key.slice('cmi.objectives.n.'.length);
      return field.startsWith('score.') ? o.score[field.slice(6)] : o[field];
    }
    if (key.startsWith('cmi.interactions.n.')) {
      const it = this.interactions[idx[0]];
      if (!it) return undefined;
      if (key.endsWith('correct_responses.n.pattern')) return it.correct_responses[idx[1]]?.pattern;
      if (key.endsWith('objectives.n.id')) return it.objectives[idx[1]]?.id;
      return it[key.slice('cmi.interactions.n.'.length)];
    }
    return this.values[key];
  }

  _write(r, value) {
    const { key, idx } = r;
    if (key.startsWith('cmi.objectives.n.')) {
      if (idx[0] === this.objectives.length) this.objectives.push({ id: '', score: { raw: '', min: '', max: '' }, status: 'not attempted' });
      const o = this.objectives[idx[0]];
      const field = key.slice('cmi.objectives.n.'.length);
      if (field.startsWith('score.')) o.score[field.slice(6)] = value; else o[field] = value;
      return;
    }
    if (key.startsWith('cmi.interactions.n.')) {
      if (idx[0] === this.interactions.length) this.interactions.push(newInteraction());
      const it = this.interactions[idx[0]];
      if (key.endsWith('correct_responses.n.pattern')) {
        if (idx[1] === it.correct_responses.length) it.correct_responses.push({ pattern: '' });
        it.correct_responses[idx[1]].pattern = value;
      } else if (key.endsWith('objectives.n.id')) {
        if (idx[1] === it.objectives.length) it.objectives.push({ id: '' });
        it.objectives[idx[1]].id = value;
      } else {
        it[key.slice('cmi.interactions.n.'.length)] = value;
      }
      return;
    }
    this.values[key] = value;
  }
}

function newInteraction() {
  return { id: '', time: '', type: '', weighting: '', student_response: '', result: '', latency: '', objectives: [], correct_responses: [] };
}

export { ERROR_STRINGS };
