"""Variables: empty values, substitution, items that print nothing (CSL 1.0.2, "Substitute", "Group").

- An empty string is no value. citeproc-py's `CiteProcJSON` keeps `"page": ""`
  as a present variable, so `cs:if variable="page"` passed and a group
  printed its label and punctuation around nothing (`p. .`). Empty strings
  and empty name lists are dropped when the data is read.
- CSL: "Substituted variables are suppressed in the rest of the output to
  prevent duplication." citeproc-py's `Substitute.add_to_repressed_list`
  records only the substituting element's own `variable` attribute, so a
  title substituted through a macro (`<text macro="title"/>`, as APA and
  Chicago do) printed twice. Here every variable the substituting element
  renders, through macros, groups and conditions, is suppressed for the rest
  of the entry, for text, dates, numbers and names alike.
- Variables written into `note` as `name: value` lines (Zotero's
  convention, read by citeproc-js) are read when the item lacks them;
  names as `family || given`, or alone as a literal name.
- Name variables added in CSL 1.0.2 (`reviewed-author`, `director`,
  `compiler`, `curator`, …) are read as names; citeproc-py knew only
  eleven, and read the others as plain text.
- A cite that renders nothing prints citeproc-js's
  `[CSL STYLE ERROR: reference with no printed form.]` instead of vanishing.

Tests: tests/test_engine_variables.py.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from citeproc import model
from citeproc.source import VariableError
from citeproc.string import String

from lutnick_cli.citation.engine.cache import style_cache
from lutnick_cli.citation.engine.context import context_of
from lutnick_cli.citation.engine.lazy import cached_property
from lutnick_cli.citation.engine.performance import branch_passes, branches_for_type, conditions_pass, join, render_of
from lutnick_cli.citation.engine.richtext import RawValue

_KEY = "lutnick:substituted"
# How a macro counts a child's output (`MacroAsGroup.children_plan`): by whether it prints, or by the
# branch it took.
_PRINTING = "printing"
_BRANCH = "branch"
_NUMBER_FIELDS = (
    "edition",
    "volume",
    "issue",
    "number",
    "chapter-number",
    "collection-number",
    "number-of-pages",
    "number-of-volumes",
)


def _note_printed(item, variable, text) -> None:  # type: ignore[no-untyped-def]
    """Note a variable printed while a cs:substitute renders (for what it then suppresses)."""
    if not variable or text is None:
        return
    printed = context_of(item).printed_in_substitute
    if printed and str(text) != "":
        printed[-1].add(variable)


_NAME_VARIABLES = (
    "chair",
    "compiler",
    "contributor",
    "curator",
    "director",
    "editor_translator",
    "executive_producer",
    "guest",
    "host",
    "narrator",
    "organizer",
    "performer",
    "producer",
    "reviewed_author",
    "script_writer",
    "series_creator",
)


def _layout(element, context, item):  # type: ignore[no-untyped-def]
    """The layout an element renders in: its own (or its context's), else the one rendering (a macro's)."""
    for candidate in (context, element):
        if candidate is None:
            continue
        try:
            return candidate.get_layout()
        except (IndexError, AttributeError):
            continue
    return context_of(item).layout


@cache
def _note_field() -> re.Pattern[str]:
    """A variable written into `note` (`name: value` or `{:name: value}`), compiled when first used."""
    return re.compile(r"^\s*([a-z][a-z-]+):\s*(.+?)\s*$|\{:([a-z][a-z-]+):\s*([^}]+)\}", re.MULTILINE)


_NOTE_DATES = {"issued", "accessed", "event-date", "original-date", "submitted", "available-date"}
_NOTE_TEXT = {
    "collection-title",
    "collection-title-short",
    "container-title",
    "container-title-short",
    "title-short",
    "original-title",
    "original-publisher",
    "original-publisher-place",
    "publisher",
    "publisher-place",
    "event-place",
    "event-title",
    "genre",
    "medium",
    "status",
    "section",
    "version",
    "volume",
    "issue",
    "number",
    "edition",
    "chapter-number",
    "collection-number",
    "number-of-pages",
    "number-of-volumes",
    "archive",
    "archive-place",
    "archive_location",
    "authority",
    "call-number",
    "jurisdiction",
    "DOI",
    "ISBN",
    "ISSN",
    "PMID",
    "PMCID",
    "URL",
    "references",
    "dimensions",
    "scale",
    "source",
    "reviewed-title",
    "reviewed-genre",
    "part-title",
    "part-number",
    "volume-title",
    "volume-title-short",
    "printing-number",
    "supplement-number",
    "division",
    "archive_collection",
}


@cache
def _note_name_parts() -> re.Pattern[str]:
    """The `||` between the parts of a name in `note`, compiled when first used."""
    return re.compile(r"\s*\|\|\s*")


def _read_note_fields(item: dict) -> None:
    """Variables written into `note` as `name: value` lines or `{:name: value}` (Zotero's convention,
    which citeproc-js reads); a variable the item already has is kept. A name is `family || given`
    or, alone, a literal name; each line of a name variable adds a name."""
    import citeproc

    note = item.get("note")
    if not isinstance(note, str) or ":" not in note:
        return
    names: dict[str, list] = {}
    for match in _note_field().finditer(note):
        name = match.group(1) or match.group(3)
        value = match.group(2) or match.group(4)
        if name in item or not value:
            continue
        if name.replace("-", "_") in citeproc.NAMES:
            parts = _note_name_parts().split(value)
            if len(parts) <= 2:  # citeproc-js reads no name of three parts
                person = {"family": parts[0], "given": parts[1]} if len(parts) == 2 else {"literal": parts[0]}
                names.setdefault(name, []).append(person)
        elif name in _NOTE_DATES:
            item[name] = {"raw": value}
        elif name in _NOTE_TEXT:
            item[name] = value
    item.update(names)


@cache
def _written_particles() -> re.Pattern[str]:
    """The particles written at the start of a family name, compiled when first used."""
    return re.compile(r"^(?:[a-z\u00e0-\u00ff'’]+\s+)+")


def without_written_particles(family: str) -> str:
    """A family name without the particles written at its start ("von Dipheria" → "Dipheria"): only a name
    that opens with a lower-case letter of Latin-1 or an apostrophe has any, so most are answered without
    the pattern.
    Test: tests/test_engine_variables.py::test_written_particles_are_dropped_as_the_pattern_drops_them."""
    first = family[:1]
    if not ("a" <= first <= "z" or "\u00e0" <= first <= "\u00ff" or first in "'’"):
        return family
    return _written_particles().sub("", family)


def citation_label(item: dict) -> str | None:
    """The generated `citation-label` (citeproc-js's default trigraph): `Lutn19`, `PaKi98`, `PaLK05`, `ALRO26`.

    Four letters of the first family name, two of each of two, two and one and
    one of three, the initials of the first four; then the year's last two digits.
    """
    people: list[Any] = next(
        (item[role] for role in ("author", "editor", "translator") if isinstance(item.get(role), list)), []
    )
    families = [
        str(person.get("family") or person.get("literal") or "") for person in people if isinstance(person, dict)
    ]
    # particles written into the family name do not count ("von Dipheria" → D)
    families = [without_written_particles(family) for family in families if family]
    issued = item.get("issued")
    year = ""
    if isinstance(issued, dict) and issued.get("date-parts") and issued["date-parts"][0]:
        year = str(issued["date-parts"][0][0]).strip()[-2:]
    if not families:
        return None
    if len(families) == 1:
        letters = families[0][:4]
    elif len(families) == 2:
        letters = families[0][:2] + families[1][:2]
    elif len(families) == 3:
        letters = families[0][:2] + families[1][:1] + families[2][:1]
    else:
        letters = "".join(family[:1] for family in families[:4])
    return letters + year


def variables_of(element) -> frozenset[str]:  # type: ignore[no-untyped-def]
    """Every variable an element can render, through macros (computed once per element per style)."""
    memory = style_cache(element)
    cache = memory.setdefault("variables_of", {})
    key = element.getroottree().getpath(element)
    if key in cache:
        return cache[key]
    # What each macro holds is read once per style, not once for every element that reaches it.
    macros_read = memory.setdefault("variables_of_macros", {})
    variables, calls = _variables_in(element)
    found = set(variables)
    seen_macros = set(calls)
    pending = list(calls)
    while pending:
        name = pending.pop()
        if name not in macros_read:
            try:
                macros_read[name] = _variables_in(element.get_macro(name))
            except IndexError:
                macros_read[name] = ((), ())
        variables, calls = macros_read[name]
        found.update(variables)
        for call in calls:
            if call not in seen_macros:
                seen_macros.add(call)
                pending.append(call)
    cache[key] = frozenset(found)
    return cache[key]


# The elements that render a variable of their own, by name in any namespace (or none), as lxml
# matches them: only these are looked at, not every element of every macro reached (finding what
# the children of APA's cs:substitute can print took a first APA entry 6.1M instructions, now 4.6M).
_PRINTING_VARIABLES = ("{*}text", "{*}names", "{*}date", "{*}number", "{*}label")


def _variables_in(node) -> tuple[tuple[str, ...], tuple[str, ...]]:  # type: ignore[no-untyped-def]
    """The variables `node` and its descendants render themselves, and the macros they call."""
    variables: list[str] = []
    calls: list[str] = []
    for sub in node.iter(*_PRINTING_VARIABLES):
        variable = sub.get("variable")
        if variable and sub.getparent().tag.rsplit("}", 1)[-1] != "key":
            variables.extend(variable.split())
        if sub.tag.rsplit("}", 1)[-1] == "text":
            macro = sub.get("macro")
            if macro:
                calls.append(macro)
    return tuple(variables), tuple(calls)


def _suppressed(element, context, item) -> set[str]:  # type: ignore[no-untyped-def]
    layout = _layout(element, context, item)
    if layout is None:
        return set()
    return layout.repressed.get(_KEY, set())


class CleanedValues:
    """Rule mixin for the source (`CiteProcJSON`): values read as the engine reads them."""

    def __init__(self, json_data, citation_labels: bool = True):  # type: ignore[no-untyped-def]
        """Replaces `CiteProcJSON.__init__`: empty strings and empty lists are no value; note fields,
        abbreviations under the names the engine reads, number variables, the citation label (unless
        `citation_labels` is false: a style that names no `citation-label` cannot read it); then each
        item read as citeproc-py's loop reads it (`_read_references`)."""
        _extend_name_variables()
        cleaned = []
        for item in json_data:
            item = {key: value for key, value in item.items() if value not in ("", [], None) or key in ("id", "type")}
            # CSL-JSON's abbreviation fields, under the names the engine reads
            if "journalAbbreviation" in item and "container-title-short" not in item:
                item["container-title-short"] = item.pop("journalAbbreviation")
            if "shortTitle" in item and "title-short" not in item:
                item["title-short"] = item.pop("shortTitle")
            _read_note_fields(item)
            for name in _NUMBER_FIELDS:  # number variables are not rich text (citeproc-js escapes their markup)
                if isinstance(item.get(name), str):
                    item[name] = RawValue(item[name])
            if citation_labels and "citation-label" not in item:
                label = citation_label(item)
                if label:
                    item["citation-label"] = label
            cleaned.append(item)
        _read_references(self, cleaned)


def _read_references(source, json_data) -> None:  # type: ignore[no-untyped-def]
    """`CiteProcJSON.__init__`'s loop, the same references: each item's fields read by the source's
    `parse_names`, `parse_date` and `parse_string`, then added as a `Reference`. A reference whose fields
    are all ones `Reference.__init__` accepts without a warning (nearly every one) is built directly: its
    check builds a set of every CSL variable for each reference, which cost more than its fields."""
    import citeproc
    from citeproc.source import Reference

    accepted = frozenset(("uri", "container_uri", "contributor", "date", *citeproc.VARIABLES))
    names, dates = citeproc.NAMES, citeproc.DATES
    for ref in json_data:
        ref_data = {}
        for key, value in ref.items():
            python_key = key.replace("-", "_")
            if python_key == "id":
                ref_key = str(value).lower()
                continue
            elif python_key == "type":
                ref_type = value
                continue
            elif python_key == "key":  # conflicts with the reference's key: left out, as citeproc-py does
                continue
            if python_key == "shortTitle":
                python_key = "title_short"
            if python_key in names:
                value = source.parse_names(value)
            elif python_key in dates:
                value = source.parse_date(value)
            elif key != "language":
                value = source.parse_string(value)
            ref_data[python_key] = value
        if accepted.issuperset(ref_data):
            reference = Reference.__new__(Reference)
            dict.update(reference, key=ref_key, type=ref_type)  # what `Reference.__init__` sets first
            dict.update(reference, ref_data)
        else:
            reference = Reference(ref_key, ref_type, **ref_data)  # which warns of the fields it does not know
        source.add(reference)


def _extend_name_variables() -> None:
    """CSL 1.0.2 name variables citeproc-py 0.11.1 does not know; unknown, they were read as plain strings.

    citeproc-py decides what is a name from its module list `citeproc.NAMES`
    (in `CiteProcJSON.__init__` and `Key.sort_keys`), with no seam in a class,
    so the list itself is extended, once: the only change the engine makes to
    citeproc-py outside its own classes (plain citeproc-py then reads these
    variables as names too, as the specification says they are).
    """
    import citeproc

    for variable in _NAME_VARIABLES:
        if variable not in citeproc.NAMES:
            citeproc.NAMES.append(variable)


class SpentSubstitution:
    """Rule mixin for `cs:substitute` (CSL 1.0.2, "Substitute")."""

    def render(self, item, context=None, **kwargs):  # type: ignore[no-untyped-def]
        """Replaces `Substitute.render` (citeproc-py's loop: the first child that prints is the
        substitution), suppressing every variable that child printed for the rest of the entry, not
        only its own `variable` attribute; notes that substitution is under way; and a first
        `cs:text term` that the locale defines as empty is the substitution (citeproc-js prints
        nothing then)."""
        empty_first_term, children = self.substitute_plan
        if empty_first_term:
            return None
        state = context_of(item)
        state.substituting.append(self)
        state.printed_in_substitute.append(set())
        text = None
        try:
            renders = self.child_renders
            for index, (child, names_context) in enumerate(children):
                render = renders.get(index)
                if render is None:
                    render = renders[index] = render_of(child)
                try:
                    if names_context is not None:
                        text = render(item, names_context=names_context[0], context=context, **kwargs)
                    else:
                        text = render(item, context=context, **kwargs)
                except VariableError:
                    continue
                if text:
                    _repress(self, child, _printable(self, index, child), context, item)
                    break
            return text
        finally:
            state.substituting.pop()
            printed = state.printed_in_substitute.pop()
            if state.printed_in_substitute:  # a substitute within a substitute: its variables count for the outer one
                state.printed_in_substitute[-1].update(printed)

    @cached_property
    def substitute_plan(self) -> tuple[bool, tuple]:
        """(whether the first child is a `cs:text term` the locale defines as empty, and for each child:
        the child; for a cs:names without a cs:name, the cs:names the substitute is in (as a list, empty
        if none), else None). The style's and its locale's alone: read once."""
        children = self.getchildren()  # type: ignore[attr-defined]
        empty_first_term = False
        if children and isinstance(children[0], model.Text) and "term" in children[0].attrib:
            term = children[0].get_term(children[0].get("term"), children[0].get("form"))
            empty_first_term = term is not None and not (term.text or "").strip() and not len(term)
        plan = []
        for child in children:
            names_context = None
            if isinstance(child, model.Names) and child.name is None:
                names_context = self.xpath_search("./parent::cs:names[1]")  # type: ignore[attr-defined]
            plan.append((child, names_context))
        return empty_first_term, tuple(plan)

    @cached_property
    def child_renders(self) -> dict:
        """Each child's render (`performance.render_of`: its fused render where it has one, which prints
        nothing where its `render` raises VariableError, as the substitute's loop reads both alike), by
        its place: found when the loop first reaches the child, as most children are never reached."""
        return {}

    @cached_property
    def printable_variables(self) -> dict[int, frozenset[str]]:
        """The variables each child can print (`variables_of`), by its place, as far as worked out."""
        return {}


def _printable(substitute, index: int, child) -> frozenset[str]:  # type: ignore[no-untyped-def]
    """The variables the child at `index` of a cs:substitute can print: worked out the first time that
    child is the substitution, as most children never are (reading them all, through every macro each
    reaches, cost a first APA entry 3.9M instructions more, where one child printed)."""
    known = substitute.printable_variables
    found = known.get(index)
    if found is None:
        found = known[index] = variables_of(child)
    return found


def _repress(substitute, child, variables, context, item) -> None:  # type: ignore[no-untyped-def]
    """Suppress every variable the substituting child printed (citeproc-py's `add_to_repressed_list`
    recorded only its own `variable` attribute).

    Only those it printed, as citeproc-js does: APA substitutes the title
    through a macro that could also print the publisher (in a thesis's
    description), and a manuscript lost its publisher for it.
    """
    layout = _layout(substitute, context, item)
    if layout is None:
        return
    printed = context_of(item).printed_in_substitute
    layout.repressed.setdefault(_KEY, set()).update(variables & (printed[-1] if printed else set()))
    tag_list = layout.repressed.get(child.tag, [])
    tag_list.append(child.get("variable"))
    layout.repressed[child.tag] = tag_list


class NearNoteDistance:
    """Rule mixin for `cs:style`."""

    def get_option(self, name):  # type: ignore[no-untyped-def]
        """Wraps `Style.get_option`: `near-note-distance` is a cs:citation option (citeproc-py raised KeyError)."""
        if name == "near-note-distance":
            citation = self.citation
            return int(citation.get(name, 5)) if citation is not None else 5
        return super().get_option(name)


class LabelWithVariable:
    """Rule mixin for `cs:label`."""

    def process(self, item, variable=None, plural=None, context=None, **kwargs):  # type: ignore[no-untyped-def]
        """Wraps `Label.process`: CSL says a cs:label prints only when its variable has a value.

        citeproc-py printed the term regardless (`p. .` for an item without pages).
        """
        if variable is None:
            name = self.attributes.get("variable", "")
            if name == "locator":
                if not item.has_locator:
                    return None
            elif name and name.replace("-", "_") not in item.reference:
                return None
        return super().process(item, variable=variable, plural=plural, context=context, **kwargs)


class TextUnlessSubstituted:
    """Rule mixin for `cs:text`."""

    def _variable(self, item, context):  # type: ignore[no-untyped-def]
        """Wraps `Text._variable`: nothing for a variable substituted earlier in the entry; notes what printed."""
        variable = self.attributes.get("variable")
        if variable in _suppressed(self, context, item):
            return None
        text = super()._variable(item, context)
        _note_printed(item, variable, text)
        return text


class DateUnlessSubstituted:
    """Rule mixin for `cs:date`."""

    def process(self, item, variable=None, show_parts=None, context=None, **kwargs):  # type: ignore[no-untyped-def]
        """Wraps `Date.process`: nothing for a date substituted earlier in the entry; notes what printed."""
        name = variable or self.attributes.get("variable")
        if not self.is_locale_date() and name in _suppressed(self, context, item):
            return None
        text = super().process(item, variable=variable, show_parts=show_parts, context=context, **kwargs)
        _note_printed(item, name, text)
        return text


class NumberUnlessSubstituted:
    """Rule mixin for `cs:number`."""

    def process(self, item, context=None, **kwargs):  # type: ignore[no-untyped-def]
        """Wraps `Number.process`: nothing for a number substituted earlier in the entry; notes what printed."""
        variable = self.attributes.get("variable")
        if variable in _suppressed(self, context, item):
            return None
        text = super().process(item, context=context, **kwargs)
        _note_printed(item, variable, text)
        return text


class NamesUnlessSubstituted:
    """Rule mixin for `cs:name`."""

    def process(self, item, variable, context=None, sort_options=None, **kwargs):  # type: ignore[no-untyped-def]
        """Wraps `Name.process`: nothing for names substituted earlier in the entry; names printed while
        substituting are spent at once, even within the substitute."""
        if sort_options is None and variable in _suppressed(self, context, item):
            return None
        text = super().process(item, variable, context=context, sort_options=sort_options, **kwargs)
        if sort_options is None:
            _note_printed(item, str(variable).replace("_", "-"), text)
        if sort_options is None and text and context_of(item).substituting:
            layout = _layout(self, context, item)
            if layout is not None:
                layout.repressed.setdefault(_KEY, set()).add(variable)
        return text


class MacroAsGroup:
    """Rule mixin for `cs:macro`."""

    def render(self, item, context=None, sort_options=None):  # type: ignore[no-untyped-def]
        """Replaces `Macro.render`: a macro called from cs:text is suppressed like a cs:group when it calls
        variables and none prints.

        citeproc-js treats a macro as an implicit group, so `<text term="in"/>`
        before an empty container title prints nothing; citeproc-py's
        `Macro.render` printed the lone term ('Title, in').
        """
        return macro_render(self, item, context=context, sort_options=sort_options)

    @cached_property
    def children_plan(self) -> tuple:
        """For each child: the child, its render (`performance.render_of`: its fused render where it has
        one), how its output counts (`_PRINTING`: by whether it prints, a group or a called macro;
        `_BRANCH`: by the branch it took, a cs:choose; None: by whether it calls a variable), and whether
        it calls one. The style's alone: read once per macro."""
        plan: list[tuple[Any, Any, str | None, bool]] = []
        for child in self.iterchildren():  # type: ignore[attr-defined]
            if isinstance(child, model.Group) or (isinstance(child, model.Text) and "macro" in child.attrib):
                plan.append((child, render_of(child), _PRINTING, False))
            elif isinstance(child, model.Choose):
                plan.append((child, render_of(child), _BRANCH, False))
            else:
                plan.append((child, render_of(child), None, child.calls_variable()))
        return tuple(plan)


class BranchTaken:
    """Rule mixin for `cs:choose`."""

    def render(self, item, context=None, delimiter="", **kwargs):  # type: ignore[no-untyped-def]
        """Replaces `Choose.render`: citeproc-py's, remembering which branch it took (for the group and macro rules)."""
        return choose_render(self, item, context=context, delimiter=delimiter, **kwargs)

    @cached_property
    def branches_by_type(self) -> dict[str, tuple]:
        """For each record type met so far: the branches a record of the type may take (see
        `performance.branches_for_type`), worked out from the style once per type."""
        return {}


class GroupByBranchTaken:
    """Rule mixin for `cs:group`."""

    def process(self, item, context=None, **kwargs):  # type: ignore[no-untyped-def]
        """Replaces `Group.process`: a `cs:choose` child counts by the branch it took (see `group_process`)."""
        return group_process(self, item, context=context, **kwargs)

    @cached_property
    def group_plan(self) -> tuple:
        """(the group's delimiter, and for each child: the child, its render (`performance.render_of`: its
        fused render where it has one), whether it is a cs:choose, whether it calls a variable). The
        style's alone: read once per group."""
        children = tuple(
            (child, render_of(child), isinstance(child, model.Choose), child.calls_variable())
            for child in self.iterchildren()  # type: ignore[attr-defined]
        )
        return self.get("delimiter", ""), children  # type: ignore[attr-defined]


def macro_render(self, item, context=None, sort_options=None):  # type: ignore[no-untyped-def]
    """`MacroAsGroup.render`: a macro judged as a group, its children by what they print or call."""
    taken_by = item.bibliography.context.taken  # context_of(item), in line: this runs for every macro
    called = rendered = False
    output = []
    for child, render, judged_by, calls in self.children_plan:
        try:
            text = render(item, context=context, sort_options=sort_options)
        except VariableError:
            text = None
        # (a string is empty as it is; a MixedString only once its segments are joined)
        printed = text is not None and (text != "" if isinstance(text, str) else str(text) != "")
        # a group or a nested macro is judged by its output (each is suppressed on its own);
        # a cs:choose by the branch it took
        if judged_by is _PRINTING:
            calls = printed
        elif judged_by is _BRANCH:
            taken = taken_by.get(child)
            calls = taken is not None and taken.calls_a_variable  # its `calls_variable()`
        called = called or calls
        if printed:
            output.append(text)
            rendered = rendered or calls
    if not output or (called and not rendered):
        return None
    return output[0] if len(output) == 1 else join(output, "")  # `join` gives a lone text back as it is


def choose_render(self, item, context=None, delimiter="", **kwargs):  # type: ignore[no-untyped-def]
    """`Choose.render` as citeproc-py's, remembering which branch it took (for the macro rule above)."""
    taken_by = item.bibliography.context.taken  # context_of(item), in line: this runs for every choose
    kind = item.reference.get("type")  # every Reference has its type: CustomDict.__getitem__ would only wrap this
    branches = self.branches_by_type.get(kind)
    if branches is None:
        branches = self.branches_by_type[kind] = branches_for_type(self.getchildren(), kind)
    for child, known in branches:
        passes = known if known is not None else branch_passes(child, item)
        if passes is None:  # a cs:if or cs:else-if with another test: judged by its plan where it has one
            passes = conditions_pass(child, item, context)
        if passes is False:
            continue
        try:
            if passes:
                text = child.render_children(item, context=context, delimiter=delimiter, **kwargs)
            else:
                text = child.render(item, context=context, delimiter=delimiter, **kwargs)
        except model.ConditionFailed:
            continue
        taken_by[self] = child
        return text
    taken_by[self] = None
    return None


def group_process(self, item, context=None, **kwargs):  # type: ignore[no-untyped-def]
    """`Group.process`: `group_text`, raising VariableError where the group is suppressed, as citeproc-py's."""
    text = group_text(self, item, context=context, **kwargs)
    if text is None:
        raise VariableError
    return text


def group_text(self, item, context=None, **kwargs):  # type: ignore[no-untyped-def]
    """`Group.process`, a `cs:choose` child counted by the branch it took, and None for a suppressed group
    (the fused render, engine/fused.py, answers with it and so raises no exception for the groups a record
    leaves empty, most groups of most records).

    CSL 1.0.2, "Group": a group is suppressed when it calls at least one
    variable and all the variables it calls are empty. citeproc-py counted a
    `cs:choose` as calling a variable when any of its branches did, so a
    branch printing only a `cs:text value` counted as a printed variable:
    APA's theses printed `(Publication)` beside an empty `number`. As
    citeproc-js does, the choose counts by the branch it took (which is
    how `Macro.render` above judges one too). Otherwise as citeproc-py's.
    """
    taken_by = item.bibliography.context.taken  # context_of(item), in line: this runs for every group
    output = []
    variable_called = variable_rendered = False
    delimiter, children = self.group_plan
    for child, render, is_choose, calls in children:
        if not is_choose:
            variable_called = variable_called or calls
        try:
            if is_choose:
                child_text = render(item, context=context, delimiter=delimiter, **kwargs)
            else:
                child_text = render(item, context=context, **kwargs)
        except VariableError:
            child_text = None
        if is_choose:
            taken = taken_by.get(child)
            calls = taken is not None and taken.calls_a_variable  # its `calls_variable()`
            variable_called = variable_called or calls
        if child_text is not None:
            output.append(child_text)
            variable_rendered = variable_rendered or calls
    if output and (not variable_called or variable_rendered):
        if len(output) == 1:
            return output[0]  # what `join` gives back for a lone text
        # as citeproc-py's `Delimited.join`, with the delimiter read once
        try:
            return join(output, delimiter)
        except Exception:
            return String("")
    return None


# Every variable of CSL 1.0.2 (its appendix IV), and the two short-title spellings citeproc-js reads.
# citeproc-py 0.11.1 warns of those it does not list, though it keeps their values and this engine
# renders them; only a name outside this set is a variable no style can print.
CSL_VARIABLES = frozenset(
    (
        # standard
        "abstract",
        "annote",
        "archive",
        "archive_collection",
        "archive_location",
        "archive-place",
        "authority",
        "call-number",
        "chapter-number",
        "citation-key",
        "citation-label",
        "citation-number",
        "collection-number",
        "collection-title",
        "container-title",
        "container-title-short",
        "dimensions",
        "division",
        "DOI",
        "edition",
        "event",
        "event-title",
        "event-place",
        "first-reference-note-number",
        "genre",
        "ISBN",
        "ISSN",
        "issue",
        "jurisdiction",
        "keyword",
        "language",
        "license",
        "locator",
        "medium",
        "note",
        "number",
        "number-of-pages",
        "number-of-volumes",
        "original-publisher",
        "original-publisher-place",
        "original-title",
        "page",
        "page-first",
        "part-number",
        "part-title",
        "PMCID",
        "PMID",
        "printing-number",
        "publisher",
        "publisher-place",
        "references",
        "reviewed-genre",
        "reviewed-title",
        "scale",
        "section",
        "source",
        "status",
        "supplement-number",
        "title",
        "title-short",
        "URL",
        "version",
        "volume",
        "volume-title",
        "volume-title-short",
        "year-suffix",
        # dates
        "accessed",
        "available-date",
        "event-date",
        "issued",
        "original-date",
        "submitted",
        # names
        "author",
        "chair",
        "collection-editor",
        "compiler",
        "composer",
        "container-author",
        "contributor",
        "curator",
        "director",
        "editor",
        "editorial-director",
        "editor-translator",
        "executive-producer",
        "guest",
        "host",
        "illustrator",
        "interviewer",
        "narrator",
        "organizer",
        "original-author",
        "performer",
        "producer",
        "recipient",
        "reviewed-author",
        "script-writer",
        "series-creator",
        "translator",
        # citeproc-js's spellings of the short titles
        "journalAbbreviation",
        "shortTitle",
    )
)
