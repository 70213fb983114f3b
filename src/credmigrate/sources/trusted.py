"""The CI gate's own inputs, read from the base revision: ``scan --since REV``.

A pull request can change the files that decide what the gate sees: add ``exclude = ["**"]``,
set ``min_confidence = "high"``, add its own secret's fingerprint to the baseline, or give an
extra rule file an allowlist. Read from the checkout, they turn the gate green. So with
``--since REV`` the configuration (``.credmigrate.toml`` or pyproject's ``[tool.credmigrate]``,
or ``--config`` when that file is inside the repository), the baseline and the extra rule files
inside the repository are read as REV has them, and each of them that the reviewed commits
change (merge base -> HEAD) becomes a finding-like notice, so the gate fails (exit 1) until a
reviewer reruns it with ``--allow-config-changes``. Files outside the repository (the CI job's
own) are read from disk: the pull request can't change them.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from credmigrate.config import Config, load_config, parse_config
from credmigrate.errors import BadInputError, GitError
from credmigrate.findings.model import Confidence, Finding, Span
from credmigrate.sources.git.repo import GitRepo, open_repo

NOTICE_RULE = "credmigrate-gate-input-changed"
NOTICE_DESCRIPTION = (
    "The reviewed commits change the gate's configuration, baseline or rules; it used the "
    "base's (rerun with --allow-config-changes once a reviewer accepts the change)"
)
CONFIG_NAME = ".credmigrate.toml"
PYPROJECT = "pyproject.toml"


@dataclass
class GateInputs:
    """What the gate runs with, and what the reviewed commits change of it."""

    config: Config
    baseline: Path | None = None  # REV's baseline (a private copy), or the CI job's own
    notices: list[Finding] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # repository paths the range changes
    notes: list[str] = field(default_factory=list)


def _join(base: str, rel: str) -> str:
    return os.path.normpath(f"{base}/{rel}" if base else rel)


class _Reader:
    def __init__(self, repo: GitRepo, top: Path, base: str, label: str, copies: Path) -> None:
        self.repo, self.top, self.base, self.label, self.copies = repo, top, base, label, copies
        self.notes: list[str] = []

    def inside(self, path: Path) -> str | None:
        """``path`` (absolute, or relative to the current directory) relative to the
        repository, posix; None when it lies outside."""
        try:
            rel = Path(os.path.abspath(path)).relative_to(self.top)
        except ValueError:
            try:
                rel = path.resolve().relative_to(self.top)
            except (ValueError, OSError, RuntimeError):
                return None
        return os.path.normpath(rel.as_posix())

    def blob(self, rev: str | None, rel: str) -> str | None:
        if rev is None:
            return None
        out = self.repo.run("rev-parse", "--verify", "-q", f"{rev}:{rel}", check=False).strip()
        return out.decode() or None

    def read(self, rev: str | None, rel: str) -> bytes | None:
        sha = self.blob(rev, rel)
        return None if sha is None else self.repo.run("cat-file", "blob", sha)

    def copy(self, rel: str, what: str) -> Path | None:
        """REV's version of ``rel``, written to the private copies directory."""
        if rel == ".." or rel.startswith("../") or os.path.isabs(rel):
            raise BadInputError(f"{what} {rel} is outside the repository")
        data = self.read(self.base, rel)
        if data is None:
            self.notes.append(f"{what} {rel} is not in {self.label}: the gate does not use it")
            return None
        dest = self.copies / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)
        return dest


def _table(raw: bytes | None) -> Any:
    """pyproject's [tool.credmigrate] table (None if absent); the raw bytes if unparseable."""
    if raw is None:
        return None
    try:
        doc = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return raw
    tool = doc.get("tool")
    return tool.get("credmigrate") if isinstance(tool, dict) else None


def _notice(rel: str, label: str, old: str | None, new: str | None) -> Finding:
    what = "added" if old is None else "deleted" if new is None else "changed"
    text = f"{rel} {what} since {label}"
    fp = hashlib.sha256(f"{NOTICE_RULE}\0{rel}\0{old}\0{new}".encode()).hexdigest()[:40]
    return Finding(
        rule_id=NOTICE_RULE,
        description=NOTICE_DESCRIPTION,
        path=rel,
        span=Span(1, 1, 1, 1),
        secret=text,  # not a secret: the notice itself, so --show-secrets shows the same
        fingerprint=fp,
        confidence=Confidence.HIGH,
        redacted=text,
    )


def _parse(data: bytes, source: str, is_pyproject: bool) -> Config | None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise BadInputError(f"cannot read config {source}: not UTF-8") from None
    return parse_config(text, Path(source), is_pyproject=is_pyproject)


def trusted_inputs(
    root: Path,
    rev: str,
    *,
    config_path: Path | None,
    baseline: Path | None,
    rule_files: Sequence[Path],
    copies: Path,
) -> GateInputs:
    """The configuration, baseline and rule files as ``rev`` has them, plus a notice for each
    that the commits ``merge-base(rev, HEAD)..HEAD`` change. ``root``: the scanned repository
    path; ``config_path``, ``baseline`` and ``rule_files`` as given on the command line;
    ``copies``: a private directory for REV's versions of the files read by path."""
    repo = open_repo(root)
    if repo.info.work_tree is None:
        raise GitError("--since needs a work tree to compare the gate's configuration")
    top = Path(os.path.abspath(repo.info.work_tree))
    try:
        base = repo.resolve(rev)
    except GitError:
        hint = " (in CI, fetch it: `git fetch origin main` or a checkout with fetch-depth: 0)"
        raise GitError(f"unknown revision for --since: {rev}{hint}") from None
    head = repo.info.head
    merge_base = (repo.merge_base(base, head) if head else None) or base
    reader = _Reader(repo, top, base, rev, copies)
    root_rel = reader.inside(root) or "."
    root_rel = "" if root_rel == "." else root_rel
    watched: dict[str, bool] = {}  # repository path -> compare only [tool.credmigrate]

    # -- configuration: REV's, unless --config names a file outside the repository
    config: Config | None = None
    config_dir = root_rel
    own_config = config_path is not None and reader.inside(config_path) is None
    if config_path is not None and own_config:
        config = load_config(root, config_path)
    elif config_path is not None:
        named = reader.inside(config_path) or ""
        watched[named] = False
        data = reader.read(base, named)
        config = (_parse(data, f"{rev}:{named}", False) if data is not None else None) or Config()
        config_dir = os.path.dirname(named)
    else:
        own, pyproject = _join(root_rel, CONFIG_NAME), _join(root_rel, PYPROJECT)
        watched[own] = False
        watched[pyproject] = True
        data = reader.read(base, own)
        if data is not None:
            config = _parse(data, f"{rev}:{own}", False)
        else:
            data = reader.read(base, pyproject)
            config = _parse(data, f"{rev}:{pyproject}", True) if data is not None else None
    config = config or Config()

    # -- extra rule files: REV's copies of those inside the repository
    rules: list[str] = []
    for name in config.extra_rules:
        # a CI job's own config has them resolved already; REV's are relative to its file
        in_repo = own_config or os.path.isabs(name)
        where = reader.inside(Path(name)) if in_repo else _join(config_dir, name)
        rules.append(_use(reader, watched, where, Path(name)))
    for path in rule_files:
        rules.append(_use(reader, watched, reader.inside(path), path))
    out = GateInputs(config=config.with_(extra_rules=tuple(r for r in rules if r), baseline=None))

    # -- baseline: REV's, unless it is outside the repository
    accepted: str | None = None
    if baseline is not None:
        accepted = reader.inside(baseline)
        if accepted is None:
            out.baseline = baseline
    elif config.baseline:
        accepted = _join(root_rel, config.baseline)
        if accepted == ".." or accepted.startswith("../"):  # REV's config points outside
            out.baseline, accepted = top / accepted, None
    if accepted is not None:
        watched[accepted] = False
        out.baseline = reader.copy(accepted, "baseline")

    # -- what the reviewed commits change
    for item, table_only in sorted(watched.items()):
        old, new = reader.blob(merge_base, item), reader.blob(head, item)
        if old == new:
            continue
        if table_only and _table(reader.read(merge_base, item)) == _table(reader.read(head, item)):
            continue
        out.changed.append(item)
        out.notices.append(_notice(item, rev, old, new))
    out.notes.extend(reader.notes)
    return out


def _use(reader: _Reader, watched: dict[str, bool], rel: str | None, original: Path) -> str:
    if rel is None:
        return str(original)  # outside the repository: the CI job's own
    if rel == ".." or rel.startswith("../"):  # REV's config points outside the repository
        return str(reader.top / rel)
    watched[rel] = False
    copy = reader.copy(rel, "rule file")
    return str(copy) if copy is not None else ""
