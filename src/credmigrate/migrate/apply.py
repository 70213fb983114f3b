"""Execute a plan: upload every secret, read each back, and only then rewrite code.

Order matters and is the safety property: (1) refuse a dirty tree in files to be rewritten,
(2) create/compare every secret concurrently within the write quota, journaling each outcome,
(3) stop with exit 4 on any store failure or conflict and exit 5 on a read-back mismatch, with no
source file touched, (4) write the code changes atomically, (5) mark the journal done.
"""

from __future__ import annotations

import json
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from credmigrate.errors import BadInputError, CredmigrateError, StoreError, VerifyError
from credmigrate.findings.fingerprint import secret_hash
from credmigrate.migrate.code_changes import write_code_changes
from credmigrate.migrate.journal import (
    CONFLICT,
    CREATED,
    FAILED,
    UNCHANGED,
    UPDATED,
    Entry,
    Journal,
)
from credmigrate.migrate.plan import Plan, SecretPlan
from credmigrate.sources.progress import NO_TASK, Bars, progress_bars
from credmigrate.store.secrets_manager import BATCH, RemoteSecret, SecretStore, check_size

_T = TypeVar("_T")
WRITES_PER_SECOND = 50.0  # Secrets Manager's CreateSecret/PutSecretValue quota (per account)
MAX_WORKERS = 16


@dataclass(frozen=True)
class ApplyOptions:
    update_existing: bool = False
    allow_dirty: bool = False
    writes_per_second: float = WRITES_PER_SECOND
    max_workers: int = MAX_WORKERS
    progress: bool = False  # upload/verify bars on a terminal (never under CI or off a TTY)


@dataclass
class ApplyResult:
    entries: list[Entry] = field(default_factory=list)
    rewritten: list[str] = field(default_factory=list)
    calls: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)  # per phase: upload, verify, rewrite

    def count(self, outcome: str) -> int:
        return sum(1 for e in self.entries if e.outcome == outcome)


class RateLimiter:
    """Spaces write calls evenly: at most ``rate`` per second across all threads."""

    def __init__(self, rate: float) -> None:
        self._interval = 1.0 / rate if rate > 0 else 0.0
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next)
            self._next = slot + self._interval
        if slot > now:
            time.sleep(slot - now)


def dirty_paths(root: Path, paths: Sequence[str]) -> list[str]:
    """Files among ``paths`` with uncommitted changes (modified, staged or untracked)."""
    if not paths:
        return []
    try:
        out = subprocess.run(
            ["git", "status", "--porcelain", "-z", "--untracked-files=all", "--", *paths],
            cwd=root,
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        raise BadInputError(
            f"{root} is not a git working tree, so a rewrite could not be undone; "
            "commit it to git first or pass --allow-dirty"
        ) from None
    dirty: list[str] = []
    for rec in out.split(b"\0"):
        if len(rec) > 3:
            dirty.append(rec[3:].decode("utf-8", "surrogateescape"))
    return sorted(set(dirty))


def covers(remote: str, ours: str) -> bool:
    """The stored value already holds ours: equal, or a JSON object holding all our keys.

    The superset case is a rerun after a partial rewrite: keys already rewritten left the
    source, so the new plan holds fewer keys than the secret stored by the first run.
    """
    if remote == ours:
        return True
    try:
        r, o = json.loads(remote), json.loads(ours)
    except ValueError:
        return False
    return (
        isinstance(r, dict)
        and isinstance(o, dict)
        and all(k in r and r[k] == v for k, v in o.items())
    )


def _token(sp: SecretPlan, kind: str) -> str:
    # Idempotency token: a retried create/put after a lost response makes no second version.
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"credmigrate:{kind}:{sp.name}:{sp.value_sha256}"))


class _Uploader:
    """Three phases, each concurrent: read what exists (batched), write what's missing or
    different (rate-limited), read back everything written (batched) and compare."""

    def __init__(
        self, plan: Plan, store: SecretStore, journal: Journal, opts: ApplyOptions, bars: Bars
    ) -> None:
        self.plan, self.store, self.journal, self.opts = plan, store, journal, opts
        self.bars = bars
        self.uploaded = bars.task("upload", total=len(plan.secrets), unit="secrets")
        self.verified = NO_TASK  # a real bar once the uploads are done and the count known
        self.limiter = RateLimiter(opts.writes_per_second)
        self.stop = threading.Event()
        self.entries: dict[str, Entry] = {}
        self.errors: list[CredmigrateError] = []
        self._lock = threading.Lock()

    def _run(self, pool: ThreadPoolExecutor, fn: Callable[[_T], None], items: Sequence[_T]) -> None:
        def guarded(item: _T) -> None:
            if self.stop.is_set():
                return
            try:
                fn(item)
            except CredmigrateError as exc:
                if not isinstance(exc, VerifyError):
                    self.stop.set()
                with self._lock:
                    self.errors.append(exc)

        list(pool.map(guarded, items))

    def _entry(self, sp: SecretPlan) -> Entry:
        value = self.plan.values[sp.name]
        fps = [fp for k in sp.keys for fp in k.fingerprints]
        return Entry(sp.name, secret_hash(value), fps)

    def read(self, names: Sequence[str]) -> dict[str, RemoteSecret | None]:
        out: dict[str, RemoteSecret | None] = {}
        out.update(self.store.get_many(names))
        return out

    def decide(self, batch: tuple[SecretPlan, ...]) -> None:
        """Phase 1+2 for one batch of names: read them, then create/update/compare each."""
        remote = self.read([sp.name for sp in batch])
        for sp in batch:
            if self.stop.is_set():
                return
            self._one(sp, remote.get(sp.name))

    def _one(self, sp: SecretPlan, remote: RemoteSecret | None) -> None:
        value = self.plan.values[sp.name]
        o = self.plan.options
        entry = self._entry(sp)
        try:
            if remote is None:
                self.limiter.wait()
                written = self.store.create(
                    sp.name,
                    value,
                    description=sp.description,
                    tags=dict(sp.tags),
                    kms_key_id=o.kms_key_id,
                    replica_regions=o.replica_regions,
                    token=_token(sp, "create"),
                )
                if written is None:  # created meanwhile by someone else: compare with it
                    remote = self.store.get(sp.name)
                    if remote is None:
                        raise StoreError(f"secret {sp.name!r} vanished while being created")
                else:
                    entry.outcome, entry.arn = CREATED, written.arn
                    entry.version_id = written.version_id
            if remote is not None:
                self._existing(sp, value, remote, entry)
        except CredmigrateError as exc:
            entry.outcome, entry.message = FAILED, exc.message
            self._done(entry)
            raise
        self._done(entry)

    def _done(self, entry: Entry) -> None:
        with self._lock:
            self.entries[entry.name] = entry
        self.journal.record(entry)
        self.uploaded.advance()

    def _existing(self, sp: SecretPlan, value: str, remote: RemoteSecret, entry: Entry) -> None:
        entry.arn, entry.version_id = remote.arn, remote.version_id
        if remote.deleted:
            raise StoreError(
                f"secret {sp.name!r} is scheduled for deletion; restore it "
                "(aws secretsmanager restore-secret) or choose another --prefix"
            )
        if remote.value is not None and covers(remote.value, value):
            entry.outcome, entry.verified = UNCHANGED, True
            o = self.plan.options
            wanted = (o.rotation_lambda or "", o.rotate_after_days or 0)
            # A rerun finishes a rotation set-up that failed after the upload.
            if wanted[0] and wanted[1] and self.store.rotation(sp.name) != wanted:
                self.limiter.wait()
                self.store.rotate(sp.name, *wanted)
        elif self.opts.update_existing:
            self.limiter.wait()
            written = self.store.put(sp.name, value, token=_token(sp, "put"))
            entry.outcome, entry.version_id = UPDATED, written.version_id
        else:
            entry.outcome = CONFLICT
            entry.message = "exists with a different value"

    def verify(self, names: tuple[str, ...]) -> None:
        """Phase 3: read back what was written and compare with what was meant."""
        back = self.read(names)
        o = self.plan.options
        for name in names:
            entry = self.entries[name]
            got = back.get(name)
            if got is None or got.value != self.plan.values[name]:
                entry.verified = False
                self.journal.record(entry)
                raise VerifyError(
                    f"read-back of {name!r} does not match what was uploaded; no source file "
                    "was changed"
                )
            entry.verified = True
            self.journal.record(entry)
            self.verified.advance()
            if o.rotation_lambda and o.rotate_after_days:
                self.limiter.wait()
                self.store.rotate(name, o.rotation_lambda, o.rotate_after_days)


def _batches(items: Sequence[_T], n: int) -> list[tuple[_T, ...]]:
    return [tuple(items[i : i + n]) for i in range(0, len(items), n)]


def apply_plan(
    plan: Plan, root: Path, store: SecretStore, journal: Journal, opts: ApplyOptions
) -> ApplyResult:
    """Upload, verify, then rewrite. Raises a CredmigrateError before touching any source file."""
    if not opts.allow_dirty:
        dirty = dirty_paths(root, plan.rewrite_paths)
        if dirty:
            more = f" and {len(dirty) - 3} more" if len(dirty) > 3 else ""
            raise BadInputError(
                f"uncommitted changes in files to be rewritten: {', '.join(dirty[:3])}{more}; "
                "commit or stash them, or pass --allow-dirty"
            )
    for sp in plan.secrets:
        check_size(sp.name, plan.values[sp.name])
    result = ApplyResult()
    journal.set_state("uploading")
    workers = max(1, min(opts.max_workers, len(plan.secrets)))
    try:
        with (
            progress_bars(opts.progress) as bars,
            ThreadPoolExecutor(max_workers=workers) as pool,
        ):
            up = _Uploader(plan, store, journal, opts, bars)
            try:
                # Small batches keep every worker busy; one BatchGetSecretValue call each.
                size = max(1, min(BATCH, -(-len(plan.secrets) // workers)))
                t0 = time.perf_counter()
                up._run(pool, up.decide, _batches(plan.secrets, size))
                t1 = time.perf_counter()
                written = [n for n, e in up.entries.items() if e.outcome in (CREATED, UPDATED)]
                if not up.errors:
                    up.verified = bars.task("verify", total=len(written), unit="secrets")
                    up._run(pool, up.verify, _batches(sorted(written), BATCH))
                result.seconds = {"upload": t1 - t0, "verify": time.perf_counter() - t1}
            except BaseException:  # Ctrl-C: queued uploads return at once; the journal stays
                up.stop.set()
                raise
    finally:
        journal.flush()
    result.entries = sorted(up.entries.values(), key=lambda e: e.name)
    result.calls = dict(store.calls.counts)
    total = len(plan.secrets)
    if up.errors:
        errors = up.errors
        first = next((e for e in errors if not isinstance(e, VerifyError)), errors[0])
        done = sum(1 for e in result.entries if e.outcome != FAILED)
        tail = f" ({done} of {total} secrets stored; no source file changed; rerun to resume)"
        if isinstance(first, VerifyError):
            raise VerifyError(first.message + tail)
        raise StoreError(first.message + tail)
    conflicts = [e.name for e in result.entries if e.outcome == CONFLICT]
    if conflicts:
        more = f" and {len(conflicts) - 1} more" if len(conflicts) > 1 else ""
        raise StoreError(
            f"secret {conflicts[0]!r}{more} already exists with a different value; left alone "
            "and no source file changed (pass --update-existing to write a new version, or "
            "choose another --prefix)"
        )
    journal.set_state("verified")
    t2 = time.perf_counter()
    write_code_changes(root, plan.outcomes)
    result.seconds["rewrite"] = time.perf_counter() - t2
    result.rewritten = list(plan.rewrite_paths)
    journal.set_state("done", rewritten=result.rewritten)
    return result
