"""``credmigrate env``: the migrated values as ``export`` lines, for files that can't call Python.

docker-compose files, ``.env`` files and shell scripts read ``${VAR}`` from the environment; this
prints one ``export VAR='value'`` per migrated value (JSON keys become variables, a plain secret
takes the last part of its name), read from Secrets Manager by the names in the journal. Values
are printed because the user asked for them: pipe them into ``eval``, never into a file in git.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Sequence
from pathlib import Path

from credmigrate.errors import BadInputError
from credmigrate.migrate.journal import Journal
from credmigrate.rewrite.project import env_var_name
from credmigrate.store.secrets_manager import BATCH, SecretStore

DONE = ("created", "unchanged", "updated")


def variables(name: str, value: str) -> list[tuple[str, str]]:
    """(variable, value) pairs for one stored secret."""
    try:
        data = json.loads(value)
    except ValueError:
        data = None
    if isinstance(data, dict):
        return [
            (env_var_name(str(k)), v if isinstance(v, str) else json.dumps(v))
            for k, v in sorted(data.items())
        ]
    return [(env_var_name(name.rsplit("/", 1)[-1]), value)]


def export_lines(root: Path, store: SecretStore, only: Sequence[str] = ()) -> list[str]:
    """``export`` lines for every secret the journal in ``root`` records as stored."""
    journal = Journal.load(root)
    names = sorted(e.name for e in journal.entries.values() if e.outcome in DONE)
    if only:
        names = [n for n in names if n in set(only)]
    if not names:
        raise BadInputError(
            f"no migrated secrets recorded in {root}/.credmigrate/journal.json "
            "(run `credmigrate migrate --yes` first)"
        )
    lines: list[str] = []
    seen: dict[str, str] = {}
    for i in range(0, len(names), BATCH):
        got = store.get_many(names[i : i + BATCH])
        for name in names[i : i + BATCH]:
            remote = got.get(name)
            if remote is None or remote.value is None:
                raise BadInputError(f"secret {name!r} is not in the store (deleted?)")
            for var, value in variables(name, remote.value):
                if var in seen and seen[var] != name:
                    lines.append(f"# {var} is also set by {seen[var]}; this one wins")
                seen[var] = name
                lines.append(f"export {var}={shlex.quote(value)}")
    return lines
