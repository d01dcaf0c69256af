"""The real pre-commit framework, with this repository's hooks, on a temporary git repository."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import git, hooked_repository

DAMAGED = "The Islamic State group (EI) lost Palmyra.\nShare Post\nThe prorégime forces moved towards Raqa.\n"
FIXED = "The Islamic State group (IS) lost Palmyra.\nThe pro-regime forces moved towards Raqqa.\n"



@pytest.mark.slow
def test_check_hook_blocks_fix_hook_repairs_then_commit_passes(tmp_path):
    repo = tmp_path / "texts"
    env = hooked_repository(tmp_path, repo)
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
