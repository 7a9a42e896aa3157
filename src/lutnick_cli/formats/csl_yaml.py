"""CSL YAML: the CSL items as a YAML document with a `references` list, as pandoc reads a bibliography.

The items are the CSL-JSON export's (`lutnick_cli.csl.record_to_csl`), so both
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
from typing import Any, Iterable, Iterator

from lutnick_cli.csl import record_to_csl
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
