"""Numbers, page ranges and labels (CSL 1.0.2, "Page Ranges", "Number", "Label", "Locators").

- Page ranges. citeproc-py's `FormatNumber._process` / `_format_last_page`
  split on every hyphen, so `S140-54`, `140-S54` or `12S140-S54` were mangled,
  a shortened last page (`2536-538`) was never expanded first, and the
  Chicago rules were approximate. `format_page_range()` follows the spec:
  only a range whose ends are numbers with the same (optional) prefix is
  reformatted (`expanded`, `minimal`, `minimal-two`, `chicago` = `chicago-15`,
  `chicago-16`), joined with the locale's `page-range-delimiter` (en dash by
  default); the last page keeps a prefix it repeats only in `expanded`
  (`S12-S19`: `S12–S19` expanded, `S12–19` chicago, `S12–9` minimal), as
  in citeproc-js; a range between two non-numeric page numbers (`xxv-xxviii`) only
  gets the delimiter; anything else is left exactly as written.
- Locators: `100 - 103` prints `100–103`, not `100 – 103`; `&` in a
  locator is the locale's "and" symbol term.
- `cs:number` with a hyphenated variable (`number-of-volumes`,
  `number-of-pages`, `chapter-number`, `collection-number`) never printed:
  citeproc-py's `Number.process` looked the variable up with its hyphens,
  where the data keeps underscores.
- `cs:text variable="citation-number"` with `strip-periods` or `text-case`
  crashed (citeproc-py passed the number on as an int).
- Ordinals take the gender of the term they number (`1.º issue`,
  `1.ª edition`; a day, the month's), falling back to the neuter term and
  then to `ordinal` (`Number.format_number` wrapped, where citeproc-py
  called `model.to_ordinal`).
- A label written inside a number after a comma (an edition `7, p. 3-8`),
  one of the abbreviations citeproc-js reads as labels, prints as the
  locale's short term, plural for a range or list, and the numbers after it
  without the element's form: `7th, pp. 3–8` (citeproc-py: `7th, p. 3–8th`).
- Labels: `number-of-volumes` and other `number-of-*` variables choose the
  plural term when the number is above one (citeproc-py's `Label._is_plural`
  read them from the cite instead of the reference and failed); a page or
  locator label is plural for a range or list of numbers, roman ones
  included (`pages i–ix`), and singular for `3-B` or `Michaelson-Morely`;
  a `version` label is plural only for a list (`Versions 1, 3`), never
  through a hyphen (APA: `(Version 1.1-35)`, citeproc-py printed
  `Versions`).

Tests: tests/test_engine_numbers.py.
"""

from __future__ import annotations

import re
from functools import cache

from citeproc.source import VariableError
from citeproc.string import String

from lutnick_cli.citation.engine.lazy import cached_property

# A range: its dash (hyphens, en or em dashes) and what is around it (`_range_parts`). A value beyond
# ASCII is matched with its dashes read as hyphens, which keeps every span where it was: a class of
# the three, reaching past U+00FF, took `re` 0.2 ms to compile at every start.
_RANGE = re.compile(r"^(\s*)(.*?)(-+)(.*?)(\s*)$", re.DOTALL)
_DASHES_AS_HYPHENS = str.maketrans("\u2013\u2014", "--")
_PREFIXED_NUMBER = re.compile(r"^((?:.*\D)?)(\d+)$")
_NUMBER_VARIABLES = {"issue", "volume", "number", "chapter-number", "collection-number", "edition", "number-of-pages"}
_NUMBER_RANGE = re.compile(r"^\s*(\d+)\s*-\s*(\d+)\s*$")


@cache
def _roman() -> re.Pattern[str]:
    """A roman numeral in one case, compiled when first used (a range of numbers that are not arabic)."""
    return re.compile(r"^[ivxlcdm]+$|^[IVXLCDM]+$")


_SEPARATORS = re.compile(r"(\s*,\s*|\s*&\s*)")


def _shorten(first: str, last: str, style: str | None) -> str:
    if len(last) < len(first):
        last = first[: len(first) - len(last)] + last
    if style in (None, "expanded") or len(first) != len(last):
        return last
    common = 0
    for a, b in zip(first, last):
        if a != b:
            break
        common += 1
    number = int(first)
    if style in ("chicago", "chicago-15", "chicago-16"):
        if number < 100 or number % 100 == 0:
            return last
        if number % 100 < 10:
            style = "minimal"
        elif style in ("chicago", "chicago-15") and len(first) == 4 and len(first) - common >= 3:
            return last
        else:
            style = "minimal-two"
    if style == "minimal":
        return last[common:]
    if style == "minimal-two":
        return last[min(common, max(len(last) - 2, 0)) :]
    return last


def _range_parts(piece: str) -> tuple[str, ...] | None:
    """The groups of `^(\\s*)(.*?)([-\\u2013\\u2014]+)(.*?)(\\s*)$` (dot-all) in `piece`, or None.
    Test: tests/test_cold_patterns.py::test_a_range_is_split_as_one_pattern_splits_it."""
    if piece.isascii():
        match = _RANGE.match(piece)
        return None if match is None else match.groups()
    match = _RANGE.match(piece.translate(_DASHES_AS_HYPHENS))
    return None if match is None else tuple(piece[match.start(group) : match.end(group)] for group in range(1, 6))


def format_page_range(value: str, style: str | None, delimiter: str) -> str:
    """One page value, every range in it formatted as the style says."""
    value = str(value)
    if "\\-" in value:  # an escaped hyphen is a literal hyphen, not a range
        return value.replace("\\-", "-")
    pieces = _SEPARATORS.split(value)
    output = []
    for index, piece in enumerate(pieces):
        if index % 2:
            output.append(", " if "," in piece else " & ")
            continue
        parts = _range_parts(piece)
        if not parts or not parts[1].strip() or not parts[3].strip():
            output.append(piece)
            continue
        lead, first, dash, last, trail = parts
        first, last = first.strip(), last.strip()
        as_written = f"{lead}{first}{dash}{last}{trail}"  # citeproc-js drops the spaces around the dash
        first_match, last_match = _PREFIXED_NUMBER.match(first), _PREFIXED_NUMBER.match(last)
        if first_match and last_match:
            prefix, first_number = first_match.groups()
            last_prefix, last_number = last_match.groups()
            if (last_prefix and last_prefix != prefix) or (prefix and not last_prefix):
                output.append(as_written)
                continue
            expanded = _shorten(first_number, last_number, "expanded")
            if int(expanded) < int(first_number):
                output.append(as_written)
                continue
            if style is None:  # no page-range-format: the last page as written
                output.append(f"{lead}{first}{delimiter}{last}{trail}")
                continue
            shown = _shorten(first_number, last_number, style)
            if style == "expanded" and last_prefix:  # any other format drops the repeated prefix (citeproc-js)
                shown = prefix + shown
            output.append(f"{lead}{first}{delimiter}{shown}{trail}")
        elif _roman().match(first) and _roman().match(last):
            output.append(f"{lead}{first}{delimiter}{last}{trail}")
        else:
            output.append(as_written)
    return "".join(output)


@cache
def _number_like() -> re.Pattern[str]:
    """One number of a list or range (`12a`, `iv`), compiled when first used (a label's plural)."""
    return re.compile(r"^(?:[A-Za-z]?\d+[A-Za-z]?|[ivxlcdm]+|[IVXLCDM]+)$")


@cache
def _list_or_range() -> re.Pattern[str]:
    """What separates the numbers of a list or range, compiled when first used (a label's plural)."""
    return re.compile(r"\s*(?:[-\u2013\u2014,&]|\band\b)\s*")


def is_plural_number(value: str) -> bool:
    """CSL: a label is plural when its number is a range or list of numbers (`1-2`, `i–ix`, `3, 5`)."""
    if "\\-" in value:
        return False
    if re.search(r"\d+[^\d.]+\d+", value):  # citeproc-py's rule: two numbers with anything but a period between
        return True
    parts = [part for part in _list_or_range().split(value.strip()) if part]
    return len(parts) >= 2 and all(_number_like().match(part) for part in parts)


# The locator labels of CSL 1.0.2 ("Locators"), as locale terms.
_LOCATOR_LABELS = (
    "book",
    "chapter",
    "column",
    "figure",
    "folio",
    "issue",
    "line",
    "note",
    "opus",
    "page",
    "paragraph",
    "part",
    "section",
    "sub-verbo",
    "verse",
    "volume",
)


def _begins_with(locator: str, term: str) -> bool:
    """Whether a locator begins with a label term, as a word of its own (`vol. 1`, `p.5`; not `pages`)."""
    if not locator.startswith(term):
        return False
    rest = locator[len(term) :]
    return not rest or rest[0].isspace() or rest[0].isdigit() or not term[-1].isalnum()


@cache
def _list_separator() -> re.Pattern[str]:
    """What separates the versions of a list, compiled when first used (a version's label)."""
    return re.compile(r"\s*(?:,|&|\band\b)\s*")


def is_plural_version(value: str) -> bool:
    """A version is one version whatever hyphens it has (R's `1.1-35`); only a list (`1, 3`) is plural."""
    parts = [part for part in _list_separator().split(value.strip()) if part]
    return len(parts) >= 2 and all(re.search(r"\d", part) for part in parts)


def _page_range_delimiter(element) -> str:  # type: ignore[no-untyped-def]
    """The locale's `page-range-delimiter` term, or an en dash."""
    return str(element.get_single_term(name="page-range-delimiter") or "") or "\u2013"


class PageRanges:
    """Rule mixin for `cs:text` and `cs:number` (composed in engine/elements.py)."""

    def _process(self, value, variable):  # type: ignore[no-untyped-def]
        """Overrides `FormatNumber._process` (wrapped): page ranges through `format_page_range()`.
        Test: tests/test_engine_numbers.py::test_page_range_formats."""
        if variable != "page":
            return super()._process(value, variable)
        style = self.get_root().get_option("page-range-format")
        return String(format_page_range(str(value), style, _page_range_delimiter(self)))


class LocatorText:
    """Rule mixin for `cs:text` (composed in engine/elements.py)."""

    def _variable(self, item, context):  # type: ignore[no-untyped-def]
        """Overrides `Text._variable` (wrapped): a locator range prints with a bare en dash (a page
        locator's formatted by the style's `page-range-format`; an escaped hyphen, `327\\-30`, is a
        hyphen), and so does a range of plain numbers in a number variable printed through cs:text
        (`issue` 3-4 → 3–4), as in citeproc-js.
        Tests: tests/test_engine_numbers.py::test_locator_is_trimmed_and_its_ampersand_is_the_locales,
        ::test_a_page_locator_takes_the_page_range_format_and_an_escaped_hyphen_is_no_range."""
        variable = self.attributes.get("variable")
        if variable == "locator" and item.has_locator:
            locator = str(item.locator.identifier).strip()
            if "\\-" in locator:  # an escaped hyphen is a literal hyphen, not a range
                return String(locator.replace("\\-", "-"))
            range_format = self.get_root().get_option("page-range-format")
            if range_format is not None and item.locator.label == "page":  # a page locator's ranges, as the page's
                locator = format_page_range(locator, range_format, _page_range_delimiter(self))
            locator = re.sub(r"\s*[-\u2013]\s*", "\u2013", locator)
            if " & " in locator:  # the locale's symbol for "and", where it has one
                symbol = str(self.get_single_term(name="and", form="symbol") or "") or "&"
                locator = locator.replace(" & ", f" {symbol} ")
            return String(locator)
        return number_text(variable, super()._variable(item, context))


def number_text(variable: str | None, text):  # type: ignore[no-untyped-def]
    """A `cs:text` variable's text as `LocatorText` gives it (any variable but the locator): the citation
    number, a number, as a string (strip-periods and text-case could not take it); a range of plain
    numbers in a number variable with an en dash (`issue` 3-4 → 3–4)."""
    if isinstance(text, int):
        return String(str(text))
    if variable in _NUMBER_VARIABLES and text is not None and _NUMBER_RANGE.match(str(text)):
        return String(_NUMBER_RANGE.sub("\\1\u2013\\2", str(text)))
    return text


# The abbreviations citeproc-js reads as a label inside a number (`7, p. 3-8`), by CSL locator term.
_EMBEDDED_LABELS = {
    "bk.": "book",
    "ch.": "chapter",
    "col.": "column",
    "fig.": "figure",
    "fol.": "folio",
    "no.": "issue",
    "l.": "line",
    "n.": "note",
    "op.": "opus",
    "p.": "page",
    "pp.": "page",
    "para.": "paragraph",
    "pt.": "part",
    "sec.": "section",
    "sv.": "sub-verbo",
    "vrs.": "verse",
    "vol.": "volume",
}


@cache
def _labelled_part() -> re.Pattern[str]:
    """A number with a label written in it after a comma (`7, p. 3-8`), compiled when first used."""
    return re.compile(r"^(.*?\S),\s*([a-z]{1,4}\.)\s*(\d.*)$", re.DOTALL)


class NumberVariable:
    """Rule mixin for `cs:number` (composed in engine/elements.py)."""

    def _process(self, value, variable):  # type: ignore[no-untyped-def]
        """Overrides `FormatNumber._process` (wrapped): a label written inside a number after a comma
        (an edition `7, p. 3-8`) prints as the locale's short term, plural for a range or list, and the
        numbers after it print as written, a range with an en dash, without the element's form
        (`7th, pp. 3–8`), as in citeproc-js.
        Test: tests/test_engine_numbers.py::test_a_label_inside_a_number_is_a_label."""
        match = _labelled_part().match(str(value)) if variable != "page" else None
        term = _EMBEDDED_LABELS.get(match.group(2)) if match else None
        if match is None or term is None:
            return super()._process(value, variable)
        head, _, rest = match.groups()
        short = {"name": term, "form": "short"}
        plural = is_plural_number(rest)
        label = self.get_plural_term(**short) if plural else self.get_single_term(**short)
        rest = re.sub(r"\s*[-\u2013]\s*", _page_range_delimiter(self), rest.strip())
        return super()._process(head, variable) + String(f", {label} {rest}")

    def process(self, item, context=None, **kwargs):  # type: ignore[no-untyped-def]
        """Overrides `Number.process` (replaced): the variable is looked up by its data name.
        Test: tests/test_engine_numbers.py::test_number_of_volumes_label_is_plural_above_one."""
        variable = self.get("variable")
        if variable == "locator":
            try:
                return self._process(item.locator.identifier, item.locator.label)
            except (KeyError, AttributeError, VariableError):
                return None
        value = item.reference[(variable if variable != "page-first" else "page").replace("-", "_")]
        return self._process(value, variable)

    def format_number(self, number):  # type: ignore[no-untyped-def]
        """Overrides `Number.format_number` (wrapped): ordinals with the gender of the numbered term, where
        citeproc-py called `model.to_ordinal`.
        Test: tests/test_engine_numbers.py::test_ordinals_take_the_gender_of_their_term."""
        form = self.get("form", "numeric")
        if form in ("ordinal", "long-ordinal"):
            try:
                value = int(number)
            except ValueError:
                return number
            if form == "ordinal" or value > 10:
                return gendered_ordinal(value, self)
        return super().format_number(number)


class TermTexts:
    """Rule mixin for `cs:term` (composed in engine/elements.py): its singular and plural texts read once.

    citeproc-py's `Term.single` and `Term.multiple` look for the term's
    `cs:single` or `cs:multiple` child with an lxml `find` on every call (the
    element's namespace map built afresh each time), for every label, "and",
    "et al." and "edition" rendered: some three calls per APA entry. A
    locale's terms do not change once read, so the text each finds is kept
    per term; the formatter's `preformat` is still applied on every call, as
    citeproc-py applies it.
    Test: tests/test_engine_numbers.py::test_a_term_s_texts_are_citeproc_py_s.
    """

    @cached_property
    def term_texts(self) -> tuple[str | None, str | None]:
        """(the text of its `cs:single`, of its `cs:multiple`), each the term's own text where it has no such child."""
        texts = []
        for child in ("cs:single", "cs:multiple"):
            found = self.find(child, self.nsmap)  # type: ignore[attr-defined]
            texts.append(found.text if found is not None else self.text)  # type: ignore[attr-defined]
        return texts[0], texts[1]

    @property
    def single(self):  # type: ignore[no-untyped-def]
        """Overrides `Term.single` (replaced, the same text): its `cs:single` read once (`term_texts`)."""
        return String(self.preformat(self.term_texts[0] or ""))

    @property
    def multiple(self):  # type: ignore[no-untyped-def]
        """Overrides `Term.multiple` (replaced, the same text): its `cs:multiple` read once (`term_texts`)."""
        return String(self.preformat(self.term_texts[1] or ""))


class PluralLabels:
    """Rule mixin for `cs:label` (composed in engine/elements.py)."""

    @cached_property
    def locator_label_terms(self) -> tuple[str, ...]:
        """The short terms of the locator labels in the style's locales (`p.`, `pp.`, `vol.`, `fol.`…),
        longest first."""
        found = set()
        for name in _LOCATOR_LABELS:
            short = {"name": name, "form": "short"}
            for term in (self.get_single_term(**short), self.get_plural_term(**short)):  # type: ignore[attr-defined]
                if str(term).strip():
                    found.add(str(term).strip())
        return tuple(sorted(found, key=len, reverse=True))

    def process(self, item, variable=None, plural=None, context=None, **kwargs):  # type: ignore[no-untyped-def]
        """Overrides `Label.process` (wrapped): a locator that begins with a label of its own
        (`vol. 1, fol. 186`) prints no label before it, as in citeproc-js.
        Test: tests/test_engine_numbers.py::test_a_locator_with_its_own_label_prints_no_other."""
        if variable is None and self.get("variable") == "locator" and item.has_locator:
            locator = str(item.locator.identifier).lstrip()
            if any(_begins_with(locator, term) for term in self.locator_label_terms):
                return None
        return super().process(item, variable=variable, plural=plural, context=context, **kwargs)

    def _is_plural(self, item):  # type: ignore[no-untyped-def]
        """Overrides `Label._is_plural` (wrapped): `number-of-*` variables are plural above one; a
        hyphenated version is not plural.
        Test: tests/test_engine_numbers.py::test_a_hyphenated_version_is_not_plural."""
        variable = self.get("variable") or ""
        if variable == "version":
            return is_plural_version(str(item.reference.get("version") or ""))
        if variable.startswith("number-of"):
            value = item.reference.get(variable.replace("-", "_"))
            match = re.match(r"\s*0*(\d+)", str(value or ""))
            # Compared as digits: a number of any length is more than one unless it is 0 or 1.
            return bool(match and match.group(1) not in ("0", "1"))
        if variable in ("page", "locator"):
            if variable == "locator":
                if not item.has_locator:
                    return False
                value = item.locator.identifier
            else:
                value = item.reference.get("page")
            return is_plural_number(str(value or ""))
        return super()._is_plural(item)


# Ordinals


def _term_gender(context, name: str) -> str | None:  # type: ignore[no-untyped-def]
    """The grammatical gender a locale gives a term (`<term name="edition" gender="feminine">`)."""
    root = context.get_root()
    for locale in getattr(root, "locales", None) or []:
        terms = locale.find("cs:terms", locale.nsmap)
        if terms is None:
            continue
        for term in terms.findall("cs:term", terms.nsmap):
            if term.get("name") == name and not term.get("form"):
                return term.get("gender")
    return None


def ordinal(number: int, context, gender: str | None = None) -> str:  # type: ignore[no-untyped-def]
    """CSL 1.0.2 ordinals: `ordinal-NN` terms matched by last two digits, then `ordinal-0N` by last
    digit, then `ordinal`; each with the requested gender-form if the locale has it, else the neuter
    one; the first locale (in-style locales first) that has an answer gives it."""
    root = context.get_root()
    two, one = number % 100, number % 10
    for locale in getattr(root, "locales", None) or []:
        terms = locale.find("cs:terms", locale.nsmap)
        if terms is None:
            continue
        by_name: dict[str, list] = {}
        for term in terms.findall("cs:term", terms.nsmap):
            name = term.get("name", "")
            if name.startswith("ordinal") and not term.get("form"):
                by_name.setdefault(name, []).append(term)

        def pick(name: str, whole: bool, by_name=by_name):  # type: ignore[no-untyped-def]
            candidates = [
                term
                for term in by_name.get(name, [])
                if (term.get("match") == "whole-number") == whole or term.get("match") is None and not whole
            ]
            for wanted in (gender, None):
                for term in candidates:
                    if term.get("gender-form") == wanted:
                        return term
            return None

        found = None
        if 10 <= two <= 99:
            found = pick(f"ordinal-{two:02d}", False)
        if found is None and number < 100:
            exact = [t for t in by_name.get(f"ordinal-{number:02d}", []) if t.get("match") == "whole-number"]
            found = next((t for wanted in (gender, None) for t in exact if t.get("gender-form") == wanted), None)
        if found is None and not (10 <= two <= 19 and any(name.startswith("ordinal-1") for name in by_name)):
            found = pick(f"ordinal-{one:02d}", False)
        if found is None:
            found = pick("ordinal", False)
        if found is not None:
            return str(number) + (found.text or "")
    return str(number)


def gendered_ordinal(number: int, context) -> str:  # type: ignore[no-untyped-def]
    """An ordinal with the gender of the term its element numbers (what citeproc-py's `to_ordinal` did
    without the gender)."""
    variable = context.get("variable") if hasattr(context, "get") else None
    gender = _term_gender(context, variable) if variable else None
    return ordinal(int(number), context, gender)
