"""``scan --repos FILE --state DIR``: which repositories a run has finished, so a rerun resumes.

One JSON file per finished repository, written atomically as soon as it finishes (a crash or a
Ctrl-C keeps what was done), named by a hash of its path or URL. It records the revision that
was scanned and the findings **without their values** (fingerprints, redacted previews and
locations, as the reports show them): a rerun skips a repository still at that revision and
reports its recorded findings, and rescans one that moved. Records made under other scan
settings (rules, ``--history``, ``--since``...) are not reused.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from credmigrate import atomic
from credmigrate.errors import BadInputError
from credmigrate.findings.model import (
    Binding,
    Commit,
    Confidence,
    Finding,
    Location,
    ScanResult,
    Skipped,
    Span,
    Status,
    as_dict,
)
from credmigrate.sources.org import RepoOutcome, RepoSpec

STATE_VERSION = 1


def _key(spec: RepoSpec) -> str:
    return hashlib.sha256(spec.source.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def finding_record(f: Finding) -> dict[str, Any]:
    """A finding as JSON, without its secret value."""
    doc = as_dict(f)
    doc["secret"] = ""
    doc["confidence"] = f.confidence.value
    doc["status"] = f.status.value if f.status is not None else None
    return doc


def finding_from_record(doc: dict[str, Any]) -> Finding:
    binding = doc.get("binding")
    commit = doc.get("commit")
    return Finding(
        rule_id=doc["rule_id"],
        description=doc["description"],
        path=doc["path"],
        span=Span(**doc["span"]),
        secret="",
        fingerprint=doc["fingerprint"],
        confidence=Confidence(doc["confidence"]),
        redacted=doc["redacted"],
        line_text_hash=doc.get("line_text_hash", ""),
        binding=(
            Binding(
                **{**binding, "literal": Span(**binding["literal"]) if binding["literal"] else None}
            )
            if binding
            else None
        ),
        group=doc.get("group", ""),
        commit=Commit(**{**commit, "refs": tuple(commit["refs"])}) if commit else None,
        status=Status(doc["status"]) if doc.get("status") else None,
        other_locations=tuple(Location(**loc) for loc in doc.get("other_locations", ())),
        repo=doc.get("repo", ""),
    )


class OrgState:
    """The records in ``DIR`` for scans made with the settings ``digest``."""

    def __init__(self, directory: Path, digest: str) -> None:
        self.dir = directory
        self.digest = digest
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise BadInputError(
                f"cannot create state directory {directory}: {exc.strerror or exc}"
            ) from None
        if not self.dir.is_dir():
            raise BadInputError(f"state directory {directory} is not a directory")
        self.stale = 0  # records made under other settings (ignored)

    def _file(self, spec: RepoSpec) -> Path:
        return self.dir / f"{_key(spec)}.json"

    def load(self, spec: RepoSpec) -> RepoOutcome | None:
        """The recorded outcome for ``spec``, or None (never scanned, other settings, unreadable)."""
        path = self._file(spec)
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            return None  # a damaged record: rescan
        try:
            if doc.get("version") != STATE_VERSION or doc.get("settings") != self.digest:
                self.stale += 1
                return None
            res = doc["result"]
            result = ScanResult(
                findings=tuple(finding_from_record(f) for f in res["findings"]),
                skipped=tuple(Skipped(s["path"], s["reason"]) for s in res["skipped"]),
                files_scanned=int(res["files_scanned"]),
                bytes_scanned=int(res["bytes_scanned"]),
                notes=tuple(res["notes"]),
                errors=tuple(res["errors"]),
            )
            return RepoOutcome(
                spec.name, str(doc["revision"]), result, seconds=float(doc["seconds"])
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            return None

    def record(self, spec: RepoSpec, outcome: RepoOutcome) -> None:
        """Remember a successful scan (a failure is retried next time, so it is not recorded)."""
        if not outcome.ok or outcome.unchanged or outcome.result is None:
            return
        res = outcome.result
        doc = {
            "version": STATE_VERSION,
            "settings": self.digest,
            "repo": spec.name,
            "revision": outcome.revision,
            "seconds": outcome.seconds,
            "result": {
                "findings": [finding_record(f) for f in res.findings],
                "skipped": [{"path": s.path, "reason": s.reason} for s in res.skipped],
                "files_scanned": res.files_scanned,
                "bytes_scanned": res.bytes_scanned,
                "notes": list(res.notes),
                "errors": list(res.errors),
            },
        }
        try:
            atomic.write_text(self._file(spec), json.dumps(doc, ensure_ascii=True) + "\n")
        except OSError as exc:
            raise BadInputError(
                f"cannot write state in {self.dir}: {exc.strerror or exc}"
            ) from None
