import Foundation
import LadderCore
import LadderRendering

/// The LMS player: one page with the table of contents and a frame for the SCO, its script
/// (which defines `window.API`) and its stylesheet. No inline script, so the page runs
/// under `script-src 'self'`. Its text comes from the page catalogue in the package's
/// language (the strings its script shows travel in a JSON block, which is not script).
enum PlayerAssets {
    static func page(title: String, learner: String, language: String = "en") -> String {
        let strings = PageStrings(PageLanguage(tag: language) ?? .en)
        let lang = PageLanguage(tag: language) != nil ? language : "en"
        return HTML.documentStart(language: lang) + """
        <title>\(HTML.escape(title)) · ladder preview</title>
        <link rel="stylesheet" href="/_ladder/player.css">
        </head>
        <body data-learner="\(HTML.escape(learner))">
        <header class="player-header">
        <p class="player-brand">ladder preview</p>
        <h1 id="player-title">\(HTML.escape(title))</h1>
        <p class="player-learner">\(strings.html(.playerLearner)) <strong id="player-learner">\(HTML.escape(learner))</strong></p>
        <button type="button" id="player-exit" hidden>\(strings.html(.playerExit))</button>
        </header>
        <div class="player-body">
        <nav class="player-toc" aria-label="\(strings.html(.playerContents))"><h2>\(strings.html(.playerContents))</h2><ol id="player-toc" tabindex="-1"></ol></nav>
        <main class="player-stage">
        <div id="player-message" class="player-message" role="status" hidden></div>
        <p id="player-empty" class="player-empty">\(strings.html(.playerChoose))</p>
        <iframe id="player-frame" name="sco" title="\(strings.html(.playerFrame))" src="about:blank" hidden></iframe>
        </main>
        </div>
        <dialog id="player-confirm" class="player-confirm" aria-labelledby="player-confirm-title" aria-describedby="player-confirm-text">
        <h2 id="player-confirm-title">\(strings.html(.playerConfirmTitle))</h2>
        <p id="player-confirm-text"></p>
        <div class="player-confirm-actions">
        <button type="button" id="player-confirm-cancel">\(strings.html(.playerCancel))</button>
        <button type="button" id="player-confirm-start" class="player-primary">\(strings.html(.playerStartNew))</button>
        </div>
        </dialog>
        <script type="application/json" id="player-strings">\(strings.scriptBlockText(for: "player"))</script>
        <script src="/_ladder/player.js"></script>
        </body>
        </html>

        """
    }

    static let style = """
        *{box-sizing:border-box}
        html,body{margin:0;height:100%}
        body{font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2433;background:#eef1f6;display:flex;flex-direction:column}
        .player-header{display:flex;flex-wrap:wrap;align-items:center;gap:.25rem 1rem;padding:.6rem 1rem;background:#1f3a5f;color:#fff}
        .player-brand{margin:0;font-size:.75rem;letter-spacing:.08em;text-transform:uppercase;opacity:.8}
        .player-header h1{margin:0;font-size:1.1rem;flex:1 1 16rem}
        .player-learner{margin:0;font-size:.9rem}
        .player-header button{font:inherit;padding:.35rem .8rem;border-radius:6px;border:1px solid #fff;background:transparent;color:#fff;cursor:pointer}
        .player-body{display:flex;flex:1;min-height:0}
        .player-toc{width:20rem;flex:none;overflow:auto;background:#fff;border-right:1px solid #d5dbe5;padding:.5rem 0}
        .player-toc h2{font-size:.8rem;text-transform:uppercase;letter-spacing:.06em;color:#5b6578;margin:.4rem 1rem}
        .player-toc ol{list-style:none;margin:0;padding:0}
        .player-toc li{margin:0}
        .player-toc .toc-folder{padding:.5rem 1rem;font-weight:600;color:#5b6578}
        .player-toc button{display:flex;width:100%;gap:.5rem;align-items:flex-start;text-align:left;font:inherit;background:none;border:0;border-left:4px solid transparent;padding:.45rem 1rem;cursor:pointer;color:inherit}
        .player-toc button:hover,.player-toc button:focus-visible{background:#eef3fb}
        .player-toc button[aria-current="true"]{border-left-color:#2f6fde;background:#e4edfc}
        .player-toc button[data-locked]{color:#5b6578}
        .player-toc button:focus-visible,.player-confirm button:focus-visible{outline:3px solid #2f6fde;outline-offset:-3px}
        .player-header button:focus-visible{outline:3px solid #fff;outline-offset:2px}
        .toc-title{flex:1}
        .toc-status{font-size:.75rem;padding:.1rem .45rem;border-radius:999px;background:#e7eaf0;color:#3b4556;white-space:nowrap}
        .toc-status[data-status="passed"],.toc-status[data-status="completed"]{background:#dcf3e3;color:#17602e}
        .toc-status[data-status="failed"]{background:#fbe1e1;color:#8a1c1c}
        .toc-status[data-status="incomplete"]{background:#fff1cc;color:#6b4e00}
        .toc-status[data-status="locked"]{background:#eceef2;color:#5b6578}
        .player-toc li.toc-item{display:flex;flex-direction:column}
        .toc-attempt{display:block;font-size:.75rem;color:#5b6578}
        .player-toc button.toc-new-attempt{display:inline-block;width:auto;align-self:flex-start;margin:0 1rem .45rem 1.25rem;padding:.15rem .65rem;font-size:.8rem;border:1px solid #2f6fde;border-radius:999px;background:#fff;color:#1f4fa8}
        .player-toc button.toc-new-attempt:hover,.player-toc button.toc-new-attempt:focus-visible{background:#e4edfc}
        .player-confirm{max-width:28rem;border:1px solid #d5dbe5;border-radius:8px;padding:1rem 1.25rem;color:#1d2433}
        .player-confirm::backdrop{background:rgba(15,23,42,.45)}
        .player-confirm h2{margin:0 0 .5rem;font-size:1.1rem}
        .player-confirm p{margin:0}
        .player-confirm-actions{display:flex;flex-wrap:wrap;justify-content:flex-end;gap:.5rem;margin-top:1rem}
        .player-confirm button{font:inherit;padding:.4rem .9rem;border-radius:6px;border:1px solid #9aa4b5;background:#fff;color:#1d2433;cursor:pointer}
        .player-confirm button.player-primary{background:#2f6fde;border-color:#2f6fde;color:#fff}
        .player-stage{flex:1;display:flex;flex-direction:column;min-width:0;padding:.75rem}
        .player-message{margin:0 0 .75rem;padding:.6rem .9rem;border-radius:6px;background:#fff4d6;border:1px solid #e8c66a}
        .player-empty{margin:2rem auto;color:#5b6578}
        #player-frame{flex:1;width:100%;min-height:70vh;border:1px solid #d5dbe5;border-radius:6px;background:#fff}
        @media (max-width:720px){
        .player-body{flex-direction:column}
        .player-toc{width:auto;border-right:0;border-bottom:1px solid #d5dbe5;max-height:40vh}
        .player-stage{padding:.5rem}
        #player-frame{min-height:75vh}
        }

        """

    static let script = #"""
        // ladder preview player: table of contents, launch, and a SCORM 1.2 window.API that
        // forwards every call synchronously to the server, which checks it and stores commits.
        (function () {
          'use strict';
          var ERRORS = {'0': 'No error', '101': 'General exception', '201': 'Invalid argument error',
            '202': 'Element cannot have children', '203': 'Element not an array - cannot have count',
            '301': 'Not initialized', '401': 'Not implemented error', '402': 'Invalid set value, element is a keyword',
            '403': 'Element is read only', '404': 'Element is write only', '405': 'Incorrect data type'};
          // The player's text, from the page's strings block (the package's language).
          var block = {};
          try { block = JSON.parse(document.getElementById('player-strings').textContent) || {}; } catch (e) { block = {}; }
          function t(key, values) {
            var s = block.strings && Object.prototype.hasOwnProperty.call(block.strings, key) ? block.strings[key] : null;
            if (typeof s !== 'string') return key;
            return s.replace(/\{([A-Za-z]+)\}/g, function (whole, name) {
              return values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
            });
          }
          function statusText(status) {
            var key = 'player.status.' + status;
            return block.strings && typeof block.strings[key] === 'string' ? block.strings[key] : status;
          }
          var learner = document.body.getAttribute('data-learner');
          var frame = document.getElementById('player-frame');
          var tocList = document.getElementById('player-toc');
          var message = document.getElementById('player-message');
          var empty = document.getElementById('player-empty');
          var exitButton = document.getElementById('player-exit');
          var confirmDialog = document.getElementById('player-confirm');
          var confirmText = document.getElementById('player-confirm-text');
          var confirmStart = document.getElementById('player-confirm-start');
          var current = null; // {sco, session, lastError, lastDiagnostic}
          var none = {lastError: '0', lastDiagnostic: ''};

          function send(body) {
            var x = new XMLHttpRequest();
            x.open('POST', '/api/call', false);
            x.setRequestHeader('Content-Type', 'application/json');
            x.send(JSON.stringify(body));
            if (x.status !== 200) throw new Error('HTTP ' + x.status + ': ' + x.responseText);
            return JSON.parse(x.responseText);
          }

          // A SCO's last calls come while its frame is being dismissed (pagehide), when the
          // browser refuses synchronous requests. Such calls, and every call after them, are
          // queued here and answered locally; the player (whose page stays) then sends the
          // queue in order to /api/batch. If the SCO never finished, the player finishes its
          // session for it once the frame has gone.
          function call(fn, args) {
            var s = current;
            var failed = fn === 'LMSGetValue' ? '' : 'false';
            if (!s) { none.lastError = '301'; none.lastDiagnostic = 'no SCO is running'; return failed; }
            if (s.pending) return queue(s, fn, args);
            var r;
            try {
              r = send({learner: learner, sco: s.sco, session: s.session, fn: fn, args: args});
            } catch (e) {
              if (s.session && fn !== 'LMSInitialize') return queue(s, fn, args);
              s.lastError = '101'; s.lastDiagnostic = 'the preview server did not answer: ' + e;
              return failed;
            }
            if (r.session) s.session = r.session;
            s.lastError = String(r.error);
            s.lastDiagnostic = r.diagnostic || '';
            if (fn === 'LMSSetValue' && r.error === '0') s.values[args[0]] = String(args[1]);
            if (fn === 'LMSFinish' && r.error === '0') s.finished = true;
            if ((fn === 'LMSCommit' || fn === 'LMSFinish') && r.error === '0') refreshSoon();
            return r.result;
          }

          var WRITE_ONLY = ['cmi.core.session_time', 'cmi.core.exit'];
          function queue(s, fn, args) {
            if (!s.pending) s.pending = [];
            s.lastError = '0'; s.lastDiagnostic = '';
            if (fn === 'LMSGetValue') {
              if (WRITE_ONLY.indexOf(args[0]) >= 0) { s.lastError = '404'; s.lastDiagnostic = args[0] + ' is write-only'; return ''; }
              return Object.prototype.hasOwnProperty.call(s.values, args[0]) ? s.values[args[0]] : '';
            }
            if (s.finished) { s.lastError = '301'; s.lastDiagnostic = fn + ' after LMSFinish'; return 'false'; }
            if (fn === 'LMSSetValue') s.values[args[0]] = String(args[1]);
            if (fn === 'LMSFinish') s.finished = true;
            s.pending.push({fn: fn, args: args});
            if (!s.flushTimer) s.flushTimer = setTimeout(function () { s.flushTimer = null; flush(s); }, 0);
            return 'true';
          }

          // Sends the queued calls in order; the queue closes (calls go synchronously again)
          // once it is empty. Resolves when nothing is queued or in flight.
          function flush(s) {
            if (s.inflight) return s.inflight.then(function () { return flush(s); });
            if (!s.pending) return Promise.resolve();
            if (!s.pending.length) { s.pending = null; return Promise.resolve(); }
            var calls = s.pending;
            s.pending = [];
            s.inflight = batch(s, calls).then(function () {
              s.inflight = null;
              return flush(s);
            });
            return s.inflight;
          }

          function batch(s, calls) {
            return fetch('/api/batch', {method: 'POST', keepalive: true, headers: {'Content-Type': 'application/json'},
              body: JSON.stringify({learner: learner, sco: s.sco, session: s.session, calls: calls})})
              .then(function (r) {
                if (!r.ok) return r.text().then(function (text) { say(t('player.callsLost', {reason: text})); });
                refreshSoon();
              }, function (e) { say(t('player.callsLost', {reason: e})); });
          }

          // After the frame has gone: the queue is sent, and a session the SCO left open is finished.
          function settle(s) {
            if (!s) return Promise.resolve();
            return flush(s).then(function () {
              if (!s.session || s.finished) return;
              s.finished = true;
              return batch(s, [{fn: 'LMSFinish', args: ['']}]);
            });
          }

          window.API = {
            LMSInitialize: function (a) { return call('LMSInitialize', [a]); },
            LMSFinish: function (a) { return call('LMSFinish', [a]); },
            LMSGetValue: function (e) { return call('LMSGetValue', [e]); },
            LMSSetValue: function (e, v) { return call('LMSSetValue', [e, v]); },
            LMSCommit: function (a) { return call('LMSCommit', [a]); },
            LMSGetLastError: function () { return (current || none).lastError; },
            LMSGetErrorString: function (c) { return ERRORS[String(c)] || ''; },
            LMSGetDiagnostic: function (c) {
              var s = current || none;
              if (c === undefined || c === '' || String(c) === s.lastError) return s.lastDiagnostic;
              return ERRORS[String(c)] || '';
            }
          };

          function say(text) {
            message.textContent = text || '';
            message.hidden = !text;
          }

          var refreshTimer = null;
          function refreshSoon() {
            if (refreshTimer) return;
            refreshTimer = setTimeout(function () { refreshTimer = null; refresh(); }, 0);
          }

          function refresh() {
            return fetch('/api/toc?learner=' + encodeURIComponent(learner)).then(function (r) { return r.json(); })
              .then(render, function (e) { say(t('player.contentsFailed', {reason: e})); });
          }

          function render(toc) {
            var active = current ? current.sco : null;
            // Drawn anew, the contents keep the keyboard focus on the same button.
            var had = document.activeElement && tocList.contains(document.activeElement) ? document.activeElement : null;
            var refocus = had && (had.getAttribute('data-sco') ? '[data-sco="' + had.getAttribute('data-sco') + '"]' :
              had.getAttribute('data-new-attempt') ? '[data-new-attempt="' + had.getAttribute('data-new-attempt') + '"]' : null);
            tocList.textContent = '';
            toc.items.forEach(function (item) {
              var li = document.createElement('li');
              li.style.paddingLeft = (item.depth * 0.75) + 'rem';
              if (!item.launchable) {
                li.className = 'toc-folder';
                li.textContent = item.title;
              } else {
                var b = document.createElement('button');
                b.type = 'button';
                b.setAttribute('data-sco', item.id);
                li.className = 'toc-item';
                var label = document.createElement('span');
                label.className = 'toc-title';
                label.textContent = item.title;
                if (item.attempt > 0) {
                  var a = document.createElement('span');
                  a.className = 'toc-attempt';
                  a.textContent = t('player.attempt', {attempt: item.attempt});
                  label.appendChild(a);
                }
                var st = document.createElement('span');
                st.className = 'toc-status';
                var status = item.locked ? 'locked' : item.status;
                st.setAttribute('data-status', status);
                st.textContent = statusText(status) + (item.score && !item.locked ? ' · ' + item.score + '%' : '');
                if (item.locked) b.setAttribute('data-locked', item.locked);
                if (item.id === active) b.setAttribute('aria-current', 'true');
                b.appendChild(label);
                b.appendChild(st);
                b.addEventListener('click', function () { launch(item.id); });
                li.appendChild(b);
                if (item.newAttempt) {
                  var n = document.createElement('button');
                  n.type = 'button';
                  n.className = 'toc-new-attempt';
                  n.setAttribute('data-new-attempt', item.id);
                  n.setAttribute('aria-label', t('player.newAttemptOf', {title: item.title}));
                  n.textContent = t('player.newAttempt');
                  n.addEventListener('click', function () { askNewAttempt(item); });
                  li.appendChild(n);
                }
              }
              tocList.appendChild(li);
            });
            if (refocus) focusIn(tocList, 'button' + refocus);
          }

          function focusIn(root, selector) {
            var buttons = root.querySelectorAll('button');
            for (var i = 0; i < buttons.length; i++) {
              if (buttons[i].matches(selector)) { buttons[i].focus(); return true; }
            }
            return false;
          }

          // A launched item takes the focus: its main region (a Ladder SCO's, or the frame).
          frame.addEventListener('load', function () {
            if (frame.hidden || frame.getAttribute('src') === 'about:blank' || !current) return;
            var main = null;
            try { main = frame.contentDocument && frame.contentDocument.getElementById('ladder-main'); } catch (e) { main = null; }
            if (main) main.focus(); else frame.focus();
          });

          // The old SCO leaves first (its pagehide commits and finishes its own session; the
          // player sends what the browser would not let through), then the new one gets a fresh session.
          function unloadFrame() {
            return new Promise(function (resolve) {
              if (frame.hidden || frame.getAttribute('src') === 'about:blank') { resolve(); return; }
              var s = current;
              frame.addEventListener('load', function () { resolve(settle(s)); }, {once: true});
              frame.src = 'about:blank';
            });
          }

          function launch(sco) {
            say('');
            return fetch('/api/launch', {method: 'POST', headers: {'Content-Type': 'application/json'},
              body: JSON.stringify({learner: learner, sco: sco})})
              .then(function (r) { return r.json(); })
              .then(function (r) {
                if (!r.ok) { say(r.reason); return false; }
                return unloadFrame().then(function () {
                  current = {sco: sco, session: null, lastError: '0', lastDiagnostic: '', values: {}, pending: null, finished: false};
                  document.body.setAttribute('data-sco', sco);
                  empty.hidden = true;
                  frame.hidden = false;
                  exitButton.hidden = false;
                  frame.src = r.url;
                  return refresh().then(function () { return true; });
                });
              }, function (e) { say(t('player.launchFailed', {reason: e})); return false; });
          }

          // The contents alone, once the frame has been unloaded.
          function closeStage() {
            current = null;
            document.body.removeAttribute('data-sco');
            frame.hidden = true;
            empty.hidden = false;
            exitButton.hidden = true;
            return refresh();
          }

          // Leaving gives the focus back to the item in the contents.
          exitButton.addEventListener('click', function () {
            var left = current ? current.sco : null;
            unloadFrame().then(closeStage).then(function () {
              if (!left || !focusIn(tocList, 'button[data-sco="' + left + '"]')) tocList.focus();
            });
          });

          // A new attempt: asked for in a dialog (nothing is discarded: the server keeps every
          // earlier attempt), then the item leaves the frame if it runs there, the server
          // opens the attempt and the item is launched afresh.
          var asked = null;
          function askNewAttempt(item) {
            asked = item;
            var was = statusText(item.status) + (item.score ? ', ' + item.score + '%' : '');
            confirmText.textContent = t('player.confirmText', {title: item.title, next: item.attempt + 1, attempt: item.attempt, was: was});
            confirmStart.textContent = t('player.startAttempt', {next: item.attempt + 1});
            confirmDialog.returnValue = '';
            confirmDialog.showModal();
          }

          document.getElementById('player-confirm-cancel').addEventListener('click', function () { confirmDialog.close('cancel'); });
          confirmStart.addEventListener('click', function () { confirmDialog.close('start'); });
          confirmDialog.addEventListener('close', function () {
            var item = asked;
            asked = null;
            if (!item) return;
            if (confirmDialog.returnValue === 'start') { startNewAttempt(item); return; }
            // The contents may have been drawn anew meanwhile: focus goes back to the button that asked.
            focusIn(tocList, 'button[data-new-attempt="' + item.id + '"]');
          });

          function startNewAttempt(item) {
            say('');
            var running = !!current && current.sco === item.id;
            return (running ? unloadFrame() : Promise.resolve())
              .then(function () {
                return fetch('/api/attempt', {method: 'POST', headers: {'Content-Type': 'application/json'},
                  body: JSON.stringify({learner: learner, sco: item.id})});
              })
              .then(function (r) {
                return r.text().then(function (text) {
                  try { return JSON.parse(text); } catch (e) { return {ok: false, reason: text}; }
                });
              })
              .then(function (r) {
                if (!r.ok) {
                  say(t('player.attemptRefused', {reason: r.reason}));
                  return running ? closeStage() : refresh();
                }
                return launch(item.id).then(function (launched) {
                  if (launched) say(t('player.attemptStarted', {attempt: r.attempt, title: item.title, previous: r.previous}));
                });
              }, function (e) { say(t('player.attemptRefused', {reason: e})); });
          }

          window.LadderPlayer = {launch: launch, refresh: refresh, newAttempt: startNewAttempt};
          refresh();
        })();

        """#
}
