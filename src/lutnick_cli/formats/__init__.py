"""Export formats, one module each. A module exposes EXTENSION and
`export(records) -> Iterator[str]`, yielding the output in pieces so that a
long batch is never held in memory whole."""

from __future__ import annotations

import importlib
from types import ModuleType

EXPORT_FORMATS = {
    "bibtex": "lutnick_cli.formats.bibtex",
    "csl-json": "lutnick_cli.formats.csl_json",
}


def exporter(name: str) -> ModuleType:
    return importlib.import_module(EXPORT_FORMATS[name])
