"""Layout and display (CSL 1.0.2, "Display", "Whitespace": `second-field-align`; "Group"; "Layout").

citeproc-py ignores the `display` attribute and the bibliography's
`second-field-align` option (`model.Affixed.wrap` and
`model.Layout.render_bibliography` never look at them), so a numbered IEEE
entry came out as plain running text. Here:

- an element with `display="block" | "left-margin" | "right-inline" |
  "indent"` is bracketed by the display marks of `lutnick_cli.citation.markup`
  (HTML: citeproc-js's `<div class="csl-…">`; other formats print the text
  alone), outside its affixes;
- with `second-field-align`, the first field of an entry is its left margin
  and the rest its right-inline part (`[1]` | ` A. Lutnick, …`), as in
  citeproc-js;
- an entry (or citation) whose layout renders nothing prints nothing, rather
  than its affixes alone;
- an HTML entry is written as citeproc-js writes it, line breaks and
  indentation around its display blocks included (`html_entry()`), so that
  it is byte for byte what Zotero users paste.

Tests: tests/test_engine_display.py.
"""

from __future__ import annotations

import re
from functools import cache

from citeproc.string import MixedString, String

from lutnick_cli.citation.engine.lazy import cached_property
from lutnick_cli.citation.engine.performance import affixed
from lutnick_cli.citation.markup import MARKS

_DISPLAYS = {"block", "left-margin", "right-inline", "indent"}


_CLOSERS = {MARKS[display][1] for display in _DISPLAYS}

# What citeproc-js's HTML writes before a display block's opening tag and after its closing tag.
_HTML_LAYOUT = {
    "block": ("\n\n    ", "\n"),
    "left-margin": ("\n    ", ""),
    "right-inline": ("", "\n  "),
    "indent": ("", "\n  "),
}


@cache
def _html_div() -> re.Pattern[str]:
    """A `csl-*` div of a finished HTML entry or its end, compiled when first used (HTML output only)."""
    return re.compile(r'<div class="csl-([a-z-]+)">|</div>')


def html_entry(entry: str) -> str:
    """One finished HTML entry in its `<div class="csl-entry">`, laid out as citeproc-js writes it."""
    output, closings, position = ['<div class="csl-entry">'], [], 0
    for match in _html_div().finditer(entry):
        output.append(entry[position : match.start()])
        if match.group(1):
            before, after = _HTML_LAYOUT.get(match.group(1), ("", ""))
            output.append(before + match.group(0))
            closings.append(after)
        else:
            output.append(match.group(0) + (closings.pop() if closings else ""))
        position = match.end()
    output.append(entry[position:] + "</div>")
    return "".join(output)


def _suffix_into_last_block(entry, suffix: str):  # type: ignore[no-untyped-def]
    """citeproc-js puts the layout's suffix inside an entry's last display block (`…Here.</div>`)."""
    text = str(entry)
    if not suffix or not text.endswith(suffix) or len(text) <= len(suffix):
        return entry
    head = text[: -len(suffix)]
    if head[-1] not in _CLOSERS:
        return entry
    return String(head[:-1] + suffix + head[-1])


class DisplayBlock:
    """Rule mixin for every element with affixes (layout, text, date, date-part, number, names, name,
    name-part, et-al, label, group)."""

    @cached_property
    def affixes(self) -> tuple[str, str, str | None]:
        """(prefix, suffix, display): the element's, read once; display None unless it is one of the four."""
        display = self.get("display")  # type: ignore[attr-defined]
        return self.get("prefix", ""), self.get("suffix", ""), display if display in _DISPLAYS else None  # type: ignore[attr-defined]

    def wrap(self, string):  # type: ignore[no-untyped-def]
        """Overrides `Affixed.wrap` (replaced, the same text: `performance.affixed`): affixes, then the
        element's `display` block around them.
        Without affixes or a display (most elements), citeproc-py's wrap gives back the text it is given
        (a string, or a MixedString, which discards an empty string added to it), so it is not called."""
        prefix, suffix, display = self.affixes
        if string is None or (isinstance(string, (str, MixedString)) and not prefix and not suffix):
            text = string
        else:
            text = affixed(prefix, string, suffix)  # `Affixed.wrap`, with the affixes read once
        if display is None or text is None:
            return text
        opening, closing = MARKS[display]
        return String(opening) + text + String(closing)


class SecondFieldAlign:
    """Rule mixin for `cs:layout`."""

    def render_bibliography(self, citation_items):  # type: ignore[no-untyped-def]
        """Wraps `Layout.render_bibliography`: `second-field-align` splits the first field into the margin.

        Without it, citeproc-py's entries, the layout's suffix moved into the
        last display block. With it, each entry is rendered here child by
        child (the first child printing is the margin), and citeproc-py's
        method is not called.
        """
        align = self.getparent().get("second-field-align")
        if align not in ("flush", "margin"):
            suffix = self.get("suffix", "")
            return [_suffix_into_last_block(entry, suffix) for entry in super().render_bibliography(citation_items)]
        return _aligned_entries(self, citation_items)


def _aligned_entries(self, citation_items):  # type: ignore[no-untyped-def]
    from citeproc import model
    from citeproc.source import VariableError

    from lutnick_cli.citation.engine.context import context_of
    from lutnick_cli.citation.engine.performance import added, join

    left_open, left_close = MARKS["left-margin"]
    right_open, right_close = MARKS["right-inline"]
    output = []
    for item in citation_items:
        self.repressed = {}
        context_of(item).layout = self
        pieces = []
        for child in self.iterchildren():
            try:
                if isinstance(child, model.Choose):
                    text = child.render(item, delimiter=self.get("delimiter", ""))
                else:
                    text = child.render(item)
            except VariableError:
                continue
            if text is not None and str(text) != "":
                pieces.append(text)
        if not pieces:
            continue
        # each `+` as citeproc-py's operators add (`added`), without the TypeError each raises and catches
        first = added(String(self.get("prefix", "")), pieces[0])
        rest = join(pieces[1:], self.get("delimiter", "")) if len(pieces) > 1 else String("")
        rest = added(rest, String(self.get("suffix", ""))) if str(rest) else rest
        # citeproc-js ends the right-inline block at its last printed character: whitespace after it
        # (a trailing `suffix=". "`) follows the block's closing tag
        kept = str(rest).rstrip()
        text = String(left_open)
        for piece in (first, String(left_close), String(right_open), String(kept), String(right_close)):
            text = added(text, piece)
        output.append(added(text, String(str(rest)[len(kept) :])))
    return output
