"""Fit the generic-candidate scorer (src/credmigrate/detect/scoring_weights.json) on creddata-dev.

Every generic rule's candidate in the corpus (after the hard filters: placeholders, templates,
hashes, env lookups) is labelled by the CredData unit it lands on (T: positive; F/X: negative;
unlabelled lines are left out). A logistic model with L2 regularisation is fitted by Newton's
method in pure Python (45 features, ~1,300 rows: seconds). Before the final fit, a 5-fold
cross-validation grouped by repository prints the precision/recall the whole scan would reach at
each threshold on repositories the fold did not train on: that, not the in-sample figure, is the
estimate for unseen code. No corpus value is printed or stored; the weights file holds only the
feature weights and thresholds.

Usage: python bench/fit_scorer.py [--corpus ../shared/creddata-dev] [--write] [--l2 1.0]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import random
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from types import ModuleType
from typing import Any

from credmigrate.config import Config
from credmigrate.detect import scoring
from credmigrate.detect.detector import Detector
from credmigrate.findings.model import Confidence, Finding

ROOT = Path(__file__).resolve().parents[1]


def default_corpus() -> Path:
    """$CREDDATA_DEV, else ``../shared/creddata-dev`` beside the checkout (or a worktree's parent)."""
    import os

    env = os.environ.get("CREDDATA_DEV")
    if env:
        return Path(env)
    for base in (ROOT.parent, ROOT.parent.parent):
        if (base / "shared" / "creddata-dev" / "corpus.tar.gz").is_file():
            return base / "shared" / "creddata-dev"
    return ROOT.parent / "shared" / "creddata-dev"


WEIGHTS = ROOT / "src" / "credmigrate" / "detect" / "scoring_weights.json"
Unit = tuple[str, int, int]


def load_scorer(corpus: Path) -> ModuleType:
    """The corpus's own score.py (labels and units exactly as the benchmark counts them)."""
    sys.path.insert(0, str(corpus))
    spec = importlib.util.spec_from_file_location("creddata_score", corpus / "score.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def materialize(corpus: Path, dest: Path) -> Path:
    import tarfile

    with tarfile.open(corpus / "corpus.tar.gz") as tar:
        tar.extractall(dest, filter="data")
    return dest / "data"


def collect(root: Path) -> tuple[list[scoring.Candidate], list[Finding]]:
    """Every generic candidate the scan weighs, and the findings of the other rules."""
    seen: list[scoring.Candidate] = []
    real = scoring.confidence

    def record(c: scoring.Candidate, rule_confidence: Confidence) -> Confidence | None:
        seen.append(c)
        return Confidence.MEDIUM

    scoring.confidence = record  # type: ignore[assignment]
    try:
        det = Detector.default(Config().with_(min_confidence="low"))
        generic = {r.id for r in det.rules if r.generic}
        fixed: list[Finding] = []
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            found = det.scan_bytes(path.relative_to(root).as_posix(), path.read_bytes())
            if isinstance(found, list):
                fixed.extend(f for f in found if f.rule_id not in generic)
    finally:
        scoring.confidence = real  # type: ignore[assignment]
    return seen, fixed


def solve(a: list[list[float]], b: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (a is small and positive definite)."""
    n = len(b)
    m = [[*row, b[i]] for i, row in enumerate(a)]
    for col in range(n):
        piv = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[piv] = m[piv], m[col]
        for r in range(col + 1, n):
            f = m[r][col] / m[col][col]
            if f:
                for k in range(col, n + 1):
                    m[r][k] -= f * m[col][k]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (m[r][n] - sum(m[r][k] * x[k] for k in range(r + 1, n))) / m[r][r]
    return x


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def fit(xs: list[list[float]], ys: list[int], l2: float, iters: int = 12) -> list[float]:
    d = len(xs[0])
    w = [0.0] * d
    for _ in range(iters):
        grad = [l2 * w[j] if j else 0.0 for j in range(d)]
        hess = [
            [(l2 if i == j and i else (1e-6 if i == j else 0.0)) for j in range(d)]
            for i in range(d)
        ]
        for x, y in zip(xs, ys, strict=True):
            p = sigmoid(sum(a * b for a, b in zip(w, x, strict=True)))
            e, s = p - y, p * (1 - p)
            nz = [j for j, v in enumerate(x) if v]
            for j in nz:
                grad[j] += e * x[j]
                sx = s * x[j]
                row = hess[j]
                for k in nz:
                    row[k] += sx * x[k]
        step = solve(hess, grad)
        w = [a - b for a, b in zip(w, step, strict=True)]
    return w


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--corpus", type=Path, default=default_corpus())
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--write", action="store_true", help=f"write the weights to {WEIGHTS.name}")
    args = ap.parse_args(argv)
    if not (args.corpus / "corpus.tar.gz").is_file():
        print(f"fit_scorer: corpus not found at {args.corpus}", file=sys.stderr)
        return 3
    score = load_scorer(args.corpus)
    units, _ = score.load_creddata_units(str(args.corpus / "meta"), "secrets")
    by_file: dict[str, list[Unit]] = defaultdict(list)
    for key in units:
        by_file[key[0]].append(key)

    def hits(path: str, line: int) -> list[Unit]:
        return [u for u in by_file.get(path, []) if u[1] <= line <= u[2]]

    def positive(u: Unit) -> bool:
        return "T" in units[u]["labels"]

    with tempfile.TemporaryDirectory() as tmp:
        cands, fixed = collect(materialize(args.corpus, Path(tmp)))
    feats = [scoring.features(c) for c in cands]
    cand_units = [hits(c.path, c.line_no) for c in cands]
    fixed_units = {u for f in fixed for u in hits(f.path, f.span.line)}
    rows = [i for i, us in enumerate(cand_units) if us]
    ys = [int(any(positive(u) for u in cand_units[i])) for i in rows]
    n_pos = sum(positive(u) for u in units)
    print(f"{len(cands)} candidates, {len(rows)} on labelled lines ({sum(ys)} positive)")

    def evaluate(probs: list[float], t: float) -> tuple[float, float, float, int, int]:
        hit = set(fixed_units)
        for us, p in zip(cand_units, probs, strict=True):
            if p >= t:
                hit.update(us)
        tp = sum(positive(u) for u in hit)
        fp = len(hit) - tp
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / n_pos
        return prec, rec, 2 * prec * rec / (prec + rec) if prec + rec else 0.0, tp, fp

    repos = sorted({c.path.split("/")[0] for c in cands})
    random.Random(7).shuffle(repos)
    fold = {r: i % 5 for i, r in enumerate(repos)}
    oof = [0.0] * len(cands)
    for k in range(5):
        train = [
            (feats[i], y)
            for i, y in zip(rows, ys, strict=True)
            if fold[cands[i].path.split("/")[0]] != k
        ]
        w = fit([x for x, _ in train], [y for _, y in train], args.l2)
        for i, c in enumerate(cands):
            if fold[c.path.split("/")[0]] == k:
                oof[i] = sigmoid(sum(a * b for a, b in zip(w, feats[i], strict=True)))
    w = fit([feats[i] for i in rows], ys, args.l2)
    full = [sigmoid(sum(a * b for a, b in zip(w, x, strict=True))) for x in feats]
    print("threshold  cross-validated (by repository)       in-sample")
    for t in (0.1, 0.3, 0.5, 0.7, 0.9):
        a, b = evaluate(oof, t), evaluate(full, t)
        print(
            f"  {t:.1f}      P={a[0]:.3f} R={a[1]:.3f} F1={a[2]:.3f}      P={b[0]:.3f} R={b[1]:.3f} F1={b[2]:.3f}"
        )
    if args.write:
        current: dict[str, Any] = json.loads(WEIGHTS.read_text()) if WEIGHTS.exists() else {}
        data = {
            "about": "logistic weights over credmigrate.detect.scoring.FEATURES, fitted by bench/fit_scorer.py on creddata-dev",
            "weights": {k: round(v, 4) for k, v in zip(scoring.FEATURES, w, strict=True)},
            "thresholds": current.get(
                "thresholds",
                {"medium": 0.5, "low": 0.3, "medium_password_outside_samples": 0.04},
            ),
        }
        WEIGHTS.write_text(json.dumps(data, indent=1) + "\n")
        print(f"wrote {WEIGHTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
