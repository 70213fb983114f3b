"""Size: how credmigrate copes with inputs far larger than a normal repository.

Generates (once, cached under ``--workdir``) and scans:

- ``tree``: a 100,000-file directory tree (small text files, a few secrets);
- ``1g-file``: one 1 GiB text file beside a small file with a secret (default max_file_size:
  the big file is skipped without being read, and named);
- ``1g-file-read``: the same with ``--max-file-size 2GiB``, so the file is read: a file is
  read whole, so memory grows with the largest file allowed (max_file_size is the bound);
- ``minified``: one 200 MiB single-line "minified" file with a secret in the middle, with
  max_file_size raised to 256 MiB so it is scanned (on a long line only windows around the
  keywords are matched);
- ``history``: a repository of 100,000 generated commits (git fast-import) with one 500 MiB
  blob in the middle of its history, scanned with ``--history``.

For each: CPU seconds (user + system of the whole process tree, from the children's rusage),
wall seconds, peak memory (see ``measure.py``), files scanned, and what was skipped (from the
JSON report). ``--scale`` shrinks every input by the same factor; each case runs at ``--scale``
and at a tenth of it, and the CPU ratio between the two shows whether a step grows faster than
the input (10x the input should cost about 10x, not 100x; fixed start-up costs make small
inputs cost relatively more, so under 10x is expected). Only credmigrate is measured: peers
don't document such bounds, so there is nothing to compare on the same input.

    python3 bench/size.py [--scale 1.0] [--workdir DIR] [--credmigrate EXE] [--cases a,b]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import measure
import table

MiB = 1024 * 1024
SECRET = "AKIA" + "QYLPMN5HFIQR7XZA"  # an AWS access key id shape, generated, never valid
SECRET_LINE = f'aws_access_key_id = "{SECRET}"\n'
CASES = ("tree", "1g-file", "1g-file-read", "minified", "history")


@dataclass(frozen=True)
class Measured:
    cpu: float
    wall: float
    peak_kib: int
    returncode: int
    report: dict[str, object]
    stderr: str


def run_measured(argv: Sequence[str], cwd: Path, timeout: float) -> Measured:
    """One run of ``argv``: CPU of the whole tree (children's rusage), wall, peak memory."""
    before = os.times()
    r = measure.run(argv, cwd=cwd, timeout=timeout)
    after = os.times()
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    try:
        report = json.loads(r.stdout) if r.stdout.strip() else {}
    except ValueError:
        report = {}
    return Measured(cpu, r.wall, r.peak_kib, r.returncode, report, r.stderr)


# -- inputs --------------------------------------------------------------------------------


def _done(path: Path) -> bool:
    return path.with_name(path.name + ".complete").exists()


def _mark(path: Path) -> None:  # beside the input, so that it is not scanned with it
    path.with_name(path.name + ".complete").write_text("ok\n")


def make_tree(path: Path, files: int) -> Path:
    if _done(path):
        return path
    shutil.rmtree(path, ignore_errors=True)
    per_dir = 100
    for i in range(files):
        d = path / f"d{i // per_dir:04d}"
        if i % per_dir == 0:
            d.mkdir(parents=True, exist_ok=True)
        body = f"# module {i}\nVALUE_{i} = {i * 7919 % 100003}\nname = 'item-{i}'\n"
        if i % 10_000 == 1:
            body += SECRET_LINE
        (d / f"f{i:06d}.py").write_text(body)
    _mark(path)
    return path


def _write_lines(fh: object, size: int) -> None:
    line = b"".join(
        b"%08d lorem ipsum dolor sit amet, consectetur adipiscing elit\n" % i for i in range(16384)
    )
    written = 0
    write = fh.write  # type: ignore[attr-defined]
    while written < size:
        chunk = line[: size - written]
        write(chunk)
        written += len(chunk)


def make_big_file(path: Path, size: int) -> Path:
    if _done(path):
        return path
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    with open(path / "huge.log", "wb") as fh:
        _write_lines(fh, size)
    (path / "settings.py").write_text(SECRET_LINE)
    _mark(path)
    return path


def make_minified(path: Path, size: int) -> Path:
    if _done(path):
        return path
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    unit = b"function f(a,b){return a.map(function(x){return x*b+1})};var q=[1,2,3];" * 1000
    secret = f'var cfg={{aws_access_key_id:"{SECRET}"}};'.encode()
    with open(path / "bundle.min.js", "wb") as fh:
        written = 0
        while written < size:
            chunk = unit[: size - written]
            if written <= size // 2 < written + len(chunk):
                chunk = chunk[: len(chunk) // 2] + secret + chunk[len(chunk) // 2 :]
            fh.write(chunk)
            written += len(chunk)
    _mark(path)
    return path


def make_history(path: Path, commits: int, blob: int) -> Path:
    """A repository of ``commits`` commits via git fast-import; one holds a ``blob``-byte file
    (removed again two commits later) and one a secret."""
    if _done(path):
        return path
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(path)], check=True)
    proc = subprocess.Popen(
        ["git", "fast-import", "--quiet", "--done"], cwd=path, stdin=subprocess.PIPE
    )
    assert proc.stdin is not None
    out = proc.stdin
    big_at, secret_at = commits // 2, commits // 3
    t0 = 1_600_000_000
    for i in range(commits):
        out.write(b"commit refs/heads/main\n")
        out.write(b"committer Bench <bench@example.invalid> %d +0000\n" % (t0 + i))
        msg = b"change %d\n" % i
        out.write(b"data %d\n%s" % (len(msg), msg))
        body = b"counter = %d\n" % i
        if i == secret_at:
            body += SECRET_LINE.encode()
        out.write(b"M 100644 inline src/counter%d.py\n" % (i % 100))
        out.write(b"data %d\n%s\n" % (len(body), body))
        if i == big_at:
            out.write(b"M 100644 inline data/huge.log\n")
            out.write(b"data %d\n" % blob)
            _write_lines(out, blob)
            out.write(b"\n")
        if i == big_at + 2:
            out.write(b"D data/huge.log\n")
    out.write(b"done\n")
    out.close()
    if proc.wait() != 0:
        raise SystemExit("git fast-import failed")
    subprocess.run(["git", "-C", str(path), "reset", "-q", "--hard"], check=True)
    _mark(path)
    return path


# -- the runs --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str
    what: str
    build: Callable[[Path, float], Path]
    args: Callable[[Path], list[str]]


def _cases() -> list[Case]:
    return [
        Case(
            "tree",
            "{n} files",
            lambda d, s: make_tree(d / f"tree-{s:g}", max(10, int(100_000 * s))),
            lambda p: ["scan", "--no-progress", "--format", "json", str(p)],
        ),
        Case(
            "1g-file",
            "{mib} MiB file",
            lambda d, s: make_big_file(d / f"big-{s:g}", int(1024 * MiB * s)),
            lambda p: ["scan", "--no-progress", "--format", "json", str(p)],
        ),
        Case(
            "1g-file-read",
            "{mib} MiB file, max_file_size raised to 2 GiB: read whole",
            lambda d, s: make_big_file(d / f"big-{s:g}", int(1024 * MiB * s)),
            lambda p: [
                "scan",
                "--no-progress",
                "--format",
                "json",
                "--max-file-size",
                str(2048 * MiB),
                str(p),
            ],
        ),
        Case(
            "minified",
            "{mib} MiB one line",
            lambda d, s: make_minified(d / f"min-{s:g}", int(200 * MiB * s)),
            lambda p: [
                "scan",
                "--no-progress",
                "--format",
                "json",
                "--max-file-size",
                str(256 * MiB),
                str(p),
            ],
        ),
        Case(
            "history",
            "{n} commits, {mib} MiB blob",
            lambda d, s: make_history(
                d / f"hist-{s:g}", max(20, int(100_000 * s)), int(500 * MiB * s)
            ),
            lambda p: ["scan", "--history", "--no-progress", "--format", "json", str(p)],
        ),
    ]


def _skips(report: dict[str, object]) -> str:
    skipped = report.get("skipped")
    if not isinstance(skipped, list) or not skipped:
        return "none"
    names = [f"{s.get('path')} ({s.get('reason')})" for s in skipped if isinstance(s, dict)]
    return f"{len(names)}: " + ", ".join(names[:2]) + (" ..." if len(names) > 2 else "")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--scale", type=float, default=1.0, help="input size factor (1.0: the issue's sizes)"
    )
    parser.add_argument(
        "--workdir", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "credmigrate-size"
    )
    parser.add_argument("--cases", default=",".join(CASES))
    parser.add_argument(
        "--credmigrate", type=Path, help="executable (default: .venv/bin/credmigrate)"
    )
    parser.add_argument("--timeout", type=float, default=3600.0)
    parser.add_argument("--no-save", action="store_true", help="don't update bench/RESULTS.md")
    args = parser.parse_args(argv)
    exe = args.credmigrate or Path(__file__).resolve().parents[1] / ".venv" / "bin" / "credmigrate"
    wanted = set(args.cases.split(","))
    rows: list[list[object]] = []
    for case in _cases():
        if case.name not in wanted:
            continue
        cpus: dict[float, float] = {}
        for scale in (args.scale / 10, args.scale):
            t = time.perf_counter()
            path = case.build(args.workdir, scale)
            gen = time.perf_counter() - t
            m = run_measured([str(exe), *case.args(path)], path, args.timeout)
            cpus[scale] = m.cpu
            stats = m.report.get("summary") if isinstance(m.report.get("summary"), dict) else {}
            size = (
                sum(
                    f.stat().st_size
                    for f in path.rglob("*")
                    if f.is_file() and ".git" not in f.parts
                )
                if case.name != "history"
                else 0
            )
            rows.append(
                [
                    case.name,
                    f"{scale:g}",
                    f"{size / MiB:.0f}" if size else "-",
                    f"{m.cpu:.1f}",
                    f"{m.wall:.1f}",
                    table.mib(m.peak_kib),
                    m.returncode,
                    (stats or {}).get("files_scanned", "?"),  # type: ignore[union-attr]
                    _skips(m.report),
                    f"gen {gen:.0f}s",
                ]
            )
        small, big = cpus[args.scale / 10], cpus[args.scale]
        rows.append(
            [
                case.name,
                "10x input",
                "",
                table.ratio(big, small),
                "",
                "",
                "",
                "",
                "CPU ratio (~10x: linear)",
                "",
            ]
        )
    body = table.render(
        [
            "case",
            "scale",
            "MiB",
            "CPU s",
            "wall s",
            "peak MiB",
            "exit",
            "scanned",
            "skipped",
            "note",
        ],
        rows,
    )
    print(body)
    if not args.no_save and wanted.issuperset(CASES):
        table.save("Size", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
