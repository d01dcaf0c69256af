"""The real pre-commit framework, with this repository's hooks, on a temporary git repository."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, git, hooked_repository

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


@pytest.mark.slow
def test_default_hooks_need_no_java(tmp_path):
    """Issue 15: on a machine without Java (JAVA_HOME unset, no java on PATH) the hooks as a user writes them, with
    no arguments, check and block a damaged file with exit 1 and the rule codes, never exit 3 with a note that
    LanguageTool could not run."""
    repo = tmp_path / "texts"
    env = hooked_repository(tmp_path, repo)
    assert "JAVA_HOME" not in env and shutil.which("java", path=env["PATH"]) is None
    assert shutil.which("git", path=env["PATH"]) is not None
    (repo / "story.txt").write_text(DAMAGED, encoding="utf-8")
    (repo / "clean.txt").write_text("The army retook the city on Sunday.\n", encoding="utf-8")
    git("add", ".", cwd=repo)
    pre_commit = [sys.executable, "-m", "pre_commit"]
    checked = subprocess.run([*pre_commit, "run", "repair-check", "--files", "story.txt"], cwd=repo, env=env,
                             capture_output=True, text=True)
    output = checked.stdout + checked.stderr
    assert checked.returncode == 1 and "Failed" in output and "FR001" in output, output
    assert "exit code: 1" in output and "exit code: 3" not in output, output
    assert "Java" not in output and "LanguageTool" not in output, output
    clean = subprocess.run([*pre_commit, "run", "repair-check", "--files", "clean.txt"], cwd=repo, env=env,
                           capture_output=True, text=True)
    assert clean.returncode == 0 and "Passed" in clean.stdout, clean.stdout + clean.stderr


def test_only_the_languagetool_hooks_run_languagetool():
    """The default hooks turn LanguageTool off in their entry (no Java needed); the -languagetool ids keep it."""
    import yaml

    hooks = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))}
    assert set(hooks) == {"repair-check", "repair-fix", "repair-check-languagetool", "repair-fix-languagetool"}
    for name in ("repair-check", "repair-fix"):
        assert hooks[name]["entry"].split() == ["repair", name.split("-")[1], "--no-languagetool"]
    for name in ("repair-check-languagetool", "repair-fix-languagetool"):
        assert "--no-languagetool" not in hooks[name]["entry"] and hooks[name]["require_serial"] is True
    assert hooks["repair-check"]["files"] == hooks["repair-check-languagetool"]["files"]
