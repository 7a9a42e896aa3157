"""Records written as canonical YAML: the form `lutnick import` saves and every command reads.

Fields come in the model's order, text stays Unicode, and values YAML would
read as something else (2019-04-29, 12, yes) are quoted, so the file loads
back to an equal Record. The first line names the JSON Schema, so editors
that speak the YAML language server check the record as it is typed.
"""

from __future__ import annotations

import yaml

from lutnick_cli.record import Record, record_to_data

SCHEMA_FILE = "record.schema.json"


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    pass


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    # Text with line breaks (an abstract) is easier to read and to diff as a block.
    style = "|" if "\n" in value and value == value.strip() and "\t" not in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def record_yaml(record: Record, schema: str = SCHEMA_FILE) -> str:
    """The record as a canonical YAML document, schema comment first."""
    body = yaml.dump(
        record_to_data(record), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False
    )
    return f"# yaml-language-server: $schema={schema}\n{body}"
