"""The migration journal: ``.credmigrate/journal.json``, so an interrupted run resumes.

It records names, ARNs, version ids, fingerprints, value hashes and outcomes: never values.
Every update rewrites the file atomically (temp file, fsync, rename), so a crash leaves either
the old journal or the new one, never half of one.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from credmigrate import atomic, strict
from credmigrate.errors import BadInputError

JOURNAL_VERSION = 1
JOURNAL_PATH = Path(".credmigrate") / "journal.json"
FLUSH_SECONDS = 0.5

# outcomes
CREATED = "created"
UNCHANGED = "unchanged"  # already there with the same value
UPDATED = "updated"  # --update-existing wrote a new version
CONFLICT = "conflict"  # there with another value; left alone
FAILED = "failed"


@dataclass
class Entry:
    name: str
    value_sha256: str
    fingerprints: list[str]
    outcome: str = ""
    arn: str = ""
    version_id: str = ""
    verified: bool = False
    message: str = ""


@dataclass(frozen=True)
class _JournalDoc:
    """The journal file's shape, for checking it field by field."""

    credmigrate_journal: int
    state: str = ""
    updated: str = ""
    secrets: tuple[Entry, ...] = ()
    rewritten: tuple[str, ...] = ()


@dataclass
class Journal:
    path: Path
    entries: dict[str, Entry] = field(default_factory=dict)
    rewritten: list[str] = field(default_factory=list)
    state: str = "new"
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _dirty: bool = field(default=False, repr=False)
    _saved_at: float = field(default=0.0, repr=False)

    @classmethod
    def load(cls, root: Path) -> Journal:
        path = root / JOURNAL_PATH
        if not path.exists():
            return cls(path)
        hint = "(move it away to start over)"
        try:
            data = json.loads(atomic.read_input(path, what="journal"))
        except OSError as exc:
            raise BadInputError(f"unreadable journal {path}: {exc.strerror} {hint}") from None
        except (ValueError, RecursionError) as exc:  # not UTF-8, not JSON, nested too deep
            raise BadInputError(
                f"unreadable journal {path}: not JSON ({type(exc).__name__}) {hint}"
            ) from None
        if not isinstance(data, dict) or data.get("credmigrate_journal") != JOURNAL_VERSION:
            raise BadInputError(f"unreadable journal {path}: unknown journal version {hint}")
        doc = strict.build(_JournalDoc, data, f"unreadable journal {path} {hint}")
        entries = {e.name: e for e in doc.secrets}
        return cls(path, entries, list(doc.rewritten), doc.state)

    def record(self, entry: Entry) -> None:
        """Note an outcome; saved at most every :data:`FLUSH_SECONDS` (and by :meth:`flush`).

        The store itself is the source of truth on a rerun (each name is read back before any
        write), so an outcome lost in the last fraction of a second costs a read, not a value.
        """
        with self._lock:
            self.entries[entry.name] = entry
            self._dirty = True
            if time.monotonic() - self._saved_at >= FLUSH_SECONDS:
                self._save()

    def flush(self) -> None:
        with self._lock:
            if self._dirty:
                self._save()

    def set_state(self, state: str, rewritten: list[str] | None = None) -> None:
        with self._lock:
            self.state = state
            if rewritten is not None:
                self.rewritten = sorted(set(self.rewritten) | set(rewritten))
            self._save()

    def to_data(self) -> dict[str, Any]:
        return {
            "credmigrate_journal": JOURNAL_VERSION,
            "state": self.state,
            "updated": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "secrets": [asdict(e) for _, e in sorted(self.entries.items())],
            "rewritten": self.rewritten,
        }

    def _save(self) -> None:
        atomic_write(self.path, json.dumps(self.to_data(), indent=2) + "\n")
        self._dirty = False
        self._saved_at = time.monotonic()


def atomic_write(path: Path, text: str, mode: int = 0o644) -> None:
    """Write ``text`` to ``path`` atomically (see :mod:`credmigrate.atomic`)."""
    atomic.write_text(path, text, mode)
