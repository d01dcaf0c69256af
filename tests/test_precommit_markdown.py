"""Issue 9: the pre-commit hook on a repository of Markdown docs.

The real pre-commit framework, with this repository's hooks at the committed HEAD (pre-commit clones `repo:` at
`rev:`, so the hooks run committed code only), on a temporary git repository holding clean, human-written
Markdown from corpus/clean/markdown (tables, front matter, HTML, footnotes, code blocks, badges):

1. repair-check (LanguageTool off) passes the commit of the clean docs;
2. a damaged Markdown file — mojibake and French acronyms, words and spellings in its prose, the same damage
   inside a fenced code block, a code span and a link target — is blocked, the output naming the rule codes;
3. repair-fix (manual stage) fixes the prose, leaves the code block, the code span and the link target byte for
   byte, and changes no byte of the clean docs; the commit then passes.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import CORPUS, git, hooked_repository

#: clean docs from five projects: tables (gauging_changes, hatch-overview), front matter and HTML (black-README),
#: footnotes, abbreviations, meta data, code blocks
CLEAN_DOCS = [
    "black-README.md", "black-gauging_changes.md", "hatch-overview.md", "hatch-intro.md", "attrs-init.md",
    "attrs-names.md", "pino-redaction.md", "fastify-Middleware.md", "markdown-footnotes.md", "markdown-meta_data.md",
]

CODE_BLOCK = """```python
# sample data for the scraper's tests: leave it as it is
label = "cafÃ©  (EI)"   # Share Post
print("The Syrian аrmy, world-renown ruins", "OSDH")
```"""
CODE_LINE = "The scraper keeps `cafÃ© (EI)` in its fixtures; see [the report](https://example.com/cafÃ©_(EI))."

DAMAGED = f"""# Palmyra retaken

The cafÃ© near the ruins reopened on Sunday, after the Islamic State group (EI) lost Palmyra.
The prorégime forces then moved towards Raqa, according to the OSDH.

{CODE_BLOCK}

{CODE_LINE}
"""
FIXED = f"""# Palmyra retaken

The café near the ruins reopened on Sunday, after the Islamic State group (IS) lost Palmyra.
The pro-regime forces then moved towards Raqqa, according to the SOHR.

{CODE_BLOCK}

{CODE_LINE}
"""



@pytest.mark.slow
def test_hook_passes_clean_markdown_blocks_damaged_fix_keeps_code(tmp_path):
    repo = tmp_path / "docs-repo"
    docs = repo / "docs"
    docs.mkdir(parents=True)
    env = hooked_repository(tmp_path, repo)
    originals = {}
    for name in CLEAN_DOCS:
        data = (CORPUS / "clean" / "markdown" / name).read_bytes()
        (docs / name).write_bytes(data)
        originals[name] = data
    pre_commit = [sys.executable, "-m", "pre_commit"]
    subprocess.run([*pre_commit, "install"], cwd=repo, env=env, check=True, capture_output=True)

    # 1. the clean docs pass
    git("add", ".", cwd=repo)
    clean = git("commit", "-m", "add the docs", cwd=repo, check=False, env=env)
    output = clean.stdout + clean.stderr
    assert clean.returncode == 0, output
    assert "repair check" in output and "Passed" in output, output

    # 2. a damaged doc is blocked, the output naming the rules and the places
    story = docs / "palmyra.md"
    story.write_text(DAMAGED, encoding="utf-8", newline="\n")
    git("add", "docs/palmyra.md", cwd=repo)
    blocked = git("commit", "-m", "add palmyra", cwd=repo, check=False, env=env)
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, output
    assert "repair check" in output and "Failed" in output, output
    for code in ("ENC001", "FR001", "FR003", "FR005"):
        assert code in output, (code, output)
    assert "docs/palmyra.md:3:" in output and "docs/palmyra.md:4:" in output, output
    assert not any(f"palmyra.md:{line}:" in output for line in range(6, 13)), output  # nothing in the code
    assert not any(name in output for name in CLEAN_DOCS), output
    assert git("rev-list", "--count", "HEAD", cwd=repo).stdout.strip() == "1"  # nothing more was committed

    # 3. the fix hook repairs the prose and keeps the code and the clean docs byte for byte
    fixing = subprocess.run([*pre_commit, "run", "--hook-stage", "manual", "repair-fix", "--all-files"], cwd=repo,
                            env=env, capture_output=True, text=True)
    assert fixing.returncode != 0 and "files were modified by this hook" in fixing.stdout, fixing.stdout
    fixed = story.read_bytes().decode("utf-8")
    assert fixed == FIXED, fixed
    assert CODE_BLOCK in fixed and CODE_LINE in fixed
    for name, data in originals.items():
        assert (docs / name).read_bytes() == data, f"the fix hook changed the clean doc {name}"
    assert git("status", "--porcelain", cwd=repo).stdout.split() == ["AM", "docs/palmyra.md"]

    git("add", "docs/palmyra.md", cwd=repo)
    passed = git("commit", "-m", "add palmyra", cwd=repo, check=False, env=env)
    output = passed.stdout + passed.stderr
    assert passed.returncode == 0, output
    assert "repair check" in output and "Passed" in output, output
