"""`repair check --baseline`: adopting the check on a corpus that already has findings."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def repair(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "repair", *args, "--no-languagetool", "--no-cache"], cwd=cwd,
                          capture_output=True, text=True)


def test_only_new_findings_are_reported_and_identities_survive_edits_elsewhere(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text("The cafÃ© opened.\nAll fine here.\n", encoding="utf-8")
    written = repair("check", "--write-baseline", "base.json", ".", cwd=tmp_path)
    assert written.returncode == 1 and "ENC001" in written.stdout
    data = json.loads((tmp_path / "base.json").read_text(encoding="utf-8"))
    assert data["version"] == 1 and list(data["findings"]) == ["story.txt"]

    assert repair("check", "--baseline", "base.json", ".", cwd=tmp_path).returncode == 0
    # lines added above, a new problem, and a second copy of the known one: only the new ones are reported
    story.write_text("A new first line.\n\nThe cafÃ© opened.\nAll fine here.\nSyria&#8217;s army\n"
                     "The cafÃ© opened.\n", encoding="utf-8")
    checked = repair("check", "--baseline", "base.json", "--format", "json", ".", cwd=tmp_path)
    found = [(f["code"], f["line"]) for f in json.loads(checked.stdout)["files"][0]["findings"]]
    assert found == [("MRK003", 5), ("ENC001", 6)]
    assert checked.returncode == 1


def test_a_missing_or_foreign_baseline_is_a_usage_error(tmp_path):
    (tmp_path / "a.txt").write_text("Fine.\n", encoding="utf-8")
    missing = repair("check", "--baseline", "nope.json", ".", cwd=tmp_path)
    assert missing.returncode == 2 and "nope.json: baseline file not found" in missing.stderr
    (tmp_path / "other.json").write_text('{"version": 7}', encoding="utf-8")
    foreign = repair("check", "--baseline", "other.json", ".", cwd=tmp_path)
    assert foreign.returncode == 2 and "not a repair baseline" in foreign.stderr
