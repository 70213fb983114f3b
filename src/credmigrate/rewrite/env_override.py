"""Keep a later environment override winning: ``if PROD: SECRET_KEY = os.getenv("SECRET_KEY")``.

Settings modules often hold a development literal and replace it from the environment further
down, in production only (``if ENVIRONMENT == "production": SECRET_KEY = os.getenv(...)``). Once
the literal becomes ``get_secret(...)`` the module would ask Secrets Manager at import in every
environment, production included. Where the same module-level name is later assigned from
``os.getenv("X")`` / ``os.environ.get("X")`` / ``os.environ["X"]``, the rewritten assignment
becomes ``NAME = os.environ.get("X") or get_secret(...)``: with ``X`` set the store is never
asked. The edit is made only when ``os`` is imported as ``os`` and the result parses.
"""

from __future__ import annotations

import ast
import re


def _env_var(value: ast.expr) -> str | None:
    """``X`` when ``value`` reads the environment variable X."""
    if isinstance(value, ast.BoolOp):  # os.getenv("X") or default
        return _env_var(value.values[0])
    if isinstance(value, ast.Call) and value.args:
        f = ast.unparse(value.func)
        arg = value.args[0]
        if f in ("os.getenv", "os.environ.get") and isinstance(arg, ast.Constant):
            return arg.value if isinstance(arg.value, str) else None
    if isinstance(value, ast.Subscript) and ast.unparse(value.value) == "os.environ":
        key = value.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return key.value
    return None


def _module_assignments(tree: ast.Module) -> list[tuple[str, int, ast.expr]]:
    """(name, line, value) for module-level assignments, including inside if/try blocks."""
    out: list[tuple[str, int, ast.expr]] = []

    def visit(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = node.targets[0]
                if isinstance(target, ast.Name):
                    out.append((target.id, node.lineno, node.value))
            elif isinstance(node, ast.If | ast.Try):
                visit(node.body)
                visit(node.orelse)
                if isinstance(node, ast.Try):
                    for h in node.handlers:
                        visit(h.body)
                    visit(node.finalbody)

    visit(tree.body)
    return out


def keep_env_overrides(new: str) -> tuple[str, list[str]]:
    """``new`` with module-level ``NAME = get_secret(...)`` deferring to a later env override."""
    try:
        tree = ast.parse(new)
    except SyntaxError:
        return new, []
    has_os = any(
        isinstance(n, ast.Import) and any(a.name == "os" and a.asname is None for a in n.names)
        for n in tree.body
    )
    if not has_os:
        return new, []
    assigns = _module_assignments(tree)
    lines = new.splitlines(keepends=True)
    kept: list[str] = []
    for name, line, value in assigns:
        if not (isinstance(value, ast.Call) and ast.unparse(value.func) == "get_secret"):
            continue
        later = [_env_var(v) for n, ln, v in assigns if n == name and ln > line]
        var = next((v for v in later if v), None)
        if var is None:
            continue
        text = lines[line - 1]
        m = re.match(rf"(\s*{re.escape(name)}\s*=\s*)get_secret\(", text)
        if m is None:
            continue
        lines[line - 1] = f"{m.group(1)}os.environ.get({var!r}) or {text[m.end(1) :]}"
        kept.append(f"{name} (env {var})")
    if not kept:
        return new, []
    out = "".join(lines)
    try:
        ast.parse(out)
    except SyntaxError:
        return new, []
    return out, kept
