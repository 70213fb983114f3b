"""Baselines: accepted findings, stored as hashes, never values.

Our format (``write_baseline``)::

    {"version": 1, "generated_by": "credmigrate",
     "fingerprints": [...sorted...],
     "entries": [{"fingerprint", "rule_id", "path", "secret_hash"}, ...sorted...]}

A finding is accepted when its fingerprint is listed, or when its (path, secret_hash) is, so a
secret moved within a file or matched by a renamed rule stays accepted. A detect-secrets
``.secrets.baseline`` is read too (its ``hashed_secret`` is the SHA-1 of the value, per filename),
so a team can switch without re-auditing, and so is a gitleaks JSON report (what gitleaks takes
as ``--baseline-path``; only hashes of its values are kept). Matching is by value, never by line:
a new secret on an already-accepted line is still reported.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from credmigrate import atomic
from credmigrate.errors import BadInputError
from credmigrate.findings.fingerprint import secret_hash
from credmigrate.findings.model import Finding

BASELINE_VERSION = 1
GENERATED_BY = "credmigrate"


def _sha1(secret: str) -> str:
    # detect-secrets' hashed_secret: SHA-1 of the UTF-8 value (a lookup key there, not security).
    return hashlib.sha1(secret.encode("utf-8", "surrogatepass")).hexdigest()


# detect-secrets' GitHub and GitLab detectors hash only the token prefix (their regex's capture
# group), so such an entry stands for "any token of that kind in this file". Honouring it would
# hide a new token, so these entries are left unmatched and reported as a note.
_PREFIX_HASHES = frozenset(
    hashlib.sha1(p.encode()).hexdigest()
    for p in ("ghp", "gho", "ghu", "ghs", "ghr", "glpat", "gldt", "glft", "glsoat", "glrt")
)


def _norm_path(path: str) -> str:
    path = path.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path


@dataclass(frozen=True)
class Baseline:
    """A loaded baseline: the sets of accepted fingerprints and value hashes."""

    fingerprints: frozenset[str] = frozenset()
    path_hashes: frozenset[tuple[str, str]] = frozenset()  # (path, sha256 of value)
    detect_secrets: frozenset[tuple[str, str]] = frozenset()  # (filename, sha1 of value)
    kind: str = GENERATED_BY  # "credmigrate", "detect-secrets" or "gitleaks"
    notes: tuple[str, ...] = ()  # things the user should know about this baseline

    @classmethod
    def load(cls, path: Path | str) -> Baseline:
        """Read a credmigrate or detect-secrets baseline; ``BadInputError`` if it is neither."""
        path = Path(path)
        try:
            raw = atomic.read_input(path, what="baseline")
        except FileNotFoundError:
            raise BadInputError(f"baseline {path} does not exist") from None
        except (OSError, UnicodeDecodeError, ValueError) as exc:  # ValueError: NUL in the name
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise BadInputError(f"cannot read baseline {path}: {reason}") from None
        try:
            doc = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise BadInputError(
                f"baseline {path} is not valid JSON (line {exc.lineno}, column {exc.colno}: "
                f"{exc.msg})"
            ) from None
        except (ValueError, RecursionError) as exc:  # a number too long, nesting too deep
            raise BadInputError(
                f"baseline {path} is not usable JSON: {type(exc).__name__}"
            ) from None
        if isinstance(doc, dict) and ("fingerprints" in doc or doc.get("generated_by")):
            return cls._from_ours(doc, path)
        if isinstance(doc, dict) and "results" in doc:
            return cls._from_detect_secrets(doc, path)
        if isinstance(doc, list) and all(isinstance(x, dict) and "RuleID" in x for x in doc):
            return cls._from_gitleaks(doc, path)
        raise BadInputError(
            f"baseline {path} is neither a credmigrate, detect-secrets nor gitleaks baseline"
        )

    @classmethod
    def _from_ours(cls, doc: Mapping[str, Any], path: Path) -> Baseline:
        version = doc.get("version")
        if not isinstance(version, int) or isinstance(version, bool):
            raise BadInputError(f"baseline {path}: 'version' must be an integer")
        if version > BASELINE_VERSION:
            raise BadInputError(
                f"baseline {path} has version {version}; this credmigrate reads up to "
                f"{BASELINE_VERSION} (upgrade credmigrate)"
            )
        fps = doc.get("fingerprints", [])
        if not isinstance(fps, list) or not all(isinstance(x, str) and x for x in fps):
            raise BadInputError(f"baseline {path}: 'fingerprints' must be a list of strings")
        entries = doc.get("entries", [])
        if not isinstance(entries, list):
            raise BadInputError(f"baseline {path}: 'entries' must be a list")
        fingerprints = set(fps)
        pairs: set[tuple[str, str]] = set()
        for i, entry in enumerate(entries):
            fields = (
                {k: entry.get(k) for k in ("fingerprint", "path", "secret_hash")}
                if isinstance(entry, dict)
                else {}
            )
            if not fields or not all(isinstance(v, str) and v for v in fields.values()):
                raise BadInputError(
                    f"baseline {path}: entry {i} needs string 'fingerprint', 'path', 'secret_hash'"
                )
            fingerprints.add(str(fields["fingerprint"]))
            pairs.add((_norm_path(str(fields["path"])), str(fields["secret_hash"])))
        return cls(frozenset(fingerprints), frozenset(pairs), frozenset(), GENERATED_BY)

    @classmethod
    def _from_detect_secrets(cls, doc: Mapping[str, Any], path: Path) -> Baseline:
        results = doc["results"]
        if not isinstance(results, dict):
            raise BadInputError(f"baseline {path}: detect-secrets 'results' must be an object")
        pairs: set[tuple[str, str]] = set()
        prefix_only = 0
        for filename, items in results.items():
            if not isinstance(items, list):
                raise BadInputError(f"baseline {path}: results for {filename!r} must be a list")
            for item in items:
                hashed = item.get("hashed_secret") if isinstance(item, dict) else None
                if not isinstance(hashed, str) or not hashed:
                    raise BadInputError(
                        f"baseline {path}: a result for {filename!r} has no 'hashed_secret'"
                    )
                name = item.get("filename", filename)
                name = name if isinstance(name, str) and name else filename
                if hashed.lower() in _PREFIX_HASHES:
                    prefix_only += 1
                    continue
                pairs.add((_norm_path(name), hashed.lower()))
        notes: tuple[str, ...] = ()
        if prefix_only:
            notes = (
                f"baseline {path}: {prefix_only} detect-secrets GitHub/GitLab token "
                "entries hash only the token prefix and can't be matched; those tokens are "
                "reported again (accept them with --update-baseline)",
            )
        return cls(detect_secrets=frozenset(pairs), kind="detect-secrets", notes=notes)

    @classmethod
    def _from_gitleaks(cls, doc: list[dict[str, Any]], path: Path) -> Baseline:
        # A gitleaks JSON report (its --baseline-path input) holds the values themselves: keep
        # only their hashes. A redacted report can't be matched by value, and matching by line
        # would hide a new secret on an old line, so refuse it.
        pairs: set[tuple[str, str]] = set()
        for i, item in enumerate(doc):
            file, secret = item.get("File"), item.get("Secret")
            if not isinstance(file, str) or not file or not isinstance(secret, str) or not secret:
                raise BadInputError(
                    f"baseline {path}: gitleaks finding {i} needs 'File' and 'Secret'"
                )
            if "REDACTED" in secret or secret.endswith("..."):
                raise BadInputError(
                    f"baseline {path} is a redacted gitleaks report, which can't be matched by value; "
                    "write a credmigrate baseline with --update-baseline instead"
                )
            pairs.add((_norm_path(file), secret_hash(secret)))
        return cls(path_hashes=frozenset(pairs), kind="gitleaks")

    def suppresses(self, finding: Finding) -> bool:
        """True when ``finding`` was accepted in this baseline (matched by value, not by line)."""
        if finding.fingerprint in self.fingerprints:
            return True
        path = _norm_path(finding.path)
        if self.path_hashes and (path, secret_hash(finding.secret)) in self.path_hashes:
            return True
        return bool(self.detect_secrets) and (path, _sha1(finding.secret)) in self.detect_secrets

    def filter(self, findings: Iterable[Finding]) -> tuple[list[Finding], int]:
        """Split ``findings`` into (those still reported, how many the baseline suppressed)."""
        kept: list[Finding] = []
        suppressed = 0
        for f in findings:
            if self.suppresses(f):
                suppressed += 1
            else:
                kept.append(f)
        return kept, suppressed

    def __len__(self) -> int:
        return len(self.fingerprints) + len(self.path_hashes) + len(self.detect_secrets)


def baseline_document(findings: Iterable[Finding]) -> dict[str, Any]:
    """The JSON document ``write_baseline`` writes: hashes only, sorted, no timestamps."""
    entries = {(f.path, f.rule_id, f.fingerprint, secret_hash(f.secret)) for f in findings}
    return {
        "version": BASELINE_VERSION,
        "generated_by": GENERATED_BY,
        "fingerprints": sorted({e[2] for e in entries}),
        "entries": [
            {"fingerprint": fp, "rule_id": rule_id, "path": p, "secret_hash": sh}
            for p, rule_id, fp, sh in sorted(entries)
        ],
    }


def write_baseline(path: Path | str, findings: Iterable[Finding]) -> None:
    """Write a baseline accepting ``findings``, atomically (never a half-written file)."""
    path = Path(path)
    text = json.dumps(baseline_document(findings), indent=2, ensure_ascii=True) + "\n"
    atomic.write_output(path, text, what="baseline", make_parents=False)
