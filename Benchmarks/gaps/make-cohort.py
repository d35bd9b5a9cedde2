#!/usr/bin/env python3
"""Writes a synthetic cohort file for the sample curriculum, for the `ladder gaps` benchmark
(docs/gaps.md, "Benchmark"). Deterministic: the same N and seed give the same bytes.

    Benchmarks/gaps/make-cohort.py 100000 > /tmp/cohort-100k.csv
    Benchmarks/gaps/make-cohort.py 100000 --yaml > /tmp/cohort-100k.yaml
"""
import argparse
import random
import sys

LEVELS = ["P1", "P2", "P3", "P4", "P5"]
STEPS = 6  # the sample curriculum's scale has six steps


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("count", type=int)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--yaml", action="store_true", help="write the YAML form instead of CSV")
    ap.add_argument("--header", default="curricula/customer-service/learners/cohort.csv",
                    help="a cohort whose header names the skill columns")
    a = ap.parse_args()
    with open(a.header, encoding="utf-8") as f:
        skills = f.readline().strip().split(",")[4:]
    rnd = random.Random(a.seed)
    out = sys.stdout
    if a.yaml:
        out.write("learners:\n")
    else:
        out.write(",".join(["learner_id", "name", "current_level", "target_level"] + skills) + "\n")
    for n in range(1, a.count + 1):
        cur = rnd.randrange(len(LEVELS))
        tgt = min(len(LEVELS) - 1, cur + rnd.choice([0, 1, 1, 2]))
        # One skill in eight is left blank (not assessed).
        steps = ["" if rnd.random() < 0.125 else str(rnd.randint(1, STEPS)) for _ in skills]
        lid, name = f"learner-{n:06d}", f"Learner {n}"
        if a.yaml:
            out.write(f"  - id: {lid}\n    name: {name}\n    current_level: {LEVELS[cur]}\n    target_level: {LEVELS[tgt]}\n")
            given = [(s, v) for s, v in zip(skills, steps) if v]
            if given:
                out.write("    skills: {" + ", ".join(f"{s}: {v}" for s, v in given) + "}\n")
        else:
            out.write(",".join([lid, name, LEVELS[cur], LEVELS[tgt]] + steps) + "\n")


if __name__ == "__main__":
    main()
