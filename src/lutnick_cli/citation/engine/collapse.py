"""Cite grouping and collapsing (CSL 1.0.2, "Citation-specific options": cite grouping, `collapse`).

citeproc-py's `model.Layout.render_citation` renders each cite and joins
them with the layout delimiter; it never reads `collapse`,
`cite-group-delimiter`, `year-suffix-delimiter` or `after-collapse-delimiter`.
It has no per-cite seam, so it is replaced by `render_citation()`, which

- renders each cite with its prefix and suffix, in the order given unless the
  citation has a cs:sort (citeproc-py always reordered cites into bibliography
  order),
- groups cites by the same names when the style collapses or sets a
  `cite-group-delimiter` (under a cs:sort the first cite of an author keeps
  its place and later ones move up to it; without one, as in citeproc-js,
  only neighbouring cites group),
- `collapse="year"`: later cites in a group drop the names
  (`Smith 1900, 2000`); `"year-suffix"`: cites of the same year print only
  the suffix (`2000a, b`); `"year-suffix-ranged"`: three or more
  consecutive suffixes become a range (`2000a–e`);
- `collapse="citation-number"`: three or more consecutive numbers become a
  range (`[1]–[3]`); two stay separate;
- joins within a group with `cite-group-delimiter` (default ", ", or in a
  note style the layout delimiter, as citeproc-js does), suffixes
  with `year-suffix-delimiter` (default: the layout delimiter), and after a
  collapsed group with `after-collapse-delimiter` (default: the layout's);
  a style that gives `after-collapse-delimiter` has it, as in citeproc-js,
  after a cite with a locator and (unless it collapses only year suffixes)
  between cites that are not collapsed, and the layout delimiter between
  the cites of a group.

Tests: tests/test_engine_collapse.py.
"""

from __future__ import annotations

from citeproc.string import String

from lutnick_cli.citation.engine.context import context_of, render_layout
from lutnick_cli.citation.engine.disambiguation import state_of
from lutnick_cli.citation.engine.performance import join
from lutnick_cli.citation.engine.richtext import strip_marks

NO_PRINTED_FORM = "[CSL STYLE ERROR: reference with no printed form.]"


class _Cite:
    """One cite of a citation as collapsing reads it: its item, its text, and the text of its names.

    A plain class: a dataclass's methods are compiled when it is defined, on every start of every
    command that imports the engine."""

    __slots__ = ("item", "text", "names", "rest", "number", "plain", "suffix")

    def __init__(self, item: object, text: object, names: str = "") -> None:
        self.item = item
        self.text = text
        self.names = names
        self.rest: object = None  # the text without the names, where a cite may join the one before
        self.number: int | None = None
        self.plain = True  # no prefix, suffix or locator
        self.suffix: str | None = None  # the year suffix disambiguation gave it


def _render_cite(layout, item):  # type: ignore[no-untyped-def]
    """A cite's full text, and the text of its first cs:names (captured while rendering); the first
    element that printed is kept in the render context.

    A cite that renders just as the item's first cite rendered for disambiguation (`State.first_cite`)
    is that render, not rendered again: see `_as_first_cite`."""
    context = context_of(item)
    state = state_of(item)
    if state is not None and state.first_cite and _as_first_cite(layout, item):
        text, names, context.first_leaf = state.first_cite
        return text, names
    context.capture = {"mode": "capture"}
    try:
        text = render_layout(layout, item)
    finally:
        captured, context.capture = context.capture, {}
    context.first_leaf = captured.get("first_leaf")
    return text, captured.get("names")


def _as_first_cite(layout, item) -> bool:  # type: ignore[no-untyped-def]
    """Whether a cite renders just as its item's first cite does when disambiguation renders it alone
    (`disambiguation.first_cite`), with the same disambiguation decisions: the item was not cited
    before (so every position test answers as for a first cite), the cite is in no note, and it has
    nothing but a prefix and a suffix (added around the cite's text); nothing else a cite renders
    from differs."""
    from lutnick_cli.citation.engine.positions import _note, cited_before

    # citeproc-py's cited item keeps its key and citation among its options
    if any(option not in ("key", "citation", "prefix", "suffix") for option in item) or _note(item) is not None:
        return False
    return not cited_before(layout.getparent().cites, item.key)


def _render_without_names(layout, item):  # type: ignore[no-untyped-def]
    context = context_of(item)
    context.capture = {"mode": "suppress"}
    try:
        return render_layout(layout, item)
    finally:
        context.capture = {}


def render_citation(self, citation, callback):  # type: ignore[no-untyped-def]
    """`CollapsedCitation.render_citation`; see the module docstring."""
    citation_element = self.getparent()
    bibliography = citation.bibliography
    good = [cite for cite in citation.cites if not cite.is_bad()]
    bad = [cite for cite in citation.cites if cite.is_bad()]
    # Without a cs:sort the cites keep the order they were given in (citeproc-py put them in bibliography order).
    if citation_element.sort is not None:
        good.sort(key=lambda item: bibliography.keys.index(item.key))
        good = citation_element.sort.sort(good, self)
    collapse = citation_element.get("collapse")
    group_delimiter = citation_element.get("cite-group-delimiter")
    grouping = collapse in ("year", "year-suffix", "year-suffix-ranged") or group_delimiter is not None
    layout_delimiter = self.get("delimiter", "")
    note_style = self.get_root().get("class") == "note"

    cites: list[_Cite] = []
    for item in good:
        text, names = _render_cite(self, item)
        if text is None or str(text) == "":
            text = String(NO_PRINTED_FORM)  # citeproc-js's message: the style prints nothing for this item
        prefix, suffix = item.get("prefix", ""), item.get("suffix", "")
        leaf = context_of(item).first_leaf
        starts_with_term = leaf is not None and leaf.tag.endswith("}text") and "term" in leaf.attrib
        if (not cites or prefix) and note_style and starts_with_term and _starts_sentence(prefix):
            text = _capitalize_leading_term(self, text)
        entry = _Cite(item, prefix + text + suffix if (prefix or suffix) else text, names=strip_marks(str(names or "")))
        entry.plain = not (prefix or suffix or item.has_locator)
        citation_element.cites.append(item)
        if collapse == "citation-number":
            entry.number = item.number
        if grouping and names is not None:
            # the text without the names is read only to join a cite to another: none in a lone cite
            entry.rest = _render_without_names(self, item) if len(good) > 1 else None
            if entry.rest is not None and (prefix or suffix):
                entry.rest = prefix + entry.rest + suffix
        elif grouping and names is None and collapse in ("year-suffix", "year-suffix-ranged"):
            # a style that prints no names: every cite is "by the same names", and suffixes still collapse
            entry.names, entry.rest = "\u0000", entry.text
        state = state_of(item)
        entry.suffix = state.year_suffix if state else None
        cites.append(entry)

    pieces: list[tuple[object, bool]] = []  # (text, collapsed group?)
    after_locator: set[int] = set()  # the pieces whose last cite has a locator
    given_after_collapse = citation_element.get("after-collapse-delimiter") if collapse else None
    if collapse == "citation-number":
        index = 0
        while index < len(cites):
            run = [cites[index]]
            while (
                index + len(run) < len(cites)
                and run[-1].plain
                and cites[index + len(run)].plain
                and cites[index + len(run)].number == run[-1].number + 1
            ):
                run.append(cites[index + len(run)])
            if len(run) >= 3:
                pieces.append((run[0].text + self.unicode_character("EN DASH") + run[-1].text, True))
            else:
                pieces.extend((cite.text, False) for cite in run)
            index += len(run)
    elif grouping:
        groups: list[list[_Cite]] = []
        by_names: dict[str, list[_Cite]] = {}
        # Cites by the same names move up to the first only under a cs:sort (citeproc-js's grouped sort);
        # without one, only neighbours group.
        regroup = citation_element.sort is not None
        for cite in cites:
            if cite.names and cite.names in by_names and (regroup or groups[-1] is by_names[cite.names]):
                by_names[cite.names].append(cite)
            else:
                group = [cite]
                groups.append(group)
                if cite.names:
                    by_names[cite.names] = group
        # Without a cite-group-delimiter citeproc-js joins a group with ", " in in-text styles, and with
        # the layout delimiter in note styles.
        within = group_delimiter if group_delimiter is not None else (layout_delimiter if note_style else ", ")
        for group in groups:
            if group[-1].item.has_locator:
                after_locator.add(len(pieces))
            if len(group) == 1 or collapse is None:
                pieces.append((join([cite.text for cite in group], within), len(group) > 1 and collapse is not None))
                continue
            texts = [group[0].text]
            suffix_delimiter = citation_element.get(
                "year-suffix-delimiter", group_delimiter if group_delimiter is not None else layout_delimiter
            )
            after_run = citation_element.get("after-collapse-delimiter", layout_delimiter)
            previous = group[0]
            run: list[_Cite] = [group[0]]
            for cite in group[1:]:
                if cite.rest is None or not strip_marks(str(cite.rest)).strip():
                    continue  # nothing left once the names go (no date): citeproc-js drops the cite
                same_year = (
                    collapse in ("year-suffix", "year-suffix-ranged")
                    and cite.suffix
                    and previous.suffix
                    and cite.plain
                    and previous.plain
                    and _without_suffix(cite.rest, cite.suffix) == _without_suffix(previous.rest, previous.suffix)
                )
                if same_year:
                    run.append(cite)
                else:
                    _close_run(texts, run, collapse, suffix_delimiter, self)
                    # after a run of collapsed suffixes comes the after-collapse delimiter
                    if len(run) > 1 or given_after_collapse is None:
                        texts.append(String(after_run if len(run) > 1 else within))
                    else:  # citeproc-js: the after-collapse delimiter after a locator, else the layout's
                        texts.append(String(after_run if previous.item.has_locator else layout_delimiter))
                    texts.append(cite.rest if cite.rest is not None else cite.text)
                    run = [cite]
                previous = cite
            _close_run(texts, run, collapse, suffix_delimiter, self)
            output = texts[0]
            for text in texts[1:]:
                output = output + text
            pieces.append((output, True))
    else:
        pieces = [(cite.text, False) for cite in cites]

    for item in bad:
        value = callback(item)
        pieces.append((value or f"{item.key}?", False))
    if not pieces:
        return None
    after_collapse = citation_element.get("after-collapse-delimiter", layout_delimiter)
    output = pieces[0][0]
    for index, ((text, _), (_, previous_collapsed)) in enumerate(zip(pieces[1:], pieces[:-1])):
        delimiter = after_collapse if previous_collapsed else layout_delimiter
        if given_after_collapse is not None and (collapse != "year-suffix" or index in after_locator):
            # citeproc-js: a given after-collapse delimiter also follows a locator, and (unless the
            # style collapses only year suffixes) any cite that is not collapsed
            delimiter = given_after_collapse
        if strip_marks(str(text))[:1] in (",", ".", ";", ":"):
            delimiter = ""  # a cite whose prefix starts with punctuation brings its own delimiter
        elif strip_marks(str(output)).rstrip()[-1:] in (",", ";", ":") and delimiter[:1] in (",", ";", ":"):
            delimiter = delimiter[1:]  # a suffix ending in punctuation takes the delimiter's place
        output = join([output, text], delimiter)
    return self.format(self.wrap(output))


def _starts_sentence(prefix) -> bool:  # type: ignore[no-untyped-def]
    """A cite starts a sentence when it opens the citation, or follows a prefix ending one (of two words or more)."""
    plain = strip_marks(str(prefix or "")).strip()
    return not plain or (plain[-1] in ".!?" and len(plain.split()) > 1)


def _capitalize_leading_term(layout, text):  # type: ignore[no-untyped-def]
    """In a note style, a term that starts a citation (or follows a sentence) is capitalised (`Ibid.`),
    as citeproc-js does."""
    plain = str(text)
    body = strip_marks(plain)
    if not body or not body[0].islower():
        return text
    if not any(
        body.startswith(term) and (len(body) == len(term) or not body[len(term)].isalpha()) for term in _terms(layout)
    ):
        return text
    index = next(i for i, char in enumerate(plain) if char.isalpha())
    return String(plain[:index] + plain[index].upper() + plain[index + 1 :])


def _terms(layout) -> frozenset[str]:  # type: ignore[no-untyped-def]
    """Every term text the style's locales define (computed once per style)."""
    root = layout.get_root()
    cached = root.__dict__.get("_lutnick_term_texts")
    if cached is None:
        texts = set()
        for locale in root.locales:
            for term in locale.iter("{http://purl.org/net/xbiblio/csl}term"):
                for node in [term, *term]:
                    value = (node.text or "").strip()
                    if value and value[0].islower():
                        texts.add(value)
        cached = root.__dict__["_lutnick_term_texts"] = frozenset(texts)
    return cached


def _same(one, other) -> bool:  # type: ignore[no-untyped-def]
    return one is not None and other is not None and strip_marks(str(one)) == strip_marks(str(other))


def _without_suffix(text, suffix) -> str:  # type: ignore[no-untyped-def]
    plain = strip_marks(str(text or ""))
    return plain.replace(suffix, "", 1) if suffix else plain


def _close_run(texts, run, collapse, delimiter, layout) -> None:  # type: ignore[no-untyped-def]
    """Append the suffixes of cites 2.. of a same-year run (the first is already in `texts`)."""
    if len(run) < 2:
        return
    suffixes = [cite.suffix for cite in run]
    if collapse == "year-suffix-ranged":
        letters = [ord(s) if s and len(s) == 1 else None for s in suffixes]
        output = []
        index = 0
        while index < len(run):
            end = index
            while end + 1 < len(run) and (letter := letters[end]) is not None and letters[end + 1] == letter + 1:
                end += 1
            if end - index >= 2:
                output.append((index, end))
            else:
                output.extend((i, i) for i in range(index, end + 1))
            index = end + 1
        for start, end in output:
            if start == 0 and end == 0:
                continue
            if start == 0:
                texts.append(String(layout.unicode_character("EN DASH") + suffixes[end]))
            elif start == end:
                texts.append(String(delimiter + suffixes[start]))
            else:
                texts.append(String(delimiter + suffixes[start] + layout.unicode_character("EN DASH") + suffixes[end]))
        return
    for cite in run[1:]:
        texts.append(String(delimiter + cite.suffix))


class CollapsedCitation:
    """Rule mixin for `cs:layout`: a citation's cites, grouped and collapsed."""

    def render_citation(self, citation, callback):  # type: ignore[no-untyped-def]
        """Replaces `Layout.render_citation`, which has no per-cite seam: see `render_citation`."""
        return render_citation(self, citation, callback)


class SubsequentAuthorSubstitute:
    """Rule mixin for `cs:layout`: `subsequent-author-substitute`."""

    def render_bibliography(self, citation_items):  # type: ignore[no-untyped-def]
        """Wraps `Layout.render_bibliography`: `subsequent-author-substitute`.

        CSL: when an entry's first cs:names renders the same as the previous
        entry's, it is replaced by the option's string ("complete-all", the
        default rule). citeproc-py reads the option and never applies it.
        Each entry is rendered alone, its names captured, and again with
        them replaced where they are the previous entry's.
        """
        render_bibliography = super().render_bibliography
        replacement = self.getparent().get("subsequent-author-substitute")
        if replacement is None:
            return render_bibliography(citation_items)
        output, previous = [], None
        for item in citation_items:
            context = context_of(item)
            context.capture = {"mode": "capture"}
            try:
                texts = render_bibliography([item])
                current = (context.capture.get("name"), context.capture.get("names"))
                if previous is not None and current[0] and previous[0]:
                    same, mode = _same(current[0], previous[0]), "replace-name"
                else:
                    same = previous is not None and bool(current[1]) and _same(current[1], previous[1])
                    mode = "replace"
                if same:
                    context.capture = {"mode": mode, "replacement": replacement}
                    texts = render_bibliography([item])
            finally:
                context.capture = {}
            previous = current
            output.extend(texts)
        return output


def names_captured(capture: dict, mode: str, text):  # type: ignore[no-untyped-def]
    """A cite's (or an entry's) first names, `text`, kept in `capture`; what prints in their place:
    nothing where the cite goes without them, the replacement where they are substituted."""
    capture["names"] = text if text is not None else ""
    if mode == "suppress" and text is not None:
        return None
    if mode == "replace" and text is not None:
        return String(str(capture["replacement"]))
    return text


def name_captured(capture: dict, mode: str, text):  # type: ignore[no-untyped-def]
    """An entry's first names without their label, `text`, kept in `capture`; the replacement printed in
    their place where they are substituted."""
    if text is None or isinstance(text, int):
        return text
    capture["name"] = text
    if mode == "replace-name":
        return String(str(capture["replacement"]))
    return text


class NamesCapture:
    """Rule mixin for `cs:names`."""

    def render(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        """Wraps `Names.render`: collapsing needs a cite's first names, and the cite without them;
        subsequent-author-substitute replaces them."""
        capture = context_of(args[0]).capture
        mode = capture.get("mode")
        if mode is None or "names" in capture or kwargs.get("names_context") is not None:
            return super().render(*args, **kwargs)
        return names_captured(capture, mode, super().render(*args, **kwargs))


class NameCapture:
    """Rule mixin for `cs:name`."""

    def render(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        """Wraps `Name.render`: the names of an entry's first cs:names, without their label, for
        subsequent-author-substitute (citeproc-js compares and replaces the names, keeping the label)."""
        capture = context_of(args[0]).capture
        mode = capture.get("mode")
        if mode not in ("capture", "replace-name") or "names" in capture or "name" in capture:
            return super().render(*args, **kwargs)
        return name_captured(capture, mode, super().render(*args, **kwargs))


class FirstPrinted:
    """Rule mixin for the elements that print on their own (text, date, number, name, label)."""

    def render(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        """Wraps `render`: while a cite is captured, notes the first element that printed anything, so
        that a note's leading term can be capitalised (`render_citation`). Elements finish innermost
        first, so that is the first leaf printed. A group or a cs:names prints only what such an
        element inside it printed first, so neither carries the rule, which costs a call for every
        element rendered; and only a note style's elements do (`elements.NOTE_RULES`)."""
        text = super().render(*args, **kwargs)
        if text is not None and args:
            note_first_printed(self, args[0], text)
        return text


def note_first_printed(element, item, text) -> None:  # type: ignore[no-untyped-def]
    """`FirstPrinted`'s rule, for the element that printed `text` (not None) for `item`: while a cite is
    captured, the first element that printed anything is noted."""
    capture = item.bibliography.context.capture  # context_of, inline: this runs for every element printed
    if capture and "first_leaf" not in capture and str(text) != "":
        capture["first_leaf"] = element
