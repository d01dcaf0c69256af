"""Which files a run reads (folders recursed, .gitignore honoured) and how fixed files are written back."""

from __future__ import annotations

import errno
import fnmatch
import os
import stat
from pathlib import Path
from typing import Callable

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

    def any_apply(self, folder: Path, root: Path) -> bool:
        """Whether any .gitignore applies to the files of `folder` (a resolved path)."""
        return any(self._spec(base) is not None for base in self._chain(folder, root))

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
            if os.path.lexists(path):  # a FIFO, a device, a symlink loop: named, so reported (never read)
                add(str(path))
                continue
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
            # the paths as pathlib writes them (a run names files the same way whatever the walk), built as
            # strings: a Path per file is most of the walk's cost on a folder of many small files
            prefix = str(folder_path)
            prefix = "" if prefix == "." else prefix if prefix.endswith(os.sep) else prefix + os.sep
            filtered = exclude or ignores.any_apply(resolved_folder, root)
            for name in sorted(files):
                if not any(fnmatch.fnmatch(name, pattern) for pattern in include):
                    continue
                file_name = prefix + name
                # regular files only: a FIFO would hang the run, a device has no end; a broken link or a link
                # loop is no file at all
                try:
                    if not stat.S_ISREG(os.stat(file_name).st_mode):
                        continue
                    if filtered:
                        file_path = folder_path / name
                        resolved = file_path.resolve(strict=True) if os.path.islink(file_path) \
                            else resolved_folder / name
                except (OSError, RuntimeError):
                    continue
                if filtered and (_excluded(file_path, exclude) or ignores.ignored(resolved, False, root)):
                    continue
                add(file_name)
    return found


def _excluded(path: Path, exclude: tuple[str, ...]) -> bool:
    posix = path.as_posix()
    return any(fnmatch.fnmatch(posix, pattern) or fnmatch.fnmatch(path.name, pattern) for pattern in exclude)


#: temporary files being written now (a worker that must end at once removes them: repair.runner)
WRITING: set[str] = set()


def remove_temporary_files() -> None:
    """Remove the temporary files of writes in progress (the originals are untouched until the rename)."""
    for temporary in list(WRITING):
        try:
            os.unlink(temporary)
        except OSError:
            pass


class WriteRefused(Exception):
    """A fixed file that is not written, and why (one line, with the path): the file is left as it was."""


def open_regular(path: str):
    """The file opened for reading in binary, or OSError; a FIFO, a device or a socket is refused (never opened
    for a blocking read: a FIFO in a checked folder would hang the run)."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        if hasattr(os, "set_blocking"):
            os.set_blocking(descriptor, True)
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def read_regular(path: str) -> bytes:
    with open_regular(path) as handle:
        return handle.read()


def _digest(path: Path) -> str:
    from repair.cache import file_digest

    return file_digest(str(path))


def write_atomically(path: str, data: bytes, *, expected: str | None = None, read_only: bool = False) -> None:
    """Replace a file's bytes in one step; a failure or a refusal leaves the original as it was.

    - A symbolic link is written through: its target gets the new bytes, the link stays a link.
    - The mode is kept, and the owner and group where the process may set them.
    - A file with several hard links is refused (a rename would split them), and so is a read-only file unless
      `read_only` is set (WriteRefused).
    - `expected`: the content digest (repair.cache.content_digest) of the bytes the fix was made from; if the
      file no longer holds them (its owner saved it meanwhile), it is refused. The check is made after the new
      bytes are on disk, just before the rename.
    """
    target = Path(os.path.realpath(path))
    try:
        info = target.stat()
    except OSError as error:
        raise WriteRefused(f"{path}: cannot write: {error.strerror or error}; left untouched") from error
    if not stat.S_ISREG(info.st_mode):
        raise WriteRefused(f"{path}: not a regular file; left untouched")
    if info.st_nlink > 1:
        raise WriteRefused(f"{path}: has {info.st_nlink} hard links (replacing it would split them); left untouched")
    mode = info.st_mode & 0o7777
    if not read_only and (not mode & 0o222 or not os.access(target, os.W_OK)):
        raise WriteRefused(f"{path}: read-only; left untouched (--write-read-only writes it)")
    def prepare(temporary: str) -> None:
        os.chmod(temporary, mode)
        _keep_owner(temporary, info)
        if expected is not None and _digest(target) != expected:
            raise WriteRefused(f"{path}: changed while repair was fixing it; not written (run fix again)")

    _write_beside(target, path, data, prepare, "; left untouched")


def _write_beside(target: Path, path: str, data: bytes, prepare: Callable[[str], None], untouched: str) -> None:
    """Write data to a temporary file beside target, durably; prepare it (mode, owner, last checks); rename it
    over target; make the rename durable. On any failure the temporary file is removed and target is as it was."""
    import tempfile  # (here, not at the top: a check writes nothing, and tempfile's import costs ~5 ms)

    try:
        descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".repair-tmp", dir=target.parent)
    except OSError as error:
        raise WriteRefused(f"{path}: cannot write in {target.parent}: {error.strerror or error}{untouched}") \
            from error
    WRITING.add(temporary)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        prepare(temporary)
        os.replace(temporary, target)
    except BaseException as error:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        if isinstance(error, OSError):  # a full disk, say: the original is still whole
            raise WriteRefused(f"{path}: cannot write: {error.strerror or error}{untouched}") from error
        raise
    finally:
        WRITING.discard(temporary)
    _sync_folder(target.parent)


def _keep_owner(path: str, info: os.stat_result) -> None:
    """Give the new file the old one's owner and group, or at least its group, where the process may."""
    if not hasattr(os, "chown"):
        return
    for uid in (info.st_uid, -1):
        try:
            os.chown(path, uid, info.st_gid)
            return
        except OSError:
            continue


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); best effort."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def write_new_atomically(path: str, data: bytes) -> None:
    """Create or replace a file (a report) in one step: an existing file as write_atomically does it; a new one
    written beside its place under a temporary name, then renamed (mode: 0666 less the umask)."""
    if os.path.lexists(path):
        write_atomically(path, data)
        return
    target = Path(os.path.abspath(path))

    def prepare(temporary: str) -> None:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)

    _write_beside(target, path, data, prepare, "")
