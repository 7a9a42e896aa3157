"""Hayagriva YAML, Typst's bibliography format, is read wherever a record can be read, and round-trips.

* A `.yml` file is told from lutnick's record and from CSL YAML by its
  content; `--from hayagriva` reads any file as Hayagriva.
* Each parent is placed by its type, as Typst places it: the container, the
  event, the series, the original work. What a record has no field for is kept
  in `other_fields` with a warning naming its line and path.
* What cannot be read refuses its entry, naming the file, line and field.
* Property tests: record → Hayagriva → record keeps every field the export
  does not name as left out, Hayagriva → record → Hayagriva gives the same
  file back, and so does CSL-JSON → Hayagriva → CSL-JSON.
"""

from __future__ import annotations

import dataclasses
import json

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from lutnick_cli.citation.csl import record_to_csl
from lutnick_cli.errors import InvalidRecord
from lutnick_cli.formats import exporter, hayagriva
from lutnick_cli.load import is_hayagriva, load_bytes
from lutnick_cli.record import Container, DateValue, Person, Record

from conftest import ALL_RECORDS, REPO, record_arguments
from strategies import csl_items, records

PROPERTY = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

DOCUMENTED = """\
# Two entries of Hayagriva's own format documentation.
kinetics:
    type: Article
    title: Kinetics and luminescence of the excitations of a nonequilibrium polariton condensate
    author: ["Doan, T. D.", "Tran Thoai, D. B.", "Haug, Hartmut"]
    serial-number:
        doi: "10.1103/PhysRevB.102.165126"
    page-range: 165126-165139
    date: 2020-10-14
    parent:
        type: Periodical
        title: Physical Review B
        volume: 102
        issue: 16
        publisher: American Physical Society

wwdc-network:
    type: Article
    author:  ["Mehta, Jiten", "Kinnear, Eric"]
    title: Boost Performance and Security with Modern Networking
    date: 2020-06-26
    parent:
        - type: Conference
          title: World Wide Developer Conference 2020
          organization: Apple Inc.
          location: Mountain View, CA
        - type: Video
          runtime: "00:13:42"
          url: https://developer.apple.com/videos/play/wwdc2020/10111/
"""


def test_a_documented_file_is_told_by_its_content_and_cited(run, tmp_path):
    path = tmp_path / "refs.yml"
    path.write_text(DOCUMENTED, encoding="utf-8")
    result = run("cite", "--each", str(path))
    assert result.exit_code == 0
    assert result.stdout == (
        "Doan, T. D., Tran Thoai, D. B., & Haug, H. (2020). Kinetics and luminescence of the excitations of a "
        "nonequilibrium polariton condensate. Physical Review B, 102(16), 165126–165139. "
        "https://doi.org/10.1103/PhysRevB.102.165126\n"
        "Mehta, J., & Kinnear, E. (2020, June 26). Boost Performance and Security with Modern Networking. "
        "World Wide Developer Conference 2020, Mountain View, CA.\n"
    )
    assert result.stderr == (
        f"{path}:25:25: warning: [wwdc-network] parent.0.organization: the event's field has no place in a record; "
        "kept in other_fields as 'parent.0.organization'\n"
        f"{path}:27:11: warning: [wwdc-network] parent.1: a parent of type 'video' has no place in a record; "
        "kept in other_fields as 'parent.1'\n"
        "lutnick: 2 warnings; 2 records processed\n"
    )


def test_what_has_no_field_is_kept_in_other_fields(run, tmp_path):
    path = tmp_path / "refs.yml"
    path.write_text(DOCUMENTED, encoding="utf-8")
    result = run("get", "other_fields", "--from", "hayagriva", str(path))
    assert result.stdout.splitlines() == [
        "",  # the first entry has none
        "parent.0.organization: Apple Inc.",
        'parent.1: {"type": "video", "runtime": "00:13:42", "url": "https://developer.apple.com/videos/play/wwdc2020/10111/"}',
    ]


def test_standard_input_is_told_by_its_content(run):
    exported = run("export", "--to", "hayagriva").stdout
    assert run("cite", "-", input=exported).stdout == run("cite").stdout


def test_from_hayagriva_reads_a_file_of_any_name(run, tmp_path):
    path = tmp_path / "refs.txt"
    path.write_text(run("export", "--to", "hayagriva").stdout, encoding="utf-8")
    assert run("cite", "--from", "hayagriva", str(path)).stdout == run("cite").stdout


def test_every_test_record_reads_back_as_lutnick_cites_it(run, tmp_path):
    for name in ALL_RECORDS:
        path = tmp_path / f"{name}.yml"
        path.write_text(run("export", "--to", "hayagriva", *record_arguments(name)).stdout, encoding="utf-8")
        assert run("cite", str(path)).stdout == run("cite", *record_arguments(name)).stdout, name


def test_lutnick_records_and_csl_yaml_are_not_taken_for_hayagriva():
    assert not is_hayagriva((REPO / "data" / "article.yaml").read_text(encoding="utf-8"))
    assert not is_hayagriva("container:\n  title: Nature\nid: x\ntype: article-journal\n")
    assert not is_hayagriva("references:\n- id: x\n  type: book\n")
    assert is_hayagriva("---\n# refs\n42:\n    type: Book\n    title: The Hitchhiker's Guide\n")
    assert is_hayagriva("harry: {type: Book, title: Harry Potter}\n")


def test_names_dates_and_formatting_are_read_as_typst_reads_them(run, tmp_path):
    path = tmp_path / "refs.yml"
    path.write_text(
        "vdl:\n"
        "  type: book\n"
        "  title: {value: 'The {UN} and \\$5 \\\\ a day', short: UN}\n"
        "  author:\n"
        "    - von der Leyen, Ursula\n"
        "    - Luther King, Jr., Martin\n"
        "    - {name: van Gogh, given-name: Vincent}\n"
        "    - {name: UNICEF}\n"
        "    - Dr Who, Dr John\n"
        "  date: {year: 2019, month: 3, day: 0}\n"
        "  url: {value: 'https://example.org/', date: ~2020-05}\n"
        "  publisher: {name: Penguin, location: London}\n"
        "  affiliated:\n"
        "    - role: Translator\n"
        "      names: Roe, Ann\n"
        "    - role: foreword\n"
        "      names: [Poe, Ed]\n",
        encoding="utf-8",
    )
    result = run("export", "--to", "csl-json", str(path))
    (item,) = json.loads(result.stdout)
    assert item == {
        "id": "vdl",
        "type": "book",
        "author": [
            {"family": "Leyen", "given": "Ursula", "dropping-particle": "von der"},
            {"family": "Luther King", "given": "Martin", "suffix": "Jr."},
            {"family": "Gogh", "given": "Vincent", "non-dropping-particle": "van"},
            {"literal": "UNICEF"},
            {"family": "Dr Who", "given": "John"},
        ],
        "translator": [{"family": "Roe", "given": "Ann"}],
        "title": "The UN and $5 \\ a day",
        "title-short": "UN",
        "publisher": "Penguin",
        "publisher-place": "London",
        "URL": "https://example.org/",
        "issued": {"date-parts": [[2019, 4, 1]]},
        "accessed": {"date-parts": [[2020, 5]], "circa": True},
        "custom": {"author": [{}, {}, {}, {}, {"honorific": "Dr"}], "affiliated.1": '{"role": "foreword", "names": ["Poe", "Ed"]}'},
    }
    assert result.stderr == (
        f"{path}:16:7: warning: [vdl] affiliated.1: the role 'foreword' has no field in a record; "
        "kept in other_fields as 'affiliated.1'\n"
        "lutnick: 1 warning; 1 record processed\n"
    )


def test_maths_and_unknown_fields_are_kept_with_a_warning(run, tmp_path):
    path = tmp_path / "refs.yml"
    path.write_text("e:\n  type: misc\n  title: Energy $E = m c^2$\n  keywords: [physics]\n", encoding="utf-8")
    result = run("get", "title", str(path))
    assert (result.exit_code, result.stdout) == (0, "Energy $E = m c^2$\n")
    assert result.stderr == (
        f"{path}:3:10: warning: [e] title: holds Typst maths ($…$), which a record cannot hold as maths; kept as written\n"
        f"{path}:4:13: warning: [e] keywords: not a Hayagriva field (Typst ignores it); kept in other_fields as 'keywords'\n"
        "lutnick: 2 warnings; 1 record processed\n"
    )


def test_what_cannot_be_read_names_file_line_and_field(run, tmp_path):
    path = tmp_path / "refs.yml"
    path.write_text(
        "good:\n  type: book\n  title: Fine\n"
        "notype:\n  title: No type\n"
        "badtype:\n  type: artcle\n  title: Typo\n"
        "names:\n  type: book\n  author: [\"A, B, C, D\"]\n"
        "badlanguage:\n  type: book\n  title: Wrong language\n  language: English (UK)\n"
        "text: just text\n",
        encoding="utf-8",
    )
    result = run("cite", "--each", str(path))
    assert result.exit_code == 1
    assert result.stdout == "Fine. (n.d.).\n"
    assert result.stderr == (
        f"{path}:4:1: [notype] an entry needs a `type`\n"
        f"{path}:7:9: [badtype] type: 'artcle' is not a Hayagriva entry type (did you mean 'article'?)\n"
        f"{path}:11:12: [names] author.0: 'A, B, C, D' has more than three parts: Typst reads ‘Family, Given’ or "
        "‘Family, Suffix, Given’; write a name with commas as a mapping\n"
        f"{path}:15:13: [badlanguage] language: 'English (UK)' does not match [A-Za-z]{{2,3}}(-[A-Za-z0-9]{{2,8}})*\n"
        f"{path}:16:1: [text] an entry must be a mapping of fields, not text\n"
        "lutnick: 5 errors; 1 record processed\n"
    )


# --- round trips ---------------------------------------------------------------------------------


def _person(who: Person) -> Person:
    """A person as Hayagriva holds one: no honorific or affiliation, a particle as part of the name, and a
    name that stands alone read as one (an organisation and a family name alone are written alike)."""
    family = " ".join(part for part in (who.particle, who.family) if part)
    if who.literal or not (who.given or who.suffix or who.dropping_particle):
        return Person(literal=who.literal or family)
    return Person(family=family, given=who.given, dropping_particle=who.dropping_particle, suffix=who.suffix)


def _date(date: object) -> object:
    if not isinstance(date, DateValue):
        return None
    return DateValue(dataclasses.replace(date.start, season=None), circa=date.circa)


def _first(value: object) -> object:
    return value[0] if isinstance(value, tuple) else value


def held(record: Record) -> Record:
    """The record as far as its Hayagriva entry holds it: what the export names as left out is cleared,
    and each kept field is in the shape Hayagriva gives it back (a date's start, the first ISBN …)."""
    unplaced = {name for name in hayagriva.unplaced_fields(record) if " " not in name}
    kind = hayagriva.TYPES.get(record.type, ("misc", None))[0]
    values: dict[str, object] = {"type": hayagriva.READ_TYPES[kind], "other_fields": {}, "keywords": ()}
    for spec in dataclasses.fields(Record):
        value = getattr(record, spec.name)
        if spec.name in values:
            continue
        if spec.name in unplaced:
            values[spec.name] = () if spec.type == "tuple[Person, ...]" else None
        elif spec.type == "tuple[Person, ...]":
            values[spec.name] = tuple(_person(who) for who in value)
        elif spec.name in ("issued", "accessed", "event_date", "original_date"):
            values[spec.name] = _date(value)
        elif spec.name in ("isbn", "url"):
            values[spec.name] = _first(value)
        elif spec.name == "container" and value is not None:
            issn, eissn = _first(value.issn), _first(value.eissn)
            values[spec.name] = Container(title=value.title, short_title=value.short_title, issn=issn or eissn,
                                          eissn=eissn if issn else None)
        else:
            values[spec.name] = value
    return Record(**values)


def _through_hayagriva(record: Record) -> tuple[str, Record]:
    text = "".join(exporter("hayagriva").export([record]))
    (loaded,) = list(load_bytes(text.encode("utf-8"), "round trip", "hayagriva"))
    return text, loaded.record


@PROPERTY
@given(records())
def test_record_to_hayagriva_to_record_keeps_all_hayagriva_holds(record):
    record = dataclasses.replace(record, id=record.id or "key")
    _, back = _through_hayagriva(record)
    assert held(back) == held(record)


@PROPERTY
@given(records())
def test_hayagriva_to_record_to_hayagriva_gives_the_same_file(record):
    record = dataclasses.replace(record, id=record.id or "key")
    text, back = _through_hayagriva(record)
    again, _ = _through_hayagriva(back)
    assert again == text


_ROLES = ["author", "editor", "translator", "container-author", "collection-editor", "original-author", "director"]
_DATES = ["issued", "accessed", "event-date", "original-date"]
_TEXTS = ["title", "title-short", "publisher", "publisher-place", "volume", "issue", "edition", "number", "DOI", "ISBN",
          "URL", "language", "abstract", "note", "genre", "collection-title", "collection-number", "event-title",
          "event-place", "original-title", "chapter-number", "version", "archive", "call-number", "keyword"]


@PROPERTY
@given(csl_items(_ROLES, _DATES, _TEXTS))
def test_csl_json_to_hayagriva_to_csl_json_keeps_all_hayagriva_holds(item):
    try:
        (loaded,) = list(load_bytes(json.dumps([item]).encode("utf-8"), "generated", "csl-json"))
    except InvalidRecord:
        assume(False)  # an item the record model refuses has nothing to carry
        return
    _, back = _through_hayagriva(loaded.record)
    assert record_to_csl(held(back)) == record_to_csl(held(loaded.record))


# Hayagriva keys and shapes, for files that parse but hold anything anywhere.
_KEYS = ["type", "title", "author", "editor", "date", "parent", "publisher", "location", "serial-number", "url",
         "value", "name", "given-name", "prefix", "role", "names", "affiliated", "page-range", "volume",
         "short", "year", "month", "season", "issn", "doi"]
_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.text(max_size=12)
    | st.sampled_from(["article", "periodical", "Conference", "2019-04-29", "~2019", "van Berg, A", "$x$ {y}"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.sampled_from(_KEYS), children, max_size=5),
    max_leaves=25,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.text(min_size=1, max_size=6), st.dictionaries(st.sampled_from(_KEYS), _values, max_size=8),
                       min_size=1, max_size=3))
def test_hayagriva_files_of_any_shape_load_or_fail_cleanly(library):
    import yaml

    try:
        for item in load_bytes(yaml.safe_dump(library, allow_unicode=True).encode("utf-8"), "fuzz", "hayagriva"):
            assert isinstance(item.record, Record)
    except InvalidRecord as error:
        assert error.problems and all(str(problem).startswith("fuzz") for problem in error.problems)


def test_an_arxiv_number_is_kept_and_gives_the_link_and_number(run, tmp_path):
    path = tmp_path / "refs.yml"
    path.write_text(
        "bert:\n  type: article\n  title: 'BERT: Pre-training'\n  author: ['Devlin, Jacob']\n  date: 2018\n"
        "  serial-number:\n    arxiv: '1810.04805'\n  publisher: arXiv\n",
        encoding="utf-8",
    )
    result = run("cite", str(path))
    assert result.stdout == "Devlin, J. (2018). BERT: Pre-training (arXiv:1810.04805). arXiv. https://arxiv.org/abs/1810.04805\n"
    assert result.stderr == (
        f"{path}:7:12: warning: [bert] serial-number.arxiv: an arXiv number has no field of its own; it gives the URL "
        "(and, outside a journal, the number); kept in other_fields as 'serial-number.arxiv'\n"
        "lutnick: 1 warning; 1 record processed\n"
    )


def test_a_key_given_twice_or_a_tag_spoils_its_entry_alone(run, tmp_path):
    path = tmp_path / "refs.yml"
    path.write_text("a:\n  type: book\n  title: A\nb: !!python/object x\na:\n  type: book\n  title: Again\n"
                    "c:\n  type: book\n  title: C\n", encoding="utf-8")
    result = run("cite", "--each", str(path))
    assert (result.exit_code, result.stdout) == (1, "A. (n.d.).\nC. (n.d.).\n")
    assert result.stderr == (
        f"{path}:4:4: b: unsupported YAML tag 'tag:yaml.org,2002:python/object': records hold plain data only\n"
        f"{path}:5:1: a: the citation key is given twice (first on line 1)\n"
        "lutnick: 2 errors; 2 records processed\n"
    )
