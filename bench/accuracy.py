"""Accuracy on Leaky Repo (Plazmaz/leaky-repo) and on creddata-dev, every tool in the same run.

creddata-dev (``../shared/creddata-dev``: 34 public repositories from Samsung's CredData with
CredData's labels and obfuscation) is unpacked once into bench/.cache and scored with the
corpus's own score.py (profile ``secrets``): precision/recall/F1 per tool, recall per CredData
category and false positives per category side by side, credmigrate's precision/recall at each
``--min-confidence`` level, and with ``--show-misses N`` credmigrate's missed units and false
positives (file:line and categories only, never values).

Leaky Repo:

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
                                [--corpus leaky,creddata] [--creddata DIR] [--show-misses N]
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import os
import sys
import tarfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

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
    ap.add_argument("--corpus", default="leaky,creddata", help="leaky, creddata or both")
    ap.add_argument("--creddata", type=Path, default=creddata_dir(), help="creddata-dev folder")
    ap.add_argument("--show-misses", type=int, default=0, metavar="N", help="creddata misses/FPs")
    table.common_args(ap)
    args = ap.parse_args(argv)
    table.apply_common(args)
    corpora = set(args.corpus.split(","))
    out = ""
    if "leaky" in corpora:
        out += leaky(args)
    if "creddata" in corpora:
        out += ("\n\n" if out else "") + creddata(args)
    if out and table.should_save(args, DEFAULT_TOOLS):
        table.save("accuracy (Leaky Repo, creddata-dev)", out)
    return 0


def leaky(args: argparse.Namespace) -> str:
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
    out = "Leaky Repo\n\n" + out
    print(out)
    if args.verbose:
        out += (
            "\n\n"
            + breakdown(per_tool, truth)
            + "\n\n"
            + credmigrate_detail(results, per_tool, truth)
        )
    return out


# --- creddata-dev ------------------------------------------------------------------------------
def creddata_dir() -> Path:
    """$CREDDATA_DEV, else ``../shared/creddata-dev`` beside the checkout (or a worktree's parent)."""
    env = os.environ.get("CREDDATA_DEV")
    if env:
        return Path(env)
    for base in (repos.ROOT.parent, repos.ROOT.parent.parent):
        if (base / "shared" / "creddata-dev" / "corpus.tar.gz").is_file():
            return base / "shared" / "creddata-dev"
    return repos.ROOT.parent / "shared" / "creddata-dev"


def _scorer(corpus: Path) -> ModuleType:
    sys.path.insert(0, str(corpus))  # score.py imports its findings.py
    spec = importlib.util.spec_from_file_location("creddata_score", corpus / "score.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _unpacked(corpus: Path) -> Path:
    """The corpus tree, unpacked once into the temporary directory: outside any git work tree, as
    the corpus asks (its values look like credentials to scanners and push protection)."""
    import tempfile

    dest = Path(tempfile.gettempdir()) / "credmigrate-bench-creddata-dev"
    stamp = dest / ".source"
    source = f"{corpus.resolve()} {(corpus / 'corpus.tar.gz').stat().st_mtime_ns}"
    if not (stamp.is_file() and stamp.read_text() == source):
        import shutil

        shutil.rmtree(dest, ignore_errors=True)
        dest.mkdir(parents=True)
        with tarfile.open(corpus / "corpus.tar.gz") as tar:
            tar.extractall(dest, filter="data")
        stamp.write_text(source)
    return dest / "data"


def creddata(args: argparse.Namespace) -> str:
    corpus: Path = args.creddata
    if not (corpus / "corpus.tar.gz").is_file():
        msg = f"creddata-dev: not found at {corpus} (set --creddata or CREDDATA_DEV)"
        print(msg)
        return msg
    score = _scorer(corpus)
    meta = str(corpus / "meta")
    root = _unpacked(corpus)
    rows: list[list[object]] = []
    results: dict[str, dict[str, Any]] = {}
    hits: dict[str, set[tuple[str, int]]] = {}
    for name in args.tools.split(","):
        res = peers.scan(name, "dir", root, timeout=args.timeout)
        if not res.ok:
            rows.append([name, "-", "-", "-", "-", "-", "-", f"{res.wall:.2f}", res.error])
            continue
        found = [(f.path, f.line, f.rule) for f in res.findings]
        r = score.score_creddata(found, str(root), meta, "secrets", args.show_misses)
        results[name] = r
        hits[name] = {(f.path, f.line) for f in res.findings}
        rows.append(
            [
                name,
                f"{r['precision']:.3f}",
                f"{r['recall']:.3f}",
                f"{r['f1']:.3f}",
                r["tp"],
                r["fp"],
                r["fn"],
                f"{res.wall:.2f}",
                "",
            ]
        )
    head = ["tool", "precision", "recall", "F1", "TP", "FP", "FN", "wall s", "note"]
    parts = ["creddata-dev (profile secrets)\n\n" + table.render(head, rows)]
    if results:
        parts.append(_by_category(results))
    if "credmigrate" in results:
        parts.append(_confidence_levels(args, root, score, meta))
        if args.show_misses:
            parts.append(_misses(results["credmigrate"], hits["credmigrate"], score, meta, args))
    out = "\n\n".join(parts)
    print(out)
    return out


def _by_category(results: dict[str, dict[str, Any]]) -> str:
    """Recall per CredData category (TP/positives) and false positives per category."""
    first = next(iter(results.values()))
    cats = list(first["recall_by_category"])
    rows = []
    for cat in cats:
        total = first["recall_by_category"][cat][1]
        cells = []
        for r in results.values():
            got = r["recall_by_category"].get(cat, [0, total])[0]
            fp = r["fp_by_category"].get(cat, 0)
            cells.append(f"{got}/{total}" + (f" +{fp}" if fp else ""))
        rows.append([cat, *cells])
    legend = "cell = positives found / positives in the category, +N false positives in it"
    return table.render(["category", *results], rows) + "\n" + legend


def _confidence_levels(args: argparse.Namespace, root: Path, score: ModuleType, meta: str) -> str:
    """credmigrate's precision/recall at each --min-confidence level (what the levels mean)."""
    import json
    import subprocess
    import tempfile

    rows = []
    for level in ("high", "medium", "low"):
        with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
            out = Path(tmp) / "f.json"
            argv = [str(peers.CREDMIGRATE_EXE[0]), "scan", ".", "--no-progress", "--format"]
            argv += ["json", "--min-confidence", level, "-o", str(out)]
            subprocess.run(argv, cwd=root, capture_output=True, timeout=args.timeout)
            data = json.loads(out.read_text()) if out.exists() else {"findings": []}
        found = [(f["path"], int(f["line"]), f["rule_id"]) for f in data["findings"]]
        r = score.score_creddata(found, str(root), meta, "secrets", 0)
        rows.append([level, f"{r['precision']:.3f}", f"{r['recall']:.3f}", f"{r['f1']:.3f}"])
    head = ["credmigrate --min-confidence", "precision", "recall", "F1"]
    return table.render(head, rows)


def _misses(
    r: dict[str, Any],
    found: set[tuple[str, int]],
    score: ModuleType,
    meta: str,
    args: argparse.Namespace,
) -> str:
    """credmigrate's missed positive units and false-positive units: file:lines [categories]."""
    units, _ = score.load_creddata_units(meta, "secrets")
    lines_in: dict[str, set[int]] = defaultdict(set)
    for p, ln in found:
        lines_in[p].add(ln)
    fps = sorted(
        f"{k[0]}:{k[1]}-{k[2]} {sorted(u['cats'])}"
        for k, u in units.items()
        if "T" not in u["labels"] and any(k[1] <= ln <= k[2] for ln in lines_in.get(k[0], ()))
    )
    misses = r.get("sample_misses", [])
    lines = [f"credmigrate misses (first {args.show_misses}):", *(f"  {m}" for m in misses)]
    lines += [f"credmigrate false positives ({len(fps)}):", *(f"  {m}" for m in fps)]
    return "\n".join(lines)


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
