"""Per-style caches for citeproc-py's style-only look-ups.

citeproc-py answers questions that depend only on the style with an XPath
query every time it meets them, once per element per record:
`CitationStylesElement.get_macro` (a query per macro call),
`Parent.calls_variable` and friends (recursive, through every macro, for
every group of every record — the bulk of the time with a large style),
`get_layout`, `Name.get_option` / `Names.get_parent_delimiter` (an ancestor
query for every option of every name), `Date.is_locale_date` and
`Locale.get_term`. Their answers never change for a given style, so they are
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
