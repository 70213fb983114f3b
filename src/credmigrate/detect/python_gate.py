"""Which Python files the AST pass (:mod:`credmigrate.detect.python_ast`) must read.

Prefilter entries for the shapes the line rules cannot see: a hit in a ``.py`` file without line
findings sends it to the AST pass. Kept apart so that building a detector does not import the
AST pass itself.
"""

from __future__ import annotations

from credmigrate.detect.prefilter import REGEX_PREFIX

# Hyperscan regexes (caseless) for the shapes the line rules cannot see; any hit in a .py file
# runs the AST pass even when the line rules found nothing. Without hyperscan, keywords.
# a name that ends in a secret word: DB_PASSWORD, api_key, auth_tokens (not monkeypatch, passed)
_NAME = (
    r"\b\w*(?:passw(?:or)?d|passwd|passphrase|pwd|secret|token|credentials?|api_?key|apikey|"
    r"access_?key|auth_?key|private_?key|signing_?key|master_?key|encryption_?key|secret_?key)\b"
)
_OPEN = r"[(\[][ \t]*(?:\r?\n[ \t]*)?['\"]"  # ( or [, maybe a line break, a quote
_PAIR = r"['\"][ \t]*,[ \t]*(?:\r?\n[ \t]*)?[rbu]?['\"]"  # the quote closes, a second string
_GATE_REGEXES = (
    # a secret-like name assigned, then the line ends open: the value is on a later line
    _NAME + r"['\"\]]*[ \t]*=[^=\n][^\n]{0,80}[(\[{=][ \t]*\r?\n",
    _NAME + r"['\"][ \t]*:[ \t]*(?:[\w.]{1,60}\()?[ \t]*\r?\n",
    _NAME + r"['\"\]]*[ \t]*=[ \t]*[\w.]{1,60}\([ \t]*['\"][^'\"\n]{1,80}['\"][ \t]*,[ \t]*\r?\n",
    # a secret-like name = call('...'): quote(), SecretStr(), config('X', default=...)
    _NAME + r"['\"\]]*[ \t]*(?::[^\n=]{1,60})?[=:][ \t]*[\w.]{1,60}\([^\n]{0,80}['\"]",
    # ... or '<digits>' (the line rules' filters drop all-digit values)
    r"\b\w*(?:passw\w*|pwd|pass)['\"]?[ \t]*[=:][ \t]*['\"][0-9]{6}",
    # a known callee with positional arguments
    r"(?:connect|connection|login|bind_s|simple_bind|auth|credentials|ftp|ftp_tls|redis|"
    r"telebot|webclient|github|fernet|serializer|session|pass_|jwt\.encode|jwt\.decode|"
    r"oauthhandler)[ \t]*\([ \t]*(?:\r?\n[ \t]*)?[rbuf]{0,2}['\"]",
    # a credential in a URL query string (in an f-string too)
    r"[?&](?:appid|app_?key|api_?key|apikey|key|access_?token|auth_?token|token|auth|password|"
    r"passwd|pwd|secret|client_?secret|api_?secret|sig|signature|private_?key)=[^&#\s{}'\"]{8}",
    # "Token " + "...", "...key=%s" % "...", "scheme://user:%s@"
    r"['\"](?:token|bearer|basic|bot|apikey|key)[ :=]*['\"][ \t]*\+",
    r"(?:key|token|appid|secret|password|pwd|auth|sig|signature)=%s['\"][ \t]*%[^\n]{0,120}['\"]",
    r"://[^:/@\s'\"]{1,64}:%s@",
    # os.environ.get('X') or '...'
    r"(?:environ\.get|getenv)\([^)\n]{0,80}\)[ \t]*or[ \t]*(?:\r?\n[ \t]*)?[rbu]?['\"][^'\"\n]{6}",
    # ("root", "...") beside a user-like value (two entries: one alternation of both costs
    # hyperscan half its speed over Python source, as ``("`` is everywhere), or bound to an
    # auth-like name
    _OPEN
    + r"(?:root|admin|administrator|deploy|deployer|postgres|sa|ubuntu|guest|ftpuser)"
    + _PAIR,
    _OPEN + r"[\w.+\-]{1,64}@[\w.\-]{1,64}" + _PAIR,
    r"\b\w*(?:auth|credentials?|logins?|admins?|users?|accounts?)\b['\"\]]*[ \t]*[=:][ \t]*"
    r"[(\[][ \t]*(?:\r?\n[ \t]*)?[(\[]?[ \t]*['\"][\w.+@\-]{1,64}['\"][ \t]*,[ \t]*"
    r"(?:\r?\n[ \t]*)?[rbu]?['\"]",
)
_GATE_KEYWORDS = ("pass", "pwd", "secret", "token", "key", "credential", "auth", "connect", "login")


def is_python(path: str) -> bool:
    """Whether the AST pass reads ``path`` (and the gate entries are looked for in it)."""
    return path.endswith((".py", ".pyw"))


def gate_entries(hyperscan: bool) -> tuple[str, ...]:
    """Prefilter entries that send a Python file without line findings to the AST pass."""
    if hyperscan:
        return tuple(REGEX_PREFIX + r for r in _GATE_REGEXES)
    return _GATE_KEYWORDS
