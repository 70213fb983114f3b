"""How likely a generic candidate (a secret-like name bound to a value) is a real credential.

The generic rules find ``name = value`` shapes in every file type; whether the value is a
credential is decided here from the candidate as a whole: the value's shape (length, character
classes, entropy, how much of it is made of ordinary words), the name it is bound to, the kind of
file, the rule that found it and the path. The path (tests, docs, examples) is one signal among
the others, never a veto.

The weights are a small logistic model (``scoring_weights.json``), fitted on a labelled corpus of
public repositories (CredData's development split); loading it needs only ``json``. The model is
deterministic: the same candidate always gets the same score.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from credmigrate.detect import lazyre as re  # compiled on first use: the hook may need few
from credmigrate.findings.model import Confidence


def _words(text: str) -> frozenset[str]:
    """A set of whitespace-separated words."""
    return frozenset(text.split())


# Ordinary words that make up placeholder and sample values ("testpassword", "mySecretKey",
# "admin123", "app-a-1234"). Real credentials are random or at least not made of these.
_VOCAB = _words(
    """
    a an the my your our their his her its this that new old some any all one two three
    test tests testing tester pass passw password passwd passwords pwd secret secrets token tokens
    key keys api apikey auth oauth user users username usr login admin administrator root guest
    demo example examples sample samples dummy fake mock stub placeholder default defaults
    changeme change me it here there please enter insert put replace value values string str
    super top very long short simple strong weak hello world foo bar baz qux quux abc xyz
    qwerty letmein welcome master access private public client server service app application
    local localhost dev develop development prod production stage staging db database data
    mysql postgres postgresql redis mongo oracle sql admin1 system sys web site www mail email
    smtp host port name id code number random generated dummy sample include same origin none
    null nil true false yes no on off ok error invalid valid wrong bad good correct incorrect
    reset forgot confirm confirmation new current old repeat type form field input label hint
    session cookie cache hash salt nonce signing sign signature encrypt encryption decrypt cipher
    bearer basic header bot github google facebook twitter slack stripe aws azure gcp cloud
    docker kube kubernetes cluster node job worker task queue bucket file path dir folder url
    uri link http https api v1 v2 my123 pass123 tmp temp foobar something anything nothing
    secure insecure unsafe safe lock unlock open sesame door magic love god sex money dragon
    monkey shadow sunshine princess football baseball iloveyou trustno1 batman superman
    letme let in out up down left right get set put post delete update create read write
    refresh expire expired expires verify verifier verification cred creds credential
    credentials account accounts customer tenant project team org company corp internal
    external api_key env environment config configuration setting settings option options
    rails django flask spring node npm yarn java python ruby php perl go golang rust jenkins
    travis circle ci build deploy deployer release version beta alpha gamma delta omega
    from to for with by at of and or not is are be was use used using via into over under
    """
)
_VOWELS = frozenset("aeiouAEIOU")
_NAME_CLASSES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("name_password", re.compile(r"(?i)passw|passwd|pwd|passphrase|passcode|(?:^|[_.\-])pw$")),
    ("name_secret", re.compile(r"(?i)secret")),
    ("name_token", re.compile(r"(?i)token")),
    (
        "name_apikey",
        re.compile(
            r"(?i)(?:api|access|auth|private|signing|encryption|master|consumer|cipher|secret)[_.\-]?key"
        ),
    ),
    ("name_key", re.compile(r"(?i)key")),
    ("name_pass", re.compile(r"(?i)pass")),
    ("name_nonce", re.compile(r"(?i)nonce|salt|verifier")),
    ("name_cred", re.compile(r"(?i)credential|auth")),
)
_CODE_EXT = _words(
    ".js .jsx .mjs .cjs .ts .tsx .go .py .pyw .java .kt .kts .scala .groovy .rb .php .cs .c .h .cc"
    " .cpp .hpp .swift .rs .m .mm .dart .lua .pl .pm .r .vue .svelte .ex .exs .erl .clj"
)
_CONFIG_EXT = _words(
    ".yml .yaml .json .toml .ini .cfg .conf .cnf .properties .env .xml .config .tfvars .hcl .plist"
    " .rsp .example .sample .dist .template .tmpl .tpl .j2 .erb .service .vars"
)
_DOC_EXT = _words(".md .markdown .rst .adoc .txt .html .htm .ipynb .tex .org")
_SHELL_EXT = _words(".sh .bash .zsh .ksh .fish .bat .cmd .ps1 .dockerfile .mk")
_TEST_PATH = re.compile(
    r"(?i)(?:^|/)(?:tests?|testing|spec|specs|fixtures?|__tests__|testdata|test_data|mocks?)(?:/|$)"
    r"|(?:^|/)(?:test_[^/]*|[^/]*_test\.\w+|[^/]*\.(?:test|spec)\.\w+|conftest\.py)$"
)
_DOC_PATH = re.compile(r"(?i)(?:^|/)(?:docs?|documentation|wiki|man)(?:/|$)|(?:^|/)README[^/]*$")
_EXAMPLE_PATH = re.compile(
    r"(?i)(?:^|/)(?:examples?|samples?|demos?|templates?|tutorials?)(?:/|$)|\.(?:example|sample|dist|template|tmpl)$"
)
_COMMENT_LINE = re.compile(r"^\s*(?://|#|\*|/\*|--|;|<!--|rem\s)", re.I)
_SPLIT = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
_SEQUENCES = ("0123456789", "9876543210", "abcdefghijklmnopqrstuvwxyz", "qwertyuiop", "asdfghjkl")

FEATURES: tuple[str, ...] = (
    "bias",
    *(n for n, _ in _NAME_CLASSES),
    "log_len",
    "short",
    "long",
    "has_upper",
    "has_lower",
    "has_digit",
    "has_special",
    "entropy_norm",
    "vocab_cover",
    "vocab_words",
    "has_secret_word",
    "camel_words",
    "digits_only",
    "hex_only",
    "letters_only_lower",
    "vowel_ratio",
    "sequence",
    "dot_or_slash",
    "space",
    "non_ascii",
    "path_test",
    "path_doc",
    "path_example",
    "file_code",
    "file_config",
    "file_doc",
    "file_shell",
    "comment_line",
    "rule_quoted",
    "rule_unquoted",
    "rule_call",
    "rule_header",
    "rule_other",
    "line_example_word",
    "name_long",
    "name_bare",
)


def _segment_cover(word: str) -> int:
    """Characters of a lower-case alphabetic run covered by vocabulary words (greedy DP)."""
    n = len(word)
    best = [0] * (n + 1)  # best[i]: covered chars in word[:i]
    for i in range(1, n + 1):
        best[i] = best[i - 1]
        for j in range(max(0, i - 14), i - 2 + 1):
            if i - j >= 3 and word[j:i] in _VOCAB:
                best[i] = max(best[i], best[j] + (i - j))
        if i >= 2 and word[i - 2 : i] in _VOCAB:
            best[i] = max(best[i], best[i - 2] + 2)
    return best[n]


_LEET = str.maketrans(
    {"4": "a", "@": "a", "3": "e", "1": "i", "!": "i", "0": "o", "$": "s", "5": "s", "7": "t"}
)


def _vocab(value: str) -> tuple[float, int]:
    plain = _vocab_plain(value)
    if any(c in "4@31!0$57" for c in value):
        leet = _vocab_plain(value.translate(_LEET))  # P4$$w0rd
        return max(plain, leet)
    return plain


def _vocab_plain(value: str) -> tuple[float, int]:
    letters = [p for p in _SPLIT.findall(value) if p.isalpha()]
    total = sum(len(p) for p in letters)
    if not total:
        return 0.0, 0
    covered, words = 0, 0
    for part in letters:
        c = _segment_cover(part.lower())
        covered += c
        words += c >= 3
    return covered / total, words


def _entropy(value: str) -> float:
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in Counter(value).values())


def _has_sequence(value: str) -> bool:
    low = value.lower()
    return any(seq[i : i + 4] in low for seq in _SEQUENCES for i in range(len(seq) - 3))


def _ext(path: str) -> str:
    p = PurePosixPath(path)
    name = p.name.lower()
    if name == "dockerfile" or name.startswith("dockerfile."):
        return ".dockerfile"
    if name.startswith(".env"):
        return ".env"
    return p.suffix.lower()


class Candidate(NamedTuple):
    """A generic rule's match: the secret-like name (may be empty), its value and where."""

    name: str
    value: str
    path: str
    line: str
    rule_tags: tuple[str, ...]
    rule_id: str
    line_no: int = 0


def features(c: Candidate) -> list[float]:
    """The feature vector of one candidate, in the order of :data:`FEATURES`."""
    name, value, path, line, rule_tags, rule_id = (
        c.name,
        c.value,
        c.path,
        c.line,
        c.rule_tags,
        c.rule_id,
    )
    v = value.strip()
    n = len(v) or 1
    name_l = name.lower()
    f: dict[str, float] = {"bias": 1.0}
    for key, pat in _NAME_CLASSES:
        f[key] = 1.0 if pat.search(name_l) else 0.0
    f["log_len"] = min(math.log2(n) / 6.0, 1.5)
    f["short"] = 1.0 if n < 8 else 0.0
    f["long"] = 1.0 if n >= 20 else 0.0
    f["has_upper"] = float(any(c.isupper() for c in v))
    f["has_lower"] = float(any(c.islower() for c in v))
    f["has_digit"] = float(any(c.isdigit() for c in v))
    f["has_special"] = float(any(not c.isalnum() for c in v))
    f["entropy_norm"] = _entropy(v) / math.log2(n) if n > 1 else 0.0
    cover, words = _vocab(v)
    f["vocab_cover"] = cover
    f["vocab_words"] = min(words, 3) / 3.0
    low = v.lower()
    f["has_secret_word"] = float(
        any(
            w in low
            for w in ("pass", "secret", "token", "key", "test", "example", "sample", "demo")
        )
    )
    f["camel_words"] = float(bool(re.fullmatch(r"[A-Z]?[a-z]+(?:[A-Z][a-z]+)+", v)))
    f["digits_only"] = float(v.isdigit())
    f["hex_only"] = float(n >= 16 and bool(re.fullmatch(r"[0-9a-fA-F]+", v)))
    f["letters_only_lower"] = float(v.isalpha() and v.islower())
    letters = [c for c in v if c.isalpha()]
    f["vowel_ratio"] = (
        sum(c in _VOWELS for c in letters) / len(letters) if len(letters) >= 4 else 0.3
    )
    f["sequence"] = float(_has_sequence(v))
    f["dot_or_slash"] = float("." in v or "/" in v)
    f["space"] = float(" " in v)
    f["non_ascii"] = float(any(ord(c) > 127 for c in v))
    f["path_test"] = float(bool(_TEST_PATH.search(path)))
    f["path_doc"] = float(bool(_DOC_PATH.search(path)))
    f["path_example"] = float(bool(_EXAMPLE_PATH.search(path)))
    ext = _ext(path)
    f["file_code"] = float(ext in _CODE_EXT)
    f["file_config"] = float(ext in _CONFIG_EXT)
    f["file_doc"] = float(ext in _DOC_EXT)
    f["file_shell"] = float(ext in _SHELL_EXT or ext == "")
    f["comment_line"] = float(bool(_COMMENT_LINE.match(line)))
    f["rule_quoted"] = float(rule_id == "generic-secret-assignment")
    f["rule_unquoted"] = float(rule_id == "generic-secret-config")
    f["rule_call"] = float(rule_id == "secret-call-argument")
    f["rule_header"] = float("header" in rule_tags)
    f["rule_other"] = (
        1.0 - f["rule_quoted"] - f["rule_unquoted"] - f["rule_call"] - f["rule_header"]
    )
    line_l = line.lower()
    f["line_example_word"] = float(
        any(w in line_l for w in ("example", "e.g.", "sample", "your_", "your-", "dummy", "fake"))
    )
    f["name_long"] = float(len(name) > 24)
    f["name_bare"] = float(
        name.strip("'\"`$@.[]-:").lower()
        in {"key", "token", "secret", "pass", "auth", "nonce", "salt"}
    )
    return [f[k] for k in FEATURES]


@lru_cache(maxsize=1)
def _model() -> tuple[tuple[float, ...], dict[str, float]]:
    # beside this module (what importlib.resources gives for a package on disk, without
    # importing it: zipfile and tempfile come with it, a tenth of a pre-commit run)
    raw = Path(__file__).with_name("scoring_weights.json").read_text("utf-8")
    data = json.loads(raw)
    weights = data["weights"]
    return tuple(float(weights.get(k, 0.0)) for k in FEATURES), {
        k: float(v) for k, v in data["thresholds"].items()
    }


def warm() -> None:
    """Load the weights now (see :meth:`credmigrate.detect.detector.Detector.warm`)."""
    _model()


def probability(c: Candidate) -> float:
    """The model's probability that the candidate is a real credential."""
    weights, _ = _model()
    z = sum(w * x for w, x in zip(weights, features(c), strict=True))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def confidence(c: Candidate, rule_confidence: Confidence) -> Confidence | None:
    """The finding's confidence from its score, or None when it is too unlikely to report.

    At or above the default threshold the rule's own confidence (``medium`` for the name = value
    rules, ``high`` for header rules); below it ``low`` (shown with ``--min-confidence low``);
    below the floor nothing. ``high`` stays the mark of provider formats and validated
    structure, so ``--min-confidence high`` keeps meaning "no guesses".
    """
    p = probability(c)
    _, th = _model()
    medium = th["medium"]
    sample = _sample_path(c.path)
    if (_PASSWORD_NAME.search(c.name) or "password" in c.rule_tags) and not sample:
        # A weak but real-looking password in production code or config ("Mailpass1234!" in
        # .env) is worth a reviewer's look; the same value in a test or a doc is noise.
        medium = th["medium_password_outside_samples"]
    if sample and _vocab(c.value)[0] >= 0.99:
        # in a test or a doc, a value made only of ordinary words is a sample (P4$$word)
        return None
    if _NONCE_NAME.search(c.name):
        # a nonce is public by design (HTTP digest, OAuth 1): shown only when asked for
        return Confidence.LOW if p >= th["low"] else None
    if p >= medium:
        return rule_confidence
    if p >= th["low"]:
        return Confidence.LOW
    return None


_PASSWORD_NAME = re.compile(
    r"(?i)passw|passwd|pwd|passphrase|passcode|(?:^|[_.\-])pw$|^pass$|[_.\-]pass$"
)
_NONCE_NAME = re.compile(r"(?i)nonce")


def _sample_path(path: str) -> bool:
    """Tests, docs, examples and templates: where sample credentials are the norm."""
    return bool(
        _TEST_PATH.search(path)
        or _DOC_PATH.search(path)
        or _EXAMPLE_PATH.search(path)
        or _ext(path) in _DOC_EXT
    )
