"""What a style says about itself that rendering and batching ask: read once, when the style loads.

`StyleFacts` is built by `elements.EngineStyle` from the style's XML and
never changes after. Disambiguation reads its options here, the parallel
batch (`citation.batch`) reads here what makes one record's output depend on
another's, and the implicit year suffix whether the style prints
`year-suffix` itself.
"""

# No `from __future__ import annotations` here, unlike elsewhere: typing.NamedTuple compiles each field's
# annotation given as a string (a ForwardRef each). The named tuples of render.py, styles.py and
# engine/facts.py, all made on every cold `lutnick cite`, took 1.5M instructions more so.

from typing import NamedTuple

from lxml import etree

_CSL = "{http://purl.org/net/xbiblio/csl}"


class StyleFacts(NamedTuple):
    """A style's traits, from its XML (CSL 1.0.2, "Disambiguation", "Reference Grouping", cs:citation)."""

    add_names: bool  # disambiguate-add-names
    add_givenname: bool  # disambiguate-add-givenname
    givenname_rule: str  # givenname-disambiguation-rule
    add_year_suffix: bool  # disambiguate-add-year-suffix
    condition: bool  # some cs:if or cs:else-if tests disambiguate="true"
    explicit_year_suffix: bool  # the style prints year-suffix with a cs:text of its own
    substitutes_authors: bool  # the bibliography sets subsequent-author-substitute
    numbers_cites: bool  # cs:citation, through its macros, may render the citation number

    @property
    def disambiguates(self) -> bool:
        """Whether a cite may change with the other items: any method of disambiguation is on."""
        return self.add_names or self.add_givenname or self.add_year_suffix or self.condition

    @property
    def global_names(self) -> bool:
        """Whether given names are expanded over the whole bibliography (a rule other than by-cite)."""
        return self.add_givenname and self.givenname_rule != "by-cite"

    @classmethod
    def of(cls, root) -> "StyleFacts":  # type: ignore[no-untyped-def]
        """The facts of a style's root element (`cs:style`).

        Read by walking the tree with lxml's iterators, not by XPath: citeproc-py's `xpath_search`
        compiles its expression on every call, and asking it per macro took most of a style's load.
        """
        citation = root.citation
        attribute = citation.get if citation is not None else (lambda name, default=None: default)
        bibliography = root.bibliography
        return cls(
            add_names=attribute("disambiguate-add-names", "false") == "true",
            add_givenname=attribute("disambiguate-add-givenname", "false") == "true",
            givenname_rule=attribute("givenname-disambiguation-rule", "by-cite"),
            add_year_suffix=attribute("disambiguate-add-year-suffix", "false") == "true",
            condition=any(test.get("disambiguate") == "true" for test in root.iter(f"{_CSL}if", f"{_CSL}else-if")),
            explicit_year_suffix=any(text.get("variable") == "year-suffix" for text in root.iter(f"{_CSL}text")),
            substitutes_authors=bibliography is not None
            and bibliography.get("subsequent-author-substitute") is not None,
            numbers_cites=citation is not None and _uses_citation_number(citation),
        )


def _uses_citation_number(citation) -> bool:  # type: ignore[no-untyped-def]
    """Whether the style's cs:citation, through its macros, may render the citation number: an element
    inside it or a macro it reaches has a `variable` naming it."""
    seen: set[str] = set()
    pending = [citation]
    while pending:
        element = pending.pop()
        for inside in element.iter(etree.Element):
            if inside is not element and "citation-number" in inside.get("variable", ""):
                return True
            name = inside.get("macro")
            if name is not None and name not in seen:
                seen.add(name)
                try:
                    pending.append(element.get_macro(name))
                except IndexError:
                    # A macro the style calls but does not define fails only if it is ever
                    # rendered, as before; here it may hide a number, so assume it does.
                    return True
    return False
