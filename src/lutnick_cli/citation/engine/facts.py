"""What a style says about itself that rendering and batching ask: each read once per style.

`StyleFacts` is built by `elements.EngineStyle` from the style's XML when
the style loads, and never changes after; what asks a walk of the whole
style is read when first asked. Disambiguation reads its options here, the
parallel batch (`citation.batch`) reads here what makes one record's output
depend on another's, and the implicit year suffix whether the style prints
`year-suffix` itself.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from lutnick_cli.citation.engine.cache import style_cache
from lutnick_cli.errors import ValueTuple

_CSL = "{http://purl.org/net/xbiblio/csl}"


class StyleFacts(ValueTuple):
    """A style's traits, from its XML (CSL 1.0.2, "Disambiguation", "Reference Grouping", cs:citation).

    Those that ask a walk of the style (`condition`, `explicit_year_suffix`,
    `numbers_cites`) are worked out when first asked, and kept with the
    style: walking for all three took 4.6M instructions of a cold `lutnick
    cite` of APA, which asks none of them (APA's disambiguation is on before
    `condition` is asked; `explicit_year_suffix` is asked only where a year
    suffix is added; `numbers_cites` only where a bibliography is split
    between processes, `citation.batch`).
    """

    add_names: bool  # disambiguate-add-names
    add_givenname: bool  # disambiguate-add-givenname
    givenname_rule: str  # givenname-disambiguation-rule
    add_year_suffix: bool  # disambiguate-add-year-suffix
    substitutes_authors: bool  # the bibliography sets subsequent-author-substitute
    root: Any  # the style's root element (`cs:style`), from which the other facts are read when asked

    @property
    def disambiguates(self) -> bool:
        """Whether a cite may change with the other items: any method of disambiguation is on."""
        return self.add_names or self.add_givenname or self.add_year_suffix or self.condition

    @property
    def global_names(self) -> bool:
        """Whether given names are expanded over the whole bibliography (a rule other than by-cite)."""
        return self.add_givenname and self.givenname_rule != "by-cite"

    @property
    def condition(self) -> bool:
        """Whether some cs:if or cs:else-if tests disambiguate="true"."""
        return self._walked("condition", _tests_disambiguation)

    @property
    def explicit_year_suffix(self) -> bool:
        """Whether the style prints year-suffix with a cs:text of its own."""
        return self._walked("explicit_year_suffix", _prints_year_suffix)

    @property
    def numbers_cites(self) -> bool:
        """Whether cs:citation, through its macros, may render the citation number."""
        return self._walked("numbers_cites", _uses_citation_number)

    def _walked(self, name: str, walk) -> bool:  # type: ignore[no-untyped-def]
        """The fact `name`, from `walk` of the root the first time it is asked, then kept with the style."""
        kept = style_cache(self.root)
        key = f"facts {name}"
        found = kept.get(key)
        if found is None:
            found = kept[key] = walk(self.root)
        return found

    @classmethod
    def of(cls, root) -> StyleFacts:  # type: ignore[no-untyped-def]
        """The facts of a style's root element (`cs:style`)."""
        citation = root.citation
        attribute = citation.get if citation is not None else (lambda name, default=None: default)
        bibliography = root.bibliography
        return cls(
            add_names=attribute("disambiguate-add-names", "false") == "true",
            add_givenname=attribute("disambiguate-add-givenname", "false") == "true",
            givenname_rule=attribute("givenname-disambiguation-rule", "by-cite"),
            add_year_suffix=attribute("disambiguate-add-year-suffix", "false") == "true",
            substitutes_authors=bibliography is not None
            and bibliography.get("subsequent-author-substitute") is not None,
            root=root,
        )


# The walks of the style for the facts read when asked: with lxml's iterators, not by XPath, which
# citeproc-py's `xpath_search` compiles on every call (and libxml2 evaluates no faster).


def _tests_disambiguation(root) -> bool:  # type: ignore[no-untyped-def]
    return any(test.get("disambiguate") == "true" for test in root.iter(f"{_CSL}if", f"{_CSL}else-if"))


def _prints_year_suffix(root) -> bool:  # type: ignore[no-untyped-def]
    return any(text.get("variable") == "year-suffix" for text in root.iter(f"{_CSL}text"))


def _uses_citation_number(root) -> bool:  # type: ignore[no-untyped-def]
    """Whether the style's cs:citation, through its macros, may render the citation number: an element
    inside it or a macro it reaches has a `variable` naming it."""
    citation = root.citation
    if citation is None:
        return False
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
