"""The embedded record's YAML, and the form built from it that ships beside it (`data/article.json`).

The form holds the YAML it was made from, the plain data the YAML builds
into, its line, and its CSL-JSON item; `load.embedded_record_json` makes it.
It is used only while it was made from the very YAML shipped beside it: then
a command given no RECORD reads the record without PyYAML, and `lutnick cite`
cites it without the record model. This module imports neither.
"""

# No `from __future__ import annotations` here, unlike elsewhere: typing.NamedTuple compiles each field's
# annotation given as a string (a ForwardRef each), on every cold `lutnick cite`.

from typing import Any, NamedTuple

from lutnick_cli import EMBEDDED_JSON_PATH, EMBEDDED_RECORD_PATH

# Where the embedded record is said to come from, in messages.
EMBEDDED = "embedded record"


def embedded_record_text() -> bytes:
    # Read beside this module when installed as files (always, in practice):
    # importlib.resources costs a cold `lutnick get doi` some 10 ms of imports.
    try:
        with open(EMBEDDED_RECORD_PATH, "rb") as handle:
            return handle.read()
    except OSError:
        from importlib import resources

        return resources.files("lutnick_cli").joinpath("data/article.yaml").read_bytes()


def shipped_form(text: bytes) -> dict[str, Any] | None:
    """The shipped form of the embedded record, if it was made from `text` (the YAML); else None."""
    import json

    try:
        with open(EMBEDDED_JSON_PATH, "rb") as handle:
            form = json.loads(handle.read())
        if not isinstance(form, dict) or form.get("yaml") != text.decode("utf-8"):
            return None
    except (OSError, ValueError):
        return None
    return form


class EmbeddedItem(NamedTuple):
    """The embedded record as its shipped CSL-JSON item (as `citation.render.engine_item` makes it), and the
    line of the YAML the record begins at (for warnings)."""

    item: dict[str, Any]
    line: int | None
    source: str = EMBEDDED

    @property
    def id(self) -> str:
        return str(self.item["id"])


def shipped_item() -> EmbeddedItem | None:
    """The embedded record's shipped CSL-JSON item, if the shipped form was made from the YAML beside it."""
    form = shipped_form(embedded_record_text())
    if form is None or not isinstance(form.get("csl"), dict) or "id" not in form["csl"]:
        return None
    return EmbeddedItem(form["csl"], form.get("line"))
