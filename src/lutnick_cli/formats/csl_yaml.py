"""CSL YAML: the CSL items as a YAML document with a `references` list, as pandoc reads a bibliography.

Read as well as written: a YAML list of CSL items, or a document with a
`references` list (as pandoc and lutnick write it). `load.is_csl_yaml` tells
such a file from lutnick's own YAML record by its content, as both end in `.yaml`.

The items are the CSL-JSON export's (`lutnick_cli.citation.csl.record_to_csl`), so both
carry the same facts. Two layers of escaping apply:

* pandoc, the reader CSL YAML exists for, parses every string of a YAML
  bibliography as Markdown (even `id`, DOIs and names): `*b*` becomes
  emphasis, `--` an en dash, `'` a curly quote, `$x$` maths. So each ASCII
  character that Markdown or pandoc's smart punctuation can give a meaning to
  is backslash-escaped, which pandoc reads back as the character itself.
* PyYAML's safe dumper then quotes whatever YAML would read as a number, a
  date or a boolean (‘12’, ‘2019’, ‘no’), so every value stays text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from lutnick_cli.citation.csl import reading_warnings, record_data_from_csl, record_to_csl
from lutnick_cli.errors import InvalidRecord, Problem
from lutnick_cli.formats import yaml_text
from lutnick_cli.record import Record

EXTENSION = ".yaml"

_MARKDOWN = re.compile(r"""([\\`*_{}\[\]<>#+\-.!$~^@'"|&])""")


def escape_markdown(text: str) -> str:
    """Text that pandoc's Markdown reader turns back into exactly this text."""
    return _MARKDOWN.sub(r"\\\1", text)


def _escaped(value: Any) -> Any:
    if isinstance(value, str):
        return escape_markdown(value)
    if isinstance(value, list):
        return [_escaped(element) for element in value]
    if isinstance(value, dict):
        return {key: _escaped(element) for key, element in value.items()}
    return value


def export(records: Iterable[Record]) -> Iterator[str]:
    yield "---\nreferences:\n"
    for record in records:
        item = record_to_csl(record)
        # The item type is a CSL term (letters, - and _ inside a word), which Markdown leaves alone.
        yield yaml_text.dump([{key: value if key == "type" else _escaped(value) for key, value in item.items()}])
    yield "...\n"


_MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def unescape_markdown(text: str) -> str:
    """Text with Markdown's backslash escapes of ASCII punctuation undone, as pandoc reads them."""
    return _MARKDOWN_ESCAPE.sub(r"\1", text) if "\\" in text else text


def _unescaped(value: Any) -> Any:
    if isinstance(value, str):
        return unescape_markdown(value)
    if isinstance(value, list):
        return [_unescaped(element) for element in value]
    if isinstance(value, dict):
        return {key: _unescaped(element) for key, element in value.items()}
    return value


def read(text: str, source: str) -> Iterator[tuple[Any, ...]]:
    """Each CSL item of each document, as record data with the line it starts on."""
    import yaml

    from lutnick_cli import yaml_nodes

    loader = yaml_nodes.RecordLoader(text)
    count = 0
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                continue
            positions = yaml_nodes.Positions()
            document = yaml_nodes.NodeBuilder(loader, source, positions).build(node, ())
            path: tuple[Any, ...] = ()
            if isinstance(document, dict) and "references" in document:
                document, path = document["references"], ("references",)
            if not isinstance(document, list):
                line, column = positions.locate(path)
                raise InvalidRecord(
                    [Problem(source, "", "expected a list of CSL items, or a `references` list", line, column)]
                )
            for index, item in enumerate(document):
                line, _ = positions.locate(path + (index,))
                count += 1
                if not isinstance(item, dict):
                    problem = Problem(source, "", f"a CSL item must be a mapping, not {type(item).__name__}", line)
                    yield InvalidRecord([problem]), line or 1
                    continue
                found: list[tuple[str, str]] = []
                data = record_data_from_csl(_unescaped(item), found)
                yield data, line or 1, reading_warnings(found, source, line or 1, item)
    except yaml.YAMLError as error:
        raise yaml_nodes.syntax_problem(error, source) from None
    finally:
        loader.dispose()
    if count == 0:
        raise InvalidRecord([Problem(source, "", "no records in the file: the list of CSL items is empty", 1)])
