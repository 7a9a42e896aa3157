"""The state of one bibliography's renders (`RenderContext`), and the one way the engine renders a lone cite.

Each engine bibliography (`citation.render`'s bibliography class) owns one
`RenderContext`, made with it; nothing of a render is kept in a module or on
the style's elements, which every bibliography of the style shares. A rule
reaches the context through the cited item it renders (`context_of`):
every render and process method of citeproc-py is handed the item, and the
item knows its bibliography (`CitationItem.bibliography`, looked up once by
`citation.render`'s item class). That path is explicit, costs one attribute
lookup, and is the same in a citation, an entry, a sort key or a first cite
rendered by disambiguation, where the layout's parent (`cs:citation`) would
hold only the cites of citations. So two bibliographies rendering
interleaved, in one thread or in two, each see their own state.

citeproc-py keeps some per-render state of its own on the style's elements:
the layout's `repressed` (substituted variables; the engine's own marks of a
render go there too, so that they are reset exactly where citeproc-py resets
it) and `cs:citation`'s `cites`. Each is set afresh when a cite or an entry
starts, so bibliographies sharing a style may take turns, cite by cite;
concurrent renders need a style each (`styles.engine_style` makes one).
"""

from __future__ import annotations

from typing import Any

from citeproc.source import VariableError


class RenderContext:
    """What one bibliography's renders need, beside the style and the items.

    A plain class: a dataclass's generated methods are compiled when it is defined, which a cold
    `lutnick cite` paid for on every run, and a context is only ever made empty and compared by identity.
    """

    def __init__(self) -> None:
        # The layout (cs:citation's or cs:bibliography's) rendering now: substitution and the implicit year
        # suffix are marked on its `repressed`.
        self.layout: Any = None
        # cs:substitute elements being rendered, innermost last, and the variables each printed so far.
        self.substituting: list[Any] = []
        self.printed_in_substitute: list[set[str]] = []
        # The branch each cs:choose took in the render under way (None: no branch), for the group and macro rules.
        self.taken: dict[Any, Any] = {}
        # What cite grouping and subsequent-author-substitute capture while a cite or an entry renders
        # ("mode", "names", "name", "replacement", "first_leaf"); empty when nothing is captured.
        self.capture: dict[str, Any] = {}
        # The first element that printed in the last cite grouping rendered (a leading term is capitalised).
        self.first_leaf: Any = None
        # Disambiguation: the decisions per item key, the keys they were made for, and the keys known to
        # share their first cite with no other item (engine.performance.known_unambiguous).
        self.states: dict[str, Any] = {}
        self.signature: tuple[str, ...] | None = None
        self.alone: frozenset[str] = frozenset()


def context_of(item) -> RenderContext:  # type: ignore[no-untyped-def]
    """The render context of the bibliography a cited item belongs to."""
    return item.bibliography.context


def render_layout(layout, item, first: bool = False):  # type: ignore[no-untyped-def]
    """One cite or entry as `layout` renders it alone (its own affixes and formatting left out), or None.

    The engine renders a lone cite outside citeproc-py's loops to compare or
    capture it (disambiguation, cite grouping, the batch's first pass); this
    starts it as citeproc-py starts each cite, with nothing repressed. With
    `first`, it is the item's first cite: no cite comes before it (the
    cs:citation's cites are set aside meanwhile, for the `position` tests).
    """
    citation = layout.getparent() if first else None
    earlier = citation.__dict__.get("cites") if citation is not None else None
    if citation is not None:
        citation.cites = []
    layout.repressed = {}
    try:
        return layout.render_children(item)
    except VariableError:
        return None
    finally:
        if citation is not None:
            citation.cites = earlier if earlier is not None else []
