"""Title case and the other text cases (engine/textcase.py)."""

from __future__ import annotations

from conftest import csl_suite_runner

suite = csl_suite_runner()


def cased(title: str, case: str = "title", **item: object) -> str:
    body = f'<citation><layout><text variable="title" text-case="{case}"/></layout></citation>'
    return suite.render_inline(body, [{"id": "a", "type": "book", "title": title, **item}])


def test_hyphenated_compounds_capitalise_each_part() -> None:
    assert cased("a sex worker rights and anti-trafficking initiative") == (
        "A Sex Worker Rights and Anti-Trafficking Initiative"
    )
    assert cased("out-of-date policies: a second look") == "Out-of-Date Policies: A Second Look"


def test_stop_words_match_citeproc_js() -> None:
    assert cased("safety among workers through policy during crises") == (
        "Safety among Workers through Policy during Crises"
    )


def test_last_word_and_words_after_quotes_are_capitalised() -> None:
    assert cased('the "new career" to look for') == "The “New Career” to Look For"


def test_title_case_only_for_english_items() -> None:
    assert cased("la vie en rose", language="fr") == "la vie en rose"


def test_nocase_survives_lowercase() -> None:
    assert cased('A <span class="nocase">Smith</span> Pencil', case="lowercase") == "a Smith pencil"


def test_capitalize_first_skips_leading_punctuation() -> None:
    assert cased("“quoted” first", case="capitalize-first") == "“Quoted” first"


def test_name_particles_and_single_letters_stay_lower_case() -> None:
    assert cased("histoire de l’Égypte moderne") == "Histoire de l’Égypte Moderne"
    assert cased("the life of john von doe") == "The Life of John von Doe"
    assert cased("type 07-x test") == "Type 07-x Test"


def test_text_in_small_caps_or_superscript_keeps_its_case() -> None:
    assert cased("the <sc>un labour</sc> report") == (
        'The <span style="font-variant:small-caps;">un labour</span> Report'
    )


def test_nodecor_text_keeps_its_case() -> None:
    assert cased('roe <span class="nodecor">v.</span> wade', case="capitalize-all") == "Roe v. Wade"


def test_title_case_leaves_letters_of_other_scripts() -> None:
    assert cased("doses of β-blockers") == "Doses of β-Blockers"
    assert cased("école and élan") == "École and Élan"


def test_turkish_upper_case_keeps_the_dot() -> None:
    assert cased("istanbul ılık", case="uppercase", language="tr") == "İSTANBUL ILIK"
    assert cased("istanbul", case="uppercase", language="en") == "ISTANBUL"


def test_capitalize_first_leaves_a_word_with_capitals_or_starting_with_a_digit() -> None:
    # citeproc-js: "2nd Vintage Books" stays (not "2Nd"), "arXiv" keeps its lower-case first letter.
    assert cased("2nd revised printing", case="capitalize-first") == "2nd revised printing"
    assert cased("arXiv:2011.01234", case="capitalize-first") == "arXiv:2011.01234"
    assert cased("revised printing", case="capitalize-first") == "Revised printing"


def _shape(value):  # type: ignore[no-untyped-def]
    if isinstance(value, list):
        return (type(value).__name__, [_shape(segment) for segment in value])
    return (type(value).__name__, str(value))


def test_title_case_kept_per_element_is_title_case() -> None:
    """`_titled` gives what `apply_case("title", ...)` gives, the first time and from what it kept, for texts
    of every kind the engine cases and languages English or not; a MixedString it hands out is its own."""
    import random

    from citeproc.string import MixedString, NoCase, String

    from lutnick_cli.citation.engine import textcase

    rng = random.Random(7)
    words = ["the", "of", "a", "journal", "Review", "anti-trafficking", "iPhone", "on", "x", ":", "’s", "\ufdd0"]

    def text() -> str:
        return " ".join(rng.choice(words) for _ in range(rng.randrange(1, 6)))

    def piece():  # type: ignore[no-untyped-def]
        kind = rng.randrange(6)
        if kind == 0:
            return String(text())
        if kind == 1:
            return MixedString([rng.choice([String, NoCase])(text()) for _ in range(rng.randrange(1, 4))])
        if kind == 2:
            return MixedString([String(text()), MixedString([NoCase(text())])])  # nested: not kept
        if kind == 3:
            return NoCase(text())
        if kind == 4:
            return text()
        return 1999

    memo: dict = {}
    for _ in range(3000):
        value = piece()
        language = rng.choice([None, "en", "en-GB", "de", "fr-FR", ["en"]])
        expected = _shape(textcase.apply_case("title", value, language))
        for _ in range(2):
            given = textcase._titled(memo, value, language)
            assert _shape(given) == expected, (value, language)
            if isinstance(given, MixedString) and given is not value:  # (a language not English: the text itself)
                given.append(String("changed"))  # a change to what was handed out is not kept
    assert 100 < len(memo) <= textcase._TITLED_KEPT
