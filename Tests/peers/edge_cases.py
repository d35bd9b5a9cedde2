#!/usr/bin/env python3
"""Hand-made third-party SCORM packages through `ladder validate`.

    python edge_cases.py [--ladder PATH] [--keep DIR] [--lms generic|moodle|talentlms]

Builds small packages the way other authoring tools write them (valid ones that an
LMS imports, and broken ones it does not), runs `ladder validate --format json` on
each and compares the verdict with what a SCORM 1.2 LMS does with it. A valid
package that ladder rejects is a false positive; a broken one it accepts is a
false negative. Needs only Python and the ladder binary.
Closing line: 'N passed, N failed'.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

CP12 = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADL12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"

SCO_HTML = """<!doctype html><html><head><meta charset="utf-8"><title>SCO</title>
<script>
function findAPI(w){var n=0;while(w&&!w.API&&w.parent&&w.parent!==w&&n++<500)w=w.parent;return w&&w.API||null;}
var api=findAPI(window);if(api){api.LMSInitialize("");api.LMSSetValue("cmi.core.lesson_status","completed");api.LMSCommit("");}
window.addEventListener("pagehide",function(){if(api)api.LMSFinish("");});
</script></head><body><h1>Hello</h1></body></html>
"""


def manifest(resources: str, *, items: str | None = None, prefix: str = "adlcp", head: str = "",
             metadata: str = "<metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>",
             orgs: str | None = None, ns: str = CP12, adl: str = ADL12, root_extra: str = "") -> str:
    if items is None:
        items = '<item identifier="I1" identifierref="R1"><title>Lesson 1</title></item>'
    if orgs is None:
        orgs = (f'<organizations default="O1"><organization identifier="O1"><title>Course</title>'
                f'{items}</organization></organizations>')
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n{head}'
            f'<manifest identifier="MANIFEST-1" version="1.0" xmlns="{ns}" xmlns:{prefix}="{adl}"'
            f' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
            f' xsi:schemaLocation="{ns} imscp_rootv1p1p2.xsd {adl} adlcp_rootv1p2.xsd"{root_extra}>\n'
            f'{metadata}\n{orgs}\n<resources{"" if "<resources" in resources else ""}>{resources}</resources>\n</manifest>\n')


def res(href: str = "index.html", files: list[str] | None = None, prefix: str = "adlcp", scormtype: str | None = "sco",
        ident: str = "R1", extra: str = "") -> str:
    st = f' {prefix}:scormtype="{scormtype}"' if scormtype else ""
    fl = "".join(f'<file href="{f}"/>' for f in (files if files is not None else [href.split("?")[0]]))
    return f'<resource identifier="{ident}" type="webcontent"{st} href="{href}"{extra}>{fl}</resource>'


# name -> (entries {zip name: bytes|str}, should ladder accept it?, why)
def cases() -> dict:
    base = {"imsmanifest.xml": manifest(res()), "index.html": SCO_HTML}
    c = {}
    c["base"] = (base, True, "minimal SCORM 1.2 package, no .xsd files shipped (they are optional)")
    c["with-dir-entries"] = ({"content/": b"", **{k: v for k, v in base.items()}}, True,
                             "zip with directory entries (most zip tools write them)")
    c["manifest-in-subfolder"] = ({f"course/{k}": v for k, v in base.items()}, False,
                                  "manifest must be at the package root (IMS CP 1.1.2; Moodle and TalentLMS refuse it)")
    c["uppercase-IMSMANIFEST.XML"] = ({"IMSMANIFEST.XML": base["imsmanifest.xml"], "index.html": SCO_HTML}, False,
                                      "the name is case-sensitive on Linux LMSs")
    c["scorm-2004"] = ({"imsmanifest.xml": manifest(
        res(prefix="adlcp", scormtype=None, extra=' adlcp:scormType="sco"'),
        ns="http://www.imsglobal.org/xsd/imscp_v1p1", adl="http://www.adlnet.org/xsd/adlcp_v1p3",
        metadata="<metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>"),
        "index.html": SCO_HTML}, {"*": ("warn", "scorm-2004"), "talentlms": False},
        "SCORM 2004: generic and moodle accept it with a warning (Moodle imports 2004: scormlib.php scorm_get_manifest maps "
        "'2004 4th Edition' to SCORM_1.3); TalentLMS imports SCORM 1.2 only")
    c["space-in-name-%20-href"] = ({"imsmanifest.xml": manifest(res("my%20page.html", ["my%20page.html"])),
                                    "my page.html": SCO_HTML}, True, "href is a URI: %20 is a space")
    c["space-in-name-raw-href"] = ({"imsmanifest.xml": manifest(res("my page.html", ["my page.html"])),
                                    "my page.html": SCO_HTML}, True, "raw space: not a strict URI but every LMS serves it")
    c["xml-base"] = ({"imsmanifest.xml": manifest(res("index.html", ["index.html"]).replace(
        '<resource ', '<resource xml:base="content/" ')), "content/index.html": SCO_HTML}, ("warn", None),
        "xml:base on <resource> is IMS CP 1.1.2, but openedx-scorm-xblock, scormhost, wagtail-lms and "
        "abstract-scorm-xblock ignore it and launch index.html (404): valid, with a portability warning")
    c["xml-base-on-resources"] = ({"imsmanifest.xml": manifest(res()).replace("<resources>", '<resources xml:base="content/">'),
                                   "content/index.html": SCO_HTML}, {"*": ("warn", None), "moodle": False},
                                  "xml:base on <resources>: Moodle reads XML:BASE on <resource> only (scorm_get_manifest), "
                                  "so the moodle profile rejects it; the PyPI peers not at all: elsewhere valid, with a warning")
    c["no-scormtype"] = ({"imsmanifest.xml": manifest(res(scormtype=None)), "index.html": SCO_HTML}, ("warn", "missing-scormtype"),
                         "adlcp:scormtype missing: LMSs treat the resource as an asset (a warning, not a rejection)")
    c["crlf-bom"] = ({"imsmanifest.xml": b"\xef\xbb\xbf" + manifest(res()).replace("\n", "\r\n").encode(),
                      "index.html": SCO_HTML}, True, "UTF-8 BOM and CRLF line ends are plain XML")
    c["doctype"] = ({"imsmanifest.xml": manifest(res(), head="<!DOCTYPE manifest>\n"), "index.html": SCO_HTML}, True,
                    "an internal-subset-free DOCTYPE is harmless XML")
    c["other-prefix-adl"] = ({"imsmanifest.xml": manifest(res(prefix="adl"), prefix="adl"), "index.html": SCO_HTML},
                             {"*": ("warn", None), "moodle": False, "talentlms": True},
                             "prefixes are arbitrary (generic: valid), but Moodle reads the literal attribute names "
                             "'ADLCP:SCORMTYPE' / 'ADLCP:MASTERYSCORE' (scormlib.php scorm_get_manifest): every SCO becomes an asset")
    c["query-string-href"] = ({"imsmanifest.xml": manifest(res("index.html?lang=en", ["index.html"])),
                               "index.html": SCO_HTML}, True, "query string after the launch file")
    c["dot-slash-href"] = ({"imsmanifest.xml": manifest(res("./index.html", ["./index.html"])), "index.html": SCO_HTML}, True,
                           "./ prefix")
    c["item-parameters"] = ({"imsmanifest.xml": manifest(res(), items='<item identifier="I1" identifierref="R1" parameters="?mode=x"><title>L</title></item>'),
                             "index.html": SCO_HTML}, True, "item parameters attribute")
    c["two-orgs-default-second"] = ({"imsmanifest.xml": manifest(res(ident="R2", href="other.html") + res(), orgs=(
        '<organizations default="O2"><organization identifier="O1"><title>A</title>'
        '<item identifier="I1" identifierref="R1"><title>L</title></item></organization>'
        '<organization identifier="O2"><title>B</title><item identifier="I2" identifierref="R1"><title>L</title></item>'
        '</organization></organizations>')).replace('identifierref="R1"><title>L</title></item></organization><organization identifier="O2"', 'identifierref="R2"><title>L</title></item></organization><organization identifier="O2"'),
        "index.html": SCO_HTML, "other.html": SCO_HTML}, {"*": ("warn", None), "talentlms": False},
        "valid, but scormhost (parse_imsmanifest: organizations[0]) plays the first organization, not the default: portability warning")
    c["masteryscore-decimal"] = ({"imsmanifest.xml": manifest(res(), items=(
        '<item identifier="I1" identifierref="R1"><title>L</title><adlcp:masteryscore>80.5</adlcp:masteryscore></item>')),
        "index.html": SCO_HTML}, True, "masteryscore is CMIDecimal in SCORM 1.2 RTE")
    c["asset-first-resource"] = ({"imsmanifest.xml": manifest(
        '<resource identifier="R0" type="webcontent" adlcp:scormtype="asset"><file href="shared.css"/></resource>' + res()),
        "index.html": SCO_HTML, "shared.css": "h1{}"}, ("warn", None),
        "valid, but wagtail-lms (parse_manifest: first webcontent resource) and abstract-scorm-xblock "
        "(_update_scorm_index: first resource) launch the asset, which has no href: portability warning")
    c["latin1-encoding"] = ({"imsmanifest.xml": manifest(res()).replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
                             .replace("<title>Course</title>", "<title>Cours d\u00e9butant</title>").encode("latin-1"),
                             "index.html": SCO_HTML}, True, "declared ISO-8859-1 manifest (older French/German tools)")
    c["non-ascii-file-name"] = ({"imsmanifest.xml": manifest(res("caf%C3%A9.html", ["caf%C3%A9.html"])),
                                 "caf\u00e9.html": SCO_HTML}, True, "UTF-8 file name, percent-encoded href")
    c["fragment-href"] = ({"imsmanifest.xml": manifest(res("index.html#start", ["index.html"])), "index.html": SCO_HTML}, True,
                          "fragment after the launch file")
    c["stored-no-compression"] = ({"imsmanifest.xml": manifest(res()), "index.html": SCO_HTML, "@stored": b""}, True,
                                  "entries stored, not deflated")
    c["streamed-data-descriptors"] = ({"imsmanifest.xml": manifest(res()), "index.html": SCO_HTML, "@stream": b""}, True,
                                      "zip written to a pipe (sizes in data descriptors, as Java/streaming zippers do)")
    c["isvisible-false-item"] = ({"imsmanifest.xml": manifest(res(), items=(
        '<item identifier="I1" identifierref="R1" isvisible="false"><title>L</title></item>')), "index.html": SCO_HTML}, True,
        "hidden item")
    c["sub-folder-launch"] = ({"imsmanifest.xml": manifest(res("a/b/c/index.html")), "a/b/c/index.html": SCO_HTML}, True,
                              "deep launch path")
    # broken packages: ladder must reject them
    c["duplicate-identifier"] = ({"imsmanifest.xml": manifest(res() + res(ident="R1")), "index.html": SCO_HTML}, False,
                                 "two resources share an identifier")
    c["symlink-entry"] = ({"imsmanifest.xml": manifest(res()), "index.html": SCO_HTML, "@symlink": b""}, False,
                          "a symlink entry (extracts outside the package on some servers)")
    c["missing-launch-file"] = ({"imsmanifest.xml": manifest(res("start.html")), "index.html": SCO_HTML}, False,
                                "launch file absent")
    c["case-mismatch-href"] = ({"imsmanifest.xml": manifest(res("index.html")), "Index.html": SCO_HTML}, False,
                               "Index.html vs index.html: 404 on a case-sensitive server")
    c["href-escapes-package"] = ({"imsmanifest.xml": manifest(res("../index.html", ["../index.html"])), "index.html": SCO_HTML},
                                 False, "href outside the package")
    c["dangling-identifierref"] = ({"imsmanifest.xml": manifest(res(), items='<item identifier="I1" identifierref="NOPE"><title>L</title></item>'),
                                    "index.html": SCO_HTML}, False, "item points at no resource")
    c["not-well-formed"] = ({"imsmanifest.xml": manifest(res()).replace("</resources>", ""), "index.html": SCO_HTML}, False,
                            "manifest is not XML")
    c["backslash-entry"] = ({"imsmanifest.xml": manifest(res("content/index.html")), "content\\index.html": SCO_HTML}, False,
                            "zip entry with a backslash (Windows zippers): content/index.html does not exist on Linux")
    c["no-organization-items"] = ({"imsmanifest.xml": manifest(res(), orgs="<organizations/>"), "index.html": SCO_HTML}, False,
                                  "nothing to launch: every LMS import fails")
    return c


class _Pipe:  # a write-only, unseekable file: zipfile then writes data descriptors
    def __init__(self, f):
        self.f = f

    def write(self, b):
        return self.f.write(b)

    def flush(self):
        self.f.flush()


def write_zip(path: Path, entries: dict) -> None:
    flags = {k for k in entries if k.startswith("@")}
    method = zipfile.ZIP_STORED if "@stored" in flags else zipfile.ZIP_DEFLATED
    with open(path, "wb") as raw:
        target = _Pipe(raw) if "@stream" in flags else raw
        with zipfile.ZipFile(target, "w", method) as zf:
            _fill(zf, entries, flags)


def _fill(zf: zipfile.ZipFile, entries: dict, flags: set) -> None:
        if "@symlink" in flags:
            info = zipfile.ZipInfo("link.html")
            info.create_system = 3
            info.external_attr = (0o120777 << 16)
            zf.writestr(info, "/etc/passwd")
        for name, data in entries.items():
            if name.startswith("@"):
                continue
            if name.endswith("/"):
                zf.writestr(zipfile.ZipInfo(name), b"")
            else:
                zf.writestr(name, data if isinstance(data, bytes) else data.encode("utf-8"))


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = Path(__file__).resolve().parents[2]
    ap.add_argument("--ladder", default=str(here / ".build/debug/ladder"))
    ap.add_argument("--keep", type=Path, help="write the packages here and keep them")
    ap.add_argument("--lms", default="all", help="generic, moodle, talentlms or all (default)")
    ap.add_argument("--schemas", help="passed to ladder validate")
    args = ap.parse_args(argv)
    if not Path(args.ladder).is_file():
        print(f"error: {args.ladder}: no ladder binary (swift build first)", file=sys.stderr)
        return 2
    out = args.keep or Path(tempfile.mkdtemp(prefix="ladder-edge-"))
    out.mkdir(parents=True, exist_ok=True)
    passed = failed = 0
    try:
        profiles = ["generic", "moodle", "talentlms"] if args.lms == "all" else [args.lms]
        for (name, (entries, expect, why)), lms in ((c, l) for c in cases().items() for l in profiles):
            z = out / f"{name}.zip"
            if not z.exists():
                write_zip(z, entries)
            should_accept = expect.get(lms, expect.get("*")) if isinstance(expect, dict) else expect
            cmd = [args.ladder, "validate", str(z), "--lms", lms, "--format", "json"]
            if args.schemas:
                cmd += ["--schemas", args.schemas]
            p = subprocess.run(cmd, capture_output=True, text=True)
            try:
                report = json.loads(p.stdout)[0]
            except (ValueError, IndexError):
                failed += 1
                print(f"FAIL [{lms}] {name}: no JSON report (exit {p.returncode}): {p.stderr.strip()[:300]}")
                continue
            issues = [i for i in report["issues"] if i["code"] != "schema-skipped"]
            errors = [f'{i["code"]}: {i["message"]}' for i in issues if i["severity"] == "error"]
            warnings = [f'{i["code"]}: {i["message"]}' for i in issues if i["severity"] == "warning"]
            accepted = report["valid"] and p.returncode == 0
            wants_warning = isinstance(should_accept, tuple)  # ("warn", code or None): valid, but must say so
            if wants_warning:
                notes = [i for i in issues if i["severity"] == "warning" and i["code"] != "undeclared-file"]
                ok = accepted and any(should_accept[1] in (None, i["code"]) for i in notes)
                should_accept = True
            else:
                ok = accepted == should_accept
            if ok:
                passed += 1
                verdict = "PASS"
            else:
                failed += 1
                if should_accept and not accepted:
                    verdict = "FAIL false positive (rejected)"
                elif not should_accept:
                    verdict = "FAIL false negative (accepted)"
                else:
                    verdict = "FAIL missing warning"
            print(f"{verdict} [{lms}] {name} ({why}): valid={report['valid']} exit={p.returncode} standard={report.get('standard')}")
            for e in errors:
                print(f"    error   {e}")
            for w in warnings:
                print(f"    warning {w}")
    finally:
        if not args.keep:
            shutil.rmtree(out, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
