"""The HTML report: one self-contained page for a run, to read in a browser (opened from disk; no network).

The page holds data, not markup built from the files: each file's text, cut into pieces where findings begin and
end, its findings with their rules and fixes, and the diffs of its fixes, as JSON in inert <script> blocks. The
page's script (html_page.js, package data with html_page.css) builds a file's view only when it is opened, always
through text nodes, so nothing in a file is ever read as markup (the seed article's `<style>` line shows as text).
A Content-Security-Policy forbids every load from outside the page itself.

Offsets: findings count code points; the pieces are cut here in Python, so the browser never converts offsets
(JavaScript strings count UTF-16 units).

The diffs: for `repair check`, the safe fixes' diff is the first pass of what `repair fix` writes (the fixer's own
selection of non-overlapping fixes, applied once); for `repair fix` and `fix --diff` it is the run's own diff.
Unsafe fixes are shown apart, marked, as the edits `--unsafe-fixes` would add.
"""

from __future__ import annotations

import json
from collections import Counter
from html import escape
from importlib import resources

from repair.fixer import AppliedEdit, apply_edits, select_fixes
from repair.model import Applicability, Category, Finding, RuleInfo
from repair.report import tool_info
from repair.report.diff import hunks, runs, word_changes
from repair.results import FileResult, Located, Report

#: the colour of each category's highlight (light backgrounds, dark enough borders), one table for page and legend
CATEGORY_COLOURS: dict[Category, str] = {
    Category.UNTRANSLATED: "#f4a6a6",
    Category.TERMINOLOGY: "#f7c873",
    Category.ENCODING: "#c9a0f0",
    Category.SPELLING: "#9ed99b",
    Category.GRAMMAR: "#8fd0e8",
    Category.PUNCTUATION: "#d8d87a",
    Category.STYLE: "#b8c4f5",
    Category.MISTRANSLATION: "#f59ccf",
    Category.BOILERPLATE: "#c8c8c8",
    Category.MARKUP: "#f0b890",
    Category.DUPLICATION: "#9fe0c8",
}
SEVERITIES = ("error", "warning", "info")
SAFETIES = ("safe", "unsafe", "display-only", "none")
#: the files in the "findings per file" chart; the others are counted in one line
CHART_FILES = 15


def safety(finding: Finding) -> str:
    """How the finding's fix may be applied: safe, unsafe, display-only, or none (no fix)."""
    return finding.fix.applicability.label if finding.fix is not None else "none"


def pieces(text: str, located: list[Located]) -> list[list]:
    """The text cut where findings begin and end: [text, [indexes of the findings covering it]] in order, the
    widest finding first (the page nests the narrower inside it: its colour shows on top). A finding with an empty
    span (an insertion point) gets an empty piece of its own. One sweep over the cuts.

    >>> pieces("the OSDH said", [])
    [['the OSDH said', []]]
    """
    starting: dict[int, list[int]] = {}
    ending: dict[int, list[int]] = {}
    for index, item in enumerate(located):
        if item.finding.start < item.finding.end:
            starting.setdefault(item.finding.start, []).append(index)
            ending.setdefault(item.finding.end, []).append(index)
    empty = {}
    for index, item in enumerate(located):
        if item.finding.start == item.finding.end:
            empty.setdefault(item.finding.start, []).append(index)
    cuts = sorted({0, len(text), *starting, *ending, *empty})
    width = [item.finding.end - item.finding.start for item in located]
    active: set[int] = set()
    out: list[list] = []
    for cut, following in zip(cuts, cuts[1:] + [None]):
        active.difference_update(ending.get(cut, ()))
        active.update(starting.get(cut, ()))
        out.extend(["", [index]] for index in empty.get(cut, ()))
        if following is not None and following > cut:
            out.append([text[cut:following], sorted(active, key=lambda index: (-width[index], index))])
    return out


#: the longest stretch of text a finding's detail shows before and after its fix (a removed line can be long)
FIX_PREVIEW = 240


def _preview(text: str) -> str:
    return text if len(text) <= FIX_PREVIEW else text[:FIX_PREVIEW] + "…"


def _fix_data(finding: Finding, text: str) -> list | None:
    """[title, before, after]: the fix's title and the stretch of text it changes, before and after."""
    if finding.fix is None or not finding.fix.edits:
        return None
    start = min(edit.start for edit in finding.fix.edits)
    end = max(edit.end for edit in finding.fix.edits)
    shifted = [type(edit)(edit.start - start, edit.end - start, edit.replacement) for edit in finding.fix.edits]
    return [finding.fix.title, _preview(text[start:end]), _preview(apply_edits(text[start:end], shifted))]


#: a finding on the page is a row of these (a large run has tens of thousands: no repeated keys)
FINDING_FIELDS = ("code", "category", "severity", "safety", "message", "line", "column", "fix")


def _finding_data(item: Located, text: str) -> list:
    """What the page shows of a finding (FINDING_FIELDS); its text is in the file's pieces, its rule's name in
    the rules table."""
    finding = item.finding
    return [finding.code, finding.category.value, finding.severity.value, safety(finding), finding.message,
            item.line, item.column, _fix_data(finding, text)]


#: unchanged lines around each change in the page's diffs (a line is often a whole paragraph)
DIFF_CONTEXT = 1


def _hunks_data(result: FileResult) -> list[dict]:
    """A diff's hunks as the page shows them. A row is [" ", line] for a context line, or for a change
    ["~", removed lines, added lines, words]: the words as [same text] or [old text, new text] where they differ,
    each line ended by a line break (the page splits them into its "-" and "+" lines)."""
    out = []
    for header, body in hunks(result, DIFF_CONTEXT):
        rows: list[list] = []
        for removed, added in runs(body):
            if added is None:
                rows.append([" ", removed[0].rstrip("\n")])
                continue
            words = [[old] if tag == "=" else [old, new] for tag, old, new in word_changes(removed, added)]
            rows.append(["~", len(removed), len(added), words])
        out.append({"header": header, "rows": rows})
    return out


def _would_fix(path: str, text: str, findings: list[Finding], applicability: Applicability) -> list[dict]:
    """The diff of the fixes of exactly this applicability, chosen and applied as one pass of the fixer."""
    eligible = [f for f in findings if f.fix is not None and f.fix.applicability == applicability]
    chosen = select_fixes(eligible, applicability)
    if not chosen:
        return []
    edits = [edit for finding in chosen for edit in finding.fix.edits]
    applied = [AppliedEdit(finding.code, finding.fix.title, edit.start, edit.end, edit.replacement)
               for finding in chosen for edit in finding.fix.edits]
    fixed = apply_edits(text, edits)
    if fixed == text:
        return []
    return _hunks_data(FileResult(path, original=text, fixed=fixed, applied=applied))


def file_data(result: FileResult, text: str | None, command: str) -> dict:
    """One file's view: its text in pieces, its findings, the diff of its fixes (safe) and of its unsafe fixes."""
    data: dict = {"path": result.path, "error": result.error}
    if text is None:
        return data
    findings = [item.finding for item in result.located]
    if command == "check":
        safe_diff = _would_fix(result.path, text, findings, Applicability.SAFE)
    else:
        safe_diff = _hunks_data(result) if result.original is not None and result.fixed is not None else []
    data.update(
        pieces=pieces(text, result.located) if result.located else [],
        findings=[_finding_data(item, text) for item in result.located],
        safe_diff=safe_diff,
        unsafe_diff=_would_fix(result.path, text, findings, Applicability.UNSAFE),
    )
    return data


def _rule_data(rule: RuleInfo) -> dict:
    example = rule.examples[0] if rule.examples else None
    return {"name": rule.name, "summary": rule.summary, "why": rule.why, "fix": rule.fix_label,
            "bad": example.bad if example else "", "good": example.good if example else ""}


def summary_data(report: Report) -> dict:
    findings = report.findings
    per_file = sorted(((len(r.located), r.path) for r in report.results if r.located), key=lambda x: (-x[0], x[1]))
    used = {item.finding.code for item in findings}
    return {
        "tool": tool_info(),
        "finding_fields": FINDING_FIELDS,
        "command": report.command,
        "summary": report.summary(),
        "categories": {c.value: CATEGORY_COLOURS[c] for c in Category},
        "by_category": dict(Counter(item.finding.category.value for item in findings)),
        "by_severity": dict(Counter(item.finding.severity.value for item in findings)),
        "by_safety": dict(Counter(safety(item.finding) for item in findings)),
        "per_file": [[path, count] for count, path in per_file[:CHART_FILES]],
        "per_file_rest": [len(per_file[CHART_FILES:]), sum(count for count, _ in per_file[CHART_FILES:])],
        "files": [{"path": r.path, "count": len(r.located), "error": r.error,
                   "categories": dict(Counter(item.finding.category.value for item in r.located)),
                   # [category, severity, safety, count]: the count the filters leave, worked out in the page
                   "kinds": [[*kind, n] for kind, n in sorted(Counter(
                       (item.finding.category.value, item.finding.severity.value, safety(item.finding))
                       for item in r.located).items())],
                   "changed": r.changed} for r in report.results],
        "rules": {rule.code: _rule_data(rule) for rule in report.rules if rule.code in used},  # name, explanation
        "notices": report.notices,
    }


def _script_json(data) -> str:
    """JSON that cannot end its <script> block early nor open a comment: <, > and & as \\u escapes."""
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":"))
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _asset(name: str) -> str:
    return resources.files("repair.report").joinpath(name).read_text(encoding="utf-8")


def _filter_css() -> str:
    """For each value a filter can hide: its findings' rows hidden, their highlights cleared."""
    rules = []
    for prefix, values in (("c", [c.value for c in Category]), ("s", SEVERITIES), ("x", SAFETIES)):
        for value in values:
            rules.append(f"body.hide-{prefix}-{value} .row.{prefix}-{value}{{display:none}}")
            rules.append(f"body.hide-{prefix}-{value} .hl.{prefix}-{value}"
                         "{background:transparent;border-bottom-color:transparent;cursor:auto}")
    for category, colour in CATEGORY_COLOURS.items():
        rules.append(f".c-{category.value}{{--cat:{colour}}}")
    return "\n".join(rules)


#: nothing from outside the page: no request leaves it (images only as data: URLs, for the favicon)
_POLICY = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"


def render(report: Report) -> str:
    """The page, with report.texts (the files' texts) for the highlighted views."""
    title = f"repair {report.command}: {len(report.results)} file{'s' if len(report.results) != 1 else ''}"
    blocks = [f'<script type="application/json" id="repair-data">{_script_json(summary_data(report))}</script>']
    for index, result in enumerate(report.results):
        data = file_data(result, report.texts.get(result.path), report.command)
        blocks.append(f'<script type="application/json" id="file-{index}">{_script_json(data)}</script>')
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<link rel="icon" href="data:,">',
        f"<title>{escape(title)}</title>",
        f"<style>\n{_asset('html_page.css')}\n{_filter_css()}\n</style>",
        "</head><body>",
        '<noscript>This report needs JavaScript to show the files.</noscript>',
        '<main id="app"></main>',
        *blocks,
        f"<script>\n{_asset('html_page.js')}\n</script>",
        "</body></html>",
        "",
    ])
