"""JSON output, version 1: the stable format other tools read (schema: repair/schemas/report-v1.schema.json)."""

from __future__ import annotations

import json

from repair.report import Report, tool_info
from repair.report.diff import unified_diff


def as_data(report: Report) -> dict:
    files = []
    for result in report.results:
        entry: dict = {"path": result.path, "findings": [item.to_dict() for item in result.located]}
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
