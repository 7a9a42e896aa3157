"""Findings as a SARIF 2.1.0 log, the form code scanning (GitHub's among others) reads."""

from __future__ import annotations

from collections.abc import Sequence

from lutnick_cli import __version__
from lutnick_cli.check.rules import RULES, Finding, Level

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
# SARIF's levels: an info finding is a note.
_LEVELS = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "note"}


def sarif(findings: Sequence[Finding]) -> dict:
    """One run of lutnick: every rule it has (so a viewer can show any of them), and a result for each finding.

    A finding on a file has its physical location (line and column counted
    in characters); one on standard input, the embedded record or a pasted
    citation, which no repository holds, has its record's key as a logical
    location only.
    """
    rules = list(RULES.values())
    index = {rule.id: number for number, rule in enumerate(rules)}
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "lutnick",
                        "version": __version__,
                        "rules": [
                            {
                                "id": rule.id,
                                "name": rule.name,
                                "shortDescription": {"text": rule.summary},
                                "defaultConfiguration": {"level": _LEVELS[rule.level]},
                            }
                            for rule in rules
                        ],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [_result(finding, index[finding.rule.id]) for finding in findings],
            }
        ],
    }


def _result(finding: Finding, rule_index: int) -> dict:
    location: dict = {}
    if not finding.source.startswith("<"):
        physical: dict = {"artifactLocation": {"uri": finding.source.replace("\\", "/")}}
        if finding.line is not None:
            physical["region"] = {"startLine": finding.line, "startColumn": finding.column or 1}
        location["physicalLocation"] = physical
    if finding.record:
        location["logicalLocations"] = [{"name": finding.record, "kind": "object"}]
    result: dict = {
        "ruleId": finding.rule.id,
        "ruleIndex": rule_index,
        "level": _LEVELS[finding.level],
        "message": {"text": f"{finding.field}: {finding.message}" if finding.field else finding.message},
    }
    if location:
        result["locations"] = [location]
    properties: dict[str, str | int] = {
        key: value for key, value in (("record", finding.record), ("field", finding.field)) if value
    }
    if finding.source.startswith("<"):
        properties["source"] = finding.source
        if finding.line is not None:
            properties["line"] = finding.line
    if properties:
        result["properties"] = properties
    return result
