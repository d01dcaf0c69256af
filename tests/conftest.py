from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"
REPORT_SCHEMA = ROOT / "repair" / "schemas" / "report-v1.schema.json"


@dataclass
class Completed:
    code: int
    stdout: str
    stderr: str
    stdout_bytes: bytes

    def json(self):
        return json.loads(self.stdout)


def run_repair(*args: str, cwd: Path | None = None, input: bytes | None = None, env: dict | None = None,
               python_args: list[str] | None = None) -> Completed:
    """Run the real command line, as a user would, in a child process (`python_args`: instead of -m repair)."""
    environment = {**os.environ, "NO_COLOR": "1", **(env or {})}
    process = subprocess.run(
        [sys.executable, *(python_args or ["-m", "repair"]), *args], cwd=cwd or ROOT, input=input, capture_output=True,
        env=environment, timeout=300,
    )
    return Completed(process.returncode, process.stdout.decode("utf-8", "replace"),
                     process.stderr.decode("utf-8", "replace"), process.stdout)


@pytest.fixture
def repair_cli():
    return run_repair


def validate_report(data: dict) -> None:
    import jsonschema

    schema = json.loads(REPORT_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(data)


def corpus_articles() -> list[Path]:
    return sorted(p for p in CORPUS.glob("*.txt"))


def git(*args: str, cwd, check: bool = True, env=None) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=check, env=env)


def hooked_repository(tmp_path: Path, repo: Path) -> dict:
    """A new git repository at `repo` whose pre-commit config runs this checkout's hooks at its committed HEAD
    (repair-check, and repair-fix in the manual stage, LanguageTool off); the environment to run git in."""
    head = git("rev-parse", "HEAD", cwd=ROOT).stdout.strip()
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid",
           "NO_COLOR": "1"}
    env.pop("CI", None)
    repo.mkdir(parents=True, exist_ok=True)
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
    return env
