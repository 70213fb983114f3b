"""``scan --repos`` on a real dask.distributed cluster: processes on 127.0.0.1, two workers.

Findings must be the same set (repository, fingerprint, status) as scanning each repository
alone, also when a worker is killed with SIGKILL mid-run; a broken repository is reported with
its reason; Ctrl-C stops the cluster and still writes what finished.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from credmigrate.config import Config
from credmigrate.sources.history import scan_history
from credmigrate.sources.org import OrgOptions, RepoOutcome, read_repo_list
from credmigrate.sources.org_dask import _on_worker, _outcome, run_on_dask
from tests.gitscan_helpers import run_cli
from tests.org_helpers import Key, keys, make_repo, write_list

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def org(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[Key]]:
    """Eight repositories and the findings of scanning each one alone."""
    root = tmp_path_factory.mktemp("org")
    os.environ.update(
        GIT_AUTHOR_NAME="T", GIT_AUTHOR_EMAIL="t@example.invalid",
        GIT_COMMITTER_NAME="T", GIT_COMMITTER_EMAIL="t@example.invalid",
    )  # fmt: skip
    want: set[Key] = set()
    names = []
    for i in range(8):
        path = make_repo(root / "repos", f"r{i}", seed=i, commits=6 + i)
        names.append(f"repos/r{i}")
        want |= keys(scan_history(path, Config()).findings, f"repos/r{i}")
    write_list(root / "repos.txt", names)
    return root, want


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    ) as cl:
        yield cl


def _found(doc: dict[str, Any]) -> set[Key]:
    return {(f["repo"], f["fingerprint"], f.get("status", "")) for f in doc["findings"]}


def test_local_cluster_gives_the_findings_of_each_repo_alone(
    org: tuple[Path, set[Key]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, want = org
    lst = root / "repos.txt"
    with_broken = write_list(
        root / "with-broken.txt",
        [*(line for line in lst.read_text().splitlines() if not line.startswith("#")),
         str(tmp_path / "missing"), (root / "repos" / "r0").as_uri()],
    )  # fmt: skip
    code, out, err = run_cli(
        ["scan", "--repos", str(with_broken), "--history", "--workers", "2", "-f", "json"],
        capsys,
        cwd=root,
    )
    assert code == 3, err
    doc = json.loads(out)
    uri = (root / "repos" / "r0").as_uri()
    assert _found(doc) - {k for k in _found(doc) if k[0] == uri} == want
    # the file:// URL was cloned on a worker: the same findings as the path it points to
    assert {k[1:] for k in _found(doc) if k[0] == uri} == {
        k[1:] for k in want if k[0] == "repos/r0"
    }
    rows = {r["repo"]: r for r in doc["repositories"]}
    assert rows[str(tmp_path / "missing")]["status"] == "failed"
    assert rows[str(tmp_path / "missing")]["error"] == "no such directory"
    assert "on a local dask cluster, 2 workers" in err
    assert err.count("credmigrate: [") == 10  # one line per repository, streamed


def test_sigkill_of_a_worker_mid_run_loses_and_duplicates_nothing(
    org: tuple[Path, set[Key]], cluster: Any
) -> None:
    root, want = org
    specs, _notes = read_repo_list(root / "repos.txt")
    tasks = [(i, s, "") for i, s in enumerate(specs)]
    client = distributed.Client(cluster)
    outcomes: list[tuple[int, RepoOutcome]] = []
    victim = ""
    try:
        stream = run_on_dask(
            tasks, OrgOptions(Config(), history=True), scheduler=cluster.scheduler_address
        )
        for item in stream:
            outcomes.append(item)
            if victim:
                continue
            deadline = time.monotonic() + 30
            while not victim and time.monotonic() < deadline:
                busy = [w for w, keys_ in client.processing().items() if keys_]
                if busy:
                    victim = busy[0]
                    pid = client.run(os.getpid, workers=[victim])[victim]
                    os.kill(pid, signal.SIGKILL)
                time.sleep(0.01)
            assert victim, "no worker was busy"
    finally:
        client.close()
    indexes = [i for i, _ in outcomes]
    assert sorted(indexes) == list(range(len(specs)))  # each repository exactly once
    got: set[Key] = set()
    for _i, o in outcomes:
        assert o.ok, o.error
        assert o.result is not None
        got |= keys(o.result.findings)
    assert got == want
    late = [o for _i, o in outcomes[1:]]
    assert late and all(o.worker != victim for o in late[1:])


def test_a_finished_result_lost_with_its_worker_is_recomputed_not_reported_failed(
    org: tuple[Path, set[Key]], cluster: Any
) -> None:
    """The race behind a flaky run: ``as_completed`` has handed over a finished future, then
    the worker that holds its result dies before the result is fetched."""
    root, want = org
    spec = read_repo_list(root / "repos.txt")[0][0]
    client = distributed.Client(cluster)
    try:
        fut = client.submit(
            _on_worker, spec, OrgOptions(Config(), history=True, jobs=1), "", pure=False
        )
        distributed.wait(fut, timeout=60)
        assert fut.status == "finished"
        holder = client.who_has(fut)[fut.key][0]
        os.kill(client.run(os.getpid, workers=[holder])[holder], signal.SIGKILL)
        deadline = time.monotonic() + 30
        while fut.status == "finished" and time.monotonic() < deadline:
            time.sleep(0.02)
        assert fut.status != "finished", "the client never heard the result was lost"
        outcome = _outcome(fut, spec)
    finally:
        client.close()
    assert outcome.ok, outcome.error
    assert outcome.result is not None
    assert keys(outcome.result.findings, spec.name) == {k for k in want if k[0] == spec.name}


@pytest.mark.parametrize("workers", ["2", "0"])
def test_ctrl_c_stops_the_cluster_and_writes_what_finished(tmp_path: Path, workers: str) -> None:
    root = tmp_path
    n = 24
    for i in range(n):
        make_repo(root / "many", f"m{i}", seed=100 + i, commits=12)
    lst = write_list(root / "many.txt", [f"many/m{i}" for i in range(n)])
    report = tmp_path / "out.json"
    proc = subprocess.Popen(
        [sys.executable, "-m", "credmigrate", "scan", "--repos", str(lst), "--history",
         "--workers", workers, "-f", "json", "-o", str(report)],
        cwd=root, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # fmt: skip
    assert proc.stderr is not None
    seen = []
    for line in proc.stderr:
        seen.append(line)
        if line.startswith("credmigrate: [1/"):
            break
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does: the whole group
    rest = proc.stderr.read()
    assert proc.wait(timeout=120) == 130, "".join(seen) + rest
    assert "Traceback" not in rest and "KeyboardInterrupt" not in rest
    assert "interrupted" in rest
    doc = json.loads(report.read_text())
    statuses = [r["status"] for r in doc["repositories"]]
    assert len(statuses) == n and "scanned" in statuses and "interrupted" in statuses
    # In this process the terminal's SIGINT also reaches the git a scan is reading from: the
    # repository being scanned at that instant may end as failed (git was killed) rather than
    # interrupted. On the cluster the workers ignore SIGINT.
    failed = statuses.count("failed")
    assert set(statuses) <= {"scanned", "interrupted", "failed"}
    assert failed == 0 if workers != "0" else failed <= 1
    done = {r["repo"] for r in doc["repositories"] if r["status"] == "scanned"}
    assert {f["repo"] for f in doc["findings"]} <= done
    deadline = time.monotonic() + 10
    left = ""
    while time.monotonic() < deadline:  # no worker or nanny left behind
        ps = subprocess.run(["ps", "-o", "pid=,stat=,args=", "-g", str(proc.pid)],
                            capture_output=True, text=True, check=False)  # fmt: skip
        left = "\n".join(ln for ln in ps.stdout.splitlines() if " Z" not in ln)
        if not left:
            break
        time.sleep(0.2)
    assert not left


def test_an_existing_cluster_by_option_or_environment(
    org: tuple[Path, set[Key]],
    cluster: Any,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root, want = org
    args = ["scan", "--repos", str(root / "repos.txt"), "--history", "-f", "json"]
    code, out, err = run_cli([*args, "--scheduler", cluster.scheduler_address], capsys, cwd=root)
    assert code == 1, err
    assert _found(json.loads(out)) == want
    assert f"on the dask cluster at {cluster.scheduler_address}, 2 workers" in err
    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", cluster.scheduler_address)
    code, out, err = run_cli(args, capsys, cwd=root)
    assert code == 1 and _found(json.loads(out)) == want
    assert "on the dask cluster at" in err
