"""Export and import formats, one module each.

An export module exposes EXTENSION and `export(records) -> Iterator[str]`,
yielding the output in pieces so that a long batch is never held in memory
whole. An import module exposes `read(text, source)`, yielding each record
as plain data shaped like the YAML record, with the line it starts on; the
loader validates that data as it validates YAML.
"""

from __future__ import annotations

import importlib
from types import ModuleType

EXPORT_FORMATS = {
    "bibtex": "lutnick_cli.formats.bibtex",
    "biblatex": "lutnick_cli.formats.biblatex",
    "csl-json": "lutnick_cli.formats.csl_json",
    "csl-yaml": "lutnick_cli.formats.csl_yaml",
    "ris": "lutnick_cli.formats.ris",
    "endnote": "lutnick_cli.formats.endnote",
    "mods": "lutnick_cli.formats.mods",
    "dc": "lutnick_cli.formats.dc",
    "cff": "lutnick_cli.formats.cff",
    "jsonld": "lutnick_cli.formats.jsonld",
    "hayagriva": "lutnick_cli.formats.hayagriva",
}


IMPORT_FORMATS = {
    "csl-json": "lutnick_cli.formats.csl_json",
    "csl-yaml": "lutnick_cli.formats.csl_yaml",
    "bibtex": "lutnick_cli.formats.bib_reader",
    "biblatex": "lutnick_cli.formats.bib_reader",
    "ris": "lutnick_cli.formats.ris",
    "hayagriva": "lutnick_cli.formats.hayagriva",
}

INPUT_FORMATS = ("yaml", *IMPORT_FORMATS)


def exporter(name: str) -> ModuleType:
    return importlib.import_module(EXPORT_FORMATS[name])


def importer(name: str) -> ModuleType:
    return importlib.import_module(IMPORT_FORMATS[name])
