"""Which files a run reads (folders recursed, .gitignore honoured) and how fixed files are written back."""

from __future__ import annotations

import fnmatch
import os
import tempfile
from pathlib import Path

ALWAYS_SKIPPED = {".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".repair_cache", ".tox", ".mypy_cache", ".pytest_cache"}


class _GitIgnores:
    """The .gitignore files that apply to a folder: its own and its parents' up to the repository root."""

    def __init__(self) -> None:
        self._specs: dict[Path, object] = {}
        self._chains: dict[tuple[Path, Path], list[Path]] = {}  # the folders whose .gitignore apply, per folder

    def _spec(self, folder: Path):
        if folder not in self._specs:
            ignore_file = folder / ".gitignore"
            spec = None
            if ignore_file.is_file():
                import pathspec

                try:
                    lines = ignore_file.read_text(encoding="utf-8", errors="replace").splitlines()
                    spec = pathspec.GitIgnoreSpec.from_lines(lines)
                except Exception:  # a broken .gitignore must not stop a run
                    spec = None
            self._specs[folder] = spec
        return self._specs[folder]

    def _chain(self, start: Path, root: Path) -> list[Path]:
        chain = self._chains.get((start, root))
        if chain is None:
            chain = []
            folder = start
            while True:
                chain.append(folder)
                if (folder / ".git").exists() or folder == root.parent or folder.parent == folder:
                    break
                folder = folder.parent
            self._chains[(start, root)] = chain
        return chain

    def ignored(self, path: Path, is_dir: bool, root: Path) -> bool:
        for base in self._chain(path.parent, root):
            spec = self._spec(base)
            if spec is None:
                continue
            relative = path.relative_to(base).as_posix() + ("/" if is_dir else "")
            if spec.match_file(relative):
                return True
        return False


def collect(paths: list[str], include: tuple[str, ...], exclude: tuple[str, ...]) -> list[str]:
    """Files to check, in a stable order. Named files are always taken; folders give their text files."""
    found: list[str] = []
    seen: set[str] = set()
    ignores = _GitIgnores()

    def add(path: str) -> None:
        if path not in seen:
            seen.add(path)
            found.append(path)

    for raw in paths:
        if raw == "-":
            add("-")
            continue
        path = Path(raw)
        if path.is_file():
            add(str(path))
            continue
        if not path.is_dir():
            raise FileNotFoundError(f"{raw}: no such file or folder")
        root = path.resolve()
        for folder, dirs, files in os.walk(path):
            folder_path = Path(folder)
            resolved_folder = folder_path.resolve()  # once per folder: a file that is no link resolves to it/name
            dirs[:] = sorted(
                d for d in dirs
                if d not in ALWAYS_SKIPPED
                and not _excluded(folder_path / d, exclude)
                and not ignores.ignored((folder_path / d).resolve(), True, root)
            )
            for name in sorted(files):
                file_path = folder_path / name
                if not any(fnmatch.fnmatch(name, pattern) for pattern in include):
                    continue
                resolved = file_path.resolve() if os.path.islink(file_path) else resolved_folder / name
                if _excluded(file_path, exclude) or ignores.ignored(resolved, False, root):
                    continue
                add(str(file_path))
    return found


def _excluded(path: Path, exclude: tuple[str, ...]) -> bool:
    posix = path.as_posix()
    return any(fnmatch.fnmatch(posix, pattern) or fnmatch.fnmatch(path.name, pattern) for pattern in exclude)


def write_atomically(path: str, data: bytes) -> None:
    """Replace a file's bytes in one step, keeping its mode; a failure leaves the original as it was."""
    target = Path(path)
    mode = target.stat().st_mode & 0o7777
    descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".repair-tmp", dir=target.parent)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise
