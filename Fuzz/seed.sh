#!/usr/bin/env bash
# Fuzz/seed.sh — (re)writes the seed part of Fuzz/Corpus/ from the repository's fixtures.
# Findings (crash-*, hang-*) and entries libFuzzer added are left alone. Run from anywhere.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
corpus=$root/Fuzz/Corpus
wa=$root/Tests/LadderKitTests/Fixtures/warehouse-associate
cs=$root/curricula/customer-service
fx=$root/Tests/LadderKitTests/Fixtures/progress
mkdir -p "$corpus"/{curriculum,markdown,manifest,aicc,import-moodle-basic,import-moodle-interactions,import-talentlms,import-csv}

# curriculum: one selector byte (the index of a file among the fixture's .yaml/.md files,
# sorted as fuzz-curriculum sorts them; +128 to run the whole loader too), then the file's text.
# The warehouse seeds run in memory only, the customer-service ones through the whole loader.
mapfile -t files < <(cd "$wa" && find . -type f \( -name '*.yaml' -o -name '*.md' \) | sed 's#^\./##' | LC_ALL=C sort)
index_of() { local i; for i in "${!files[@]}"; do [ "${files[$i]}" = "$1" ] && { echo "$i"; return; }; done; exit 1; }
seed_curriculum() {  # seed_curriculum NAME FILE-IN-FIXTURE SOURCE [128]
    { printf "\\x$(printf %02x $(($(index_of "$2") + ${4:-0})))"; cat "$3"; } > "$corpus/curriculum/seed-$1"
}
for f in curriculum.yaml frameworks.yaml levels/W1.yaml levels/W2.yaml assessments/pick-orders.yaml \
         shadowing/pick-orders.yaml modules/pick-orders/01-the-pick-route.md; do
    seed_curriculum "wa-${f//\//-}" "$f" "$wa/$f"
done
seed_curriculum cs-curriculum.yaml curriculum.yaml "$cs/curriculum.yaml" 128
seed_curriculum cs-P3.yaml levels/W1.yaml "$cs/levels/P3.yaml" 128
seed_curriculum cs-frameworks.yaml frameworks.yaml "$cs/frameworks.yaml" 128
seed_curriculum cs-assessment.yaml assessments/pick-orders.yaml "$cs/assessments/resolve-billing-complaints.yaml" 128
seed_curriculum cs-shadowing.yaml shadowing/pick-orders.yaml "$(ls "$cs"/shadowing/*.yaml | head -1)" 128
seed_curriculum cs-page.md modules/pick-orders/01-the-pick-route.md "$(ls "$cs"/modules/*/*.md | head -1)" 128

# markdown: module pages of both curricula (front matter and all: it is text to the renderer).
for f in "$wa"/modules/*/*.md; do cp "$f" "$corpus/markdown/seed-wa-$(basename "$(dirname "$f")")-$(basename "$f")"; done
for f in $(ls "$cs"/modules/*/*.md | head -12); do
    cp "$f" "$corpus/markdown/seed-cs-$(basename "$(dirname "$f")")-$(basename "$f")"
done

# aicc: the expressions the validator tests accept and refuse, one per file.
n=0
while IFS= read -r e; do n=$((n + 1)); printf '%s' "$e" > "$corpus/aicc/seed-$n"; done <<'LIST'
ITEM-1
ITEM-1 & ITEM-2
ITEM-1 | ~ITEM-2
(ITEM-1 & ITEM-2) | ROOT
2*{ITEM-1, ITEM-2, ROOT}
ITEM-1 = "passed"
ITEM-2 <> failed
ITEM-1 = not attempted
~(ITEM-1 | 1*{ITEM-2})
ITEM-1 = c & (ITEM-2 <> "not attempted" | 1*{ITEM-3 = p, ~ITEM-4})
(ITEM-1 | ITEM-2
3*{ITEM-1, ITEM-2}
LIST

# imports: the layouts' fixtures.
cp "$fx/moodle/basic-report.txt" "$corpus/import-moodle-basic/seed-basic-report.txt"
cp "$fx/moodle/interactions-report.txt" "$corpus/import-moodle-interactions/seed-interactions-report.txt"
for f in "$fx"/talentlms/*.csv; do cp "$f" "$corpus/import-talentlms/seed-$(basename "$f")"; done
for f in "$fx"/csv/*.csv; do cp "$f" "$corpus/import-csv/seed-$(basename "$f")"; done
cp "$cs/learners/cohort.csv" "$corpus/import-csv/seed-cohort.csv"

# manifest: a small manifest with prerequisites (as in the validator tests), alone and in two
# small zips (deflated and stored, so mutations reach the entry data and CRCs), plus the
# manifest of the sample curriculum's onboarding-P1 package when exports/ has one.
m=$corpus/manifest
cat > "$m/seed-min.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="M" version="1.0" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="ORG-1">
    <organization identifier="ORG-1">
      <title>Track</title>
      <item identifier="ROOT"><title>Track</title>
        <item identifier="ITEM-1" identifierref="RES-1"><title>One</title><adlcp:masteryscore>80</adlcp:masteryscore></item>
        <item identifier="ITEM-2" identifierref="RES-2" isvisible="true"><title>Two</title>
          <adlcp:prerequisites type="aicc_script">ITEM-1 &amp; ~(ITEM-1 = failed)</adlcp:prerequisites>
        </item>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="RES-1" type="webcontent" adlcp:scormtype="sco" href="sco/index.html"><file href="sco/index.html"/><dependency identifierref="RES-3"/></resource>
    <resource identifier="RES-2" type="webcontent" adlcp:scormtype="sco" href="two/index.html?x=1#top" xml:base=""><file href="two/index.html"/></resource>
    <resource identifier="RES-3" type="webcontent" adlcp:scormtype="asset"><file href="shared/ladder.js"/></resource>
  </resources>
</manifest>
XML
tmp=$(mktemp -d)
mkdir -p "$tmp/sco" "$tmp/two" "$tmp/shared"
cp "$m/seed-min.xml" "$tmp/imsmanifest.xml"
printf '<!doctype html><title>One</title>' > "$tmp/sco/index.html"
printf '<!doctype html><title>Two</title>' > "$tmp/two/index.html"
printf 'window.ladder = {};\n' > "$tmp/shared/ladder.js"
find "$tmp" -exec touch -d '1980-01-01 00:00:00' {} +
rm -f "$m/seed-min-deflated.zip" "$m/seed-min-stored.zip"
(cd "$tmp" && zip -q -X -D -9 "$m/seed-min-deflated.zip" imsmanifest.xml sco/index.html two/index.html shared/ladder.js \
    && zip -q -X -D -0 "$m/seed-min-stored.zip" imsmanifest.xml sco/index.html two/index.html shared/ladder.js)
rm -rf "$tmp"
p1=$root/exports/customer-service/onboarding-P1/customer-service-onboarding-P1-moodle.zip
[ -f "$p1" ] && unzip -p "$p1" imsmanifest.xml > "$m/seed-cs-onboarding-P1.xml"

echo "seeded $(find "$corpus" -name 'seed-*' | wc -l) files under $corpus"
