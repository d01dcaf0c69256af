"""repair.files.collect: which files a run reads, named as the user named their folder."""

from __future__ import annotations

import os

import pytest

from repair.files import collect


@pytest.fixture
def tree(tmp_path, monkeypatch):
    (tmp_path / "docs" / "sub").mkdir(parents=True)
    (tmp_path / "docs" / "a.txt").write_text("a\n")
    (tmp_path / "docs" / "sub" / "b.txt").write_text("b\n")
    (tmp_path / "docs" / "sub" / "skip.txt").write_text("c\n")
    (tmp_path / "docs" / "c.md").write_text("c\n")
    os.mkfifo(tmp_path / "docs" / "pipe.txt")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("root, prefix", [("docs", "docs/"), ("./docs", "docs/"), ("docs/", "docs/")])
def test_files_are_named_as_their_folder_was(tree, root, prefix):
    assert collect([root], ("*.txt",), ()) == [f"{prefix}a.txt", f"{prefix}sub/b.txt", f"{prefix}sub/skip.txt"]


def test_the_current_folder_and_an_absolute_one(tree, monkeypatch):
    monkeypatch.chdir(tree / "docs")
    assert collect(["."], ("*.txt",), ()) == ["a.txt", "sub/b.txt", "sub/skip.txt"]
    assert collect([str(tree / "docs")], ("*.md",), ()) == [f"{tree}/docs/c.md"]


def test_exclusions_and_gitignore_still_apply(tree):
    assert collect(["docs"], ("*.txt",), ("*skip*",)) == ["docs/a.txt", "docs/sub/b.txt"]
    (tree / ".git").mkdir()
    (tree / ".gitignore").write_text("sub/skip.txt\n")
    (tree / "docs" / ".gitignore").write_text("sub/b.txt\n")
    assert collect(["docs"], ("*.txt",), ()) == ["docs/a.txt", "docs/sub/skip.txt"]
    (tree / "docs" / ".gitignore").write_text("skip.txt\n")
    assert collect(["docs"], ("*.txt",), ()) == ["docs/a.txt", "docs/sub/b.txt"]
