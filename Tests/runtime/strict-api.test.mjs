// The strict SCORM 1.2 API used by the runtime tests: every error code it can give.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { StrictScorm12API } from './strict-scorm12-api.mjs';

function running(initial) {
  const api = new StrictScorm12API(initial);
  assert.equal(api.LMSInitialize(''), 'true');
  return api;
}

function expectSet(api, element, value, code) {
  const r = api.LMSSetValue(element, value);
  assert.equal(api.LMSGetLastError(), code, `set ${element}=${JSON.stringify(value)}`);
  assert.equal(r, code === '0' ? 'true' : 'false', `set ${element} result`);
}

function expectGet(api, element, code, value) {
  const r = api.LMSGetValue(element);
  assert.equal(api.LMSGetLastError(), code, `get ${element}`);
  if (code !== '0') assert.equal(r, '', `get ${element} returns "" on error`);
  if (value !== undefined) assert.equal(r, value, `get ${element} value`);
}

describe('session state', () => {
  test('calls before LMSInitialize → 301', () => {
    const api = new StrictScorm12API();
    assert.equal(api.LMSGetValue('cmi.core.student_id'), '');
    assert.equal(api.LMSGetLastError(), '301');
    assert.equal(api.LMSSetValue('cmi.core.lesson_location', 'x'), 'false');
    assert.equal(api.LMSGetLastError(), '301');
    assert.equal(api.LMSCommit(''), 'false');
    assert.equal(api.LMSGetLastError(), '301');
    assert.equal(api.LMSFinish(''), 'false');
    assert.equal(api.LMSGetLastError(), '301');
  });

  test('LMSInitialize: non-empty argument → 201, twice → 101', () => {
    const api = new StrictScorm12API();
    assert.equal(api.LMSInitialize('x'), 'false');
    assert.equal(api.LMSGetLastError(), '201');
    assert.equal(api.LMSInitialize(), 'false');
    assert.equal(api.LMSGetLastError(), '201');
    assert.equal(api.LMSInitialize(''), 'true');
    assert.equal(api.LMSGetLastError(), '0');
    assert.equal(api.LMSInitialize(''), 'false');
    assert.equal(api.LMSGetLastError(), '101');
  });

  test('LMSCommit and LMSFinish: non-empty argument → 201', () => {
    const api = running();
    assert.equal(api.LMSCommit('x'), 'false');
    assert.equal(api.LMSGetLastError(), '201');
    assert.equal(api.LMSCommit(''), 'true');
    assert.equal(api.LMSFinish('now'), 'false');
    assert.equal(api.LMSGetLastError(), '201');
    assert.equal(api.state, 'running');
  });

  test('after LMSFinish: Get/Set/Commit → 301, Finish/Initialize → 101', () => {
    const api = running();
    assert.equal(api.LMSFinish(''), 'true');
    expectGet(api, 'cmi.core.student_id', '301');
    expectSet(api, 'cmi.core.lesson_location', 'x', '301');
    assert.equal(api.LMSCommit(''), 'false');
    assert.equal(api.LMSGetLastError(), '301');
    assert.equal(api.LMSFinish(''), 'false');
    assert.equal(api.LMSGetLastError(), '101');
    assert.equal(api.LMSInitialize(''), 'false');
    assert.equal(api.LMSGetLastError(), '101');
  });

  test('error strings and diagnostics; GetLastError does not reset the error', () => {
    const api = running();
    expectSet(api, 'cmi.core.student_id', 'x', '403');
    assert.equal(api.LMSGetLastError(), '403');
    assert.equal(api.LMSGetErrorString('403'), 'Element is read only');
    assert.equal(api.LMSGetErrorString('0'), 'No error');
    assert.equal(api.LMSGetErrorString('999'), '');
    assert.match(api.LMSGetDiagnostic(''), /read only/);
    assert.equal(api.LMSGetLastError(), '403');
    expectGet(api, 'cmi.core.student_id', '0');
    assert.equal(api.LMSGetLastError(), '0');
  });

  test('methods work detached, and every call is recorded', () => {
    const api = new StrictScorm12API();
    const { LMSInitialize, LMSGetValue } = api;
    assert.equal(LMSInitialize(''), 'true');
    assert.equal(LMSGetValue('cmi.core.lesson_status'), 'not attempted');
    api.LMSSetValue('cmi.core.credit', 'no-credit');
    assert.deepEqual(api.calls, [
      { fn: 'LMSInitialize', args: [''], result: 'true', error: '0' },
      { fn: 'LMSGetValue', args: ['cmi.core.lesson_status'], result: 'not attempted', error: '0' },
      { fn: 'LMSSetValue', args: ['cmi.core.credit', 'no-credit'], result: 'false', error: '403' },
    ]);
    assert.deepEqual(api.trace()[2], ['LMSSetValue', 'cmi.core.credit', 'no-credit']);
    assert.equal(api.failures().length, 1);
  });
});

describe('data model access', () => {
  test('read-only elements → 403 on set', () => {
    const api = running();
    for (const el of ['cmi.core.student_id', 'cmi.core.student_name', 'cmi.core.credit', 'cmi.core.entry',
      'cmi.core.total_time', 'cmi.core.lesson_mode', 'cmi.launch_data', 'cmi.comments_from_lms',
      'cmi.student_data.mastery_score', 'cmi.student_data.max_time_allowed', 'cmi.student_data.time_limit_action']) {
      expectSet(api, el, '', '403');
    }
  });

  test('keywords (_children, _count) → 402 on set, readable on get', () => {
    const api = running();
    for (const el of ['cmi.core._children', 'cmi.core.score._children', 'cmi.interactions._children',
      'cmi.interactions._count', 'cmi.objectives._children', 'cmi.objectives._count',
      'cmi.student_data._children', 'cmi.student_preference._children']) {
      expectSet(api, el, '1', '402');
    }
    expectGet(api, 'cmi.core._children', '0', 'student_id,student_name,lesson_location,credit,lesson_status,entry,score,total_time,lesson_mode,exit,session_time');
    expectGet(api, 'cmi.core.score._children', '0', 'raw,min,max');
    expectGet(api, 'cmi.interactions._children', '0', 'id,objectives,time,type,correct_responses,weighting,student_response,result,latency');
    expectGet(api, 'cmi.interactions._count', '0', '0');
  });

  test('write-only elements → 404 on get', () => {
    const api = running();
    expectSet(api, 'cmi.interactions.0.id', 'q1', '0');
    expectSet(api, 'cmi.interactions.0.correct_responses.0.pattern', 'a', '0');
    for (const el of ['cmi.core.exit', 'cmi.core.session_time', 'cmi.interactions.0.id', 'cmi.interactions.0.time',
      'cmi.interactions.0.type', 'cmi.interactions.0.weighting', 'cmi.interactions.0.student_response',
      'cmi.interactions.0.result', 'cmi.interactions.0.latency', 'cmi.interactions.0.correct_responses.0.pattern']) {
      expectGet(api, el, '404');
    }
    expectGet(api, 'cmi.interactions._count', '0', '1');
    expectGet(api, 'cmi.interactions.0.correct_responses._count', '0', '1');
    expectGet(api, 'cmi.interactions.0.objectives._count', '0', '0');
    assert.equal(api.peek('cmi.interactions.0.id'), 'q1');
  });

  test('unknown elements → 401; bad names and keywords → 201; 202; 203', () => {
    const api = running();
    expectGet(api, 'cmi.core.nickname', '401');
    expectSet(api, 'cmi.core.nickname', 'x', '401');
    expectGet(api, 'cmi.completion_status', '401');
    expectGet(api, '', '201');
    expectGet(api, 'core.student_id', '201');
    expectGet(api, 'adl.nav.request', '201');
    expectGet(api, 'cmi.core._version', '201');
    expectGet(api, 'cmi..core', '201');
    expectGet(api, 'cmi.objectives.01.id', '201');
    expectGet(api, 'cmi.objectives.0.id', '201'); // no such index yet
    expectGet(api, 'cmi.core.student_id._children', '202');
    expectGet(api, 'cmi.core._count', '203');
    expectGet(api, 'cmi.core.score._count', '203');
  });

  test('elements the LMS does not implement → 401', () => {
    const api = running({ notImplemented: ['cmi.interactions'] });
    expectGet(api, 'cmi.interactions._count', '401');
    expectSet(api, 'cmi.interactions.0.id', 'q1', '401');
    expectGet(api, 'cmi.core.lesson_status', '0');
  });

  test('initial state for resume is readable', () => {
    const api = running({ entry: 'resume', lesson_location: 'page-2', suspend_data: '{"v":1,"p":2}', lesson_status: 'incomplete',
      student_id: 's-42', student_name: 'Doe, Jane' });
    expectGet(api, 'cmi.core.entry', '0', 'resume');
    expectGet(api, 'cmi.core.lesson_location', '0', 'page-2');
    expectGet(api, 'cmi.suspend_data', '0', '{"v":1,"p":2}');
    expectGet(api, 'cmi.core.lesson_status', '0', 'incomplete');
    expectGet(api, 'cmi.core.student_id', '0', 's-42');
    expectGet(api, 'cmi.core.student_name', '0', 'Doe, Jane');
    assert.throws(() => new StrictScorm12API({ lesson_status: 'done' }));
  });
});

describe('vocabularies and data types → 405', () => {
  test('lesson_status: the SCO may not set "not attempted"', () => {
    const api = running();
    for (const v of ['passed', 'completed', 'failed', 'incomplete', 'browsed']) expectSet(api, 'cmi.core.lesson_status', v, '0');
    for (const v of ['not attempted', 'Passed', 'complete', '']) expectSet(api, 'cmi.core.lesson_status', v, '405');
  });

  test('exit vocabulary', () => {
    const api = running();
    for (const v of ['time-out', 'suspend', 'logout', '']) expectSet(api, 'cmi.core.exit', v, '0');
    for (const v of ['normal', 'quit', 'Suspend']) expectSet(api, 'cmi.core.exit', v, '405');
  });

  test('interaction type and result vocabularies', () => {
    const api = running();
    for (const v of ['true-false', 'choice', 'fill-in', 'matching', 'performance', 'sequencing', 'likert', 'numeric']) {
      expectSet(api, 'cmi.interactions.0.type', v, '0');
    }
    for (const v of ['long-fill-in', 'other', 'Choice']) expectSet(api, 'cmi.interactions.0.type', v, '405');
    for (const v of ['correct', 'wrong', 'unanticipated', 'neutral', '0.5', '75']) expectSet(api, 'cmi.interactions.0.result', v, '0');
    for (const v of ['incorrect', 'right', '']) expectSet(api, 'cmi.interactions.0.result', v, '405');
  });

  test('scores are CMIDecimal in 0..100 (or blank)', () => {
    const api = running();
    for (const v of ['0', '100', '87.5', '']) expectSet(api, 'cmi.core.score.raw', v, '0');
    for (const v of ['101', '-1', 'abc', '80%', '1e2']) expectSet(api, 'cmi.core.score.raw', v, '405');
    expectSet(api, 'cmi.core.score.min', '0', '0');
    expectSet(api, 'cmi.core.score.max', '100', '0');
    expectSet(api, 'cmi.core.score.max', '100.01', '405');
  });

  test('CMITimespan: HHHH:MM:SS.SS with 2-4 hour digits', () => {
    const api = running();
    for (const v of ['00:00:00', '00:01:02.5', '0000:00:00.00', '9999:59:59.99', '123:04:05']) expectSet(api, 'cmi.core.session_time', v, '0');
    for (const v of ['1:00:00', '00000:00:00', '00:60:00', '00:00:60', '00:00:00.123', 'PT1M', '']) expectSet(api, 'cmi.core.session_time', v, '405');
  });

  test('CMITime: HH:MM:SS[.SS]', () => {
    const api = running();
    for (const v of ['00:00:00', '23:59:59', '09:30:00.5', '12:00:00.25']) expectSet(api, 'cmi.interactions.0.time', v, '0');
    for (const v of ['24:00:00', '9:00:00', '12:60:00', '12:00', '12:00:00.123']) expectSet(api, 'cmi.interactions.0.time', v, '405');
  });

  test('CMIIdentifier: 1..255 characters, no whitespace', () => {
    const api = running();
    expectSet(api, 'cmi.interactions.0.id', 'opening-order', '0');
    expectSet(api, 'cmi.interactions.0.id', 'x'.repeat(255), '0');
    expectSet(api, 'cmi.interactions.0.id', 'x'.repeat(256), '405');
    expectSet(api, 'cmi.interactions.0.id', 'two words', '405');
    expectSet(api, 'cmi.interactions.0.id', '', '405');
  });

  test('CMIString255, CMIString4096, CMIFeedback lengths', () => {
    const api = running();
    expectSet(api, 'cmi.core.lesson_location', 'x'.repeat(255), '0');
    expectSet(api, 'cmi.core.lesson_location', 'x'.repeat(256), '405');
    expectSet(api, 'cmi.suspend_data', 'x'.repeat(4096), '0');
    expectSet(api, 'cmi.suspend_data', 'x'.repeat(4097), '405');
    expectSet(api, 'cmi.comments', 'x'.repeat(4097), '405');
    expectSet(api, 'cmi.interactions.0.type', 'performance', '0');
    expectSet(api, 'cmi.interactions.0.student_response', 'x'.repeat(255), '0');
    expectSet(api, 'cmi.interactions.0.student_response', 'x'.repeat(256), '405');
  });

  test('responses match the interaction type', () => {
    const api = running();
    expectSet(api, 'cmi.interactions.0.type', 'true-false', '0');
    expectSet(api, 'cmi.interactions.0.student_response', 't', '0');
    expectSet(api, 'cmi.interactions.0.student_response', 'true', '405');
    expectSet(api, 'cmi.interactions.0.correct_responses.0.pattern', 'f', '0');
    expectSet(api, 'cmi.interactions.1.type', 'choice', '0');
    expectSet(api, 'cmi.interactions.1.student_response', 'a,c', '0');
    expectSet(api, 'cmi.interactions.1.student_response', '{a,c}', '0');
    expectSet(api, 'cmi.interactions.1.student_response', 'ac', '405');
    expectSet(api, 'cmi.interactions.1.student_response', 'A', '405');
  });

  test('values must be strings', () => {
    const api = running();
    expectSet(api, 'cmi.core.score.raw', 80, '405');
    expectSet(api, 'cmi.core.lesson_location', undefined, '405');
  });

  test('interactions and correct_responses are appended in order', () => {
    const api = running({ interactionsCount: 2 });
    expectGet(api, 'cmi.interactions._count', '0', '2');
    expectSet(api, 'cmi.interactions.3.id', 'q', '405');
    expectSet(api, 'cmi.interactions.2.id', 'q', '0');
    expectSet(api, 'cmi.interactions.0.id', 'q0', '0'); // existing index may be rewritten
    expectGet(api, 'cmi.interactions._count', '0', '3');
    expectSet(api, 'cmi.interactions.2.correct_responses.1.pattern', 'a', '405');
    expectSet(api, 'cmi.interactions.2.correct_responses.0.pattern', 'a', '0');
    expectSet(api, 'cmi.interactions.2.correct_responses.1.pattern', 'b', '0');
    expectSet(api, 'cmi.interactions.4.correct_responses.0.pattern', 'a', '405');
    expectSet(api, 'cmi.interactions.2.objectives.1.id', 'o', '405');
    expectSet(api, 'cmi.interactions.2.objectives.0.id', 'o', '0');
    expectSet(api, 'cmi.objectives.1.id', 'o', '405');
    expectSet(api, 'cmi.objectives.0.id', 'o', '0');
    expectGet(api, 'cmi.objectives.0.id', '0', 'o');
    expectGet(api, 'cmi.objectives._count', '0', '1');
    assert.equal(api.interactions.length, 3);
    assert.deepEqual(api.interactions[2].correct_responses, [{ pattern: 'a' }, { pattern: 'b' }]);
  });

  test('a rejected set changes nothing', () => {
    const api = running();
    expectSet(api, 'cmi.interactions.0.time', '25:00:00', '405');
    expectGet(api, 'cmi.interactions._count', '0', '0');
    expectSet(api, 'cmi.core.lesson_location', 'page-1', '0');
    expectSet(api, 'cmi.core.lesson_location', 'x'.repeat(300), '405');
    expectGet(api, 'cmi.core.lesson_location', '0', 'page-1');
  });

  test('appendComments models LMSs that append cmi.comments', () => {
    const api = running({ appendComments: true, comments: 'A. ' });
    expectSet(api, 'cmi.comments', 'B.', '0');
    expectGet(api, 'cmi.comments', '0', 'A. B.');
    expectSet(api, 'cmi.comments', 'x'.repeat(4095), '405');
  });
});
