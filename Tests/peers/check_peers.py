#!/usr/bin/env python3
"""Run third-party SCORM 1.2 peers against the packages in a folder.

    python check_peers.py FOLDER [--browser] [--only NAME,...] [--json OUT]

FOLDER is searched recursively for *.zip (e.g. the output of
`ladder build ... --out FOLDER`). Every package goes through the importers of
the peers below, run from their own installed code; with --browser one package
per SCO kind is also played in headless Chromium against the peers' own SCORM
1.2 JavaScript API objects. See README.md beside this file for the install
command. A peer whose code is not installed is reported as skipped, never as
passed. Exits 1 when any check fails, 2 when nothing could be checked.
Closing line: 'N passed, N failed, N skipped'.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import http.server
import importlib.util
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

CP = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP = "http://www.adlnet.org/xsd/adlcp_rootv1p2"


# --------------------------------------------------------------------------- results

class Results:
    def __init__(self) -> None:
        self.passed = 0
        self.failed = 0
        self.skipped = 0
        self.records: list[dict] = []

    def ok(self, peer: str, pkg: str, what: str, detail: object = None) -> None:
        self.passed += 1
        self.records.append({"peer": peer, "package": pkg, "check": what, "result": "pass", "detail": detail})
        print(f"PASS {peer} {pkg}: {what}")

    def fail(self, peer: str, pkg: str, what: str, detail: object = None) -> None:
        self.failed += 1
        self.records.append({"peer": peer, "package": pkg, "check": what, "result": "fail", "detail": detail})
        print(f"FAIL {peer} {pkg}: {what}" + (f" -- {detail}" if detail is not None else ""))

    def skip(self, peer: str, why: str) -> None:
        self.skipped += 1
        self.records.append({"peer": peer, "package": "", "check": "available", "result": "skip", "detail": why})
        print(f"SKIP {peer}: {why}")

    def expect(self, peer: str, pkg: str, what: str, got: object, want: object) -> None:
        if got == want:
            self.ok(peer, pkg, what)
        else:
            self.fail(peer, pkg, what, f"got {got!r}, expected {want!r}")


# --------------------------------------------------------------------------- reference reading

def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def reference(zip_path: Path) -> dict:
    """What a SCORM 1.2 LMS should extract, read the way the specification says:
    default organization, items in document order, SCOs, xml:base ignored (Ladder
    never writes it)."""
    with zipfile.ZipFile(zip_path) as zf:
        root = ET.fromstring(zf.read("imsmanifest.xml"))
    orgs = root.find(f"{{{CP}}}organizations")
    default = orgs.get("default")
    org = next(o for o in orgs.findall(f"{{{CP}}}organization") if o.get("identifier") == default)
    resources = {r.get("identifier"): r for r in root.iter(f"{{{CP}}}resource")}
    items = []

    def walk(node: ET.Element) -> None:
        for item in node.findall(f"{{{CP}}}item"):
            ref = item.get("identifierref")
            if ref:
                res = resources[ref]
                items.append({
                    "identifier": item.get("identifier"),
                    "title": (item.findtext(f"{{{CP}}}title") or "").strip(),
                    "href": res.get("href"),
                    "scormtype": res.get(f"{{{ADLCP}}}scormtype"),
                    "mastery": item.findtext(f"{{{ADLCP}}}masteryscore"),
                    "prerequisites": item.findtext(f"{{{ADLCP}}}prerequisites"),
                })
            walk(item)

    walk(org)
    first_resource_with_href = next((r for r in root.iter(f"{{{CP}}}resource") if r.get("href")), None)
    return {
        "title": (org.findtext(f"{{{CP}}}title") or "").strip(),
        "schemaversion": root.findtext(f"{{{CP}}}metadata/{{{CP}}}schemaversion"),
        "items": items,
        "scos": [i for i in items if i["scormtype"] == "sco"],
        "first_resource_href": first_resource_with_href.get("href") if first_resource_with_href is not None else None,
        "resource_order": [r.get("identifier") for r in root.iter(f"{{{CP}}}resource")],
    }


# --------------------------------------------------------------------------- peers: importers

def have(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def peer_source_functions(module: str, relpath: str, names: list[str]) -> dict:
    """Loads chosen methods of a peer's module from its installed source without
    importing the module (its imports need a whole LMS: Wagtail, Open edX)."""
    spec = importlib.util.find_spec(module)
    path = Path(spec.submodule_search_locations[0]) / relpath
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name in names and node.name not in found:
            found[node.name] = node
    missing = [n for n in names if n not in found]
    if missing:
        raise RuntimeError(f"{path}: functions {missing} not found (peer version changed?)")
    namespace: dict = {}
    import xml.etree.ElementTree as _ET  # the peers' own imports
    namespace["ET"] = _ET
    try:
        from lxml import etree as _etree
        namespace["etree"] = _etree
    except ImportError:
        pass
    namespace["ScormVersions"] = type("ScormVersions", (), {"__getitem__": lambda s, k: None})
    mod = ast.Module(body=[found[n] for n in names], type_ignores=[])
    exec(compile(mod, str(path), "exec"), namespace)
    return {n: namespace[n] for n in names}, path


_django_ready = False


def setup_django(media_root: str) -> None:
    global _django_ready
    if _django_ready:
        return
    import django
    from django.conf import settings
    settings.configure(MEDIA_ROOT=media_root, USE_TZ=True, CACHES={
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}})
    django.setup()
    _django_ready = True


def make_xblock(field_data: dict | None = None):
    from unittest import mock
    from xblock.field_data import DictFieldData
    from openedxscorm.scormxblock import ScormXBlock
    from django.core.files.storage import FileSystemStorage
    from django.conf import settings
    runtime = mock.Mock()
    runtime.service.return_value = None          # no settings service: defaults
    runtime.handler_url = lambda block, name, *a, **k: f"/xblock/handler/{name}"
    block = ScormXBlock(runtime, DictFieldData(dict(field_data or {})), mock.Mock())
    block.location = mock.Mock(block_id="block_id", org="org", course="course", block_type="scorm")
    block.scope_ids = mock.Mock(usage_id="block-v1:Ladder+peers+run+type@scorm+block@peer")
    block._storage = FileSystemStorage(location=settings.MEDIA_ROOT)
    return block


def check_openedx(res: Results, zips: list[Path], work: Path) -> None:
    """openedx-scorm-xblock: the Studio upload path (studio_submit): update_package_meta,
    extract_package, update_package_fields; then what the student view shows."""
    peer = "openedx-scorm-xblock"
    if not (have("openedxscorm") and have("django") and have("xblock")):
        res.skip(peer, "pip install openedx-scorm-xblock django")
        return
    setup_django(str(work / "openedx-media"))
    from openedxscorm.scormxblock import ScormError
    for z in zips:
        name = z.name
        ref = reference(z)
        block = make_xblock({"has_score": True})
        try:
            fh = io.BytesIO(z.read_bytes())
            fh.name = name  # Django's UploadedFile has the upload's name
            block.update_package_meta(fh)
            block.clean_storage()
            block.extract_package(fh)
            block.update_package_fields()
        except (ScormError, Exception) as e:  # noqa: BLE001 - any crash is a rejection
            res.fail(peer, name, "import (studio_submit)", f"{type(e).__name__}: {e}")
            continue
        res.ok(peer, name, "import (studio_submit)")
        # The XBlock launches the first <resource> having an href, in document order,
        # not the first item of the default organization.
        want = ref["scos"][0]["href"] if ref["scos"] else None
        res.expect(peer, name, "launch = first SCO of the default organization", block.index_page_path, want)
        res.expect(peer, name, "scorm_version", block.scorm_version, "SCORM_12")
        res.expect(peer, name, "package warnings", list(block.package_warnings or []), [])
        menu = block.navigation_menu or ""
        missing = [s["title"] for s in ref["scos"] if _html_escape(s["title"]) not in menu and s["title"] not in menu]
        res.expect(peer, name, "navigation menu lists every SCO", missing, [])
        launch_file = Path(block.storage.path(os.path.join(block.extract_folder_path, block.index_page_path)))
        res.expect(peer, name, "launch file extracted", launch_file.is_file(), True)
        # Every file a SCO page loads, fetched the way the browser does under the XBlock's
        # default PROXY_ASSETS_LMS: a URL relative to .../assets_proxy/<sco href>, served by
        # ScormXBlock.assets_proxy (clean_asset_path refuses '..' segments in what it gets).
        from webob import Request
        bad = []
        checked = 0
        with zipfile.ZipFile(z) as zf:
            for sco in ref["scos"]:
                page = zf.read(urllib.parse.unquote(sco["href"].split("?")[0])).decode("utf-8", "replace")
                for url in sorted(set(re.findall(r'(?:src|href)="([^"]+)"', page))):
                    if re.match(r"^(?:[a-z][a-z0-9+.-]*:|#|//|/)", url, re.I):
                        continue
                    joined = urllib.parse.urljoin("http://lms.invalid/assets_proxy/" + sco["href"], url)
                    suffix = urllib.parse.urlparse(joined).path.split("/assets_proxy/", 1)[-1]
                    checked += 1
                    resp = block.assets_proxy(Request.blank("/"), suffix)
                    want = zf.read(urllib.parse.unquote(suffix))
                    if resp.status_code != 200 or resp.body != want:
                        bad.append((sco["href"], url, resp.status_code))
                    elif suffix.endswith(".js") and "javascript" not in (resp.content_type or ""):
                        bad.append((sco["href"], url, resp.content_type))
                    elif suffix.endswith(".css") and resp.content_type != "text/css":
                        bad.append((sco["href"], url, resp.content_type))
        if not checked:
            bad.append("no relative asset found in any SCO page (page contract changed?)")
        res.expect(peer, name, "SCO assets served by assets_proxy (status, bytes, type)", bad, [])


def _html_escape(s: str) -> str:
    import html
    return html.escape(s)


def check_scormhost(res: Results, zips: list[Path], work: Path) -> None:
    """scormhost: extract_scorm_zip (zip safety checks, then ingest and parse_imsmanifest)."""
    peer = "scormhost"
    if not have("scormhost"):
        res.skip(peer, "pip install scormhost")
        return
    from scormhost.config import HostSettings
    from scormhost.storage import PackageStore
    from scormhost.packages import extract_scorm_zip
    from scormhost.paths import is_safe_launch_href
    store = PackageStore(HostSettings(data_dir=work / "scormhost-data"))
    for z in zips:
        name = z.name
        ref = reference(z)
        try:
            pid = extract_scorm_zip(store, z.read_bytes(), name)
        except Exception as e:  # noqa: BLE001
            res.fail(peer, name, "upload (extract_scorm_zip)", f"{type(e).__name__}: {e}")
            continue
        res.ok(peer, name, "upload (extract_scorm_zip)")
        m = store.load_meta(pid)["manifest"]
        res.expect(peer, name, "schema_version", m["schema_version"], "1.2")
        res.expect(peer, name, "title = default organization title", m["title"], ref["title"])
        got = [(l["identifier"], l["href"]) for l in m["launches"]]
        want = [(s["identifier"], s["href"]) for s in ref["scos"]]
        res.expect(peer, name, "launches = SCOs in order", got, want)
        unsafe = [l["href"] for l in m["launches"] if not is_safe_launch_href(l["href"])]
        res.expect(peer, name, "launch hrefs accepted by is_safe_launch_href", unsafe, [])
        root = store.package_root(pid)
        absent = [l["href"] for l in m["launches"] if not (root / urllib.parse.unquote(l["href"].split("?")[0])).is_file()]
        res.expect(peer, name, "launch files present", absent, [])


def check_wagtail(res: Results, zips: list[Path], work: Path) -> None:
    """wagtail-lms: SCORMPackage.parse_manifest / get_manifest_title / get_scorm_version,
    run from the installed models.py (the module itself needs a Wagtail site)."""
    peer = "wagtail-lms"
    if not have("wagtail_lms"):
        res.skip(peer, "pip install --no-deps wagtail-lms")
        return
    try:
        fns, path = peer_source_functions("wagtail_lms", "models.py",
                                          ["parse_manifest", "get_manifest_title", "get_scorm_version"])
    except RuntimeError as e:
        res.fail(peer, "-", "load peer code", str(e))
        return
    for z in zips:
        name = z.name
        ref = reference(z)
        with zipfile.ZipFile(z) as zf:
            # extract_package keeps the manifest only if a member is exactly "imsmanifest.xml"
            names = zf.namelist()
            if "imsmanifest.xml" not in names:
                res.fail(peer, name, "imsmanifest.xml at the zip root (extract_package)", names[:5])
                continue
            data = zf.read("imsmanifest.xml")
        obj = type("Pkg", (), {})()
        obj.launch_url = ""
        obj.title = ""
        for k, f in fns.items():
            setattr(obj, k, f.__get__(obj))
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            obj.parse_manifest(io.BytesIO(data))
        if out.getvalue().strip():
            res.fail(peer, name, "parse_manifest", out.getvalue().strip())
            continue
        want = ref["scos"][0]["href"] if ref["scos"] else ""
        res.expect(peer, name, "launch_url = first SCO (first webcontent resource)", obj.launch_url, want)
        res.expect(peer, name, "title", obj.manifest_data.get("title"), ref["title"])
        res.expect(peer, name, "version", obj.manifest_data.get("version"), "1.2")


def check_abstract(res: Results, zips: list[Path], work: Path) -> None:
    """abstract-scorm-xblock: _update_scorm_index / _update_scorm_version (lxml)."""
    peer = "abstract-scorm-xblock"
    if not (have("abstract_scorm_xblock") and have("lxml")):
        res.skip(peer, "pip install --no-deps abstract-scorm-xblock; pip install lxml")
        return
    try:
        fns, path = peer_source_functions("abstract_scorm_xblock", "scormxblock.py",
                                          ["_update_scorm_index", "_update_scorm_version"])
    except RuntimeError as e:
        res.fail(peer, "-", "load peer code", str(e))
        return
    for z in zips:
        name = z.name
        ref = reference(z)
        with zipfile.ZipFile(z) as zf:
            data = zf.read("imsmanifest.xml")
        obj = type("Blk", (), {})()
        obj.scorm_index = None
        obj._scorm_version = None
        for k, f in fns.items():
            setattr(obj, k, f.__get__(obj))
        try:
            obj._update_scorm_index(data)
            obj._update_scorm_version(data)
        except Exception as e:  # noqa: BLE001
            res.fail(peer, name, "read manifest", f"{type(e).__name__}: {e}")
            continue
        want = ref["scos"][0]["href"] if ref["scos"] else None
        # It takes the first <resource> in document order, href or not.
        res.expect(peer, name, "scorm_index = first SCO (first resource)", obj.scorm_index, want)
        res.expect(peer, name, "scorm version text", obj._scorm_version, "1.2")


# --------------------------------------------------------------------------- browser

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def find_chromium() -> str | None:
    for c in ("chromium", "chromium-browser", "google-chrome"):
        p = shutil.which(c)
        if p:
            return p
    return None


class Browser:
    """Headless Chromium driven over the DevTools protocol (websocket-client)."""

    def __init__(self, work: Path) -> None:
        import websocket  # websocket-client
        self.profile = Path(tempfile.mkdtemp(prefix="chromium-", dir=work))
        self.proc = subprocess.Popen([
            find_chromium(), "--headless=new", "--no-sandbox", "--disable-gpu",
            "--no-first-run", "--no-default-browser-check", "--disable-extensions",
            "--remote-debugging-port=0", "--remote-allow-origins=*",
            f"--user-data-dir={self.profile}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = self.profile / "DevToolsActivePort"
        deadline = time.time() + 30
        while not port_file.exists() or not port_file.read_text().strip():
            if time.time() > deadline or self.proc.poll() is not None:
                raise RuntimeError("chromium did not start")
            time.sleep(0.1)
        port = int(port_file.read_text().split()[0])
        targets = []
        while not targets:
            targets = [t for t in json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list"))
                       if t.get("type") == "page"]
            time.sleep(0.1)
        self.ws = websocket.create_connection(targets[0]["webSocketDebuggerUrl"], timeout=30)
        self.seq = 0
        self.console: list[str] = []
        self.send("Runtime.enable")
        self.send("Page.enable")

    def send(self, method: str, **params):
        self.seq += 1
        my = self.seq
        self.ws.send(json.dumps({"id": my, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("method") == "Runtime.consoleAPICalled":
                args = msg["params"].get("args", [])
                self.console.append(msg["params"]["type"] + ": " + " ".join(
                    str(a.get("value", a.get("description", ""))) for a in args))
            if msg.get("method") == "Runtime.exceptionThrown":
                d = msg["params"]["exceptionDetails"]
                self.console.append("exception: " + str(d.get("exception", {}).get("description", d.get("text"))))
            if msg.get("id") == my:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})

    def eval(self, expr: str):
        r = self.send("Runtime.evaluate", expression=expr, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in r:
            raise RuntimeError(r["exceptionDetails"].get("exception", {}).get("description", str(r["exceptionDetails"])))
        return r["result"].get("value")

    def wait(self, expr: str, timeout: float = 15.0):
        deadline = time.time() + timeout
        last = None
        while time.time() < deadline:
            try:
                last = self.eval(expr)
                if last:
                    return last
            except RuntimeError:
                pass
            time.sleep(0.1)
        raise TimeoutError(f"timed out waiting for {expr}")

    def goto(self, url: str) -> None:
        self.send("Page.navigate", url=url)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.ws.close()
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


# JavaScript run in the host (parent) page: plays the SCO in iframe#F like a learner.
DRIVE_JS = r"""
(async () => {
  const f = document.getElementById(FRAME_ID);
  const w = f.contentWindow, d = f.contentDocument;
  const sleep = ms => new Promise(r => setTimeout(r, ms));
  const cfg = JSON.parse(d.getElementById('ladder-sco').textContent);
  const click = el => el.dispatchEvent(new w.MouseEvent('click', {bubbles: true, cancelable: true}));
  const out = {kind: cfg.kind};
  if (cfg.kind === 'assessment') {
    // first a wrong attempt, then Try again, then all correct
    for (const q of cfg.questions) {
      const wrong = q.options.find(o => !q.correct.includes(o)) || q.options[0];
      const el = d.getElementById('q-' + q.id + '-' + wrong);
      el.checked = true; el.dispatchEvent(new w.Event('change', {bubbles: true}));
    }
    d.querySelector('#ladder-quiz').requestSubmit();
    await sleep(200);
    out.first = d.getElementById('ladder-result').textContent.trim();
    const retry = d.querySelector('button[data-action=retry]');
    if (retry && !retry.hidden) click(retry);
    await sleep(100);
    for (const q of cfg.questions) {
      for (const o of q.options) {
        const el = d.getElementById('q-' + q.id + '-' + o);
        const want = q.correct.includes(o);
        if (el.checked !== want) { el.checked = want; el.dispatchEvent(new w.Event('change', {bubbles: true})); }
      }
    }
    d.querySelector('#ladder-quiz').requestSubmit();
    await sleep(200);
    out.second = d.getElementById('ladder-result').textContent.trim();
    out.questions = cfg.questions.length;
  } else if (cfg.kind === 'module') {
    for (let k = 1; k < cfg.pages; k++) { click(d.querySelector('[data-action=next]')); await sleep(50); }
    click(d.querySelector('[data-action=finish]'));
    await sleep(200);
  } else {
    for (const b of d.querySelectorAll('#ladder-signoff input[type=checkbox]')) b.checked = true;
    d.getElementById('ladder-observer').value = 'Sam Lee';
    d.getElementById('ladder-date').value = '2024-05-01';
    d.querySelector('#ladder-signoff').requestSubmit();
    await sleep(200);
    out.behaviours = cfg.behaviours.length;
  }
  const s = w.LadderRuntime && w.LadderRuntime.instance && w.LadderRuntime.instance.session;
  out.preview = s ? s.view().preview : null;
  out.errors = s ? s.errors : null;
  out.status = s ? s.view().status : null;
  out.notice = d.getElementById('ladder-notice').hidden ? '' : d.getElementById('ladder-notice').textContent.trim();
  // leave the SCO like a learner closing it: pagehide on the SCO document
  f.src = 'about:blank';
  await sleep(1500);
  return out;
})()
"""


# Second launch of the same SCO with what the LMS stored: the learner comes back.
RELAUNCH_JS = r"""
(async () => {
  const f = document.getElementById(FRAME_ID);
  const w = f.contentWindow, d = f.contentDocument;
  const sleep = ms => new Promise(r => setTimeout(r, ms));
  await sleep(800);
  const s = w.LadderRuntime.instance.session;
  const v = s.view();
  const out = {status: v.status, quiz: v.quiz ? v.quiz.state : null,
               signoff: v.signoff ? v.signoff.complete : null, errors: s.errors};
  f.src = 'about:blank';
  await sleep(1500);
  return out;
})()
"""

SESSION_READY = "(() => { const f = document.getElementById(FRAME_ID); return !!(f && f.contentWindow && f.contentWindow.LadderRuntime && f.contentWindow.LadderRuntime.instance && f.contentWindow.LadderRuntime.instance.session && f.contentWindow.LadderRuntime.instance.session.started); })()"


def expect_relaunch(res: Results, peer: str, label: str, kind: str, back: dict, lms_status) -> None:
    """After a pass/completion the learner relaunches: nothing may go backwards."""
    want = "passed" if kind == "assessment" else "completed"
    res.expect(peer, label, "relaunch: SCO sees its earlier result", back.get("status"), want)
    res.expect(peer, label, "relaunch: LMS status not downgraded", lms_status, want)
    if kind == "assessment":
        res.expect(peer, label, "relaunch: quiz shown as submitted", back.get("quiz"), "submitted")


class Handler(http.server.SimpleHTTPRequestHandler):
    routes: dict = {}
    root: str = "."

    def __init__(self, *a, **k):
        super().__init__(*a, directory=self.root, **k)

    def log_message(self, *a):  # quiet
        pass

    def _route(self, method: str):
        path = urllib.parse.urlparse(self.path).path
        for (m, prefix), fn in self.routes.items():
            if m == method and path.startswith(prefix):
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n) if n else b""
                status, ctype, payload = fn(self, path, body)
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
                return True
        return False

    def do_GET(self):
        if not self._route("GET"):
            super().do_GET()

    def do_POST(self):
        if not self._route("POST"):
            self.send_error(404)

    def do_PUT(self):
        if not self._route("PUT"):
            self.send_error(404)


def serve(root: Path, routes: dict):
    handler = type("H", (Handler,), {"routes": routes, "root": str(root)})
    port = free_port()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    return httpd, port


def json_reply(obj, status=200):
    return status, "application/json", json.dumps(obj).encode()


def expect_run(res: Results, peer: str, label: str, out: dict, state: dict, cfg_kind: str) -> None:
    """What every LMS should have after DRIVE_JS: common to the three API peers."""
    res.expect(peer, label, "SCO found the API (not preview)", out.get("preview"), False)
    errs = out.get("errors") or []
    res.expect(peer, label, "no API call rejected (session.errors)", [(e.get("fn"), e.get("element"), e.get("code"), e.get("message")) for e in errs], [])
    want_status = {"assessment": "passed", "module": "completed", "shadowing": "completed"}[cfg_kind]
    res.expect(peer, label, "LMS recorded lesson_status", state.get("cmi.core.lesson_status"), want_status)
    if cfg_kind == "assessment":
        res.expect(peer, label, "LMS recorded score.raw", state.get("cmi.core.score.raw"), "100")
        ids = sorted(k for k in state if re.match(r"cmi\.interactions\.\d+\.id$", k))
        res.expect(peer, label, "interactions recorded (2 attempts)", len(ids), 2 * out.get("questions", 0))
    if cfg_kind == "shadowing":
        res.expect(peer, label, "comments recorded", bool(state.get("cmi.comments")), True)
    res.expect(peer, label, "suspend_data recorded", bool(state.get("cmi.suspend_data")), True)


def pick_scos(zips: list[Path]) -> list[tuple[Path, dict]]:
    """One SCO per kind (module, assessment, shadowing), first found."""
    chosen: dict[str, tuple[Path, dict]] = {}
    for z in zips:
        for s in reference(z)["scos"]:
            kind = s["identifier"].rsplit("-", 1)[-1]
            if kind in ("module", "assessment", "shadowing") and kind not in chosen:
                chosen[kind] = (z, s)
    return [chosen[k] for k in ("module", "assessment", "shadowing") if k in chosen]


XBLOCK_HOST = """<!doctype html><html><head><meta charset="utf-8">
<script src="/peer/jquery.js"></script>
<script src="/peer/scorm.js"></script>
<script src="/peer/scormxblock.js"></script></head><body>
<div id="xb"><div class="scorm-xblock"><div class="scorm-pane">
<iframe id="F" class="scorm-embedded" src="LAUNCH"></iframe></div></div></div>
<script>
var runtime = {handlerUrl: function (el, name) { return '/xblock/handler/' + name; }};
ScormXBlock(runtime, document.getElementById('xb'), SETTINGS);
</script></body></html>"""


def run_openedx_js(res: Results, browser: Browser, scos, work: Path) -> None:
    peer = "openedx-scorm-xblock JS API"
    if not (have("openedxscorm") and have("django") and have("xblock")):
        res.skip(peer, "pip install openedx-scorm-xblock django")
        return
    jquery = next((p for p in ("/usr/share/javascript/jquery/jquery.min.js",
                               "/usr/share/javascript/jquery/jquery.js") if Path(p).is_file()), None)
    if not jquery:
        res.skip(peer, "the XBlock's JS needs jQuery: apt-get install libjs-jquery")
        return
    setup_django(str(work / "openedx-media"))
    from webob import Request
    static = Path(importlib.util.find_spec("openedxscorm").submodule_search_locations[0]) / "static/js/src"
    for z, sco in scos:
        label = f"{z.name}#{sco['identifier']}"
        site = Path(tempfile.mkdtemp(prefix="xb-", dir=work))
        with zipfile.ZipFile(z) as zf:
            zf.extractall(site / "pkg")
        (site / "peer").mkdir()
        shutil.copy(jquery, site / "peer/jquery.js")
        for f in ("scorm.js", "scormxblock.js"):
            shutil.copy(static / f, site / "peer" / f)
        block = make_xblock({"has_score": True, "weight": 1.0})
        block.initialize_student_info = lambda: None
        lock = threading.Lock()
        rejected: list = []

        def handler(name):
            def fn(h, path, body):
                req = Request.blank("/", method="POST", body=body)
                with lock:
                    resp = getattr(block, name)(req)
                if resp.status_code != 200:
                    rejected.append((name, body.decode(errors="replace"), resp.status_code, resp.body.decode(errors="replace")))
                return resp.status_code, resp.content_type or "application/json", resp.body
            return fn
        routes = {("POST", f"/xblock/handler/{n}"): handler(n) for n in
                  ("scorm_set_values", "scorm_set_value", "scorm_get_value", "scorm_initialize", "scorm_terminate")}
        settings = {"scorm_version": "SCORM_12", "popup_on_launch": False, "popup_width": 800,
                    "popup_height": 800, "scorm_data": dict(block.scorm_data), "block_height": 450,
                    "tracking_enabled": False}
        page = XBLOCK_HOST.replace("LAUNCH", "/pkg/" + sco["href"]).replace("SETTINGS", json.dumps(settings))
        (site / "host.html").write_text(page, encoding="utf-8")
        httpd, port = serve(site, routes)
        try:
            browser.goto(f"http://127.0.0.1:{port}/host.html")
            browser.wait(SESSION_READY.replace("FRAME_ID", "'F'"))
            out = browser.eval(DRIVE_JS.replace("FRAME_ID", "'F'"))
            time.sleep(0.5)
            state = dict(block.scorm_data)
            # The XBlock keeps the status in its own fields, not in scorm_data
            print(f"  {peer} {label}: lesson_status={block.lesson_status} success_status={block.success_status} "
                  f"lesson_score={block.lesson_score} grade={block.get_grade()} keys={len(state)}")
            expect_run(res, peer, label, out, state, out["kind"])
            res.expect(peer, label, "handlers accepted every value (HTTP 200)", rejected, [])
            if out["kind"] == "assessment":
                res.expect(peer, label, "XBlock grade (lesson_score)", block.lesson_score, 1.0)
                res.expect(peer, label, "XBlock success_status", block.success_status, "passed")
            else:
                res.expect(peer, label, "XBlock completion (lesson_status)", block.lesson_status, "completed")
            # relaunch: student_view hands the stored scorm_data to the page again
            settings["scorm_data"] = dict(block.scorm_data)
            (site / "host.html").write_text(
                XBLOCK_HOST.replace("LAUNCH", "/pkg/" + sco["href"]).replace("SETTINGS", json.dumps(settings)), encoding="utf-8")
            browser.goto(f"http://127.0.0.1:{port}/host.html?again")
            browser.wait(SESSION_READY.replace("FRAME_ID", "'F'"))
            back = browser.eval(RELAUNCH_JS.replace("FRAME_ID", "'F'"))
            time.sleep(0.3)
            lms = block.success_status if out["kind"] == "assessment" and block.lesson_status == "completed" else block.lesson_status
            if out["kind"] == "assessment" and block.lesson_status != "completed":
                lms = block.lesson_status
            print(f"  {peer} {label}: relaunch SCO status={back.get('status')} XBlock lesson_status={block.lesson_status} success_status={block.success_status}")
            expect_relaunch(res, peer, label, out["kind"], back, lms)
        except Exception as e:  # noqa: BLE001
            res.fail(peer, label, "run", f"{type(e).__name__}: {e}; console: {browser.console[-5:]}")
        finally:
            httpd.shutdown()


def run_scormhost_js(res: Results, browser: Browser, scos, work: Path) -> None:
    """The real scormhost FastAPI app under uvicorn on 127.0.0.1, its own
    scorm12-api.js in its own launcher page; the stored session JSON is read back."""
    peer = "scormhost JS API"
    if not (have("scormhost") and have("uvicorn")):
        res.skip(peer, "pip install scormhost")
        return
    for z, sco in scos:
        label = f"{z.name}#{sco['identifier']}"
        data = Path(tempfile.mkdtemp(prefix="scormhost-", dir=work))
        port = free_port()
        code = ("import sys, uvicorn\nfrom scormhost.app import create_scorm_app\n"
                f"app = create_scorm_app(data_dir={str(data)!r}, secret_key='peer-check')\n"
                f"uvicorn.run(app, host='127.0.0.1', port={port}, log_level='warning')\n")
        proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            deadline = time.time() + 30
            while True:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2)
                    break
                except Exception:  # noqa: BLE001
                    if time.time() > deadline or proc.poll() is not None:
                        raise RuntimeError("scormhost did not start: " + (proc.stderr.read().decode()[-500:] if proc.poll() is not None else "timeout"))
                    time.sleep(0.2)
            from scormhost.config import HostSettings
            from scormhost.storage import PackageStore
            from scormhost.packages import extract_scorm_zip
            store = PackageStore(HostSettings(data_dir=data.resolve()))
            pid = extract_scorm_zip(store, z.read_bytes(), z.name)
            launch = urllib.parse.quote(sco["href"], safe="")
            browser.goto(f"http://127.0.0.1:{port}/launch/{pid}?launch={launch}")
            browser.wait(SESSION_READY.replace("FRAME_ID", "'scormhost-content'"))
            out = browser.eval(DRIVE_JS.replace("FRAME_ID", "'scormhost-content'"))
            time.sleep(0.5)
            files = list((data / "sessions" / pid).glob("*.json")) if (data / "sessions" / pid).is_dir() else list(data.rglob("sessions/**/*.json"))
            state = json.loads(files[0].read_text())["elements"] if files else {}
            print(f"  {peer} {label}: session files={len(files)} lesson_status={state.get('cmi.core.lesson_status')} raw={state.get('cmi.core.score.raw')}")
            expect_run(res, peer, label, out, state, out["kind"])
            browser.goto(f"http://127.0.0.1:{port}/launch/{pid}?launch={launch}&again=1")
            browser.wait(SESSION_READY.replace("FRAME_ID", "'scormhost-content'"))
            back = browser.eval(RELAUNCH_JS.replace("FRAME_ID", "'scormhost-content'"))
            time.sleep(0.5)
            state = json.loads(files[0].read_text())["elements"] if files else {}
            expect_relaunch(res, peer, label, out["kind"], back, state.get("cmi.core.lesson_status"))
        except Exception as e:  # noqa: BLE001
            res.fail(peer, label, "run", f"{type(e).__name__}: {e}; console: {browser.console[-5:]}")
        finally:
            proc.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(10)


def run_wagtail_js(res: Results, browser: Browser, scos, work: Path) -> None:
    """wagtail-lms: the API object from its scorm_player.html template (the Django
    tags replaced by a local endpoint); the endpoint stores what it is sent the way
    its views.scorm_api_endpoint dispatches (Initialize/Terminate/GetValue/SetValue/...)."""
    peer = "wagtail-lms JS API"
    if not have("wagtail_lms"):
        res.skip(peer, "pip install --no-deps wagtail-lms")
        return
    tpl = Path(importlib.util.find_spec("wagtail_lms").submodule_search_locations[0]) / "templates/wagtail_lms/scorm_player.html"
    text = tpl.read_text(encoding="utf-8")
    m = re.search(r"<script>(.*?)</script>", text, re.S)
    if not m:
        res.fail(peer, "-", "find the API script in scorm_player.html", str(tpl))
        return
    script = m.group(1)
    script = re.sub(r"\{%\s*url [^%]*%\}", "/wagtail/api", script).replace("{{ csrf_token }}", "x")
    for z, sco in scos:
        label = f"{z.name}#{sco['identifier']}"
        site = Path(tempfile.mkdtemp(prefix="wagtail-", dir=work))
        with zipfile.ZipFile(z) as zf:
            zf.extractall(site / "pkg")
        store: dict = {}
        calls: list = []

        def api(h, path, body):
            d = json.loads(body or b"{}")
            method, params = d.get("method"), d.get("parameters") or []
            calls.append(method)
            if method == "GetValue":
                return json_reply({"result": store.get(params[0], {"cmi.core.entry": "ab-initio"}.get(params[0], "")), "errorCode": "0"})
            if method == "SetValue":
                store[params[0]] = params[1]
            if method in ("Initialize", "Terminate", "SetValue", "Commit"):
                return json_reply({"result": "true", "errorCode": "0"})
            if method == "GetLastError":
                return json_reply({"result": "0", "errorCode": "0"})
            if method in ("GetErrorString", "GetDiagnostic"):
                return json_reply({"result": "", "errorCode": "0"})
            return json_reply({"result": "false", "errorCode": "201"})
        page = ('<!doctype html><html><head><meta charset="utf-8"></head><body>'
                '<span id="scorm-status"></span>'
                f'<iframe id="scorm-frame" src="/pkg/{sco["href"]}"></iframe><script>{script}</script></body></html>')
        (site / "host.html").write_text(page, encoding="utf-8")
        httpd, port = serve(site, {("POST", "/wagtail/api"): api})
        try:
            browser.goto(f"http://127.0.0.1:{port}/host.html")
            browser.wait(SESSION_READY.replace("FRAME_ID", "'scorm-frame'"))
            out = browser.eval(DRIVE_JS.replace("FRAME_ID", "'scorm-frame'"))
            time.sleep(0.5)
            print(f"  {peer} {label}: lesson_status={store.get('cmi.core.lesson_status')} Terminate sent={'Terminate' in calls}")
            expect_run(res, peer, label, out, store, out["kind"])
            res.expect(peer, label, "session terminated (Terminate reached the LMS)", "Terminate" in calls, True)
            browser.goto(f"http://127.0.0.1:{port}/host.html?again")
            browser.wait(SESSION_READY.replace("FRAME_ID", "'scorm-frame'"))
            back = browser.eval(RELAUNCH_JS.replace("FRAME_ID", "'scorm-frame'"))
            expect_relaunch(res, peer, label, out["kind"], back, store.get("cmi.core.lesson_status"))
        except Exception as e:  # noqa: BLE001
            res.fail(peer, label, "run", f"{type(e).__name__}: {e}; console: {browser.console[-5:]}")
        finally:
            httpd.shutdown()


# --------------------------------------------------------------------------- main

IMPORTERS = {"openedx": check_openedx, "scormhost": check_scormhost, "wagtail": check_wagtail, "abstract": check_abstract}
PLAYERS = {"openedx-js": run_openedx_js, "scormhost-js": run_scormhost_js, "wagtail-js": run_wagtail_js}


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", type=Path)
    ap.add_argument("--browser", action="store_true", help="also play SCOs in headless Chromium against the peers' JS APIs")
    ap.add_argument("--only", default="", help="comma-separated peers: " + ",".join([*IMPORTERS, *PLAYERS]))
    ap.add_argument("--json", type=Path, help="write every check as JSON here")
    args = ap.parse_args(argv)
    if not args.folder.is_dir():
        print(f"error: {args.folder}: not a folder", file=sys.stderr)
        return 2
    zips = sorted(p for p in args.folder.rglob("*.zip") if p.is_file())
    if not zips:
        print(f"error: no .zip under {args.folder}", file=sys.stderr)
        return 2
    only = {s for s in args.only.split(",") if s}
    res = Results()
    work = Path(tempfile.mkdtemp(prefix="ladder-peers-"))
    try:
        for name, fn in IMPORTERS.items():
            if only and name not in only:
                continue
            try:
                fn(res, zips, work)
            except Exception as e:  # noqa: BLE001
                res.fail(name, "-", "peer crashed", traceback.format_exc(limit=3))
        if args.browser:
            scos = pick_scos(zips)
            wanted = [(n, f) for n, f in PLAYERS.items() if not only or n in only]
            if not find_chromium():
                res.skip("browser", "chromium not found (apt-get install chromium)")
            elif not have("websocket"):
                res.skip("browser", "pip install websocket-client")
            elif wanted:
                browser = Browser(work)
                try:
                    for n, fn in wanted:
                        fn(res, browser, scos, work)
                finally:
                    browser.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(res.records, indent=1, default=str), encoding="utf-8")
    print(f"{res.passed} passed, {res.failed} failed, {res.skipped} skipped")
    if res.failed:
        return 1
    return 0 if res.passed else 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
