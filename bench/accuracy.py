"""Accuracy on Leaky Repo (Plazmaz/leaky-repo), scored with its own .leaky-meta/secrets.csv.

The csv gives, per file, the number of LINES holding a risk (a secret) and the number of lines
holding only informative data (user names, host names). It has no line numbers. Scoring, the same
for every tool (see bench/README.md):
  flagged(f) = distinct start lines a tool reports in file f (several findings on a line count once)
  TP(f)      = min(flagged(f), risk(f))
  neutral(f) = min(flagged(f) - TP(f), informative(f))   # flagging user/host lines: no reward, no cost
  FP(f)      = flagged(f) - TP(f) - neutral(f)           # every flagged line in unlisted files is FP
  precision  = TP / (TP + FP), recall = TP / sum(risk), F1 = harmonic mean
  strict P   = TP / sum(flagged)                         # informative lines counted as false
Files under .leaky-meta/ (the benchmark's own scripts) are dropped from every tool's findings.

Usage: python bench/accuracy.py [LEAKY_REPO_GIT_DIR_OR_URL] [--verbose] [--tools a,b] [--setup]
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import peers
import repos
import table

EXCLUDED = (".leaky-meta/", ".git/")
DEFAULT_TOOLS = (
    "credmigrate",
    "gitleaks",
    "betterleaks",
    "detect-secrets",
    "trufflehog3",
    "kingfisher",
    "credsweeper",
)


@dataclass(frozen=True)
class Truth:
    risk: int
    info: int


@dataclass(frozen=True)
class FileScore:
    flagged: int
    tp: int
    neutral: int
    fp: int


def load_truth(root: Path) -> dict[str, Truth]:
    lines = (root / ".leaky-meta" / "secrets.csv").read_text().splitlines()
    rows = [ln for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]
    return {r[0].strip(): Truth(int(r[1]), int(r[2])) for r in csv.reader(rows)}


def score_files(found: tuple[peers.Finding, ...], truth: dict[str, Truth]) -> dict[str, FileScore]:
    lines: dict[str, set[int]] = defaultdict(set)
    for f in found:
        if not f.path.startswith(EXCLUDED):
            lines[f.path].add(f.line)
    scores = {}
    for path in set(lines) | set(truth):
        t = truth.get(path, Truth(0, 0))
        n = len(lines.get(path, ()))
        tp = min(n, t.risk)
        neutral = min(n - tp, t.info)
        scores[path] = FileScore(n, tp, neutral, n - tp - neutral)
    return scores


def summary(
    scores: dict[str, FileScore], truth: dict[str, Truth]
) -> tuple[float, float, float, float, int, int]:
    tp = sum(s.tp for s in scores.values())
    fp = sum(s.fp for s in scores.values())
    flagged = sum(s.flagged for s in scores.values())
    risk = sum(t.risk for t in truth.values())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / risk if risk else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    strict = tp / flagged if flagged else 0.0
    return precision, recall, f1, strict, tp, fp


def cell(s: FileScore | None, t: Truth) -> str:
    if s is None or s.flagged == 0:
        return "-" if t.risk == 0 else f"0/{t.risk}"
    base = f"{s.tp}/{t.risk}" if t.risk else "0"
    return base + (f" ~{s.neutral}" if s.neutral else "") + (f" +{s.fp}" if s.fp else "")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("repo", nargs="?", type=str, default=repos.MIRRORS / repos.LEAKY_REPO / "repo")
    ap.add_argument("--tools", default=",".join(DEFAULT_TOOLS))
    ap.add_argument("-v", "--verbose", action="store_true", help="per-file breakdown")
    table.common_args(ap)
    args = ap.parse_args(argv)
    table.apply_common(args)
    root = repos.export(args.repo, "leaky-repo")
    truth = load_truth(root)
    risk_total = sum(t.risk for t in truth.values())

    rows, per_tool, results = [], {}, {}
    for name in args.tools.split(","):
        res = peers.scan(name, "dir", root, timeout=args.timeout)
        results[name] = res
        if not res.ok:
            rows.append([name, "-", "-", "-", "-", "-", "-", "-", f"{res.wall:.2f}", res.error])
            continue
        scores = score_files(res.findings, truth)
        per_tool[name] = scores
        p, r, f1, strict, tp, fp = summary(scores, truth)
        flagged = sum(s.flagged for s in scores.values())
        rows.append(
            [
                name,
                f"{p:.3f}",
                f"{r:.3f}",
                f"{f1:.3f}",
                f"{strict:.3f}",
                f"{tp}/{risk_total}",
                fp,
                flagged,
                f"{res.wall:.2f}",
                "",
            ]
        )
    out = table.render(
        [
            "tool",
            "precision",
            "recall",
            "F1",
            "strict P",
            "TP/risk",
            "FP",
            "lines",
            "wall s",
            "note",
        ],
        rows,
    )
    print(out)
    if args.verbose:
        out += (
            "\n\n"
            + breakdown(per_tool, truth)
            + "\n\n"
            + credmigrate_detail(results, per_tool, truth)
        )
    if table.should_save(args, DEFAULT_TOOLS):
        table.save("accuracy (Leaky Repo)", out)
    return 0


def breakdown(per_tool: dict[str, dict[str, FileScore]], truth: dict[str, Truth]) -> str:
    files = sorted({p for s in per_tool.values() for p, fs in s.items() if fs.flagged} | set(truth))
    rows = []
    for path in files:
        t = truth.get(path, Truth(0, 0))
        rows.append([path, t.risk, t.info, *(cell(s.get(path), t) for s in per_tool.values())])
    text = table.render(["file", "risk", "info", *per_tool], rows)
    legend = "cell = TP/risk lines, ~N informative lines flagged (neutral), +N false-positive lines"
    print("\n" + text + "\n" + legend)
    return text + "\n" + legend


def credmigrate_detail(
    results: dict[str, peers.Result],
    per_tool: dict[str, dict[str, FileScore]],
    truth: dict[str, Truth],
) -> str:
    """Files where credmigrate misses risk lines or flags extra lines, with its lines and rule ids."""
    scores, res = per_tool.get("credmigrate"), results.get("credmigrate")
    if scores is None or res is None:
        return ""
    by_file: dict[str, list[str]] = defaultdict(list)
    for f in sorted(res.findings, key=lambda f: (f.path, f.line)):
        by_file[f.path].append(f"{f.line}:{f.rule}")
    out = [
        "credmigrate: files with missed risk lines (-N) or false-positive lines (+N); its line:rule"
    ]
    for path, s in sorted(scores.items()):
        missed = truth.get(path, Truth(0, 0)).risk - s.tp
        if path.startswith(EXCLUDED) or not (missed or s.fp):
            continue
        tag = (f"-{missed} " if missed else "") + (f"+{s.fp}" if s.fp else "")
        out.append(f"  {path} [{tag.strip()}] {' '.join(by_file.get(path, [])) or '(nothing)'}")
    text = "\n".join(out)
    print("\n" + text)
    return text


if __name__ == "__main__":
    sys.exit(main())
