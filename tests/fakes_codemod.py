"""Golden-case support: fake secrets from markers, and findings built the way the scanner does.

Golden files hold markers, never secret-looking literals: ``@@password:DB_PASSWORD@@`` becomes
a fake password generated at test time (the same marker always gives the same value), and the
JSON key of its replacement is ``DB_PASSWORD``.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable

from credmigrate.findings.fingerprint import fingerprint
from credmigrate.findings.model import Binding, Confidence, Finding, Replacement, Span
from credmigrate.findings.redact import redact
from credmigrate.rewrite.text import escaped
from tests import fakes

MARKER = re.compile(r"@@(\w+):(\w+)@@")
GENERATORS: dict[str, Callable[[str], str]] = {
    "token": lambda seed: "tok" + fakes.token(29, seed),
    "password": fakes.password,
    "aws_key_id": fakes.aws_key_id,
    "aws_secret_key": lambda seed: fakes.aws_secret_key(seed).replace("+", "x").replace("/", "y"),
    "github_pat": fakes.github_pat,
    "slack_bot_token": fakes.slack_bot_token,
    "stripe_live": fakes.stripe_live,
    "pem": lambda seed: (
        "-----BEGIN PRIVATE KEY-----\n"
        + "\n".join(fakes.b64_blob(48, f"{seed}-{i}") for i in range(3))
        + "\n-----END PRIVATE KEY-----"
    ),
    # a PEM key written on one line with \n escapes, as in a service-account JSON dict
    "pem_escaped": lambda seed: (
        "-----BEGIN PRIVATE KEY-----\n"
        + "\n".join(fakes.b64_blob(48, f"{seed}-{i}") for i in range(3))
        + "\n-----END PRIVATE KEY-----\n"
    ),
    "digits": lambda seed: fakes.token(8, seed, "0123456789"),
    "hex": lambda seed: fakes.token(32, seed, "0123456789abcdef"),
}
ESCAPED = {"pem_escaped"}  # written into the source with escapes; the value has line breaks


def materialize(text: str, case: str) -> tuple[str, dict[str, str]]:
    """Replace markers with fake secrets; return the text and {secret: json_key}."""
    secrets: dict[str, str] = {}

    def sub(m: re.Match[str]) -> str:
        value = GENERATORS[m.group(1)](f"{case}-{m.group(1)}-{m.group(2)}")
        secrets[value] = m.group(2)
        return escaped(value) if m.group(1) in ESCAPED else value

    return MARKER.sub(sub, text), secrets


def _char_span(lines: list[str], node: ast.expr) -> Span:
    def col(line: int, byte_col: int) -> int:
        return len(lines[line - 1].encode("utf-8")[:byte_col].decode("utf-8")) + 1

    end_line = node.end_lineno or node.lineno
    return Span(
        node.lineno,
        col(node.lineno, node.col_offset),
        end_line,
        col(end_line, node.end_col_offset or 0),
    )


def _literal_spans(source: str) -> list[Span]:
    """Spans of whole string expressions (constants, f-strings, ``+`` chains), outermost first."""
    lines = source.splitlines()
    out: list[Span] = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, (ast.Constant, ast.JoinedStr))
            and not isinstance(getattr(node, "value", None), bytes)
        ) or (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add)):
            out.append(_char_span(lines, node))
    return out


def _contains(outer: Span, line: int, col: int) -> bool:
    return (outer.line, outer.column) <= (line, col) < (outer.end_line, outer.end_column)


def replacements(
    path: str, source: str, secrets: dict[str, str], secret_name: str
) -> list[Replacement]:
    """One Replacement per occurrence of each secret, with span and literal span filled in."""
    try:
        spans = _literal_spans(source)
    except SyntaxError:
        spans = []
    out: list[Replacement] = []
    for secret, key in secrets.items():
        needle = secret if secret in source else escaped(secret)
        start = source.find(needle)
        while start >= 0:
            lineno = source.count("\n", 0, start) + 1
            col = start - (source.rfind("\n", 0, start) + 1) + 1
            end = start + len(needle)
            end_line = source.count("\n", 0, end) + 1
            end_col = end - (source.rfind("\n", 0, end) + 1) + 1
            span = Span(lineno, col, end_line, end_col)
            lits = [s for s in spans if _contains(s, lineno, col)]
            literal = lits[0] if lits else None
            binding = Binding("assign", key, key, literal=literal, embedded=True)
            finding = Finding(
                rule_id="fake-rule",
                description="fake secret",
                path=path,
                span=span,
                secret=secret,
                fingerprint=fingerprint(secret, "fake-rule", path),
                confidence=Confidence.HIGH,
                redacted=redact(secret),
                binding=binding,
            )
            out.append(Replacement(finding, secret_name, key))
            start = source.find(needle, start + 1)
    return out
