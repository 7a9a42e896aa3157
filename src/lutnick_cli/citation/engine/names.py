"""Names (CSL 1.0.2, "Names", "Name", "Name-part Order", "Name Particles", "Et-al").

citeproc-py's `model.Name.process` has no seam to hook a single rule into: it
reads the options and builds each name in one method. It is replaced here by
`render_names()`, which follows the specification's rules one by one:

- `initialize="false"` with `initialize-with` only normalises initials the
  data already has; full given names stay (citeproc-py initialised them all:
  Chicago printed `Lutnick, A.` for `Lutnick, Alexandra`);
- hyphenated given names initialise per part (`Jean-Pierre` → `J.-P.`,
  or `J.P.` with `initialize-with-hyphen="false"`); a lower-case part after a
  hyphen is dropped (`G-ping` → `G`); a leading capital pair keeps two letters
  (`THeodor` → `Th.`); a name with no family name is never initialised;
- names in non-Latin scripts (CJK) print family name first with no space
  (`村上春樹`), as citeproc-js does;
- particles: a particle that ends in an apostrophe or hyphen is joined without
  a space (`d’Ancona`, `al-Rashid`); `demote-non-dropping-particle` places the
  non-dropping particle; `comma-suffix` puts a comma before the suffix;
- name-part formatting and text-case apply to the family name with its
  non-dropping particle, or to the given name; affixes enclose the part as the
  spec says (the family part's affixes enclose particles and suffix);
- `delimiter-precedes-last` and `delimiter-precedes-et-al` know
  `after-inverted-name`; `et-al-use-last` prints `A, B, … Z`;
  `et-al-subsequent-*` apply to subsequent cites;
- `form="count"` counts the names that would be printed, summed across all
  the variables of the `cs:names`.

Tests: tests/test_engine_names.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from citeproc.source import VariableError
from citeproc.string import String

from lutnick_cli.citation.engine.disambiguation import state_of
from lutnick_cli.citation.engine.lazy import cached_property
from lutnick_cli.citation.engine.performance import delimited_join, render_of
from lutnick_cli.citation.engine.positions import cited_before


@cache
def _romanesque() -> re.Pattern[str]:
    """A name in scripts that are written with spaces and Western name order, compiled when first used
    (a name with a character beyond ASCII)."""
    return re.compile(
        r"^[\s\W\d\u0041-\u024F\u02B0-\u02FF\u0370-\u03FF\u0400-\u052F\u1E00-\u1EFF\u0590-\u05FF\u0600-\u06FF\u2000-\u206F\ufdd0-\ufdef]*$"
    )


def is_romanesque(*parts: str | None) -> bool:
    text = "".join([str(part) for part in parts if part])
    if text.isascii():  # every ASCII character is one `_romanesque()` allows (a letter of U+0041–U+024F, \W or \d)
        return True
    return bool(_romanesque().match(text))


def join_particle(particle: str, rest: str) -> str:
    """A particle and what follows it: no space after an apostrophe or hyphen."""
    if not particle:
        return rest
    if not rest:
        return particle
    if particle[-1] == "-" or (particle[-1] in "'’" and len(particle) <= 2):
        return particle + rest  # "al-Rashid", "d’Ancona"; but "de’ Medici", as citeproc-js prints them
    return particle + " " + rest


def _words(parts: list[str | None]) -> str:
    text = ""
    for part in parts:
        if part:
            text = join_particle(text, str(part)) if text else str(part)
    return text


# The words (each with the period after it) and hyphens of a given name. A class reaching past U+00FF
# takes `re` a tenth of a millisecond or more to compile, so a name with no U+2010 HYPHEN, which is to
# say nearly every name, is read by a pattern of ASCII hyphens.
_GIVEN_TOKEN = re.compile(r"([^\s.\-]+)(\.?)|(-)")


@cache
def _given_token_or_unicode_hyphen() -> re.Pattern[str]:
    return re.compile(r"([^\s.\-\u2010]+)(\.?)|([\-\u2010])")


def _given_tokens(given: str) -> Iterator[re.Match[str]]:
    """The matches of `_GIVEN_TOKEN` in a given name, U+2010 read as a hyphen.
    Test: tests/test_cold_patterns.py::test_a_given_name_is_read_as_one_pattern_reads_it."""
    return (_given_token_or_unicode_hyphen() if "\u2010" in given else _GIVEN_TOKEN).finditer(given)


def initialize(given: str, mark: str, initialize_names: bool, hyphen: bool) -> str:
    """Initials of a given name, CSL-style. `mark` is initialize-with ("." / ". " / "")."""
    pieces: list[tuple[str, str, str]] = []  # (text, kind, trail): kind "initial" | "word" | "hyphen"
    for match in _given_tokens(given):
        word, period, dash = match.groups()
        if dash:
            pieces.append(("-", "hyphen", ""))
            continue
        lead, word, trail = _split_marks(word)
        if not word:
            continue
        letters = word
        is_initial = bool(period) or (len(word) <= 2 and word.isupper()) and len(word) == 1
        if is_initial:
            pieces.append((lead + letters, "initial", trail))
            continue
        elif initialize_names and word[:1].isupper():
            if len(word) > 2 and word[1].isupper() and word[2].islower():
                pieces.append((lead + word[0] + word[1].lower(), "initial", trail))
            else:
                pieces.append((lead + word[0], "initial", trail))
            continue
        elif initialize_names and word[:1].islower() and pieces and pieces[-1][1] == "hyphen":
            pieces.pop()  # a lower-case part after a hyphen is not initialised, and goes
        else:
            pieces.append((lead + word + trail, "word", ""))
    output = ""
    previous_kind = None
    for text, kind, trail in pieces:
        if kind == "hyphen":
            if previous_kind == "initial":
                output = output.rstrip()
            output += "-" if hyphen else ""
            if not hyphen and previous_kind == "initial":
                output = output.rstrip()
            previous_kind = "hyphen"
            continue
        if previous_kind == "word" or (previous_kind == "initial" and kind == "word"):
            output = output.rstrip() + " "
        if kind == "initial":
            output += text + mark.rstrip() + trail + mark[len(mark.rstrip()) :]
        else:
            output += text
        previous_kind = kind
    return output.strip()


@cache
def _marks_at_ends() -> re.Pattern[str]:
    """The marks a word opens and ends with, compiled when first used (a word with a mark)."""
    return re.compile("^([\ufdd0-\ufdef\ufffe\uffff]*)(.*?)([\ufdd0-\ufdef]*)$", re.DOTALL)


def _split_marks(word: str) -> tuple[str, str, str]:
    """The marks a word opens with, the rest, and the marks it ends with. A word with no mark (every
    character below U+FDD0) is its own rest, as the pattern finds, unless a line break ends it (`$`).
    Test: tests/test_cold_patterns.py::test_a_word_s_marks_are_split_off_as_one_pattern_splits_them."""
    if (not word or max(word) < "\ufdd0") and word[-1:] != "\n":
        return "", word, ""
    match = _marks_at_ends().match(word)
    assert match is not None  # every group may match nothing, so it always matches
    lead, core, trail = match.groups()
    return lead, core, trail


@cache
def _quoted_pattern() -> re.Pattern[str]:
    """A family name in quotation marks (plain, or as the marks of a quoted field), compiled when first used."""
    return re.compile('^(?:"|[\ufdea\ufdee][\ufffe\uffff]?)(.*)(?:"|[\ufdeb\ufdef])$', re.DOTALL)


_QUOTE_OPENINGS = frozenset('"\ufdea\ufdee')


def quoted_family(family: str) -> re.Match[str] | None:
    """`_quoted_pattern()`'s match of a family name: only one that opens with a quotation mark can match.
    Test: tests/test_engine_names.py::test_the_name_patterns_first_characters_decide_as_the_patterns_do."""
    return _quoted_pattern().match(family) if family[:1] in _QUOTE_OPENINGS else None


# A particle written into the family name ("van Gogh", "d'Ancona", "al-Rashid"), or after the given name
# ("Alexander von").
@cache
def _family_particle_pattern() -> re.Pattern[str]:
    """A particle written into a family name, compiled when first used (by a family name in lower case)."""
    return re.compile(
        r"^((?:[a-z\u00e0-\u00ff\u2019'][\w\u2019'.]*[\s\u00a0]+)+|[a-z]{1,3}[\u2019']|[a-z]{1,3}-(?=[A-Z]))(?=\S)"
    )


def family_particle(family: str) -> re.Match[str] | None:
    """`_family_particle_pattern()`'s match of a family name: every way it matches opens with a lower-case
    letter of Latin-1 or an apostrophe, so a capitalised name ("Lutnick") is answered without it.
    Test: tests/test_engine_names.py::test_the_name_patterns_first_characters_decide_as_the_patterns_do."""
    first = family[:1]
    if not ("a" <= first <= "z" or "\u00e0" <= first <= "\u00ff" or first in "\u2019'"):
        return None
    return _family_particle_pattern().match(family)


@cache
def _given_particle_pattern() -> re.Pattern[str]:
    """A particle after the given name, compiled when first used (by a given name of two words or more)."""
    return re.compile(r"(?:\s+)((?:[a-z\u00e0-\u00ff]+['’]?\s*)+)$")


def given_particle(given: str) -> re.Match[str] | None:
    """`_given_particle_pattern()`'s search of a given name where it finds a particle after the name (its match
    starts past the first character), else None. Such a match needs white space between two other characters:
    without any, its white space can only be the leading run, and the search's first match starts at 0.
    Test: tests/test_engine_names.py::test_the_name_patterns_first_characters_decide_as_the_patterns_do."""
    if len(given.split(maxsplit=1)) < 2:
        return None
    match = _given_particle_pattern().search(given)
    return match if match and match.start() > 0 else None


def _name_parts(name) -> dict[str, str | None]:  # type: ignore[no-untyped-def]
    if "literal" in name:
        return {"literal": str(name["literal"])}
    parts = {
        key: (str(name[key]) if name.get(key) not in (None, "") else None)
        for key in ("given", "family", "dropping-particle", "non-dropping-particle", "suffix")
    }
    # particles written into the family name ("van Gogh") or after the given name ("Alexander von")
    family = parts["family"]
    quoted = quoted_family(family) if family else None
    if quoted:  # a family name in quotation marks is taken as it is: no particles parsed ("Van Buren")
        parts["family"] = family = quoted.group(1)
    elif family and not parts["non-dropping-particle"] and not name.get("static-ordering"):
        match = family_particle(family)
        if match:
            particle = match.group(1).strip()
            if particle and particle != family:
                parts["non-dropping-particle"] = particle
                parts["family"] = family[len(match.group(1)) :].strip()
    given = parts["given"]
    if given and "," in given and not parts["suffix"]:
        # "Henry, III" / "Frederick,! Jr.": a suffix written into the given name; "!" asks for the comma
        head, _, tail = given.partition(",")
        if tail.startswith("!"):
            parts["suffix"], comma = tail[1:].strip() or None, True
        else:
            parts["suffix"], comma = tail.strip() or None, False
        parts["given"] = given = head.strip()
        if comma:
            name = dict(name, **{"comma-suffix": True})
    if given and not parts["dropping-particle"]:
        match = given_particle(given)
        if match:
            parts["dropping-particle"] = match.group(1).strip()
            parts["given"] = given[: match.start()].strip()
    parts["comma-suffix"] = "yes" if name.get("comma-suffix") else None
    return parts


def _apply_part(name_element, which: str, text: str | None, with_affixes: bool = True):  # type: ignore[no-untyped-def]
    """`text` in the text case and formatting of the name's `cs:name-part` for `which` ("family" or
    "given"), and with its affixes when `with_affixes`; as it is without such a part."""
    if not text:
        return text
    part, _, _, untouched = name_element.name_part_plan[which]
    if part is None or (untouched and not with_affixes):
        return text  # no text case, no formatting: the part's case and format leave the text as it is
    formatted = part.format(part.case(String(text)))
    return part.wrap(formatted) if with_affixes else formatted


def _affixes(name_element, which: str, text: str) -> str:  # type: ignore[no-untyped-def]
    """`text` with the affixes of the name's `cs:name-part` for `which` (none without one)."""
    _, prefix, suffix, _ = name_element.name_part_plan[which]
    return prefix + text + suffix


def format_name(name_element, name, options: dict, inverted: bool, parts: dict | None = None) -> str:  # type: ignore[no-untyped-def]
    """One name, in the form and order the options say; `parts`, its `_name_parts` if known."""
    if parts is None:
        parts = _name_parts(name)
    if "literal" in parts:
        return str(_apply_part(name_element, "family", parts["literal"]))
    given, family = parts["given"], parts["family"]
    dp, ndp, suffix = parts["dropping-particle"], parts["non-dropping-particle"], parts["suffix"]
    mark = options["initialize-with"]
    if given and mark is not None and family:
        given = _initials(name_element, given, mark, options["initialize"], options["initialize-with-hyphen"])
    if suffix and mark is not None:
        # citeproc-js writes a suffix's periods as initials are written: `Jr` with
        # initialize-with="" (NLM, AMA: "Strunk W Jr"), `Jr.` with ". "
        suffix = suffix.replace(".", mark).rstrip()
    family_text = _apply_part(name_element, "family", family, with_affixes=False)
    ndp_text = _apply_part(name_element, "family", ndp, with_affixes=False)
    given_text = _apply_part(name_element, "given", given, with_affixes=False)
    dp_text = _apply_part(name_element, "given", dp, with_affixes=False) if dp else dp
    form = options["form"]
    if not is_romanesque(given, family):
        if form == "short":
            return str(_affixes(name_element, "family", _words([ndp_text, family_text])))
        return _affixes(name_element, "family", str(family_text or "")) + _affixes(
            name_element, "given", str(given_text or "")
        )
    if form == "short":
        return _affixes(name_element, "family", _words([ndp_text, family_text]))
    if not given and not family:
        return ""
    if inverted:
        demote = options["demote-non-dropping-particle"]
        separator = options["sort-separator"]
        if demote == "display-and-sort":
            family_part = _affixes(name_element, "family", str(family_text or ""))
            given_part = _affixes(name_element, "given", _words([given_text, dp_text, ndp_text]))
        else:
            family_part = _affixes(name_element, "family", _words([ndp_text, family_text]))
            given_part = _affixes(name_element, "given", _words([given_text, dp_text]))
        pieces = [p for p in (family_part, given_part, suffix) if p]
        return separator.join(pieces)
    given_part = _affixes(name_element, "given", str(given_text or "")) if given_text else ""
    family_core = _words([dp_text, ndp_text, family_text])
    if suffix:
        family_core += (", " if parts["comma-suffix"] else " ") + suffix
    family_part = _affixes(name_element, "family", family_core)
    if given_part and family_part and given_part[-1].isspace():
        return given_part + family_part  # the given part's own suffix is a space (often a no-break one)
    return " ".join(p for p in (given_part, family_part) if p)


def _expanded(options: dict, level: int) -> dict:
    """Options for a name whose given name disambiguation expanded: 1 = with initials, 2 = in full."""
    if level == 0:
        return options
    options = dict(options)
    if options["form"] == "short":
        options["form"] = "long"
    if level == 2:
        options["initialize-with"] = None
    return options


def _invertible(name) -> bool:  # type: ignore[no-untyped-def]
    """Only a personal name in a Latin-like script with a given name can be inverted."""
    if "literal" in name or not name.get("family") or not name.get("given"):
        return False
    return is_romanesque(name.get("given"), name.get("family"))


def _read_options(element, context, sort_options) -> dict:  # type: ignore[no-untyped-def]
    def get(name: str):  # type: ignore[no-untyped-def]
        return element.get_option(name, context, sort_options)

    options = {
        name: get(name)
        for name in (
            "and",
            "delimiter",
            "delimiter-precedes-et-al",
            "delimiter-precedes-last",
            "et-al-min",
            "et-al-use-first",
            "et-al-subsequent-min",
            "et-al-subsequent-use-first",
            "et-al-use-last",
            "initialize-with",
            "name-as-sort-order",
            "sort-separator",
            "form",
            "demote-non-dropping-particle",
            "initialize-with-hyphen",
        )
    }
    options["initialize"] = element.get("initialize", "true").lower() != "false"
    if sort_options is not None:  # sort keys: names only, no "and" or "et al."
        options["and"] = None
    return options


# The names a cs:name keeps formatted for one context (`NamePlan.formatted`), parsed or initialised
# (`NameRules`): past this many each starts again, so that a long-lived style's memory stays bounded however
# many names it meets.
_FORMATTED_NAMES_KEPT = 20_000


class NamePlan:
    """What a `cs:name` decides once for a context (and a sort key's options), not for every name:
    its options, whether et-al abbreviation and the `et-al-subsequent-*` options apply, whether it is
    in the bibliography, the options of each given-name expansion, and the names it has formatted.

    A name's printed form depends on the name, the options and the given-name expansion that
    disambiguation chose for it (`state.given_levels`), and on the cs:name's name-parts: `formatted`
    keys a name on its own parts, its expansion and whether its place inverts it, per plan (so per
    element, context and sort options). How many names print (et-al, `names_shown`) is decided
    for each list, not kept here.
    """

    __slots__ = ("options", "et_al_enabled", "subsequent_min", "subsequent_first", "in_bibliography", "citation",
                 "by_level", "formatted", "and_term")  # fmt: skip

    def __init__(self, element, context, sort_options) -> None:  # type: ignore[no-untyped-def]
        self.options = _read_options(element, context, sort_options)
        # CSL: et-al abbreviation is enabled by et-al-min and et-al-use-first together
        self.et_al_enabled = _explicit(element, context, "et-al-use-first", sort_options) or (
            "names-use-first" in (sort_options or {})
        )
        self.subsequent_min = "et-al-subsequent-min" in element.attrib or _inherits(
            element, context, "et-al-subsequent-min"
        )
        self.subsequent_first = "et-al-subsequent-use-first" in element.attrib or _inherits(
            element, context, "et-al-subsequent-use-first"
        )
        self.in_bibliography = bool(context.xpath_search("./ancestor::cs:bibliography"))
        try:
            self.citation = context.get_layout().getparent()  # whose `cites` say what was cited before
        except (AttributeError, IndexError):
            self.citation = None
        self.by_level = {0: self.options}
        self.formatted: dict = {}
        self.and_term: tuple[str, bool] | None = None

    def expanded(self, level: int) -> dict:
        """The options for a name whose given name disambiguation expanded to `level` (`_expanded`)."""
        options = self.by_level.get(level)
        if options is None:
            options = self.by_level[level] = _expanded(self.options, level)
        return options

    def is_subsequent(self, item) -> bool:  # type: ignore[no-untyped-def]
        """Whether `item` was cited before, outside the bibliography (`et-al-subsequent-*`)."""
        if self.in_bibliography or self.citation is None:
            return False
        try:
            cites = self.citation.cites
        except AttributeError:
            return False
        return cited_before(cites, item.key)

    def spaced_and(self, element) -> tuple[str, bool]:  # type: ignore[no-untyped-def]
        """The "and" term and whether it is spaced (see `render_names`): the locale's, read once."""
        if self.and_term is None:
            and_term = str(element.get_single_term(name="and"))
            self.and_term = and_term, bool(_spaced_and().match(and_term))
        return self.and_term


def _plan(element, context, sort_options) -> NamePlan:  # type: ignore[no-untyped-def]
    """The `NamePlan` of `element` in `context` (with `sort_options`, for a sort key), made once."""
    key = context if sort_options is None else (context, tuple(sort_options.items()))
    plans = element.plans_by_context
    plan = plans.get(key)
    if plan is None:
        plan = plans[key] = NamePlan(element, context, sort_options)
    return plan


def _formatted(self, plan: NamePlan, name, wants_inverted: bool, level: int) -> tuple[str, bool]:  # type: ignore[no-untyped-def]
    """A name as `format_name` prints it with the plan's options at given-name `level`, inverted when
    `wants_inverted` and it can be, and whether it was: formatted once per plan (see `NamePlan`), its
    parts parsed once per style (`NameRules.parsed_names`)."""
    parts_key = tuple(name.items())
    key: tuple | None = (wants_inverted, level, parts_key)
    try:
        found = plan.formatted.get(key)
    except TypeError:  # a part that cannot be a key (not from CSL-JSON): formatted every time
        key = found = None
    if found is None:
        inverted = wants_inverted and _invertible(name)
        if key is None:
            found = (format_name(self, name, plan.expanded(level), inverted), inverted)
            return found
        parsed = self.parsed_names
        parts = parsed.get(parts_key)
        if parts is None:
            parts = _kept(parsed, parts_key, _name_parts(name))
        found = _kept(plan.formatted, key, (format_name(self, name, plan.expanded(level), inverted, parts), inverted))
    return found


def _initials(name_element, given: str, mark: str, initialize_names: bool, hyphen: bool) -> str:  # type: ignore[no-untyped-def]
    """`initialize()`, each given name made once per style and options (`NameRules.initials_made`)."""
    made = name_element.initials_made
    key = (given, mark, initialize_names, hyphen)
    found = made.get(key)
    if found is None:
        found = _kept(made, key, initialize(given, mark, initialize_names, hyphen))
    return found


def _kept(memo: dict, key, value):  # type: ignore[no-untyped-def]
    """`value`, kept in `memo` under `key`; a memo grown to `_FORMATTED_NAMES_KEPT` starts again."""
    if len(memo) >= _FORMATTED_NAMES_KEPT:
        memo.clear()
    memo[key] = value
    return value


def render_names(self, item, variable, context=None, sort_options=None, **kwargs):  # type: ignore[no-untyped-def]
    """`Name.process` as the engine renders it (`NameRules`): see the module docstring for the rules."""
    if context is None:
        context = self
    plan = _plan(self, context, sort_options)
    options = plan.options
    names = list(item.reference.get(variable, []))
    et_al_min, et_al_first = options["et-al-min"], options["et-al-use-first"]
    if sort_options is None and (plan.subsequent_min or plan.subsequent_first) and plan.is_subsequent(item):
        if plan.subsequent_min:
            et_al_min = options["et-al-subsequent-min"]
        if plan.subsequent_first:
            et_al_first = options["et-al-subsequent-use-first"]
    truncate = plan.et_al_enabled and bool(et_al_min) and len(names) >= et_al_min and len(names) > et_al_first
    shown = names[:et_al_first] if truncate else names
    state = state_of(item) if sort_options is None else None
    if state is not None and variable in state.names_shown and truncate:
        shown = names[: max(state.names_shown[variable], len(shown))]
        truncate = len(shown) < len(names)
    if options["form"] == "count":
        return len(shown)
    use_last = options["et-al-use-last"] and truncate and len(names) >= et_al_first + 2
    order = options["name-as-sort-order"]
    levels = state.given_levels if state is not None else None
    rendered = []
    for index, name in enumerate(shown):
        wants_inverted = order == "all" or (order == "first" and index == 0)
        level = levels.get((variable, index), 0) if levels else 0
        text, inverted = _formatted(self, plan, name, wants_inverted, level)
        if text:
            rendered.append((text, inverted))
    if not rendered:
        return None
    delimiter = options["delimiter"]
    texts = [text for text, _ in rendered]

    def precedes(rule: str, count: int) -> bool:
        if rule == "always":
            return True
        if rule == "never":
            return False
        if rule == "after-inverted-name":
            return rendered[-1][1]
        return count >= 2  # contextual

    if use_last:
        ellipsis = self.unicode_character("horizontal ellipsis")
        return (
            delimited_join(self, texts, delimiter)
            + delimiter
            + ellipsis
            + " "
            + format_name(self, names[-1], options, order == "all")
        )
    if truncate:
        et_al = _et_al(self) if sort_options is None else None
        text = delimited_join(self, texts, delimiter)
        if not et_al or not str(et_al).strip():  # a term of nothing but a line break prints nothing (citeproc-js)
            return text
        if precedes(options["delimiter-precedes-et-al"], len(texts)):
            return text + delimiter + et_al
        plain = str(et_al).lstrip("\ufdd0\ufdd1\ufdd2\ufdd3\ufdd4\ufdd5\ufdd6\ufdd7\ufdd8\ufdd9\ufdda\ufddb")
        if plain and not is_romanesque(plain[0]):
            return text + et_al  # no space before a CJK "et al." term (等)
        return text + " " + et_al
    and_ = options["and"]
    if and_ is not None and len(texts) > 1:
        # citeproc-js spaces an "and" term only when it starts with a letter of a spaced
        # script (Latin, Greek, Cyrillic, most Hebrew ...) or is "&": Hebrew ו and CJK 和 join
        and_term, spaced = plan.spaced_and(self) if and_ == "text" else ("&", True)
        head = delimited_join(self, texts[:-1], delimiter)
        rule = options["delimiter-precedes-last"]
        if rule == "after-inverted-name":
            use_delimiter = rendered[-2][1]
        elif rule == "contextual":
            use_delimiter = len(texts) > 2
        else:
            use_delimiter = rule == "always"
        if use_delimiter and (spaced or rule == "always"):
            before = delimiter
        else:
            before = " " if spaced else ""
        return head + before + and_term + (" " if spaced else "") + texts[-1]
    return delimited_join(self, texts, delimiter)


def _et_al(name_element):  # type: ignore[no-untyped-def]
    """`Name.et_al()`: the text of the cs:et-al after the cs:name, else the locale's "et-al" term; read
    once per cs:name where it is a plain string (it depends on the style and its locale alone, and
    citeproc-py finds the cs:et-al with an XPath query), made afresh where it is a MixedString (a list)."""
    kept = name_element.et_al_kept
    if kept:
        return kept[0]
    text = name_element.et_al()
    if text is None or isinstance(text, str):
        kept.append(text)
    return text


@cache
def _spaced_and() -> re.Pattern[str]:
    """An "and" term in a script that spaces it, compiled when first used (once per locale)."""
    return re.compile(
        "[&a-zA-Z\u0e01-\u0e5b\u00c0-\u017f\u0370-\u03ff\u0400-\u052f\u0590-\u05d4\u05d6-\u05ff"
        "\u1f00-\u1fff\u0600-\u06ff\u200c\u200d\u200e\u0218-\u021b\u202a-\u202e]"
    )


def _explicit(element, context, option: str, sort_options) -> bool:  # type: ignore[no-untyped-def]
    """Whether an option is set on the name, its citation or bibliography, the style, or the sort key."""
    if sort_options and option in sort_options:
        return True
    return option in element.attrib or _inherits(element, context, option)


def _inherits(element, context, option: str) -> bool:  # type: ignore[no-untyped-def]
    parent = (context if context is not None else element).formatting_parent
    if parent is not None and option in parent.attrib:
        return True
    return option in element.get_root().attrib


def _term_has_text(term) -> bool:  # type: ignore[no-untyped-def]
    return term is not None and (len(term.getchildren()) > 0 or bool((term.text or "").strip()))


class NameRules:
    """Rule mixin for `cs:name` (composed in engine/elements.py)."""

    @cached_property
    def name_part_elements(self) -> dict:
        """The name's first `cs:name-part` for each part it names ("family", "given"): the style's alone,
        looked up once, not for every part of every name rendered."""
        parts: dict = {}
        for part in self.findall("cs:name-part", self.nsmap):  # type: ignore[attr-defined]
            parts.setdefault(part.get("name"), part)
        return parts

    @cached_property
    def name_part_plan(self) -> dict:
        """For "family" and "given": (the name's first `cs:name-part` for it or None, its prefix, its
        suffix, whether it has neither a text case nor formatting), read once for every name rendered."""
        plan = {}
        for which in ("family", "given"):
            part = self.name_part_elements.get(which)
            if part is None:
                plan[which] = (None, "", "", True)
            else:
                untouched = part.text_case is None and part.has_no_formatting
                plan[which] = (part, part.get("prefix", ""), part.get("suffix", ""), untouched)
        return plan

    @cached_property
    def parsed_names(self) -> dict:
        """The names' parts (`_name_parts`) parsed so far, by the name's own fields and values: one table
        for every cs:name of the style, as the parts depend on the name alone (a record's authors are
        parsed once for its sort key, its cite and its entry, each a cs:name of its own in APA)."""
        from lutnick_cli.citation.engine.cache import style_cache

        return style_cache(self).setdefault("parsed names", {})

    @cached_property
    def initials_made(self) -> dict:
        """The initials (`initialize()`) made so far, by given name and initialisation options: one table
        for every cs:name of the style, as they depend on nothing else."""
        from lutnick_cli.citation.engine.cache import style_cache

        return style_cache(self).setdefault("initials made", {})

    @cached_property
    def et_al_kept(self) -> list:
        """`Name.et_al()`'s text once read, if it is kept (`_et_al`): empty until then."""
        return []

    @cached_property
    def plans_by_context(self) -> dict:
        """The `NamePlan`s made so far, by context (and sort options): the style's alone, kept per element."""
        return {}

    def process(self, item, variable, context=None, sort_options=None, **kwargs):  # type: ignore[no-untyped-def]
        """Overrides `Name.process` (replaced, with `render_names()`; see the module docstring).
        Test: tests/test_engine_names.py."""
        return render_names(self, item, variable, context=context, sort_options=sort_options, **kwargs)

    def markup(self, text):  # type: ignore[no-untyped-def]
        """Overrides `Name.markup` (wrapped): a count stays a number, so `cs:names` can add the counts of its
        variables. Test: tests/test_engine_names.py::test_count_sums_across_variables."""
        if isinstance(text, int):
            return text
        return super().markup(text)


class NamesRules:
    """Rule mixin for `cs:names` (composed in engine/elements.py)."""

    @cached_property
    def part_renders(self) -> tuple:
        """(the render of its cs:name, of its cs:label or None): each its fused render where it has one
        (`performance.render_of`), found once. Asked only of a cs:names that has a cs:name."""
        name, label, _ = self.name_and_label  # type: ignore[attr-defined]
        return render_of(name), (render_of(label) if label is not None else None)

    @cached_property
    def role_labels(self) -> dict:
        """The labels its cs:label printed so far (`_role_label`), by name variable and whether plural."""
        return {}

    @cached_property
    def labels_kept(self) -> bool:
        """Whether its labels may be kept (`_role_label`): not in a note style, where a label's render
        notes the first element printed."""
        from lutnick_cli.citation.engine.collapse import FirstPrinted

        _, label, _ = self.name_and_label  # type: ignore[attr-defined]
        return not isinstance(label, FirstPrinted)

    @cached_property
    def names_context(self):  # type: ignore[no-untyped-def]
        """The `cs:names` whose `cs:name`, `cs:et-al` and `cs:label` this one uses (`_inherited_names_context`)."""
        return _inherited_names_context(self)

    def process(self, item, names_context=None, context=None, **kwargs):  # type: ignore[no-untyped-def]
        """Overrides `Names.process` (replaced, with `render_names_element()`). Test: tests/test_engine_names.py."""
        return render_names_element(self, item, names_context=names_context, context=context, **kwargs)


def _inherited_names_context(names):  # type: ignore[no-untyped-def]
    """The `cs:names` whose `cs:name`, `cs:et-al` and `cs:label` a `cs:names` uses.

    Its own, unless it has no `cs:name` and sits in a `cs:substitute`: then
    the shorthand inherits from the `cs:names` that owns the substitute (CSL
    1.0.2, "Substitute"), also when a `cs:choose` stands between them.
    citeproc-py passed the owner only to direct children of `cs:substitute`,
    so Chicago's editor-only books (editors under a `cs:choose`) printed
    `R. K. Sawyer.` instead of `Sawyer, R. Keith, ed.`. It depends on the
    style only: `NamesRules.names_context` keeps it per (pinned) element.
    """
    if names.name is None:
        found = names.xpath_search("./ancestor::cs:substitute[1]/parent::cs:names[1]")
        if found:
            return found[0]
    return names


def _role_label(names_context, render_label, item, role: str, plural: bool):  # type: ignore[no-untyped-def]
    """The label of a name variable, as `render_label` (the render of the cs:names' cs:label) prints it
    for `role` and `plural`: kept per cs:names (`NamesRules.role_labels`) where it is a plain string.

    Given the variable and whether it is plural, a label prints its term for them (`Label.process`; the
    rules over it only look at the item when no variable is given, or for a locator), then strip-periods,
    text case, formatting and affixes, none of which read the item. A MixedString (a list, which later
    steps may change) is made afresh each time, as is a note style's label, whose render notes the first
    element printed (`collapse.FirstPrinted`)."""
    known = names_context.role_labels
    key = (role, plural)
    if key in known:
        return known[key]
    label = render_label(item, role, plural)
    if (label is None or isinstance(label, str)) and names_context.labels_kept:
        known[key] = label
    return label


def render_names_element(self, item, names_context=None, context=None, **kwargs):  # type: ignore[no-untyped-def]
    """`Names.process` as the engine renders it (`NamesRules`).

    As citeproc-py's, plus: a variable whose names render nothing (suppressed
    after substitution) is skipped instead of printing "None" next to its
    label, and counts (`form="count"`) are added across the variables. Its
    variables, cs:name and cs:label are read once per element (`NamesQueries`).
    """
    if context is None:
        context = self
    if names_context is None:
        names_context = self.names_context
    roles = self.roles
    reference = item.reference
    combined = False
    if self.editor_and_translator:
        try:
            combined = reference.editor == reference.translator and _term_has_text(self.get_term("editortranslator"))
        except VariableError:
            combined = False
        if combined:
            roles = (("editor", "editor"),)
    output = []
    for role, role_key in roles:
        if role_key not in reference:
            continue
        name_element, label_element, label_first = names_context.name_and_label
        if name_element is None:
            from lutnick_cli.citation.engine.elements import note_classes

            name_element = note_classes()["name"]()
            names_context.insert(0, name_element)
            # Kept as the cs:names' cs:name from now on: it comes first, so a label follows. (A query does not
            # find it: made outside a parser, its tag is its class's name. Found afresh, a new one was added
            # at every render.)
            label_first = False
            names_context.__dict__["name_and_label"] = (name_element, label_element, label_first)
        render_name, render_label = names_context.part_renders
        text = render_name(item, role_key, context=context, **kwargs)
        if text is None or (not isinstance(text, int) and str(text) == ""):
            continue
        if isinstance(text, int):
            output.append(text)
            continue
        if render_label is not None and kwargs.get("sort_options") is None:  # sort keys drop name labels
            plural = len(reference[role_key]) > 1
            label = _role_label(names_context, render_label, item, "editortranslator" if combined else role, plural)
            if label is not None:
                text = label + text if label_first else text + label
        output.append(text)
    if output:
        texts = [value for value in output if not isinstance(value, int)]
        if not texts:  # counts only
            total = sum(output)
            return str(total) if total > 0 else None
        return delimited_join(self, texts, self.get_parent_delimiter(context))
    substitute = self.substitute()
    if substitute is not None:
        return substitute.render(item, context=context, **kwargs)
    raise VariableError
