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

How: citeproc-py's elements are lxml proxies, which lxml may discard and
recreate, so nothing could be remembered on them. When a style is
constructed (`Style.set_locale_list`, which citeproc-py calls once per
style), every element of the style and of its locales is pinned in a list
held by the style's root; lxml then hands out the same proxy for a node for
as long as the style lives, and each answer is memoised on its proxy.
Output is byte-identical; only the repeated queries go.

Test: tests/test_engine_performance.py (same output, and each look-up is
computed once per style).
"""

from __future__ import annotations

from functools import wraps

_MISSING = object()


def _memo(attribute: str):  # type: ignore[no-untyped-def]
    """Memoise a no-argument method's result on the (pinned) element proxy."""

    def decorate(method):  # type: ignore[no-untyped-def]
        @wraps(method)
        def cached(self):  # type: ignore[no-untyped-def]
            store = self.__dict__
            value = store.get(attribute, _MISSING)
            if value is _MISSING:
                value = store[attribute] = method(self)
            return value

        cached.__lutnick_cached__ = True  # type: ignore[attr-defined]
        return cached

    return decorate


def _memo_by_argument(attribute: str):  # type: ignore[no-untyped-def]
    """Memoise a one-argument method's results, by argument, on the (pinned) element proxy."""

    def decorate(method):  # type: ignore[no-untyped-def]
        @wraps(method)
        def cached(self, argument):  # type: ignore[no-untyped-def]
            answers = self.__dict__.setdefault(attribute, {})
            value = answers.get(argument, _MISSING)
            if value is _MISSING:
                value = answers[argument] = method(self, argument)
            return value

        return cached

    return decorate


def _pin(root) -> None:  # type: ignore[no-untyped-def]
    if "_lutnick_pinned" not in root.__dict__:
        root.__dict__["_lutnick_pinned"] = list(root.iter())


class PinnedElements:
    """Rule mixin for `cs:style` (composed in engine/elements.py)."""

    def set_locale_list(self, output_locale, validate=True):  # type: ignore[no-untyped-def]
        """Overrides `Style.set_locale_list`: pin the style's and its locales' elements (see the module
        docstring). Test: tests/test_engine_performance.py."""
        super().set_locale_list(output_locale, validate=validate)  # type: ignore[misc]
        _pin(self)
        for locale in self.locales:  # type: ignore[attr-defined]
            _pin(locale.getroottree().getroot())


def _formatting_parent(element):  # type: ignore[no-untyped-def]
    """The cs:citation or cs:bibliography an element belongs to (memoised)."""
    store = element.__dict__
    value = store.get("_lutnick_formatting_parent", _MISSING)
    if value is _MISSING:
        found = element.xpath_search("./ancestor::*[self::cs:citation or self::cs:bibliography][1]")
        value = store["_lutnick_formatting_parent"] = found[0] if found else None
    return value


def install() -> None:
    from citeproc import model

    # calls_variable: a property of the style only
    for cls in (model.Parent, model.Text, model.Date, model.Number, model.Names, model.Label, model.Group):
        method = cls.__dict__.get("calls_variable")
        if method is not None and not getattr(method, "__lutnick_cached__", False):
            cls.calls_variable = _memo("_lutnick_calls_variable")(method)

    get_macro = model.CitationStylesElement.get_macro

    def cached_get_macro(self, name):  # type: ignore[no-untyped-def]
        """`get_macro` with the style's macros looked up once."""
        root = self.get_root()
        macros = root.__dict__.setdefault("_lutnick_macros", {})
        macro = macros.get(name)
        if macro is None:
            macro = macros[name] = get_macro(self, name)
        return macro

    model.CitationStylesElement.get_macro = cached_get_macro
    model.CitationStylesElement.get_layout = _memo("_lutnick_layout")(model.CitationStylesElement.get_layout)
    model.Date.is_locale_date = _memo("_lutnick_is_locale_date")(model.Date.is_locale_date)

    def name_get_option(self, name, context=None, sort_options=None):  # type: ignore[no-untyped-def]
        """`Name.get_option` with the formatting parent found once per element."""
        try:
            value = sort_options[name]
        except (TypeError, KeyError):
            parent = _formatting_parent(context if context is not None else self)
            if name in ("form", "delimiter"):
                value = self.get(name, parent.get_option("name-" + name))
            else:
                value = self.get(name, parent.get_option(name))
        if name in ("initialize-with-hyphen", "et-al-use-last"):
            value = value.lower() == "true"
        elif name.startswith("et-al"):
            value = int(value)
        return value

    model.Name.get_option = name_get_option

    def names_parent_delimiter(self, context=None):  # type: ignore[no-untyped-def]
        """`Names.get_parent_delimiter` with the formatting parent found once per element."""
        return _formatting_parent(context if context is not None else self).get_option("names-delimiter")

    model.Names.get_parent_delimiter = names_parent_delimiter

    get_term = model.Locale.get_term

    def cached_get_term(self, name, form=None, zero_padded=False):  # type: ignore[no-untyped-def]
        """`Locale.get_term` with each (name, form) looked up once per locale."""
        terms = self.__dict__.setdefault("_lutnick_terms", {})
        key = (name, form, zero_padded)
        value = terms.get(key, _MISSING)
        if value is _MISSING:
            try:
                value = get_term(self, name, form, zero_padded=zero_padded)
            except IndexError:
                value = None
            terms[key] = value
        if value is None:
            raise IndexError
        return value

    model.Locale.get_term = cached_get_term

    # get_root: an element never changes tree once its style is built; remembered on the pinned proxy.
    model.CitationStylesElement.get_root = _memo("_lutnick_root")(model.CitationStylesElement.get_root)

    format_text = model.Formatted.format

    def plain_format(self, string):  # type: ignore[no-untyped-def]
        """`Formatted.format` that returns the text untouched when the element has no formatting attribute.

        Each of citeproc-py's five steps returns its input unchanged when its
        attribute is absent, so skipping them then is the same output.
        `self.get` (not the lxml attributes) so that engine objects standing in
        for an element (a date part with a localized date's overrides) are
        answered from their own attributes.
        """
        store = self.__dict__
        plain = store.get("_lutnick_plain_format")
        if plain is None:
            plain = store["_lutnick_plain_format"] = all(self.get(name) is None for name in _FORMATTING)
        if plain:
            return str(string) if isinstance(string, (int, float)) else string
        return format_text(self, string)

    model.Formatted.format = plain_format

    # cs:if type="…" and variable="…": the lists of names are the style's, split (and, for
    # variables, '-' made '_') once per element instead of at every test of every record;
    # the record's type is looked up once per test rather than once per name.
    def if_type(self, item):  # type: ignore[no-untyped-def]
        """`If._type` with the element's type names split once."""
        store = self.__dict__
        types = store.get("_lutnick_types")
        if types is None:
            types = store["_lutnick_types"] = [name.lower() for name in self.get("type").split()]
        if not types:
            return []
        kind = item.reference["type"]  # what `.type` does (CustomDict.__getattr__), one call fewer
        if len(types) == 1:
            return [types[0] == kind]
        return [name == kind for name in types]

    def if_variable(self, item):  # type: ignore[no-untyped-def]
        """`If._variable` with the element's variable names split once."""
        store = self.__dict__
        names = store.get("_lutnick_variables")
        if names is None:
            names = store["_lutnick_variables"] = [name.replace("-", "_") for name in self.get("variable").split()]
        return [("locator" in item) if name == "locator" else (name in item.reference) for name in names]

    model.If._type = if_type
    model.If._variable = if_variable

    # If.render and Text.process ask the element's attributes which tests or which kind of
    # text it has (up to six `in self.attrib`, each building an lxml attribute proxy) at
    # every render; a style's attributes never change, so the answer is kept per element.
    condition_failed = model.ConditionFailed

    def planned_if_render(self, item, context=None, delimiter="", **kwargs):  # type: ignore[no-untyped-def]
        """`If.render` as citeproc-py's, with the element's tests and `match` read once."""
        store = self.__dict__
        plan = store.get("_lutnick_if_plan")
        if plan is None:
            attributes = self.attrib
            plan = store["_lutnick_if_plan"] = (
                tuple(method for name, method in _IF_TESTS if name in attributes),
                self.get("match"),
            )
        tests, match = plan
        results: list = []
        for method in tests:
            if method == "_position":
                results += self._position(item, context)
            else:
                results += getattr(self, method)(item)
        if match == "any":
            passed = any(results)
        elif match == "none":
            passed = not any(results)
        else:
            passed = all(results)
        if not passed:
            raise condition_failed
        return self.render_children(item, context=context, delimiter=delimiter, **kwargs)

    model.If.render = planned_if_render

    text_process = model.Text.process
    string_class = model.String

    def planned_text_process(self, item, context=None, **kwargs):  # type: ignore[no-untyped-def]
        """`Text.process` as citeproc-py's, with the kind of text (variable, macro, term, value) read once."""
        store = self.__dict__
        kind = store.get("_lutnick_text_kind", _MISSING)
        if kind is _MISSING:
            attributes = self.attrib
            kind = store["_lutnick_text_kind"] = next(
                (name for name in ("variable", "macro", "term", "value") if name in attributes), None
            )
        if kind is None:
            return text_process(self, item, context=context, **kwargs)
        if context is None:
            context = self
        reference = item.reference
        # `reference.language` raises VariableError when absent (an exception for most records);
        # the reference is a dict, so ask it first.
        if "language" in reference:
            language = reference["language"][:2]
        else:
            language = self.get_root().get("default-locale", "en")[:2]
        if kind == "variable":
            text = self._variable(item, context)
        elif kind == "macro":
            text = self.get_macro(self.get("macro")).render(item, context)
        elif kind == "term":
            text = self._term(item)
        else:
            text = string_class(self.preformat(self.get("value")))
        return text, language

    model.Text.process = planned_text_process

    # Locale.get_date and Names.substitute: an XPath query for a part of the style or locale
    # that nothing changes once it is loaded.
    model.Locale.get_date = _memo_by_argument("_lutnick_dates")(model.Locale.get_date)

    # Whatever else still queries the style (the date forms, a substitute's cs:names, et-al,
    # whether a cs:names is in the bibliography): the tree never changes, nor the answer.
    xpath_search = _memo_by_argument("_lutnick_xpath")(model.CitationStylesElement.xpath_search)

    def cached_xpath_search(self, expression):  # type: ignore[no-untyped-def]
        """`xpath_search` answered once per element and expression (a copy, which callers may change)."""
        return list(xpath_search(self, expression))

    model.CitationStylesElement.xpath_search = cached_xpath_search
    model.Names.substitute = _memo("_lutnick_substitute")(model.Names.substitute)


def branch_passes(branch, item):  # type: ignore[no-untyped-def]
    """Whether a branch of a cs:choose is taken for `item`, when only its type and variable tests
    decide that (most of them): True or False, without rendering it or raising ConditionFailed;
    None for a branch with any other test, which only its own `render` can judge.

    The same answer `planned_if_render` gives, with a cs:else always taken.
    """
    store = branch.__dict__
    plan = store.get("_lutnick_quick_test", _MISSING)
    if plan is _MISSING:
        plan = store["_lutnick_quick_test"] = _quick_test(branch)
    if plan is None:
        return None
    if plan is True:
        return True
    tests, match = plan
    results: list = []
    for method in tests:
        results += method(branch, item)
    if match == "any":
        return any(results)
    if match == "none":
        return not any(results)
    return all(results)


def _quick_test(branch):  # type: ignore[no-untyped-def]
    from citeproc import model

    if isinstance(branch, model.Else):
        return True
    attributes = branch.attrib
    if any(name in attributes for name in ("is-numeric", "is-uncertain-date", "locator", "position", "disambiguate")):
        return None
    tests = tuple(getattr(model.If, method) for name, method in _IF_TESTS if name in attributes)
    return tests, branch.get("match")


def known_unambiguous(bibliography, keys) -> None:  # type: ignore[no-untyped-def]
    """Tell disambiguation which records share their first cite with no other (see below).

    A long bibliography is rendered in two passes (lutnick_cli.citation.batch).
    The first renders every record's first cite and groups the records whose
    first cites are equal: only those can be ambiguous. The second renders
    the entries, and disambiguation there would render every first cite
    again just to find the groups, a fifth of its time, though most records
    (97% of 3,000 generated ones) are in none. For the records the first
    pass found alone, disambiguation's first-cite renderer answers with a
    text no cite can have (it holds a NUL, which no record may contain), so
    they stay out of every group as they would anyway.
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

_FORMATTING = ("font-style", "font-variant", "font-weight", "text-decoration", "vertical-align")
