"""YAML output that every YAML reader reads back as the same text: PyYAML (YAML 1.1), libyaml,
ruamel and HsYAML (pandoc), which follow YAML 1.2 or mix the two.

PyYAML quotes what YAML 1.1 would read as another type, but not what only
other readers would: `N` and `y` are booleans to pandoc, `0o17` is an integer
to YAML 1.2. Any string that some YAML reads as a number, a boolean or null is
written in single quotes; PyYAML's own rules quote the rest (dates, for one).
"""

from __future__ import annotations

import re
from typing import Any

import yaml

_BASE = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's emitter when present: same output, faster

_AMBIGUOUS = re.compile(
    # Numbers in any YAML: decimal, octal (0o, YAML 1.2), hexadecimal, with _ (YAML 1.1), floats.
    r"[-+]?(?:0o[0-7]+|0x[0-9a-fA-F]+|[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9]+(?:[eE][-+]?[0-9]+)?)"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
    r"|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|~|null|Null|NULL|"
)


class Dumper(_BASE):  # type: ignore[misc, valid-type]
    """The safe dumper, quoting every string another YAML version could read as something else."""


def _text(dumper: Any, value: str) -> Any:
    style = "'" if _AMBIGUOUS.fullmatch(value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


Dumper.add_representer(str, _text)


def dump(data: Any) -> str:
    return yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=100)
