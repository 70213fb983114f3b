"""AST-first detection for Python files (stdlib ``ast``, one parse per file).

The module is walked once. Every string constant is seen with its context: the assignment target
(names, attributes, subscripts with constant keys), the keyword or positional argument of a call
(with the callee's dotted name, resolved through the module's imports), the dict key, the
tuple/list position beside a user-like value, function defaults, returns, and the constant parts
of f-strings and of ``+``/``%`` expressions, through ``or`` fallbacks and wrappers such as
``quote('...')``. Line layout does not matter: a name and its literal on different lines are one
context.

Generic rules decide from that context (the name says "password", the callee's real signature
says this positional argument is the password); provider rules keep running on the lines (their
formats need no name) and get their binding from the constant that holds them. Positional
arguments are mapped through :data:`SIGNATURES`, a table of known callees; for any other callee
only named arguments count, so a user name is never taken for a password.

Every occurrence of a found value in the file is a finding (same fingerprint, its own location),
including comments: a commented-out key is still a leak.

A file that does not parse keeps the line-path findings; the caller says so.
"""

from __future__ import annotations

import ast
import bisect
import codecs
import warnings
from collections.abc import Iterator, Mapping, Sequence
from typing import NamedTuple

from credmigrate.detect import filters, matching
from credmigrate.detect import lazyre as re  # most patterns are needed by few files
from credmigrate.detect.rules import Rule
from credmigrate.findings.fingerprint import fingerprint, line_hash
from credmigrate.findings.model import Binding, Confidence, Finding, Span
from credmigrate.findings.redact import redact

# -- names --------------------------------------------------------------------------------------

# the generic rule's secret words (rules/generic.toml: generic-secret-assignment)
_SECRET_NAME = re.compile(
    r"(?i)passw(?:or)?d|passwd|passphrase|pwd|secret|token|api[_.\-]?key|apikey|access[_.\-]?key|"
    r"auth[_.\-]?key|private[_.\-]?key|client[_.\-]?secret|credentials?|pass|signing[_.\-]?key|"
    r"encryption[_.\-]?key|master[_.\-]?key"
)
_PASSWORD_NAME = re.compile(r"(?i)passw(?:or)?d|passwd|passphrase|pwd|pass$|^pass|_pass_")
# query-string keys that carry a credential (``?appid=...&key=...``)
_QUERY_KEY = re.compile(
    r"(?i)^(?:appid|app_?id_?key|app_?key|api_?key|apikey|key|access_?token|auth_?token|token|"
    r"auth|password|passwd|pwd|secret|client_?secret|api_?secret|sig|signature|private_?key)$"
)
_QUERY = re.compile(r"(?:^|[?&;])([A-Za-z_][\w\-]{0,40})=([^&#\s{}'\"]{8,300})")
_QUERY_PRECHECK = re.compile(r"[?&;][A-Za-z_][\w\-]{0,40}=")
_DSN_PASSWORD = re.compile(r"(?i)(?:^|[\s;])(password|pwd)\s*=\s*([^\s;'\"{}]{4,200})")
_AUTH_SCHEME = re.compile(r"(?i)(?:^|[\s:])(token|bearer|basic|bot|apikey|key)\s*[:=]?\s*$")
_TAIL_KEY = re.compile(r"([A-Za-z_][\w\-]{0,40})=$")
_URL_USER = re.compile(r"://[^:/@\s]+:()$")  # "scheme://user:%s@host": the slot is the password
_FORMAT_SLOT = re.compile(r"%[sr]|%\([^)]*\)[sr]")
_USER_LIKE = re.compile(r"^[A-Za-z][\w.+\-]{1,63}$|^[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+$")
_COMMON_USERS = frozenset(
    [
        "root",
        "admin",
        "administrator",
        "user",
        "deploy",
        "deployer",
        "postgres",
        "mysql",
        "sa",
        "ubuntu",
        "guest",
        "demo",
        "api",
        "service",
        "svc",
        "app",
        "web",
        "www",
        "ftp",
        "ftpuser",
        "mail",
        "mailer",
        "smtp",
        "bot",
        "ci",
        "jenkins",
        "git",
        "system",
        "sys",
        "dba",
        "master",
        "operator",
    ]
)
_AUTHISH_OWNER = re.compile(r"(?i)auth|cred|login|account|admin|user|basic|root|owner|superuser")
_ALLOW = re.compile(r"credmigrate:allow|gitleaks:allow|pragma: allowlist secret")
# generic rules whose match in a comment is a commented-out assignment (# DB_PASSWORD = "...")
_ASSIGNMENT_RULES = frozenset(
    ["generic-secret-assignment", "django-secret-key", "env-fallback-literal"]
)
_METADATA_OWNER = re.compile(
    r"(?i)(?:algo|algorithm|algorithms|type|types|name|names|url|urls|field|fields|mode|modes|"
    r"method|methods|choices|options|header|headers|scheme|schemes)$"
)
_SECRET_KEY_NAME = re.compile(r"(?:^|_)SECRET_KEY$")

# -- callees ------------------------------------------------------------------------------------

# Real positional signatures of known callees (dotted name after import resolution). Only the
# positions listed here are ever read; an unknown callee's positional arguments are ignored.
# A parameter named ``dsn`` holds a connection string whose ``password=`` part is the secret.
_MYSQLDB = ("host", "user", "passwd", "db", "port")
_PYMYSQL = ("host", "user", "password", "database", "port")
SIGNATURES: dict[str, tuple[str, ...]] = {
    "MySQLdb.connect": _MYSQLDB,
    "MySQLdb.Connect": _MYSQLDB,
    "MySQLdb.Connection": _MYSQLDB,
    "MySQLdb.connections.Connection": _MYSQLDB,
    "_mysql.connect": _MYSQLDB,
    "MySQLdb._mysql.connect": _MYSQLDB,
    "pymysql.connect": _PYMYSQL,
    "pymysql.Connect": _PYMYSQL,
    "pymysql.Connection": _PYMYSQL,
    "pymysql.connections.Connection": _PYMYSQL,
    "mysql.connector.connect": (),  # keyword arguments only
    "pymssql.connect": ("server", "user", "password", "database"),
    "cx_Oracle.connect": ("user", "password", "dsn"),
    "oracledb.connect": ("dsn", "pool", "conn_class", "params", "user", "password"),
    "ibm_db.connect": ("database", "user", "password"),
    "psycopg2.connect": ("dsn",),
    "psycopg.connect": ("dsn",),
    "psycopg.Connection.connect": ("dsn",),
    "pyodbc.connect": ("dsn",),
    "smtplib.SMTP.login": ("user", "password"),
    "smtplib.SMTP_SSL.login": ("user", "password"),
    "imaplib.IMAP4.login": ("user", "password"),
    "imaplib.IMAP4_SSL.login": ("user", "password"),
    "poplib.POP3.pass_": ("password",),
    "poplib.POP3_SSL.pass_": ("password",),
    "ftplib.FTP": ("host", "user", "passwd", "acct"),
    "ftplib.FTP_TLS": ("host", "user", "passwd", "acct"),
    "ftplib.FTP.login": ("user", "passwd", "acct"),
    "ftplib.FTP_TLS.login": ("user", "passwd", "acct"),
    "paramiko.SSHClient.connect": ("hostname", "port", "username", "password"),
    "paramiko.client.SSHClient.connect": ("hostname", "port", "username", "password"),
    "paramiko.Transport.connect": ("hostkey", "username", "password"),
    "redis.Redis": ("host", "port", "db", "password"),
    "redis.StrictRedis": ("host", "port", "db", "password"),
    "redis.client.Redis": ("host", "port", "db", "password"),
    "requests.auth.HTTPBasicAuth": ("username", "password"),
    "requests.auth.HTTPDigestAuth": ("username", "password"),
    "requests.auth.HTTPProxyAuth": ("username", "password"),
    "requests.HTTPBasicAuth": ("username", "password"),
    "httpx.BasicAuth": ("username", "password"),
    "httpx.DigestAuth": ("username", "password"),
    "aiohttp.BasicAuth": ("login", "password"),
    "pika.PlainCredentials": ("username", "password"),
    "pika.credentials.PlainCredentials": ("username", "password"),
    "tweepy.OAuthHandler": ("consumer_key", "consumer_secret", "access_token", "access_secret"),
    "tweepy.OAuth1UserHandler": (
        "consumer_key",
        "consumer_secret",
        "access_token",
        "access_secret",
    ),
    "tweepy.Client": ("bearer_token", "consumer_key", "consumer_secret", "access_token"),
    "twilio.rest.Client": ("account_sid_user", "auth_token"),
    "boto3.session.Session": ("aws_access_key_id", "aws_secret_access_key", "aws_session_token"),
    "boto3.Session": ("aws_access_key_id", "aws_secret_access_key", "aws_session_token"),
    "telebot.TeleBot": ("bot_token",),
    "telegram.Bot": ("bot_token",),
    "slack_sdk.WebClient": ("token",),
    "slack.WebClient": ("token",),
    "github.Github": ("login_or_token", "password"),
    "jwt.encode": ("payload", "signing_key", "algorithm"),
    "jwt.decode": ("jwt", "signing_key"),
    "itsdangerous.URLSafeTimedSerializer": ("secret_key",),
    "itsdangerous.URLSafeSerializer": ("secret_key",),
    "itsdangerous.TimedSerializer": ("secret_key",),
    "cryptography.fernet.Fernet": ("fernet_key",),
    "discord.Client.run": ("bot_token",),
    "discord.ext.commands.Bot.run": ("bot_token",),
}
# Distinctive class names, matched without an import (``from x import *``, vendored copies).
_BY_TAIL = {
    name.rsplit(".", 1)[-1]: sig
    for name, sig in SIGNATURES.items()
    if name.rsplit(".", 1)[-1]
    in {
        "HTTPBasicAuth",
        "HTTPDigestAuth",
        "HTTPProxyAuth",
        "PlainCredentials",
        "OAuthHandler",
        "OAuth1UserHandler",
        "TeleBot",
    }
}
_METHOD_TAILS = frozenset(
    name.rsplit(".", 1)[-1] for name in SIGNATURES if name.rsplit(".", 2)[-2][:1].isupper()
)
# Methods whose receiver is rarely resolvable but whose signature is the same everywhere.
_BY_METHOD: dict[str, tuple[str, ...]] = {
    "login": ("user", "password"),
    "simple_bind_s": ("who", "password"),
    "simple_bind": ("who", "password"),
    "bind_s": ("who", "password"),
    "starttls_login": ("user", "password"),
}
# Calls whose (first) argument is the value itself: ``quote('p@ss')``, ``SecretStr('...')``.
_WRAPPERS = frozenset(
    [
        "quote",
        "quote_plus",
        "unquote",
        "str",
        "SecretStr",
        "Secret",
        "SecretBytes",
        "b64decode",
    ]
)
# Field constructors whose ``default`` is the value of the attribute they are assigned to.
_FIELD_FACTORIES = frozenset(["field", "Field", "ib", "attrib", "SecretField"])
# Methods called on the value itself: ``"...".encode()``, ``"...".strip()``.
_METHOD_WRAPPERS = frozenset(["encode", "strip", "rstrip", "lstrip"])
_ENV_GETTERS = ("environ.get", "getenv", "environ.setdefault")
_READER_DEFAULTS = frozenset({"default", "fallback"})


class _Ctx(NamedTuple):
    kind: str  # assign, class_attr, subscript, kwarg, positional, dict_key, default, ...
    name: str
    target: str = ""
    scope: str = ""
    call: str = ""
    rule: str = "generic-secret-assignment"
    user: str = ""  # the user-like value beside this one (tuple/positional pairs)
    owner: str = ""  # the name the tuple is bound to


class _Cand:
    __slots__ = ("ctx", "embedded", "node", "root", "value")

    def __init__(
        self, node: ast.expr, root: ast.expr, value: str, ctx: _Ctx, embedded: bool
    ) -> None:
        self.node = node  # the constant (or the f-string holding it)
        self.root = root  # the whole string expression (for the binding's literal span)
        self.value = value  # the secret text
        self.ctx = ctx
        self.embedded = embedded


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr}" if base else ""
    if isinstance(node, ast.Call):
        base = _dotted(node.func)
        return f"{base}()" if base else ""
    return ""


def _target_text(node: ast.AST) -> str:
    if isinstance(node, ast.Subscript):
        key = node.slice
        inner = _target_text(node.value)
        if isinstance(key, ast.Constant):
            return f"{inner}[{key.value!r}]"
        return f"{inner}[]"
    return _dotted(node)


def _str(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


class _Walker:
    """One pass over the module: imports, receiver types, and every string in its contexts."""

    def __init__(self, tree: ast.Module, wanted: Sequence[int] | None = None) -> None:
        self.wanted = wanted  # sorted line numbers: only statements covering one are read
        self.imports: dict[str, str] = {}
        self.types: dict[str, str] = {}  # variable (or self.attr) -> dotted class it was built from
        self.cands: list[_Cand] = []
        self.docstrings: set[int] = set()
        self.dict_paths: dict[int, tuple[_Ctx, str]] = {}
        self.late: list[_Cand] = []  # second-chance contexts, after every first one
        for stmt in tree.body:  # module-level imports first: a call may precede a late import
            if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                self._import(stmt)
        if tree.body and isinstance(tree.body[0], ast.Expr):
            self.docstrings.add(id(tree.body[0].value))  # the module docstring
        self._tree = tree
        self._typed = wanted is None  # a full walk records types in source order itself
        self._walk(tree)
        self.cands.extend(self.late)

    def _types(self, body: Sequence[ast.stmt]) -> None:
        """Receiver types from every assignment ``x = Known(...)``, statements only."""
        for stmt in body:
            if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call):
                callee = self.resolve(_dotted(stmt.value.func))
                for target in stmt.targets:
                    if callee and isinstance(target, (ast.Name, ast.Attribute)):
                        self.types[_dotted(target)] = callee
            for field in ("body", "orelse", "finalbody"):
                inner = getattr(stmt, field, None)
                if isinstance(inner, list):
                    self._types(inner)
            for handler in getattr(stmt, "handlers", ()):
                self._types(handler.body)

    def _covers(self, node: ast.stmt) -> bool:
        wanted = self.wanted
        if wanted is None:
            return True
        i = bisect.bisect_left(wanted, node.lineno)
        return i < len(wanted) and wanted[i] <= (node.end_lineno or node.lineno)

    # -- traversal ------------------------------------------------------------------------

    def _walk(self, tree: ast.Module) -> None:
        stack: list[tuple[ast.AST, str, bool]] = [(tree, "", False)]
        while stack:
            node, scope, in_class = stack.pop()
            if isinstance(node, ast.stmt) and not self._covers(node):
                continue  # nothing on its lines for the line rules or the gate
            t = type(node)
            child_scope, child_class = scope, False
            if t is ast.Assign or t is ast.AnnAssign:
                self._assign(node, scope, in_class)  # type: ignore[arg-type]
            elif t is ast.Call:
                self._call(node, scope)  # type: ignore[arg-type]
            elif t is ast.Dict:
                self._dict(node, scope)  # type: ignore[arg-type]
            elif t is ast.arguments:
                self._defaults(node, scope)  # type: ignore[arg-type]
            elif t is ast.Return and node.value is not None:  # type: ignore[attr-defined]
                name = scope.rsplit(".", 1)[-1]
                if name:
                    self._value(node.value, _Ctx("return", name, name, scope))  # type: ignore[attr-defined]
            elif t is ast.ImportFrom or t is ast.Import:
                self._import(node)  # type: ignore[arg-type]
            elif t is ast.Expr and id(node.value) not in self.docstrings:  # type: ignore[attr-defined]
                value = node.value  # type: ignore[attr-defined]
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    # a bare string statement: holds text (reported if a rule finds a secret
                    # in it), gives no name
                    self.cands.append(
                        _Cand(value, value, value.value, _Ctx("text", "", rule="none"), False)
                    )
            elif t is ast.Compare:
                continue  # ``password == "..."`` tests a value, it does not hold one
            elif t is ast.ClassDef or t is ast.FunctionDef or t is ast.AsyncFunctionDef:
                child_scope = f"{scope}.{node.name}" if scope else node.name  # type: ignore[attr-defined]
                child_class = t is ast.ClassDef
                body = node.body  # type: ignore[attr-defined]
                if body and isinstance(body[0], ast.Expr):
                    self.docstrings.add(id(body[0].value))
            elif t is ast.Constant:
                value = node.value  # type: ignore[attr-defined]
                if type(value) is str and "=" in value:
                    self._query(node, value)  # type: ignore[arg-type]
                continue
            elif t is ast.JoinedStr:
                for part in node.values:  # type: ignore[attr-defined]
                    text = _str(part)
                    if text is not None and "=" in text:
                        self._query(node, text)  # type: ignore[arg-type]
                continue
            children = [(c, child_scope, child_class) for c in ast.iter_child_nodes(node)]
            children.reverse()  # source order: a variable's type is known before its use
            stack.extend(children)

    def _import(self, node: ast.Import | ast.ImportFrom) -> None:
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.asname:
                    self.imports[a.asname] = a.name
                else:
                    head = a.name.split(".")[0]
                    self.imports.setdefault(head, head)
            return
        mod = node.module or ""
        for a in node.names:
            if a.name != "*":
                self.imports[a.asname or a.name] = f"{mod}.{a.name}" if mod else a.name

    def resolve(self, dotted: str) -> str:
        head, _, rest = dotted.partition(".")
        if head in self.types and rest:
            return f"{self.types[head]}.{rest}"
        if dotted.startswith("self.") and dotted.count(".") >= 2:
            obj, _, method = dotted.rpartition(".")
            if obj in self.types:
                return f"{self.types[obj]}.{method}"
        base = self.imports.get(head, head)
        return f"{base}.{rest}" if rest else base

    # -- contexts -------------------------------------------------------------------------

    def _assign(self, node: ast.Assign | ast.AnnAssign, scope: str, in_class: bool) -> None:
        value = node.value
        if value is None:
            return
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            if isinstance(target, (ast.Tuple, ast.List)) and isinstance(
                value, (ast.Tuple, ast.List)
            ):
                for t, v in zip(target.elts, value.elts, strict=False):
                    name = _dotted(t).rsplit(".", 1)[-1]
                    if name:
                        self._value(v, _Ctx("assign", name, _dotted(t), scope))
                continue
            if isinstance(value, ast.Call):
                callee = self.resolve(_dotted(value.func))
                if callee and isinstance(target, (ast.Name, ast.Attribute)):
                    self.types[_dotted(target)] = callee
            if isinstance(target, ast.Subscript):
                key = _str(target.slice)
                if key is None:
                    continue
                ctx = _Ctx("subscript", key, _target_text(target.value), scope)
            elif isinstance(target, ast.Attribute):
                ctx = _Ctx("assign", target.attr, _dotted(target), scope)
            elif isinstance(target, ast.Name):
                kind = "class_attr" if in_class else "assign"
                ctx = _Ctx(kind, target.id, target.id, scope)
            else:
                continue
            self._value(value, ctx)

    def _call(self, node: ast.Call, scope: str) -> None:
        dotted = _dotted(node.func)
        callee = self.resolve(dotted) if dotted else ""
        args = node.args
        if callee.endswith(_ENV_GETTERS) and len(args) >= 1:
            env = _str(args[0]) or ""
            if len(args) >= 2:
                self._value(args[1], _Ctx("env_fallback", env, env, scope, callee, "env-fallback"))
        sig = self._signature(callee, len(args))
        if sig:
            first_user = ""
            for i, arg in enumerate(args):
                if i >= len(sig) or isinstance(arg, ast.Starred):
                    break
                param = sig[i]
                text = _str(arg)
                if param in ("user", "username", "login", "who") and text:
                    first_user = text
                if param == "dsn":
                    self._dsn(arg, _Ctx("positional", "dsn", callee, scope, callee))
                    continue
                rule = "login-call-password" if _PASSWORD_NAME.search(param) else ""
                self._value(
                    arg,
                    _Ctx("positional", param, callee, scope, callee, rule or "generic", first_user),
                )
        elif callee and not callee.endswith(_ENV_GETTERS):
            tail = callee.rsplit(".", 1)[-1]
            for arg in args:  # context for a provider key's binding only: never a name
                self._value(arg, _Ctx("positional", tail, callee, scope, callee, "none"))
        reader_name = _str(args[0]) if args else None
        for kw in node.keywords:
            if kw.arg is None:
                continue
            if kw.arg in _READER_DEFAULTS and reader_name:
                # config("SECRET_KEY", default="..."), env.str("X", default=...), cfg.get(..)
                self._value(
                    kw.value, _Ctx("kwarg", reader_name, kw.arg, scope, callee, "env-fallback")
                )
                continue
            if kw.arg in ("dsn", "conninfo", "connection_string", "connstring"):
                self._dsn(kw.value, _Ctx("kwarg", kw.arg, kw.arg, scope, callee))
            self._value(kw.value, _Ctx("kwarg", kw.arg, kw.arg, scope, callee))

    def _signature(self, callee: str, nargs: int) -> tuple[str, ...]:
        if not callee:
            return ()
        if not self._typed and callee.rsplit(".", 1)[-1] in _METHOD_TAILS:
            # a method of a known class on a receiver built in a statement the walk skips
            self._typed = True
            self._types(self._tree.body)
            callee = self.resolve(callee)
        sig = SIGNATURES.get(callee)
        if sig is None:
            tail = callee.rsplit(".", 1)[-1]
            sig = _BY_TAIL.get(tail)
            if sig is None and "." in callee:
                sig = _BY_METHOD.get(tail)
        if sig and sig[0] == "login_or_token" and nargs >= 2:
            sig = ("login", *sig[1:])  # Github(login, password); Github(token) alone
        return sig or ()

    def _dict(self, node: ast.Dict, scope: str) -> None:
        base = self.dict_paths.get(id(node))
        for k, v in zip(node.keys, node.values, strict=False):
            key = _str(k)
            if key is None or v is None:
                continue
            if base is not None:
                ctx0, prefix = base
                ctx = _Ctx("dict_key", key, f"{prefix}.{key}", scope or ctx0.scope)
            else:
                ctx = _Ctx("dict_key", key, key, scope)
            if isinstance(v, ast.Dict):
                self.dict_paths[id(v)] = (ctx, ctx.target)
            self._value(v, ctx)

    def _defaults(self, node: ast.arguments, scope: str) -> None:
        positional = node.posonlyargs + node.args
        pairs = list(
            zip(positional[len(positional) - len(node.defaults) :], node.defaults, strict=False)
        )
        pairs += [
            (a, d) for a, d in zip(node.kwonlyargs, node.kw_defaults, strict=False) if d is not None
        ]
        for a, d in pairs:
            self._value(d, _Ctx("default", a.arg, a.arg, scope))

    def _query(self, node: ast.Constant | ast.JoinedStr, text: str) -> None:
        """Credentials in a URL query string inside a literal or an f-string's text."""
        if not _QUERY_PRECHECK.search(text):
            return
        for m in _QUERY.finditer(text):
            if _QUERY_KEY.match(m.group(1)):
                ctx = _Ctx("query", m.group(1), m.group(1), rule="embedded")
                self.cands.append(_Cand(node, node, m.group(2), ctx, True))

    def _dsn(self, node: ast.expr, ctx: _Ctx) -> None:
        text = _str(node)
        if text is None or "=" not in text:
            return
        for m in _DSN_PASSWORD.finditer(text):
            self.cands.append(
                _Cand(node, node, m.group(2), ctx._replace(name=m.group(1), rule="dsn"), True)
            )

    # -- values ---------------------------------------------------------------------------

    def _value(
        self, node: ast.expr, ctx: _Ctx, embedded: bool = False, root: ast.expr | None = None
    ) -> None:
        root = root if root is not None else node
        t = type(node)
        if t is ast.Constant:
            value = node.value  # type: ignore[attr-defined]
            if isinstance(value, str):
                self.cands.append(_Cand(node, root, value, ctx, embedded))
        elif t is ast.JoinedStr:
            for part in node.values:  # type: ignore[attr-defined]
                if isinstance(part, ast.Constant) and isinstance(part.value, str):
                    self.cands.append(_Cand(node, root, part.value, ctx, True))
        elif t is ast.BinOp:
            self._binop(node, ctx, root)  # type: ignore[arg-type]
        elif t is ast.BoolOp:
            for v in node.values:  # type: ignore[attr-defined]
                self._value(v, ctx, embedded, v)
        elif t is ast.IfExp:
            self._value(node.body, ctx, embedded)  # type: ignore[attr-defined]
            self._value(node.orelse, ctx, embedded)  # type: ignore[attr-defined]
        elif t is ast.Call:
            func = node.func  # type: ignore[attr-defined]
            tail = (
                func.attr if isinstance(func, ast.Attribute) else _dotted(func).rsplit(".", 1)[-1]
            )
            if self.resolve(_dotted(func)).endswith(_ENV_GETTERS) and len(node.args) >= 2:  # type: ignore[attr-defined]
                # the fallback of an environment lookup, named by where the result goes; the
                # variable's own name (seen when the call is visited) comes first
                late: list[_Cand] = []
                self.cands, saved = late, self.cands
                self._value(node.args[1], ctx._replace(rule="env-fallback"), embedded)  # type: ignore[attr-defined]
                self.cands = saved
                self.late.extend(late)
            elif tail in _FIELD_FACTORIES:
                # a dataclass / pydantic / attrs field: its default is the attribute's value
                call = node
                for kw in call.keywords:  # type: ignore[attr-defined]
                    if kw.arg == "default":
                        self._value(kw.value, ctx, embedded)
                if tail in ("Field", "SecretField") and call.args:  # type: ignore[attr-defined]
                    self._value(call.args[0], ctx, embedded)  # type: ignore[attr-defined]
            elif tail in _METHOD_WRAPPERS and isinstance(func, ast.Attribute):
                self._value(func.value, ctx, embedded)  # "value".encode("utf-8"): not the arg
            elif tail in _WRAPPERS and node.args:  # type: ignore[attr-defined]
                self._value(node.args[0], ctx, embedded)  # type: ignore[attr-defined]
        elif t is ast.Tuple or t is ast.List or t is ast.Set:
            elts = node.elts  # type: ignore[attr-defined]
            user = _str(elts[0]) if len(elts) in (2, 3) else None
            for i, e in enumerate(elts):
                if isinstance(e, ast.Starred):
                    continue
                beside = user if (i == 1 and user is not None) else ""
                self._value(e, ctx._replace(kind="tuple", user=beside, owner=ctx.name))
        elif t is ast.Dict:
            self.dict_paths[id(node)] = (ctx, ctx.target or ctx.name)

    def _binop(self, node: ast.BinOp, ctx: _Ctx, root: ast.expr) -> None:
        left, right = node.left, node.right
        if isinstance(node.op, ast.Add):
            head = _str(left)
            if head is not None and _str(right) is not None:
                m = _TAIL_KEY.search(head) or _AUTH_SCHEME.search(head)
                if m:  # "...?key=" + "AIza...", "Token " + "<hex>"
                    name = m.group(1)
                    self.cands.append(
                        _Cand(
                            right,
                            root,
                            _str(right) or "",
                            ctx._replace(name=name, rule="embedded", owner=ctx.name),
                            True,
                        )
                    )
            self._value(left, ctx, True, root)
            scheme = _AUTH_SCHEME.search(head) if head is not None else None
            # "Bearer " + <expression>: what the expression yields is the token
            self._value(
                right, ctx._replace(name="token", owner=ctx.name) if scheme else ctx, True, root
            )
        elif isinstance(node.op, ast.Mod):
            fmt = _str(left)
            items = right.elts if isinstance(right, ast.Tuple) else [right]
            if fmt is not None:
                slots = list(_FORMAT_SLOT.finditer(fmt))
                for slot, item in zip(slots, items, strict=False):
                    head = fmt[: slot.start()]
                    m = (
                        _TAIL_KEY.search(head)
                        or _AUTH_SCHEME.search(head)
                        or _URL_USER.search(head)
                    )
                    value_node = item
                    while isinstance(value_node, ast.Call) and value_node.args:
                        value_node = value_node.args[0]  # "%s" % quote('...')
                    text = _str(value_node)
                    if m and text is not None:
                        name = m.group(1) or "password"
                        self.cands.append(
                            _Cand(
                                value_node,
                                value_node,
                                text,
                                ctx._replace(name=name, rule="embedded", owner=ctx.name),
                                False,
                            )
                        )
            self._value(left, ctx, True, root)
            for item in items:
                self._value(item, ctx, False)


# -- from candidates to findings ----------------------------------------------------------------


class _Source:
    __slots__ = ("data", "starts")

    def __init__(self, data: bytes, starts: list[int]) -> None:
        self.data = data
        self.starts = starts  # byte offset of each line start

    @classmethod
    def of(cls, data: bytes) -> _Source:
        starts = [0]
        pos = data.find(b"\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = data.find(b"\n", pos + 1)
        return cls(data, starts)

    def offset(self, line: int, byte_col: int) -> int:
        return self.starts[line - 1] + byte_col

    def where_line(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)

    def where(self, offset: int) -> tuple[int, int]:
        """(1-based line, 1-based character column) of a byte offset."""
        i = bisect.bisect_right(self.starts, offset) - 1
        start = self.starts[i]
        return i + 1, len(self.data[start:offset].decode("utf-8", "replace")) + 1

    def line_text(self, line: int) -> str:
        start = self.starts[line - 1]
        end = self.starts[line] - 1 if line < len(self.starts) else len(self.data)
        return self.data[start:end].decode("utf-8", "replace")

    def node_range(self, node: ast.AST) -> tuple[int, int]:
        start = self.offset(node.lineno, node.col_offset)  # type: ignore[attr-defined]
        end = self.offset(node.end_lineno or node.lineno, node.end_col_offset or 0)  # type: ignore[attr-defined]
        return start, end

    def span(self, start: int, end: int) -> Span:
        line, col = self.where(start)
        end_line, end_col = self.where(end)
        return Span(line, col, end_line, end_col)


def _classes(value: str) -> int:
    """How many of lower case, upper case, digits and symbols the value mixes."""
    return (
        any(c.islower() for c in value)
        + any(c.isupper() for c in value)
        + any(c.isdigit() for c in value)
        + any(not c.isalnum() for c in value)
    )


def _user_like(value: str) -> bool:
    return bool(_USER_LIKE.match(value)) and not value.isdigit()


def _name_ok(name: str, value: str) -> bool:
    return bool(_SECRET_NAME.search(name)) and filters.name_reason(name, value) is None


def _all_digit_password(name: str, value: str) -> bool:
    return (
        value.isdigit()
        and len(value) >= 6
        and bool(_PASSWORD_NAME.search(name))
        and filters.placeholder(value) is None
        and value not in "01234567890123456789"
        and value not in "98765432109876543210"
    )


def _value_ok(value: str, line: str, *, named: bool, name: str) -> bool:
    from credmigrate.detect import ds_adapter

    if filters.reject_reason(value, True, named):
        return False
    if _all_digit_password(name, value):
        return True
    if not any(ch.isalnum() for ch in value):
        return False  # detect-secrets says so too; not worth importing it to hear it
    return ds_adapter.reject_reason(value, line) is None


def _choose(c: _Cand) -> tuple[str, str] | None:
    """(rule id, name) when this candidate is a secret by its context, else None."""
    ctx, value = c.ctx, c.value
    if ctx.rule == "none":
        return None
    if len(value) < 4 or len(value) > 1000 or "\n" in value.strip():
        return None
    if ctx.rule == "dsn":
        return "connection-string-password", ctx.name
    if ctx.rule == "embedded":
        if _QUERY_KEY.match(ctx.name) or _AUTH_SCHEME.match(ctx.name) or _name_ok(ctx.name, value):
            return "generic-secret-assignment", ctx.name
        return None
    if ctx.user and ctx.kind == "tuple":
        # ("root", "<password>"): beside a user-like value, in an auth-ish place
        owner_ok = bool(_AUTHISH_OWNER.search(ctx.owner)) or ctx.user.lower() in _COMMON_USERS
        if (
            _user_like(ctx.user)
            and owner_ok
            and not _METADATA_OWNER.search(ctx.owner)
            and " " not in value
            and "@" not in value
            and len(value) >= 8
            and _classes(value) >= 2
            and filters.shannon_entropy(value) >= 2.5
        ):
            return "basic-auth-tuple", ctx.owner or "password"
    if ctx.kind == "positional":
        if ctx.rule == "generic" and not _name_ok(ctx.name, value):
            return None
        if ctx.rule == "login-call-password" or _name_ok(ctx.name, value):
            rule = "basic-auth-tuple" if ctx.call.endswith("Auth") else "login-call-password"
            if ctx.rule != "login-call-password":
                rule = "generic-secret-assignment"
            return rule, ctx.name
        return None
    if ctx.rule == "env-fallback":
        if _name_ok(ctx.name, value):
            return "env-fallback-literal", ctx.name
        return None
    if (
        _SECRET_KEY_NAME.search(ctx.name)
        and not c.embedded
        and len(value) >= 20
        and filters.shannon_entropy(value) >= 3.0
    ):
        return "django-secret-key", ctx.name
    if _name_ok(ctx.name, value):
        return "generic-secret-assignment", ctx.name
    return None


def unparsed(f: Finding) -> Finding:
    """A line-rule finding in a file that is not valid Python 3, saying so."""
    return f._replace(description=f"{f.description} (not valid Python 3: line rules only)")


def parse(path: str, data: bytes) -> ast.Module | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(data, filename=path)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _scope_of(c: _Cand) -> str:
    return c.ctx.scope


class _Builder:
    def __init__(
        self, path: str, src: _Source, rules: Mapping[str, Rule], min_conf: Confidence
    ) -> None:
        self.path, self.src, self.rules, self.min_conf = path, src, rules, min_conf

    def finding(
        self, rule: Rule, value: str, start: int, binding: Binding | None, confidence: Confidence
    ) -> Finding:
        end = start + len(value.encode("utf-8"))
        span = self.src.span(start, end)
        return Finding(
            rule_id=rule.id,
            description=rule.description,
            path=self.path,
            span=span,
            secret=value,
            fingerprint=fingerprint(value, rule.id, self.path),
            confidence=confidence,
            redacted=redact(value),
            line_text_hash=line_hash(self.src.line_text(span.line)),
            binding=binding,
        )


_ORDER = {Confidence.LOW: 0, Confidence.MEDIUM: 1, Confidence.HIGH: 2}


def _binding(src: _Source, c: _Cand, name: str, secret: str = "") -> Binding:
    start, end = src.node_range(c.root)
    literal = src.span(start, end)
    ctx = c.ctx
    if ctx.rule == "embedded" and ctx.owner:
        name = ctx.owner  # "Token " + "...", bound to AUTH: the binding is AUTH
    kind = ctx.kind
    target = ctx.target or name
    if ctx.rule == "embedded" or ctx.rule == "dsn":
        target = ctx.target or ctx.name
    embedded = (
        c.embedded
        or c.root is not c.node
        or (bool(secret) and secret != c.value)
        or (isinstance(c.node, ast.Constant) and c.node.value != c.value)
    )
    return Binding(kind, name, target, ctx.scope, ctx.call, literal, embedded)


def _locate(src: _Source, c: _Cand) -> int | None:
    """Byte offset of the candidate's value in the source, inside its node; None if escaped."""
    start, end = src.node_range(c.node)
    needle = c.value.encode("utf-8")
    pos = src.data.find(needle, start, end)
    return pos if pos != -1 else None


def detect(
    path: str,
    data: bytes,
    line_findings: Sequence[Finding],
    rules: Mapping[str, Rule],
    min_confidence: Confidence,
    hints: Sequence[int] | None = None,
) -> list[Finding] | None:
    """Findings for a Python file, or None when it does not parse (keep the line path's).

    ``hints``: byte offsets where the prefilter saw a keyword or a gate shape; only the
    statements covering those lines (and the line findings') are read. None: every statement.
    """
    tree = parse(path, data)
    if tree is None:
        return None
    src = _Source.of(data)
    wanted: list[int] | None = None
    if hints is not None:
        lines = {src.where_line(h) for h in hints}
        lines.update(ln for f in line_findings for ln in range(f.span.line, f.span.end_line + 1))
        wanted = sorted(lines)
    w = _Walker(tree, wanted)
    b = _Builder(path, src, rules, min_confidence)
    ranges = [(*src.node_range(c.root), c) for c in w.cands]
    out: dict[int, Finding] = {}  # byte offset of the value -> finding
    # provider findings (and generic ones embedded in a literal's own text) from the line path
    for f in line_findings:
        line_text = src.line_text(f.span.line)
        start = src.offset(f.span.line, 0) + len(line_text[: f.span.column - 1].encode("utf-8"))
        holder = _holder(ranges, start, f.secret)
        if f.confidence != Confidence.HIGH and _is_generic_rule(rules, f.rule_id):
            # name and value inside one literal ("password=..." in a URL or DSN): keep;
            # a literal whose whole value is the secret is judged by its context below
            if f.rule_id == "login-call-password":
                continue  # positional arguments go through the callee's signature
            commented = (
                holder is None and f.rule_id in _ASSIGNMENT_RULES and _in_comment(src, start)
            )
            # a commented-out assignment (# DB_PASSWORD = "...") is still a leak
            if not commented and (
                holder is None or holder.value == f.secret or id(holder.node) in w.docstrings
            ):
                continue
        if start in out:
            continue
        if holder is not None:
            f = _decoded(f, holder)
        binding = _binding(src, holder, holder.ctx.name, f.secret) if holder else None
        out[start] = f._replace(binding=binding)
    for c in w.cands:
        if id(c.node) in w.docstrings:
            continue
        chosen = _choose(c)
        if chosen is None:
            continue
        rule_id, name = chosen
        rule = rules.get(rule_id)
        if rule is None:
            continue  # disabled
        value = c.value
        at = _locate(src, c)
        if at is None or at in out:
            continue
        start = at
        line_no = src.where_line(start)
        line = src.line_text(line_no)
        if _ALLOW.search(line) or _ALLOW.search(src.line_text(c.root.lineno)):
            continue
        digits = _all_digit_password(name, value)
        if rule.min_length and len(value) < rule.min_length and not digits:
            continue
        if filters.reject_reason(value, True, rule_id != "basic-auth-tuple") and not digits:
            continue
        if filters.same_as_user(value, line) or (c.ctx.user and c.ctx.user == value):
            continue  # user=gorm password=gorm: a local default
        confidence = rule.confidence
        if rule.generic:
            from credmigrate.detect import scoring  # its model loads on the first candidate

            # the same scoring as the line rules' generic candidates: name, value, path
            candidate = scoring.Candidate(name, value, path, line, rule.tags, rule.id, line_no)
            scored = scoring.confidence(candidate, rule.confidence)
            if scored is None:
                continue
            confidence = scored
        if _ORDER[confidence] < _ORDER[min_confidence]:
            continue  # decided before the costlier checks (detect-secrets' heuristics)
        if not _value_ok(value, line, named=rule_id != "basic-auth-tuple", name=name):
            continue
        if matching.allowed(rule, path, value, value, line):
            continue
        out[start] = b.finding(rule, value, start, _binding(src, c, name), confidence)
    findings = list(out.values())
    findings += _other_occurrences(src, findings, ranges, w)
    return sorted(_name_comments(src, findings), key=Finding.sort_key)


def _name_comments(src: _Source, findings: list[Finding]) -> list[Finding]:
    """A value in a comment takes the name its code occurrence is bound to (one JSON key)."""
    names: dict[str, str] = {}
    for f in findings:
        if f.binding is not None and f.binding.kind != "comment" and f.binding.name:
            names.setdefault(f.secret, f.binding.name)
    out: list[Finding] = []
    for f in findings:
        if f.binding is None or f.binding.kind == "comment":
            start = src.offset(f.span.line, 0)
            text = src.line_text(f.span.line)
            at = start + len(text[: f.span.column - 1].encode("utf-8"))
            if _in_comment(src, at):
                name = names.get(f.secret, f.binding.name if f.binding else "")
                f = f._replace(binding=Binding("comment", name, name))
        out.append(f)
    return out


def _decoded(f: Finding, holder: _Cand) -> Finding:
    """A value the line rules read with its escapes (a PEM key's ``\\n``) becomes the real value.

    When the whole literal is that value give or take surrounding whitespace, the literal's own
    value is the secret: what the program used is what gets stored.
    """
    if f.secret in holder.value or "\\" not in f.secret:
        return f
    try:
        value = codecs.decode(f.secret, "unicode_escape")
    except (UnicodeDecodeError, ValueError):
        return f
    if value not in holder.value:
        return f
    if holder.value.strip() == value.strip():
        value = holder.value
    return f._replace(
        secret=value,
        fingerprint=fingerprint(value, f.rule_id, f.path),
        redacted=redact(value),
    )


def _is_generic_rule(rules: Mapping[str, Rule], rule_id: str) -> bool:
    r = rules.get(rule_id)
    return r is not None and r.generic


def _holder(ranges: list[tuple[int, int, _Cand]], offset: int, secret: str) -> _Cand | None:
    best: _Cand | None = None
    for s, e, c in ranges:
        if s <= offset < e and (secret in c.value or c.root is not c.node or "\\" in secret):
            if best is None or c.ctx.kind != "tuple":
                best = c
            if secret in c.value:
                return c
    return best


def _other_occurrences(
    src: _Source, findings: list[Finding], ranges: list[tuple[int, int, _Cand]], w: _Walker
) -> list[Finding]:
    """Every other place in the file that holds a found value: its own finding, same fingerprint."""
    taken = {(f.span.line, f.span.column) for f in findings}
    extra: list[Finding] = []
    seen: set[str] = set()
    for f in findings:
        if f.secret in seen or len(f.secret) < 6:
            continue
        seen.add(f.secret)
        needle = f.secret.encode("utf-8")
        pos = src.data.find(needle)
        while pos != -1:
            line, col = src.where(pos)
            if (line, col) not in taken and not _ALLOW.search(src.line_text(line)):
                taken.add((line, col))
                end_line, end_col = src.where(pos + len(needle))
                holder = _holder(ranges, pos, f.secret)
                if holder is not None:
                    binding: Binding | None = _binding(src, holder, holder.ctx.name, f.secret)
                elif _in_comment(src, pos):
                    binding = Binding("comment", "")  # named after its code occurrence below
                elif _in_code(src, pos, len(needle)):
                    pos = src.data.find(needle, pos + 1)
                    continue  # the same letters as a name in code (AWS_SECRET_KEY = ...)
                else:
                    binding = None
                extra.append(
                    f._replace(
                        span=Span(line, col, end_line, end_col),
                        binding=binding,
                        line_text_hash=line_hash(src.line_text(line)),
                    )
                )
            pos = src.data.find(needle, pos + 1)
    return extra


def _in_code(src: _Source, pos: int, size: int) -> bool:
    """The occurrence is a whole identifier or attribute outside any string (no quote before)."""
    data = src.data
    before = data[pos - 1 : pos] if pos else b""
    after = data[pos + size : pos + size + 1]
    if before in (b"'", b'"') or after in (b"'", b'"'):
        return False
    start = src.starts[src.where_line(pos) - 1]
    quotes = data.count(b"'", start, pos) + data.count(b'"', start, pos)
    return quotes % 2 == 0  # an even number of quotes before it on its line: not in a string


def _in_comment(src: _Source, pos: int) -> bool:
    line, _ = src.where(pos)
    start = src.starts[line - 1]
    before = src.data[start:pos]
    return b"#" in before


def iter_consts(tree: ast.AST) -> Iterator[ast.Constant]:  # pragma: no cover - debugging aid
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node
