"""repair's speed benchmark: the figures of issue 12 against its targets, beside the peers, in one run.

Run by bench/run.sh (which installs the peers and builds the corpus first). Every figure comes from real command
lines, each a fresh process, on the same files in the same run. Throughput is CPU seconds (user + sys of the
whole process tree: a shared machine's load moves it far less than wall time); start-up and the --jobs speed-up
are wall time, as a user sees them. The peers:

- Vale (Go), with a style of repair's own rules: every substitution term, pattern and page-furniture line of the
  built-in packs (bench/.peers/vale/styles/Repair, generated here; patterns Vale's regex engine rejects are left
  out and counted);
- textlint + textlint-rule-prh with the same substitution terms;
- proselint, every default check on, its 1,000-findings-per-file cap raised (a large file would stop early);
- codespell (spelling, looks each word up);
- the floor: read, tokenise, one set look-up per word, in Python (bench/floor.py).

Writes bench/results/speed.json and bench/results/speed.md, and replaces the tables between the
<!-- speed:begin --> and <!-- speed:end --> markers in BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PEERS = BENCH / ".peers"
RESULTS = BENCH / "results"

#: issue 12's targets
TARGETS = {
    "words_per_cpu_s": 500_000,  # per core, small files and the 10 MB file
    "linear": 0.8,  # words/s on the large file at least this share of that on 1 MB
    "startup": 0.15,  # seconds, one 10 KB file, LanguageTool off
    "memory_factor": 3.0, "memory_base_mb": 150.0,  # peak RSS <= 3 x file + 150 MB
    "speedup_2": 1.8,  # --jobs 2 over --jobs 1
    "incremental": 0.05,  # re-run after a 1% edit, share of the cold run
}


# --- measuring ---------------------------------------------------------------------------------------------------
_MEASURE = r"""
import resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(wall, usage.ru_maxrss, usage.ru_utime + usage.ru_stime, code)
"""


def measure(command: list[str], env: dict | None = None, cwd: Path | None = None) -> dict:
    """Wall seconds, peak RSS (MB, of the largest single process) and CPU seconds (the whole tree) of a command."""
    full_env = dict(os.environ)
    full_env.pop("CI", None)
    # an installed repair has its bytecode (pip compiles it); with this set, the repository's modules, never
    # compiled, are compiled again by every run (0.1 s CPU of a 0.25 s start-up)
    full_env.pop("PYTHONDONTWRITEBYTECODE", None)
    if env:
        full_env.update(env)
    out = subprocess.run([sys.executable, "-c", _MEASURE, *command], capture_output=True, text=True,
                         env=full_env, cwd=cwd, check=True).stdout.split()
    return {"wall": float(out[0]), "rss_mb": int(out[1]) / 1024, "cpu": float(out[2]), "exit": int(out[3])}


def best_of(command: list[str], runs: int, key: str = "wall", **kwargs) -> dict:
    results = [measure(command, **kwargs) for _ in range(runs)]
    chosen = min(results, key=lambda r: r[key])
    return {**chosen, "median": statistics.median(r[key] for r in results), "runs": runs,
            "min_cpu": min(r["cpu"] for r in results), "cpu_median": statistics.median(r["cpu"] for r in results)}


_SPIN = "x = 0\nfor i in range(25_000_000):\n    x += i * i\n"


def machine_ceiling() -> dict:
    """The speed-up this machine gives right now to a pure-Python loop run twice at once instead of once: the
    ceiling for any 2-process speed-up, on a shared host where a busy second core slows the first."""
    def run(copies: int) -> float:
        start = time.perf_counter()
        processes = [subprocess.Popen([sys.executable, "-c", _SPIN]) for _ in range(copies)]
        for process in processes:
            process.wait()
        return time.perf_counter() - start
    one = min(run(1) for _ in range(3))
    two = min(run(2) for _ in range(3))
    return {"one": one, "two": two, "speedup_2": 2 * one / two}


def count_words(files: list[Path]) -> int:
    return sum(len(f.read_bytes().split()) for f in files)


def text_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.txt"))


def prefix(source: Path, target: Path, megabytes: float) -> Path:
    """The first `megabytes` of a file, cut at a line end."""
    with open(source, "rb") as handle:
        data = handle.read(int(megabytes * 1e6))
    target.write_bytes(data[: data.rfind(b"\n") + 1])
    return target


# --- peers -------------------------------------------------------------------------------------------------------
def _builtin_specs():
    sys.path.insert(0, str(ROOT))
    from repair.rulesets import builtin_rules_dir, packs_for

    return [spec for pack in packs_for() if Path(pack.path).parent == builtin_rules_dir() for spec in pack.rules]


def prh_rules() -> Path:
    """A prh.yml with the same terms as repair's substitution rules, so textlint does comparable work."""
    lines = ["version: 1", "rules:"]
    for spec in _builtin_specs():
        if spec.kind != "substitution":
            continue
        for term, replacement in spec.terms.items():
            if not replacement or any(c in term for c in "\"\\/"):
                continue
            # a /regex/ of our own: prh escapes "-" in plain patterns, which JavaScript's u flag rejects
            escaped = "".join("\\" + c if c in "^$.*+?()[]{}|" else c for c in term)
            lines += [f"  - expected: {json.dumps(replacement, ensure_ascii=False)}",
                      f"    pattern: {json.dumps('/' + escaped + '/', ensure_ascii=False)}"]
    path = PEERS / "prh.yml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (PEERS / "textlintrc.json").write_text(json.dumps({"rules": {"prh": {"rulePaths": [str(path)]}}}), encoding="utf-8")
    return path


def _vale_escape(term: str) -> str:
    return "".join("\\" + c if c in "\\^$.*+?()[]{}|" else c for c in term)


def _vale_pattern(pattern: str) -> str:
    """A Python pattern in the syntax of Vale's engine (regexp2, .NET style): named groups without the P."""
    pattern = re.sub(r"\(\?P<(\w+)>", r"(?<\1>", pattern)
    return re.sub(r"\(\?P=(\w+)\)", r"\\k<\1>", pattern)


def vale_style(vale: str) -> dict:
    """bench/.peers/vale/: a .vale.ini and the style Repair, one Vale rule per repair pack rule (substitution ->
    substitution or existence, pattern -> existence, boilerplate lines -> existence on whole lines). A rule Vale
    will not load (its regex engine rejects the pattern) is dropped; returns what was written and dropped."""
    folder = PEERS / "vale"
    styles = folder / "styles" / "Repair"
    if styles.exists():
        shutil.rmtree(styles)
    styles.mkdir(parents=True)
    (folder / ".vale.ini").write_text("StylesPath = styles\nMinAlertLevel = suggestion\n\n[*]\nBasedOnStyles = Repair\n",
                                      encoding="utf-8")
    written = []
    for spec in _builtin_specs():
        rule: dict = {"message": "%s" if spec.kind == "substitution" else "repair rule " + spec.info.code,
                      "level": "warning"}
        if spec.kind == "substitution":
            swaps = {_vale_escape(t): r for t, r in spec.terms.items() if r}
            flags = [_vale_escape(t) for t, r in spec.terms.items() if not r]
            if swaps:
                rule.update(extends="substitution", message="Use '%s' instead of '%s'.", swap=swaps,
                            ignorecase=not spec.case_sensitive)
            else:
                rule.update(extends="existence", tokens=flags, ignorecase=not spec.case_sensitive)
        elif spec.kind == "pattern":
            rule.update(extends="existence", raw=["(?:" + "|".join(_vale_pattern(p) for p in spec.patterns) + ")"],
                        ignorecase=spec.ignore_case, scope="raw")
        elif spec.kind == "boilerplate":
            alternatives = [_vale_escape(line) for line in spec.lines] + [_vale_pattern(p) for p in spec.line_patterns]
            alternatives += [".*" + _vale_escape(suffix) for suffix in spec.suffixes]
            rule.update(extends="existence", raw=[r"(?m)^[ \t]*(?:" + "|".join(alternatives) + r")[ \t]*$"],
                        scope="raw")
        else:
            continue
        (styles / f"{spec.info.code}.yml").write_text(json.dumps(rule, ensure_ascii=False, indent=1) + "\n",
                                                        encoding="utf-8")
        written.append(spec.info.code)
    dropped = []
    probe = folder / "probe.txt"
    probe.write_text("The EI fighters left Deir Ezzor.\n", encoding="utf-8")
    for code in list(written):  # one at a time: Vale refuses the whole style when one rule does not load
        done = subprocess.run([vale, "--config", str(folder / ".vale.ini"), "--output", "line", str(probe)],
                              capture_output=True, text=True, cwd=folder)
        if done.returncode not in (0, 1) or "E100" in done.stdout + done.stderr:
            bad = next((c for c in written if c in done.stdout + done.stderr), None)
            if bad is None:
                raise SystemExit(f"Vale does not run with the generated style:\n{done.stdout[-1500:]}{done.stderr[-1500:]}")
            (styles / f"{bad}.yml").unlink()
            written.remove(bad)
            dropped.append(bad)
        else:
            break
    return {"rules": len(written), "dropped": dropped}


def check_peer(name: str, command: list[str], work: Path) -> None:
    """Fail loudly when a peer does not run its rules (a crashed linter would look fast)."""
    probe = work / "probe.txt"
    probe.write_text("The EI fighters left Deir Ezzor and the the recieved text.\n", encoding="utf-8")
    done = subprocess.run(command + [str(probe)], capture_output=True, text=True)
    expected = {"codespell": "recieved", "proselint": "probe.txt", "textlint+prh": "prh", "Vale": "Repair.FR001",
                "floor": "words"}[name]
    if expected not in done.stdout or "Error while loading" in done.stdout + done.stderr:
        raise SystemExit(f"{name} did not run as expected:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")


def peer_commands(work: Path) -> tuple[dict[str, list[str]], dict]:
    """The peers that are installed, as command lines taking file names; and notes on them."""
    notes: dict = {}
    commands: dict[str, list[str]] = {}
    vale = PEERS / "vale" / "vale"
    if vale.exists():
        notes["vale"] = vale_style(str(vale))
        commands["Vale"] = [str(vale), "--config", str(PEERS / "vale" / ".vale.ini"), "--output", "line",
                            "--no-exit"]
    if (PEERS / "node_modules" / ".bin" / "textlint").exists():
        prh_rules()
        commands["textlint+prh"] = [str(PEERS / "node_modules" / ".bin" / "textlint"), "--config",
                                    str(PEERS / "textlintrc.json"), "--no-color", "--format", "compact"]
    if (PEERS / "venv" / "bin" / "proselint").exists():
        default = PEERS / "venv"
        config = json.loads(next(default.rglob("proselint/config/default.json")).read_text(encoding="utf-8"))
        config["max_errors"] = 10 ** 9  # its default, 1,000 a file, ends a large file's check early
        (work / "proselint.json").write_text(json.dumps(config), encoding="utf-8")
        # after the subcommand: argparse lets the subcommand's own --config default overwrite a global one
        commands["proselint"] = [str(PEERS / "venv" / "bin" / "proselint"), "check", "--config",
                                 str(work / "proselint.json")]
    if (PEERS / "venv" / "bin" / "codespell").exists():
        commands["codespell"] = [str(PEERS / "venv" / "bin" / "codespell"), "--quiet-level", "2"]
    commands["floor"] = [sys.executable, str(BENCH / "floor.py")]
    return commands, notes


# --- the benchmark -----------------------------------------------------------------------------------------------
LOAD_AT_START = os.getloadavg()


def repair_command(*args: str, command: str = "check") -> list[str]:
    exe = shutil.which("repair", path=str(Path(sys.executable).parent)) or "repair"
    return [exe, command, "--no-languagetool", "--quiet", *args]


def isolated_home(folder: Path) -> Path:
    """A repair home of the benchmark's own (a cold pack cache), holding a link to the machine's word table
    (built once per machine: a build would count as start-up time)."""
    sys.path.insert(0, str(ROOT))
    from repair.wordlists import lexicon

    table = lexicon().path
    lexicon().zipf("the", "en")  # builds the table if this machine has none yet
    folder.mkdir(parents=True, exist_ok=True)
    link = folder / table.name
    if not link.exists():
        link.symlink_to(table)
    return folder


def startup_figures(out: Path, manifest: dict, work: Path, env: dict, runs: int) -> dict:
    """Start-up on one 10 KB file (`--no-cache`: the file is checked, not answered from the result cache), best
    and median of `runs` fresh processes. Warm (the figure the target is about): every run shares the benchmark's
    home after one run filled it (parsed packs, their patterns' facts, the configuration's table), as every run
    of a pre-commit hook after the first. Cold, beside it: each run in a new empty home (only the machine's word
    table linked), as the first run after an install or an upgrade."""
    small = out / manifest["small"]["path"]
    plain = out / manifest["plain"]["path"]
    measure(repair_command("--no-cache", str(small)), env=env)  # fills the home, warms the OS file cache
    startup = best_of(repair_command("--no-cache", str(small)), runs, env=env)
    startup_plain = best_of(repair_command("--no-cache", str(plain)), runs, env=env)
    colds = [measure(repair_command("--no-cache", str(small)),
                     env={**env, "REPAIR_HOME": str(isolated_home(work / f"cold-home-{number}"))})
             for number in range(runs)]
    python_pass = best_of([sys.executable, "-c", "pass"], runs)
    typer_rich = best_of([sys.executable, "-c", "import typer, rich"], runs)
    return {"file_bytes": small.stat().st_size, "wall": startup["wall"], "median": startup["median"],
            "runs": startup["runs"], "rss_mb": startup["rss_mb"], "cpu": startup["min_cpu"],
            "cpu_median": startup["cpu_median"], "plain_cpu": startup_plain["min_cpu"],
            "python_pass_cpu": python_pass["min_cpu"], "typer_rich_cpu": typer_rich["min_cpu"],
            "plain_wall": startup_plain["wall"], "plain_median": startup_plain["median"],
            "cold_wall": min(r["wall"] for r in colds), "cold_median": statistics.median(r["wall"] for r in colds),
            "cold_cpu": min(r["cpu"] for r in colds),
            "python_pass": python_pass["wall"], "typer_rich": typer_rich["wall"]}


def edit_one_percent(files: list[Path], seed: int, kind: str) -> list[Path]:
    """Edit 1% of the files (a spread, seeded): `plain` appends a plain sentence; `names` appends a sentence
    naming places and people the corpus names elsewhere, one of them in a spelling of its own (Jerusalem as
    Jeru-salem: the same name key, a new form), so that the corpus-wide CON001 data changes."""
    rng = random.Random(seed)
    chosen = rng.sample(files, max(1, len(files) // 100))
    for number, path in enumerate(chosen):
        if kind == "plain":
            extra = f"\nThe weather on day {number} of the month was mild, the report added.\n"
        else:
            extra = f"\nOn day {number}, envoys from Jeru-salem and Egypt met Moses and Aaron near Damascus.\n"
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(extra)
    return chosen


def run(args: argparse.Namespace) -> dict:
    out = Path(args.out)
    manifest = json.loads((out / "manifest.json").read_text())
    work = Path(tempfile.mkdtemp(prefix="repair-bench-", dir=out))
    results: dict = {
        "when": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "mode": "quick" if args.quick else "full",
        "command": "bash bench/run.sh" + (" --quick" if args.quick else "") + "".join(
            f" --{name.replace('_', '-')} {getattr(args, name):g}" for name in ("big_mb", "fix_mb", "throughput_runs",
                                                                              "startup_runs")
            if getattr(args, name) is not None and name in args.given),
    }
    env = {"REPAIR_HOME": str(isolated_home(work / "home"))}
    log = lambda *a: print(*a, file=sys.stderr, flush=True)  # noqa: E731
    small_dir = out / manifest["small_files"]["path"]
    small_files = text_files(small_dir)
    small_words = manifest["small_files"]["words"]
    big = out / manifest["big"]["path"]
    if args.big_mb:  # a prefix of the large file for the linear and memory rows (a loaded machine, no time)
        big = prefix(big, work / "big.txt", args.big_mb)
    ten = prefix(big, work / "ten.txt", args.ten_mb)
    one_mb = prefix(big, work / "one.txt", 1)
    small = out / manifest["small"]["path"]
    peers, notes = peer_commands(work)
    results["peer_notes"] = notes
    for name, command in peers.items():
        check_peer(name, command, work)

    # 1. the machine's own two-process ceiling
    ceiling = machine_ceiling()
    results["ceiling"] = ceiling
    log(f"machine: a pure-Python loop runs x{ceiling['speedup_2']:.2f} faster as 2 processes than as 1")

    # 2. start-up: one 10 KB file, wall time, best of N fresh processes (and the floor of any Python tool)
    results["startup"] = startup_figures(out, manifest, work, env, args.startup_runs)
    s = results["startup"]
    log(f"start-up: {s['wall']:.3f} s (median {s['median']:.3f}); plain English {s['plain_wall']:.3f} s; "
        f"cold home {s['cold_wall']:.3f} s (median {s['cold_median']:.3f})")
    startup = {"wall": s["wall"], "rss_mb": s["rss_mb"]}

    # 3. words per CPU-second: the small files and the 10 MB file, every tool, one process each
    small_names = [str(f) for f in small_files]
    ten_words = count_words([ten])
    table: dict = {"repair": {}}
    ones = [measure(repair_command("--no-cache", "--jobs", "1", str(small_dir)), env=env)
            for _ in range(args.throughput_runs)]
    table["repair"]["small"] = min(r["cpu"] for r in ones)
    big_run = measure(repair_command("--no-cache", "--jobs", "1", str(ten)), env=env)
    table["repair"]["ten"] = big_run["cpu"]
    table["repair"]["ten_rss_mb"] = big_run["rss_mb"]
    table["repair"]["startup"] = startup["wall"]
    log(f"repair: small files {small_words / table['repair']['small']:,.0f} words/CPU-s, "
        f"10 MB {ten_words / table['repair']['ten']:,.0f} words/CPU-s")
    for name, command in peers.items():
        row = table[name] = {}
        row["small"] = measure(command + small_names)["cpu"]
        row["ten"] = measure(command + [str(ten)])["cpu"]
        row["startup"] = best_of(command + [str(small)], 7)["wall"] if name != "floor" else None
        log(f"{name}: small files {row['small']:.2f} CPU-s, 10 MB {row['ten']:.2f} CPU-s")
    results["table"] = table
    results["words"] = {"small": small_words, "small_files": len(small_files), "ten": ten_words,
                        "ten_mb": ten.stat().st_size / 1e6}

    # 4. --jobs 2 against --jobs 1 on the small files, wall time, alternated (a burst of load hits both)
    twos, ones_wall = [], []
    for _ in range(args.throughput_runs):
        ones_wall.append(measure(repair_command("--no-cache", "--jobs", "1", str(small_dir)), env=env))
        twos.append(measure(repair_command("--no-cache", "--jobs", "2", str(small_dir)), env=env))
    one = min(ones_wall + ones, key=lambda r: r["wall"])
    two = min(twos, key=lambda r: r["wall"])
    results["parallel"] = {"jobs1_wall": one["wall"], "jobs2_wall": two["wall"], "speedup_2": one["wall"] / two["wall"],
                           "jobs1_cpu": one["cpu"], "jobs2_cpu": two["cpu"],
                           "cores_used": two["cpu"] / two["wall"]}
    log(f"--jobs 2: x{results['parallel']['speedup_2']:.2f} (CPU {two['cpu']:.1f} s against {one['cpu']:.1f} s)")

    # 5. linear: words per CPU-second on the whole large file against its first 1 MB; memory on both, check and fix
    base_rss = startup["rss_mb"]
    linear = {}
    for label, path in (("one", one_mb), ("big", big)):
        run_ = measure(repair_command("--no-cache", "--jobs", "1", str(path)), env=env)
        words = count_words([path])
        linear[label] = {"mb": path.stat().st_size / 1e6, "words": words, "cpu": run_["cpu"],
                         "words_per_cpu_s": words / run_["cpu"], "rss_mb": run_["rss_mb"]}
        log(f"linear: {linear[label]['mb']:.0f} MB, {words / run_['cpu']:,.0f} words/CPU-s, peak {run_['rss_mb']:.0f} MB")
    fixing = prefix(ten, work / "fix.txt", args.fix_mb) if args.fix_mb else ten
    fixed = measure(repair_command("--no-cache", "--jobs", "1", "--diff", str(fixing), command="fix"), env=env)
    linear["fix_ten"] = {"mb": fixing.stat().st_size / 1e6, "cpu": fixed["cpu"], "rss_mb": fixed["rss_mb"]}
    linear["base_rss_mb"] = base_rss
    results["linear"] = linear

    # 6. the cache: the small files (a copy: they are edited), one publication (CON001 across the files): cold,
    #    unchanged, then after editing 1% of the files, twice (plain sentences; names the corpus-wide check knows)
    corpus = work / "edited"
    shutil.copytree(small_dir, corpus)
    project = work / "project"
    project.mkdir()
    (project / "repair.toml").write_text(f'cache-dir = "{work / "result-cache"}"\none-publication = true\n',
                                         encoding="utf-8")
    config = ["--config", str(project / "repair.toml"), "--jobs", "1"]
    cold = measure(repair_command(*config, str(corpus)), env=env)
    warm = best_of(repair_command(*config, str(corpus)), 3, key="cpu", env=env)
    edits = {}
    for kind in ("plain", "names"):
        edit_one_percent(text_files(corpus), {"plain": 1, "names": 2}[kind], kind)
        again = measure(repair_command(*config, str(corpus)), env=env)
        edits[kind] = {"cpu": again["cpu"], "wall": again["wall"], "share": again["cpu"] / cold["cpu"]}
        log(f"incremental, 1% edited ({kind}): {again['cpu']:.2f} CPU-s against {cold['cpu']:.2f} cold")
    results["cache"] = {"files": len(small_files), "cold_cpu": cold["cpu"], "cold_wall": cold["wall"],
                        "warm_cpu": warm["cpu"], "warm_share": warm["cpu"] / cold["cpu"], "edits": edits}

    results["load"] = {"start": LOAD_AT_START, "end": os.getloadavg()}
    shutil.rmtree(work, ignore_errors=True)
    return results


def startup_only(args: argparse.Namespace) -> dict:
    out = Path(args.out)
    manifest = json.loads((out / "manifest.json").read_text())
    work = Path(tempfile.mkdtemp(prefix="repair-bench-"))
    try:
        env = {"REPAIR_HOME": str(isolated_home(work / "home"))}
        return startup_figures(out, manifest, work, env, args.startup_runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)


# --- reporting ---------------------------------------------------------------------------------------------------
PEER_ORDER = ["repair", "Vale", "textlint+prh", "proselint", "codespell", "floor"]
PEER_TITLES = {"repair": "repair", "Vale": "Vale (Go)", "textlint+prh": "textlint + prh", "proselint": "proselint",
               "codespell": "codespell", "floor": "read + tokenise + set look-up in Python"}


def _verdict(value: float, target: float, higher_is_better: bool, unit: str = "") -> str:
    if (value >= target) if higher_is_better else (value <= target):
        return "met"
    if higher_is_better:
        return f"**missed**: ×{target / value:.1f} short" if value else "**missed**"
    return f"**missed** by {value - target:.3g}{unit} (×{value / target:.1f})"


def peers_table(r: dict) -> str:
    t, w = r["table"], r["words"]
    names = [n for n in PEER_ORDER if n in t]
    s = r["startup"]
    rows = ["| input | " + " | ".join(PEER_TITLES[n] for n in names) + " |",
            "|---|" + "---:|" * len(names)]
    rows.append(f"| one {w['ten_mb']:.0f} MB news file, CPU s | "
                + " | ".join(f"{t[n]['ten']:.2f}" for n in names) + " |")
    rows.append(f"| {w['small_files']:,} news files of 2 KB ({w['small'] / 1e6:.2f} M words), CPU s | "
                + " | ".join(f"{t[n]['small']:.2f}" for n in names) + " |")
    cells = []
    for n in names:
        if n == "floor":
            cells.append(f"`python -c pass` {s['python_pass']:.3f}; `import typer, rich` {s['typer_rich']:.3f}")
        else:
            cells.append(f"{t[n]['startup']:.3f}")
    rows.append("| one 10 KB file, wall s | " + " | ".join(cells) + " |")
    rows.append(f"| words per CPU-second, small files / {w['ten_mb']:.0f} MB file | "
                + " | ".join(f"{w['small'] / t[n]['small']:,.0f} / {w['ten'] / t[n]['ten']:,.0f}" for n in names)
                + " |")
    return "\n".join(rows)


def targets_table(r: dict) -> str:
    t, w, s, p, lin, c = r["table"]["repair"], r["words"], r["startup"], r["parallel"], r["linear"], r["cache"]
    small_rate, ten_rate = w["small"] / t["small"], w["ten"] / t["ten"]
    ratio = lin["big"]["words_per_cpu_s"] / lin["one"]["words_per_cpu_s"]
    rows = ["| target (issue 12) | repair | target | |", "| --- | ---: | ---: | --- |"]
    rows.append(f"| words/s per core, {w['small_files']:,} files of 2 KB (`--jobs 1 --no-cache`, CPU time) "
                f"| {small_rate:,.0f} | ≥ 500,000 | {_verdict(small_rate, TARGETS['words_per_cpu_s'], True)} |")
    rows.append(f"| words/s per core, one {w['ten_mb']:.0f} MB file | {ten_rate:,.0f} | ≥ 500,000 "
                f"| {_verdict(ten_rate, TARGETS['words_per_cpu_s'], True)} |")
    rows.append(f"| linear: words/s per core on {lin['big']['mb']:.0f} MB ÷ on 1 MB "
                f"({lin['big']['words_per_cpu_s']:,.0f} ÷ {lin['one']['words_per_cpu_s']:,.0f}) "
                f"| {ratio:.2f} | ≥ 0.80 | {_verdict(ratio, TARGETS['linear'], True)} |")
    cold = (f"; in a new empty home each run (the first run after an install): {s['cold_wall']:.3f} s, median "
            f"{s['cold_median']:.3f} s, CPU {s['cold_cpu']:.3f} s" if "cold_wall" in s else "")
    rows.append(f"| start-up, one 10 KB file, wall, warm home (best of {s['runs']}; median {s['median']:.3f} s; CPU "
                f"{s.get('cpu', 0):.3f} s, where `python -c pass` takes {s.get('python_pass_cpu', 0):.3f} s and "
                f"`import typer, rich` {s.get('typer_rich_cpu', 0):.3f} s; another file, plain English: "
                f"{s['plain_wall']:.3f} s wall, {s.get('plain_cpu', 0):.3f} s CPU{cold}) | {s['wall']:.3f} s "
                f"| < 0.15 s | {_verdict(s['wall'], TARGETS['startup'], False, ' s')} |")
    for label, item in (("check", lin["big"]), ("fix --diff", lin["fix_ten"])):
        allowed = TARGETS["memory_factor"] * item["mb"] + TARGETS["memory_base_mb"]
        rows.append(f"| peak memory, `{label}` of one {item['mb']:.0f} MB file (×{(item['rss_mb'] - lin['base_rss_mb']) / item['mb']:.1f} "
                    f"the file over the {lin['base_rss_mb']:.0f} MB at start) | {item['rss_mb']:,.0f} MB "
                    f"| ≤ {allowed:,.0f} MB | {_verdict(item['rss_mb'], allowed, False, ' MB')} |")
    rows.append(f"| `--jobs 2` over `--jobs 1`, small files, wall (the machine's own two-process ceiling now: "
                f"×{r['ceiling']['speedup_2']:.2f}; CPU {p['jobs2_cpu']:.1f} s against {p['jobs1_cpu']:.1f} s) "
                f"| ×{p['speedup_2']:.2f} | ≥ ×1.8 | {_verdict(p['speedup_2'], TARGETS['speedup_2'], True)} |")
    for kind, label in (("plain", "plain sentences"), ("names", "names CON001 knows, one in a new spelling")):
        e = c["edits"][kind]
        rows.append(f"| re-run after editing 1% of the {c['files']:,} files ({label}; `--one-publication`), CPU "
                    f"share of the cold run ({e['cpu']:.2f} s of {c['cold_cpu']:.2f} s) | {e['share']:.1%} | ≤ 5% "
                    f"| {_verdict(e['share'], TARGETS['incremental'], False)} |")
    rows.append(f"| re-run of the unchanged files ({c['warm_cpu']:.2f} s of {c['cold_cpu']:.2f} s) | {c['warm_share']:.1%} "
                f"| ≤ 5% | {_verdict(c['warm_share'], TARGETS['incremental'], False)} |")
    return "\n".join(rows)


def report(r: dict) -> str:
    load = r.get("load", {})
    notes = r.get("peer_notes", {}).get("vale")
    vale = (f" Vale ran a style of {notes['rules']} rules generated from the packs"
            + (f" ({', '.join(notes['dropped'])} left out: its regex engine rejects them)" if notes["dropped"] else "")
            + "." if notes else " Vale was not built (no Go).")
    return "\n".join([
        peers_table(r), "",
        targets_table(r), "",
        f"Measured {r['when']} on {r['machine']} ({r['mode']} mode) by `{r['command']}`; load average "
        f"{load.get('start', [0])[0]:.1f} at the start, {load.get('end', [0])[0]:.1f} at the end (above 2, other "
        f"work shared the 2 cores: wall times and the speed-up suffer, CPU times and ratios less).{vale} "
        f"CPU s = user + sys of the whole process tree; LanguageTool off, no cache, one process.",
    ])


def write(results: dict) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "speed.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    body = report(results)
    (RESULTS / "speed.md").write_text("# repair speed benchmark\n\n" + body + "\n", encoding="utf-8")
    doc = ROOT / "BENCHMARKS.md"
    if doc.exists():
        text = doc.read_text(encoding="utf-8")
        begin, end = "<!-- speed:begin -->", "<!-- speed:end -->"
        if begin in text and end in text:
            head, rest = text.split(begin, 1)
            _, tail = rest.split(end, 1)
            doc.write_text(head + begin + "\n" + body + "\n" + end + tail, encoding="utf-8")
    print(body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=str(BENCH / "out"))
    parser.add_argument("--quick", action="store_true", help="fewer repeats, a smaller large file")
    parser.add_argument("--startup-runs", type=int, default=None)
    parser.add_argument("--throughput-runs", type=int, default=None, help="runs of each of --jobs 1 and --jobs 2")
    parser.add_argument("--ten-mb", type=float, default=None, help="the size of the 'one large news file' input")
    parser.add_argument("--big-mb", type=float, default=None,
                        help="use a prefix of the large file this size for the linear and memory rows")
    parser.add_argument("--fix-mb", type=float, default=None, help="the size of the file `fix --diff` is run on")
    parser.add_argument("--report-only", help="re-print the tables of a speed.json")
    parser.add_argument("--startup-only", action="store_true",
                        help="measure the start-up figures only and print them (nothing written)")
    args = parser.parse_args()
    args.given = {a.lstrip("-").split("=")[0].replace("-", "_") for a in sys.argv[1:] if a.startswith("--")}
    if args.report_only:
        print(report(json.loads(Path(args.report_only).read_text())))
        return
    if args.startup_runs is None:
        args.startup_runs = 7 if args.quick else 15
    if args.throughput_runs is None:
        args.throughput_runs = 1 if args.quick else 2
    if args.ten_mb is None:
        args.ten_mb = 2 if args.quick else 10
    if args.startup_only:
        print(json.dumps(startup_only(args), indent=2))
        return
    write(run(args))


if __name__ == "__main__":
    main()
