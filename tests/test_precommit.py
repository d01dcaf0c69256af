"""The real pre-commit framework, with this repository's hooks, on a temporary git repository."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import ROOT

DAMAGED = "The Islamic State group (EI) lost Palmyra.\nShare Post\nThe prorégime forces moved towards Raqa.\n"
FIXED = "The Islamic State group (IS) lost Palmyra.\nThe pro-regime forces moved towards Raqqa.\n"


def git(*args: str, cwd, check: bool = True, env=None) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=check, env=env)


@pytest.mark.slow
def test_check_hook_blocks_fix_hook_repairs_then_commit_passes(tmp_path):
    head = git("rev-parse", "HEAD", cwd=ROOT).stdout.strip()
    repo = tmp_path / "texts"
    repo.mkdir()
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid",
           "NO_COLOR": "1"}
    env.pop("CI", None)
    git("init", "-q", "-b", "main", cwd=repo)
    (repo / ".pre-commit-config.yaml").write_text(
        f"""repos:
  - repo: {ROOT}
    rev: {head}
    hooks:
      - id: repair-check
        args: [--no-languagetool]
      - id: repair-fix
        args: [--no-languagetool]
        stages: [manual]
""",
        encoding="utf-8",
    )
    story = repo / "story.txt"
    story.write_text(DAMAGED, encoding="utf-8")
    pre_commit = [sys.executable, "-m", "pre_commit"]
    subprocess.run([*pre_commit, "install"], cwd=repo, env=env, check=True, capture_output=True)
    git("add", ".", cwd=repo)

    blocked = git("commit", "-m", "add story", cwd=repo, check=False, env=env)
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, output
    assert "repair check" in output and "Failed" in output and "FR001" in output
    assert git("rev-list", "--all", cwd=repo).stdout.strip() == ""  # nothing was committed

    fixing = subprocess.run([*pre_commit, "run", "--hook-stage", "manual", "repair-fix", "--all-files"], cwd=repo,
                            env=env, capture_output=True, text=True)
    assert fixing.returncode != 0 and "files were modified by this hook" in fixing.stdout, fixing.stdout
    assert story.read_text(encoding="utf-8") == FIXED

    git("add", "story.txt", cwd=repo)
    passed = git("commit", "-m", "add story", cwd=repo, check=False, env=env)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "repair check" in passed.stdout + passed.stderr and "Passed" in passed.stdout + passed.stderr
