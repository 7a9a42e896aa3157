"""Per-style caches for citeproc-py's style-only look-ups.

citeproc-py answers questions that depend only on the style with an XPath
query every time it meets them, once per element per record:
`CitationStylesElement.get_macro` (a query per macro call),
`Parent.calls_variable` and friends (recursive, through every macro, for
every group of every record — the bulk of the time with a large style),
`get_layout`, `Name.get_option` / `Names.get_parent_delimiter` (an ancestor
query for every option of every name), `Date.is_locale_date` and
`Locale.get_term`. Two more are asked hundreds of thousands of times in a
large bibliography: `get_root` (behind every `get_formatter`, a tree walk
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


def _pin(root) -> None:  # type: ignore[no-untyped-def]
    if "_lutnick_pinned" not in root.__dict__:
        root.__dict__["_lutnick_pinned"] = list(root.iter())


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

    set_locale_list = model.Style.set_locale_list

    def pinning_set_locale_list(self, output_locale, validate=True):  # type: ignore[no-untyped-def]
        """`Style.set_locale_list` wrapper: pin the style's and its locales' elements (see module docstring)."""
        set_locale_list(self, output_locale, validate=validate)
        _pin(self)
        for locale in self.locales:
            _pin(locale.getroottree().getroot())

    model.Style.set_locale_list = pinning_set_locale_list

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
    _install_first_cite_reuse()


def reuse_first_cites(bibliography, first_cites) -> None:  # type: ignore[no-untyped-def]
    """Let disambiguation take the first cites (`first_cite_texts`) worked out already, in another process.

    A long bibliography is rendered in two passes (lutnick_cli.citebatch):
    the first renders every record's first cite to find the ambiguity
    groups, and the second, rendering the entries, would render the same
    first cites again to start disambiguation, a fifth of its time. A
    record's first cite, before disambiguation decided anything for it,
    depends on the record and the style alone (the caller makes sure no
    citation number is in it), so the text from the first pass is the text
    the second would compute. It is used only while the record's state is
    still the fresh one; once disambiguation added a name or a given name,
    the cite is rendered again as before.
    """
    bibliography.__dict__["_lutnick_first_cites"] = first_cites


def first_cite_texts(bibliography) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Every registered record's first cite as disambiguation compares it, with nothing yet decided."""
    from lutnick_cli.engine import disambiguation

    bibliography.__dict__["_lutnick_states"] = {key: disambiguation.State() for key in bibliography.keys}
    render = disambiguation._Renderer(bibliography)
    try:
        return {key: render(key) for key in bibliography.keys}
    finally:
        del bibliography.__dict__["_lutnick_states"]


def _install_first_cite_reuse() -> None:
    from lutnick_cli.engine import disambiguation

    render_first_cite = disambiguation._Renderer.__call__
    fresh = disambiguation.State()

    def reusing_first_cite(self, key):  # type: ignore[no-untyped-def]
        """`_Renderer.__call__` that takes a first cite given by `reuse_first_cites` while the state is fresh."""
        known = self.bibliography.__dict__.get("_lutnick_first_cites")
        if known is not None and key in known:
            states = self.bibliography.__dict__.get("_lutnick_states") or {}
            if states.get(key, fresh) == fresh:
                return known[key]
        return render_first_cite(self, key)

    disambiguation._Renderer.__call__ = reusing_first_cite


_FORMATTING = ("font-style", "font-variant", "font-weight", "text-decoration", "vertical-align")
