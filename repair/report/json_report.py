"""JSON output, version 1: the stable format other tools read (schema: repair/schemas/report-v1.schema.json).

This module is the one home of the v1 encoding of a finding; the result cache keeps its own (repair.cache)."""

from __future__ import annotations

import json

from repair.report import tool_info
from repair.report.diff import unified_diff
from repair.results import Located, Report


def finding_data(item: Located) -> dict:
    """A located finding as JSON v1 has it (the keys in this order)."""
    f = item.finding
    fix = None
    if f.fix is not None:
        fix = {
            "applicability": f.fix.applicability.label,
            "title": f.fix.title,
            "edits": [{"start": e.start, "end": e.end, "replacement": e.replacement} for e in f.fix.edits],
        }
    return {
        "code": f.code,
        "name": f.name,
        "category": f.category.value,
        "severity": f.severity.value,
        "message": f.message,
        "start": f.start,
        "end": f.end,
        "line": item.line,
        "column": item.column,
        "end_line": item.end_line,
        "end_column": item.end_column,
        "text": item.text,
        "fix": fix,
    }


def as_data(report: Report) -> dict:
    files = []
    for result in report.results:
        entry: dict = {"path": result.path, "findings": [finding_data(item) for item in result.located]}
        if result.error:
            entry["error"] = result.error
        if report.command in ("fix", "diff"):
            entry["diff"] = unified_diff(result) if result.changed and result.original is not None else ""
            entry["edits"] = [
                {"code": e.code, "title": e.title, "start": e.original_start, "end": e.original_end,
                 "replacement": e.replacement}
                for e in result.applied
            ]
        files.append(entry)
    return {"version": 1, "tool": tool_info(), "files": files, "summary": report.summary()}


def render(report: Report) -> str:
    return json.dumps(as_data(report), ensure_ascii=False, indent=2) + "\n"
