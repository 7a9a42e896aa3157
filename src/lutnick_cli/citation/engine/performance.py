"""Per-style caches for citeproc-py's style-only look-ups.

citeproc-py answers questions that depend only on the style with an XPath
query every time it meets them, once per element per record:
`CitationStylesElement.get_macro` (a query per macro call),
`Parent.calls_variable` and friends (recursive, through every macro, for
every group of every record — the bulk of the time with a large style),
`get_layout`, `Name.get_option` / `Names.get_parent_delimiter` (an ancestor
query for every option of every name), `Date.is_locale_date`,
`Locale.get_term` and any other query of the style. Two more are asked
hundreds of thousands of times in a large bibliography: `get_root` (behind every `get_formatter`, a tree walk
through lxml each time) and `Formatted.format`, which for an element with
no formatting attribute at all (most of them) asks the formatter five times
to leave the text as it is. Their answers never change for a given style, so they are
computed once and kept.

So does what an element reads of itself at every render: its attributes
(each `get` crosses into lxml), its children and which of them is a
cs:choose, a branch's type and variable names, and which branches a record
of a given type can take. Each element keeps these as a plan in plain
Python (`attributes`, `variable_plan`, `children_kinds` here; `group_plan`,
`children_plan`, `branches_by_type`, `substitute_plan` in engine/variables.py;
`parts_plan` in engine/dates.py; `affixes` in engine/display.py), so a
render walks tuples and dicts rather than the XML.

How: citeproc-py's elements are lxml proxies, which lxml may discard and
recreate, so nothing could be remembered on them. When a style is
constructed (`Style.set_locale_list`, which citeproc-py calls once per
style), every element of the style and of its locales is pinned in a list
held by the style's root (`PinnedElements.pinned_elements`); lxml then hands
out the same proxy for a node for as long as the style lives, and each
answer is a cached property of the engine's class for the element (rule
mixins, composed in engine/elements.py), kept on its proxy. Output is
byte-identical; only the repeated queries go.

Test: tests/test_engine_performance.py (same output, and each look-up is
computed once per style).
"""

from __future__ import annotations

from citeproc.model import ConditionFailed
from citeproc.source import VariableError
from citeproc.string import SEAM_PUNCTUATION, MixedString, NoCase, String, _strip_first_char, normalize_seam

from lutnick_cli.citation.engine.lazy import cached_property


def join(items, delimiter=""):  # type: ignore[no-untyped-def]
    """citeproc-py 0.11.1's `citeproc.string.join`, the same texts of the same segments, in linear time.

    citeproc-py's joins each item with two seams (`normalize_seam`: no double
    space, no doubled punctuation mark) and two `+`, each of which turns the
    whole text so far into a string again, so a join of n items took time in
    n²; that was a twentieth of rendering an APA entry. Here the text so far
    is kept beside it and grows with each piece. Test:
    tests/test_engine_performance.py::test_join_gives_what_citeproc_py_s_join_gives.
    """
    items = iter(items)
    try:
        output = next(items)
    except StopIteration:
        return String("")
    text = str(output)
    for item in items:
        output, text = _added(output, text, _seamed(text, delimiter))
        output, text = _added(output, text, _seamed(text, item))
    return output


def delimited_join(element, texts: list, default_delimiter: str = ""):  # type: ignore[no-untyped-def]
    """citeproc-py's `Delimited.join` of `texts` (none of them None) by `element`: its own delimiter, else
    `default_delimiter`; `join` above, and a lone text given back as it is (what both joins give for
    it), without a generator over the texts and a call to the join. For names: most cs:names print one
    variable, and most cs:name two names or fewer, joined before the "and" (engine/names.py)."""
    if len(texts) == 1:
        return texts[0]
    try:
        return join(texts, element.get("delimiter", default_delimiter))
    except Exception:  # as `Delimited.join`: a text that cannot be joined gives an empty one
        return String("")


def affixed(prefix: str, string, suffix: str):  # type: ignore[no-untyped-def]
    """citeproc-py's `Affixed.wrap` of `string` (not None) with plain-text affixes: the same text of the
    same segments, without the TypeError `MixedString.__add__` raises and catches for every String it is
    given, and turning the text into a string once."""
    kind = type(string)
    if (
        type(prefix) is not str
        or type(suffix) is not str
        or not (kind is String or kind is NoCase or kind is MixedString)
    ):
        string = normalize_seam(prefix, string)
        text = prefix + string
        return text + normalize_seam(text, suffix)
    string = _seamed(prefix, string)
    if prefix == "":  # `"" + string`: String.__radd__ and MixedString.__radd__ give the string back
        left, text = string, str(string)
    else:
        left, text = _added(MixedString([prefix]), prefix, string)
    return _added(left, text, _seamed(text, suffix))[0]


def added(left, other):  # type: ignore[no-untyped-def]
    """`left + other` for a String or a MixedString `left`, as citeproc-py's operators make it (see
    `_added`)."""
    return _added(left, str(left), other)[0]


def _seamed(left: str, other):  # type: ignore[no-untyped-def]
    """`normalize_seam(left, other)` of citeproc-py, given the text of `left`."""
    other_text = str(other)
    if not left or not other_text:
        return other
    last, first = left[-1], other_text[0]
    if (last == " " and first == " ") or (last == first and first in SEAM_PUNCTUATION):
        return _strip_first_char(other)
    return other


def _added(left, text: str, other):  # type: ignore[no-untyped-def]
    """`left + other` as citeproc-py's `String.__add__` and `MixedString.__add__` make it, and its text,
    given `text`, the text of `left`; any other kind of `left` is added as it is."""
    kind = type(left)
    if kind is String or kind is NoCase:
        if other == "":
            return left, text
        left, kind = MixedString([left]), MixedString
    if kind is MixedString:
        if other == "":
            return left, text
        other = _seamed(text, other)
        if other == "" or other == []:
            return left, text
        if isinstance(other, list):
            return MixedString(list.__add__(left, other)), text + str(other)
        return MixedString([*left, other]), text + str(other)
    total = left + other
    return total, str(total)


class PinnedElements:
    """Rule mixin for `cs:style` (composed in engine/elements.py)."""

    @cached_property
    def pinned_elements(self) -> list:
        """Every element of the style and of its locales, held so that lxml keeps one proxy per node."""
        locales = [locale.getroottree().getroot() for locale in self.locales]  # type: ignore[attr-defined]
        elements = list(self.iter())  # type: ignore[attr-defined]
        return elements + [element for root in locales if root is not self for element in root.iter()]

    def set_locale_list(self, output_locale, validate=True):  # type: ignore[no-untyped-def]
        """Overrides `Style.set_locale_list` (wrapped): pin the style's and its locales' elements (see the
        module docstring). Test: tests/test_engine_performance.py."""
        super().set_locale_list(output_locale, validate=validate)
        self.pinned_elements  # noqa: B018 (computed now, while the locales are those of this style)


class StyleQueries:
    """Rule mixin for every element of a style or locale (composed in engine/elements.py): the queries
    that depend on the style alone, each answered once per element."""

    @cached_property
    def root_element(self):  # type: ignore[no-untyped-def]
        """The style's (or locale file's) root: an element never changes tree once its style is built."""
        return super().get_root()

    @cached_property
    def enclosing_layout(self):  # type: ignore[no-untyped-def]
        """The cs:layout the element is in (IndexError, not kept, when there is none)."""
        return super().get_layout()

    @cached_property
    def formatting_parent(self):  # type: ignore[no-untyped-def]
        """The cs:citation or cs:bibliography the element belongs to, or None."""
        found = self.xpath_search("./ancestor::*[self::cs:citation or self::cs:bibliography][1]")
        return found[0] if found else None

    @cached_property
    def macros_by_name(self) -> dict:
        """The style's macros looked up so far (on the root), by name."""
        return {}

    @cached_property
    def xpath_answers(self) -> dict:
        """The answers to the XPath queries asked of the element so far, by expression."""
        return {}

    @cached_property
    def attributes(self) -> dict[str, str]:
        """The element's attributes, read once into a plain dict (each `get` crosses into lxml)."""
        return dict(self.attrib)  # type: ignore[attr-defined]

    @cached_property
    def default_language(self) -> str:
        """On a root: the language of its `default-locale` (for an item with no `language`)."""
        return self.get("default-locale", "en")[:2]  # type: ignore[attr-defined]

    @cached_property
    def terms_asked(self) -> dict:
        """On a root: the terms its elements asked for so far (`TermsOnce.get_term`), by (name, form,
        fallback_locale, zero_padded); None for a term no locale has."""
        return {}

    def get_root(self):  # type: ignore[no-untyped-def]
        """Overrides `CitationStylesElement.get_root` (wrapped): found once per element (behind every
        `get_formatter`, a tree walk through lxml each time)."""
        return self.root_element

    def get_layout(self):  # type: ignore[no-untyped-def]
        """Overrides `CitationStylesElement.get_layout` (wrapped): found once per element."""
        return self.enclosing_layout

    def get_macro(self, name):  # type: ignore[no-untyped-def]
        """Overrides `CitationStylesElement.get_macro` (wrapped): each of the style's macros looked up once."""
        macros = self.get_root().macros_by_name
        macro = macros.get(name)
        if macro is None:
            macro = macros[name] = super().get_macro(name)
        return macro

    def xpath_search(self, expression):  # type: ignore[no-untyped-def]
        """Overrides `CitationStylesElement.xpath_search` (wrapped): whatever else still queries the style
        (the date forms, a substitute's cs:names, et-al, whether a cs:names is in the bibliography) is
        answered once per element and expression; a copy is returned, which callers may change."""
        answers = self.xpath_answers
        found = answers.get(expression)
        if found is None:
            found = answers[expression] = super().xpath_search(expression)
        return list(found)


class TermsOnce:
    """Rule mixin for the elements that ask for terms (composed in engine/elements.py): each term
    looked up once per style.

    citeproc-py's `CitationStylesElement.get_term` answers from the root's
    locales alone, trying them in turn, and each that lacks the term raises
    IndexError: APA's own `cs:locale` lacks most terms, so an APA entry
    raised and caught seven before en-US answered. The answers are kept on
    the root (`StyleQueries.terms_asked`), None for a term no locale has; a
    lookup that fails (a locale file's root lacking the term) is not kept.
    """

    def get_term(self, name, form=None, fallback_locale=True, zero_padded=False):  # type: ignore[no-untyped-def]
        """Overrides `CitationStylesElement.get_term` (wrapped): the answers kept on the root."""
        asked = self.root_element.terms_asked
        key = (name, form, fallback_locale, zero_padded)
        try:
            return asked[key]
        except KeyError:
            term = asked[key] = super().get_term(name, form, fallback_locale, zero_padded)
            return term
        except TypeError:  # a name or form that cannot be a key: asked every time
            return super().get_term(name, form, fallback_locale, zero_padded)


class ChildElements:
    """Rule mixin for `cs:style` (composed in engine/elements.py): the children citeproc-py reads as
    attributes, each found once.

    citeproc-py reads a child element by name as an attribute (`root.citation`, `citation.layout`,
    `citation.sort`), which `SomewhatObjectifiedElement.__getattr__` answers with an lxml `find` at
    every read: a few for every citation rendered. A cached property of the same name answers first
    (here, and in `LayoutChild` and `SortChild`); a style's children never change once it is built.
    """

    @cached_property
    def citation(self):  # type: ignore[no-untyped-def]
        """Its cs:citation, or None."""
        return self.find("cs:citation", self.nsmap)

    @cached_property
    def bibliography(self):  # type: ignore[no-untyped-def]
        """Its cs:bibliography, or None."""
        return self.find("cs:bibliography", self.nsmap)


class LayoutChild:
    """Rule mixin for `cs:citation` and `cs:bibliography` (composed in engine/elements.py)."""

    @cached_property
    def layout(self):  # type: ignore[no-untyped-def]
        """Its cs:layout, or None: found once (see `ChildElements`)."""
        return self.find("cs:layout", self.nsmap)


class SortChild:
    """Rule mixin for `cs:citation` (composed in engine/elements.py; `Bibliography.sort` is citeproc-py's
    method, not a child)."""

    @cached_property
    def sort(self):  # type: ignore[no-untyped-def]
        """Its cs:sort, or None: found once (see `ChildElements`)."""
        return self.find("cs:sort", self.nsmap)


def _formatting_parent(element):  # type: ignore[no-untyped-def]
    """The cs:citation or cs:bibliography an element belongs to (`StyleQueries.formatting_parent`)."""
    return element.formatting_parent


class CalledVariables:
    """Rule mixin for the elements that can call a variable (composed in engine/elements.py)."""

    @cached_property
    def calls_a_variable(self) -> bool:
        """Whether the element calls a variable, through its macros and children: the style's alone."""
        return super().calls_variable()  # type: ignore[misc]

    def calls_variable(self):  # type: ignore[no-untyped-def]
        """Overrides `calls_variable` (wrapped; `Parent`'s or the element's own): answered once per element,
        not recursively through every macro for every group of every record."""
        return self.calls_a_variable


class PlainFormat:
    """Rule mixin for the elements with formatting attributes (composed in engine/elements.py)."""

    @cached_property
    def has_no_formatting(self) -> bool:
        """Whether the element has none of the five formatting attributes. `self.get` (not the lxml
        attributes), as engine objects standing in for an element answer from their own attributes."""
        return all(self.get(name) is None for name in _FORMATTING)  # type: ignore[attr-defined]

    def format(self, string):  # type: ignore[no-untyped-def]
        """Overrides `Formatted.format` (wrapped): the text untouched when the element has no formatting
        attribute. Each of citeproc-py's five steps returns its input unchanged when its attribute is
        absent, so skipping them then is the same output."""
        if self.has_no_formatting:
            return str(string) if isinstance(string, (int, float)) else string
        return super().format(string)


class DateQueries:
    """Rule mixin for `cs:date` (composed in engine/elements.py)."""

    @cached_property
    def in_locale(self) -> bool:
        """Whether the date is a locale's date format."""
        return super().is_locale_date()  # type: ignore[misc]

    def is_locale_date(self):  # type: ignore[no-untyped-def]
        """Overrides `Date.is_locale_date` (wrapped): answered once per element."""
        return self.in_locale


class NameOptions:
    """Rule mixin for `cs:name` (composed in engine/elements.py)."""

    def get_option(self, name, context=None, sort_options=None):  # type: ignore[no-untyped-def]
        """Overrides `Name.get_option` (replaced, the same answer): the formatting parent found once per element."""
        try:
            value = sort_options[name]
        except (TypeError, KeyError):
            parent = (context if context is not None else self).formatting_parent
            if name in ("form", "delimiter"):
                value = self.get(name, parent.get_option("name-" + name))
            else:
                value = self.get(name, parent.get_option(name))
        if name in ("initialize-with-hyphen", "et-al-use-last"):
            value = value.lower() == "true"
        elif name.startswith("et-al"):
            value = int(value)
        return value


class NamesQueries:
    """Rule mixin for `cs:names` (composed in engine/elements.py)."""

    @cached_property
    def substitute_element(self):  # type: ignore[no-untyped-def]
        """The cs:substitute of the cs:names, or None: its first, as citeproc-py's query finds it, found
        among the children (the query compiled an XPath expression for each cs:names, 0.9M instructions
        of a first APA entry)."""
        return next(self.iterchildren("{http://purl.org/net/xbiblio/csl}substitute"), None)

    @cached_property
    def roles(self) -> tuple[tuple[str, str], ...]:
        """The name variables the cs:names prints, each as the style names it and as the engine's records
        key it (`-` as `_`), and whether they are exactly editor and translator: read once."""
        return tuple((role, role.replace("-", "_")) for role in self.get("variable", "").split())  # type: ignore[attr-defined]

    @cached_property
    def editor_and_translator(self) -> bool:
        """Whether the cs:names prints the editors and translators and nothing else (which may combine)."""
        return {role for role, _ in self.roles} == {"editor", "translator"}

    @cached_property
    def name_and_label(self) -> tuple:
        """(its first cs:name or None, its first cs:label or None, whether that label comes before that
        name): found once, not through citeproc-py's `__getattr__` (an lxml `find`) at every render. A
        cs:name the engine adds to a cs:names without one is kept here (see `render_names_element`)."""
        name = self.find("cs:name", self.nsmap)  # type: ignore[attr-defined]
        label = self.find("cs:label", self.nsmap)  # type: ignore[attr-defined]
        label_first = False
        if name is not None and label is not None:
            children = self.getchildren()  # type: ignore[attr-defined]
            label_first = children.index(label) < children.index(name)
        return name, label, label_first

    @cached_property
    def parent_delimiters(self) -> dict:
        """The `names-delimiter` of the cs:citation or cs:bibliography of each context asked so far."""
        return {}

    def get_parent_delimiter(self, context=None):  # type: ignore[no-untyped-def]
        """Overrides `Names.get_parent_delimiter` (replaced, the same answer): answered once per element and
        context (the style's alone)."""
        if context is None:
            context = self
        known = self.parent_delimiters
        delimiter = known.get(context)
        if delimiter is None:
            delimiter = known[context] = context.formatting_parent.get_option("names-delimiter")
        return delimiter

    def substitute(self):  # type: ignore[no-untyped-def]
        """Overrides `Names.substitute` (wrapped): found once per element."""
        return self.substitute_element


class LocaleQueries:
    """Rule mixin for `cs:locale` (composed in engine/elements.py)."""

    @cached_property
    def terms_found(self) -> dict:
        """The terms looked up so far, by (name, form, zero_padded); None for a term the locale lacks."""
        return {}

    @cached_property
    def dates_found(self) -> dict:
        """The locale's date formats looked up so far, by form."""
        return {}

    def get_term(self, name, form=None, zero_padded=False):  # type: ignore[no-untyped-def]
        """Overrides `Locale.get_term` (wrapped): each (name, form) looked up once per locale."""
        terms = self.terms_found
        key = (name, form, zero_padded)
        if key in terms:
            value = terms[key]
        else:
            try:
                value = super().get_term(name, form, zero_padded=zero_padded)
            except IndexError:
                value = None
            terms[key] = value
        if value is None:
            raise IndexError
        return value

    def get_date(self, form):  # type: ignore[no-untyped-def]
        """Overrides `Locale.get_date` (wrapped): each form looked up once per locale."""
        dates = self.dates_found
        found = dates.get(form)
        if found is None:
            found = dates[form] = super().get_date(form)
        return found


class PlannedText:
    """Rule mixin for `cs:text` (composed in engine/elements.py)."""

    @cached_property
    def text_kind(self) -> str | None:
        """Which kind of text the element prints: "variable", "macro", "term", "value", or None."""
        attributes = self.attrib  # type: ignore[attr-defined]
        return next((name for name in ("variable", "macro", "term", "value") if name in attributes), None)

    @cached_property
    def variable_plan(self) -> tuple[str, str | None, str, str]:
        """For a `variable` text: (its variable, the engine name of its short form when `form="short"`,
        that short form, the variable's engine name), read once."""
        variable = self.get("variable")  # type: ignore[attr-defined]
        short = variable + "-short"
        wants_short = self.get("form") == "short"  # type: ignore[attr-defined]
        return variable, short.replace("-", "_") if wants_short else None, short, variable.replace("-", "_")

    @cached_property
    def called_macro(self):  # type: ignore[no-untyped-def]
        """For a `macro` text: the macro it calls (IndexError, not kept, for an undefined one)."""
        return self.get_macro(self.get("macro"))

    @cached_property
    def strips_periods(self) -> bool:
        """Whether the element has `strip-periods="true"`: read once."""
        return self.get("strip-periods", "false").lower() == "true"  # type: ignore[attr-defined]

    def render(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        """Overrides `Text.render` (replaced, as citeproc-py's with its `Text.markup`): `strip-periods`
        read once per element, then the text case, formatting, quotes and affixes as there."""
        text, language = self.process(*args, **kwargs)
        if not text:
            return None
        if self.strips_periods:
            text = text.replace(".", "")
        return self.wrap(self.quote(self.format(self.case(text, language))))

    def process(self, item, context=None, **kwargs):  # type: ignore[no-untyped-def]
        """Overrides `Text.process` (replaced, as citeproc-py's): the kind of text read once per element,
        not with up to four `in self.attrib` (each building an lxml attribute proxy) at every render."""
        kind = self.text_kind
        if kind is None:
            return super().process(item, context=context, **kwargs)
        if context is None:
            context = self
        reference = item.reference
        # `reference.language` raises VariableError when absent (an exception for most records);
        # the reference is a dict, so ask it first.
        if "language" in reference:
            language = reference["language"][:2]
        else:
            language = self.root_element.default_language
        if kind == "variable":
            text = self._variable(item, context)
        elif kind == "macro":
            text = self.called_macro.render(item, context)
        elif kind == "term":
            text = self._term(item)
        else:
            text = String(self.preformat(self.get("value")))
        return text, language

    def _variable(self, item, context):  # type: ignore[no-untyped-def]
        """Overrides `Text._variable` (replaced, as citeproc-py's): the element's variable, form and tag
        read once."""
        value = variable_value(self, item, context)
        if value is ABSENT:
            raise VariableError  # as `reference[name]` raises it for a variable the record lacks
        return value


# What `variable_value` answers for a variable the record lacks (None may be a value).
ABSENT = object()


def variable_value(text, item, context):  # type: ignore[no-untyped-def]
    """What `PlannedText._variable` of the cs:text `text` gives, or `ABSENT` where it raises
    VariableError (a variable the record lacks: most variables a style asks of a record), which a fused
    render need not raise and catch (engine/fused.py)."""
    variable, short_name, short, name = text.variable_plan
    repressed = context.get_layout().repressed
    if repressed:
        tag = text.tag
        if tag in repressed and variable in repressed[tag]:
            return None
    reference = item.reference
    if short_name is not None and short_name in reference:
        variable, name = short, short_name
    if variable.startswith("page"):
        return text._process(reference.page, variable)
    if variable == "citation-number":
        return item.number
    if variable == "locator":
        en_dash = text.unicode_character("EN DASH")
        return str(item.locator.identifier).replace("-", en_dash)
    return reference.get(name, ABSENT)  # `reference[name]` without the KeyError it raises and catches


class PlannedConditions:
    """Rule mixin for `cs:if` and `cs:else-if` (composed in engine/elements.py).

    The element's tests and `match`, its type names and its variable names
    (split, and for variables `-` made `_`) are the style's: read once per
    element instead of at every test of every record."""

    @cached_property
    def condition_plan(self):  # type: ignore[no-untyped-def]
        """(the methods of the element's tests, its `match`), or None for a test this plan does not know
        (`disambiguate`), which citeproc-py's `render`, and the rules over it, judge."""
        attributes = self.attrib
        if any(name not in _IF_ATTRIBUTES for name in attributes):
            return None
        tests = tuple(method for name, method in _IF_TESTS if name in attributes)
        return tests, self.get("match")

    @cached_property
    def type_names(self) -> list[str]:
        return [name.lower() for name in self.get("type").split()]  # type: ignore[attr-defined]

    @cached_property
    def variable_names(self) -> list[str]:
        return [name.replace("-", "_") for name in self.get("variable").split()]  # type: ignore[attr-defined]

    def render(self, item, context=None, delimiter="", **kwargs):  # type: ignore[no-untyped-def]
        """Overrides `If.render` (replaced, as citeproc-py's, for the tests it knows; any other goes to
        `super()`): the element's tests and `match` read once."""
        passed = conditions_pass(self, item, context)
        if passed is None:
            return super().render(item, context=context, delimiter=delimiter, **kwargs)
        if not passed:
            raise ConditionFailed
        return self.render_children(item, context=context, delimiter=delimiter, **kwargs)

    def _type(self, item):  # type: ignore[no-untyped-def]
        """Overrides `If._type` (replaced, the same answer): the type names split once."""
        types = self.type_names
        if not types:
            return []
        kind = item.reference.get("type")  # what `.type` does (every Reference has its type), two calls fewer
        if len(types) == 1:
            return [types[0] == kind]
        return [name == kind for name in types]

    def _variable(self, item):  # type: ignore[no-untyped-def]
        """Overrides `If._variable` (replaced, the same answer): the variable names split once."""
        return [("locator" in item) if name == "locator" else (name in item.reference) for name in self.variable_names]


def conditions_pass(branch, item, context=None):  # type: ignore[no-untyped-def]
    """Whether a cs:if or cs:else-if is taken for `item`, as its `render` (`PlannedConditions`) judges it,
    without raising ConditionFailed (`variables.choose_render` asks this first: most branches that test a
    position fail); None for a test its plan does not know, which only its `render` judges."""
    plan = branch.condition_plan
    if plan is None:
        return None
    tests, match = plan
    results: list = []
    for method in tests:
        if method == "_position":
            results += branch._position(item, context)
        else:
            results += getattr(branch, method)(item)
    if match == "any":
        return any(results)
    if match == "none":
        return not any(results)
    return all(results)


class QuickBranch:
    """Rule mixin for `cs:if`, `cs:else-if` and `cs:else` (composed in engine/elements.py)."""

    @cached_property
    def quick_test(self):  # type: ignore[no-untyped-def]
        """What `branch_passes` needs to judge the branch: see `_quick_test`."""
        return _quick_test(self)


class PlannedChildren:
    """Rule mixin for `cs:if`, `cs:else-if`, `cs:else` and `cs:layout` (composed in engine/elements.py)."""

    @cached_property
    def children_kinds(self) -> tuple:
        """The element's children, each as its render (`render_of`) with whether it is a cs:choose: the
        style's, listed once."""
        from citeproc import model

        return tuple((render_of(child), isinstance(child, model.Choose)) for child in self.iterchildren())  # type: ignore[attr-defined]

    def render_children(self, item, delimiter="", **kwargs):  # type: ignore[no-untyped-def]
        """Overrides `Parent.render_children` (replaced, as citeproc-py's): the children and which of them
        is a cs:choose (which takes the inherited delimiter) listed once, not at every render; each
        child rendered by its fused render where it has one (engine/fused.py)."""
        output = []
        for render, is_choose in self.children_kinds:
            try:
                if is_choose:
                    text = render(item, delimiter=delimiter, **kwargs)
                else:
                    text = render(item, **kwargs)
                if text is not None:
                    output.append(text)
            except VariableError:
                pass
        if output:
            return output[0] if len(output) == 1 else join(output, delimiter)  # `join` gives a lone text back
        return None


def render_of(element):  # type: ignore[no-untyped-def]
    """The function that renders `element` as its `render` does: its fused render (engine/fused.py)
    where its class has one, else its `render`. Parents keep it in their plans."""
    if getattr(type(element), "fused", None) is not None:
        return element.fused
    return element.render


def branch_passes(branch, item):  # type: ignore[no-untyped-def]
    """Whether a branch of a cs:choose is taken for `item`, when only its type and variable tests
    decide that (most of them): True or False, without rendering it or raising ConditionFailed;
    None for a branch with any other test, which only its own `render` can judge.

    The same answer `PlannedConditions.render` gives, with a cs:else always taken.
    """
    plan = branch.quick_test
    if plan is None:
        return None
    if plan is True:
        return True
    types, variables, match = plan
    reference = item.reference
    results: list = []
    if types is not None:  # as `PlannedConditions._type`
        kind = reference.get("type")  # every Reference has its type: CustomDict.__getitem__ would only wrap this
        if match == "any" and variables is None:
            return kind in types
        results += [name == kind for name in types]
    if variables is not None:  # as `PlannedConditions._variable`
        results += [("locator" in item) if name == "locator" else (name in reference) for name in variables]
    if match == "any":
        return any(results)
    if match == "none":
        return not any(results)
    return all(results)


def branches_for_type(branches, kind) -> tuple:  # type: ignore[no-untyped-def]
    """The branches of a cs:choose (`branches`, in order) that a record of type `kind` may take, each with
    True where the type alone says it is taken (the last one then), or None where the record decides
    (`branch_passes`, or the branch's own `render`). A branch whose only test is its type and which the
    type fails is left out, as are the branches after one the type passes: the same branch is taken."""
    found: list = []
    for branch in branches:
        plan = branch.quick_test
        if plan is True:
            found.append((branch, True))
            break
        if plan is None or plan[0] is None or plan[1] is not None:
            found.append((branch, None))
            continue
        types, _, match = plan
        results = [name == kind for name in types]
        if match == "any":
            passes = any(results)
        elif match == "none":
            passes = not any(results)
        else:
            passes = all(results)
        if passes:
            found.append((branch, True))
            break
    return tuple(found)


def _quick_test(branch):  # type: ignore[no-untyped-def]
    """True for a cs:else; None for a branch with a test other than `type` and `variable`; else (its type
    names or None, its variable names or None, its `match`), split and normalised once as
    `PlannedConditions` does."""
    from citeproc import model

    if isinstance(branch, model.Else):
        return True
    attributes = branch.attrib
    if any(name in attributes for name in ("is-numeric", "is-uncertain-date", "locator", "position", "disambiguate")):
        return None
    types = tuple(branch.type_names) if "type" in attributes else None
    variables = tuple(branch.variable_names) if "variable" in attributes else None
    return types, variables, branch.get("match")


def known_unambiguous(bibliography, keys) -> None:  # type: ignore[no-untyped-def]
    """Tell disambiguation which records share their first cite with no other (see below).

    A long bibliography is rendered in two passes (lutnick_cli.citation.batch).
    The first renders every record's first cite and groups the records whose
    first cites are equal: only those can be ambiguous. The second renders
    the entries, and disambiguation there would render every first cite
    again just to find the groups, a fifth of its time, though most records
    (97% of 3,000 generated ones) are in none. For the records the first
    pass found alone (the bibliography's `alone`), disambiguation's
    first-cite renderer answers with a text no cite can have (it holds a
    NUL, which no record may contain), so they stay out of every group as
    they would anyway.
    """
    bibliography.context.alone = frozenset(keys)


_IF_TESTS = (
    ("type", "_type"),
    ("variable", "_variable"),
    ("is-numeric", "_is_numeric"),
    ("is-uncertain-date", "_is_uncertain_date"),
    ("locator", "_locator"),
    ("position", "_position"),
)
_IF_ATTRIBUTES = {name for name, _ in _IF_TESTS} | {"match"}

_FORMATTING = ("font-style", "font-variant", "font-weight", "text-decoration", "vertical-align")
