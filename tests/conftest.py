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


def run_repair_on_terminal(*args: str, cwd: Path | None = None, env: dict | None = None) -> Completed:
    """Run the command line with its standard error on a pseudo-terminal, as a person at a terminal sees it
    (standard output stays a pipe, for the report). CI is unset: a person, not a CI log, is watching."""
    import pty

    environment = {**os.environ, "NO_COLOR": "1", **(env or {})}
    environment.pop("CI", None)
    master, slave = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "repair", *args], cwd=cwd or ROOT, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=slave, env=environment, close_fds=True)
    os.close(slave)
    import threading

    out: list[bytes] = []
    reader = threading.Thread(target=lambda: out.append(process.stdout.read()), daemon=True)
    reader.start()
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    process.wait(timeout=300)
    reader.join(timeout=10)
    stdout = b"".join(out)
    return Completed(process.returncode, stdout.decode("utf-8", "replace"),
                     b"".join(chunks).decode("utf-8", "replace"), stdout)


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


JAVA_PROGRAMS = ("java", "javac", "jshell", "keytool", "jar")


def path_without_java(tmp_path: Path) -> str:
    """The PATH of this process with no java on it: a folder of the PATH that holds java (/usr/bin, say) is
    replaced by a folder of links to everything else in it, so git and python stay reachable."""
    folders = []
    for number, folder in enumerate(os.environ.get("PATH", "").split(os.pathsep)):
        if not folder or not any((Path(folder) / name).exists() for name in JAVA_PROGRAMS):
            folders.append(folder)
            continue
        shadow = tmp_path / f"path-without-java-{number}"
        shadow.mkdir(parents=True, exist_ok=True)
        for entry in Path(folder).iterdir():
            if entry.name not in JAVA_PROGRAMS and not (shadow / entry.name).exists():
                (shadow / entry.name).symlink_to(entry)
        folders.append(str(shadow))
    return os.pathsep.join(folders)


def hooked_repository(tmp_path: Path, repo: Path, hooks: str = "") -> dict:
    """A new git repository at `repo` whose pre-commit config runs this checkout's hooks at its committed HEAD,
    as a user writes them, with no arguments: repair-check, repair-fix in the manual stage, and `hooks` (more
    lines of the same list); the environment to run git in: a machine without Java (JAVA_HOME unset, no java on
    PATH), since the default hooks must not need it."""
    head = git("rev-parse", "HEAD", cwd=ROOT).stdout.strip()
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid",
           "NO_COLOR": "1", "PATH": path_without_java(tmp_path)}
    for name in ("CI", "JAVA_HOME", "PYTHONPATH"):  # the hooks run the commit's code in pre-commit's own venv
        env.pop(name, None)
    repo.mkdir(parents=True, exist_ok=True)
    git("init", "-q", "-b", "main", cwd=repo)
    (repo / ".pre-commit-config.yaml").write_text(
        f"""repos:
  - repo: {ROOT}
    rev: {head}
    hooks:
      - id: repair-check
      - id: repair-fix
        stages: [manual]
{hooks}""",
        encoding="utf-8",
    )
    return env
