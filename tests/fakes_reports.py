"""Findings built directly (no detector) for report and baseline tests; fake secrets only."""

from __future__ import annotations

import string

from hypothesis import strategies as st

from credmigrate.findings.fingerprint import fingerprint
from credmigrate.findings.model import (
    Binding,
    Commit,
    Confidence,
    Finding,
    Location,
    Span,
    Status,
)
from credmigrate.findings.redact import redact
from tests import fakes


def make_finding(
    secret: str | None = None,
    *,
    rule_id: str = "generic-password",
    path: str = "app/settings.py",
    line: int = 3,
    column: int = 12,
    description: str = "Generic password assignment",
    confidence: Confidence = Confidence.MEDIUM,
    binding: Binding | None = None,
    group: str = "",
    commit: Commit | None = None,
    status: Status | None = None,
    other_locations: tuple[Location, ...] = (),
) -> Finding:
    value = fakes.password(f"{path}:{line}") if secret is None else secret
    return Finding(
        rule_id=rule_id,
        description=description,
        path=path,
        span=Span(line, column, line, column + len(value)),
        secret=value,
        fingerprint=fingerprint(value, rule_id, path),
        confidence=confidence,
        redacted=redact(value),
        binding=binding,
        group=group,
        commit=commit,
        status=status,
        other_locations=other_locations,
    )


def python_binding(name: str = "DB_PASSWORD", line: int = 3) -> Binding:
    return Binding(
        kind="assign",
        name=name,
        target=name,
        literal=Span(line, 15, line, 37),
    )


def history_commit(seed: str = "c1") -> Commit:
    sha = fakes.token(40, seed, "0123456789abcdef")
    return Commit(sha=sha, author="Test Author", date="2024-05-01T12:00:00+00:00", refs=("main",))


# Values that need no escaping in JSON or XML, so "the value is absent" can't pass merely because
# an encoder rewrote it; the show_secrets control in each test proves presence is detectable.
SECRET_ALPHABET = string.ascii_letters + string.digits + "+/=_-.!@$^*"
RULE_IDS = ("aws-access-key", "generic-password", "github-pat", "slack-bot-token")
PATHS = ("app/settings.py", "config/.env", "dir with space/ñ.yaml", "src/main.py", "x.json")


def _mixed(value: str) -> bool:
    # Real keys mix classes; this also keeps a value from coinciding with report structure
    # (JSON keys, lowercase hex fingerprints) so "absent" really means "not leaked".
    return (
        any(c.isupper() for c in value)
        and any(c.islower() for c in value)
        and any(c.isdigit() for c in value)
    )


secrets_st = st.text(SECRET_ALPHABET, min_size=16, max_size=64).filter(_mixed)


@st.composite
def findings_st(draw: st.DrawFn, secret: str | None = None) -> Finding:
    value = draw(secrets_st) if secret is None else secret
    history = draw(st.booleans())
    line = draw(st.integers(1, 5000))
    return make_finding(
        value,
        rule_id=draw(st.sampled_from(RULE_IDS)),
        path=draw(st.sampled_from(PATHS)),
        line=line,
        column=draw(st.integers(1, 200)),
        confidence=draw(st.sampled_from(list(Confidence))),
        binding=python_binding(line=line) if draw(st.booleans()) else None,
        group=draw(st.sampled_from(["", "g1"])),
        commit=history_commit(str(line)) if history else None,
        status=draw(st.sampled_from(list(Status))) if history else None,
        other_locations=(Location("old/path.py", "abc123", 7),) if history else (),
    )
