"""SARIF 2.1.0, for code-scanning dashboards. Columns are counted in code points, and say so."""

from __future__ import annotations

import json

from repair.report import tool_info
from repair.results import Report

_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def artifact_uri(path: str) -> str:
    """A path as SARIF's artifactLocation.uri wants it (RFC 3986): an absolute path as a file:// URI, a relative
    one as a relative reference; either way every character outside the URI's own set percent-encoded (commas,
    colons, percent signs, spaces, line breaks, non-ASCII letters as UTF-8)."""
    from urllib.parse import quote

    if path.startswith("/"):
        return "file://" + quote(path, safe="/")
    return quote(path, safe="/")


def render(report: Report) -> str:
    """The run as SARIF; the rules used are described from the report's rule metadata (report.rules)."""
    used = sorted({item.finding.code for item in report.findings})
    by_code = {rule.code: rule for rule in report.rules}
    driver_rules = []
    index_of = {}
    for code in used:
        rule = by_code.get(code)
        index_of[code] = len(driver_rules)
        driver_rules.append({
            "id": code,
            "name": rule.name if rule else code,
            "shortDescription": {"text": rule.summary if rule else code},
            "properties": {"category": rule.category.value if rule else "", "tags": [rule.category.value] if rule else []},
        })
    results = []
    for result in report.results:
        for item in result.located:
            finding = item.finding
            entry = {
                "ruleId": finding.code,
                "ruleIndex": index_of[finding.code],
                "level": _LEVEL[finding.severity.value],
                "message": {"text": finding.message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": artifact_uri(result.path)},
                        "region": {
                            "startLine": item.line,
                            "startColumn": item.column,
                            "endLine": item.end_line,
                            "endColumn": item.end_column,
                            "charOffset": finding.start,
                            "charLength": finding.end - finding.start,
                        },
                    }
                }],
            }
            if finding.fix is not None:
                entry["fixes"] = [{
                    "description": {"text": f"{finding.fix.title} ({finding.fix.applicability.label})"},
                    "artifactChanges": [{
                        "artifactLocation": {"uri": artifact_uri(result.path)},
                        "replacements": [{
                            "deletedRegion": {"charOffset": edit.start, "charLength": edit.end - edit.start},
                            "insertedContent": {"text": edit.replacement},
                        } for edit in finding.fix.edits],
                    }],
                }]
            results.append(entry)
    info = tool_info()
    document = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": info["name"], "version": info["version"], "rules": driver_rules}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
