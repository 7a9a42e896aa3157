"""The keys of a CSL-JSON name beyond CSL's name parts: placed, checked, or kept with a warning, never dropped.

Crossref's CSL-JSON gives every author `sequence` and `affiliation`, and often `ORCID` and
`authenticated-orcid`; Zotero and citation-js add their own keys. An ORCID iD and an
affiliation go to the person's fields; `sequence` restates the name's place in the list and is
checked against it; Crossref's `name` of an organisation is its literal name; anything else is
kept in other_fields under its place (`author.0.authenticated-orcid`): with a warning where it
looks wrong (a sequence out of order, a second name), silently where it only has no place in a
person, as an item's own keys with no CSL home are.
"""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO
from lutnick_cli.citation.csl import record_data_from_csl, record_to_csl
from lutnick_cli.errors import InvalidRecord
from lutnick_cli.formats import csl_json
from lutnick_cli.record import Person, parse_record

CROSSREF_SHAPED = {
    "id": "carberry",
    "type": "article-journal",
    "title": "Kinetics of a condensate",
    "author": [
        {
            "ORCID": "http://orcid.org/0000-0002-1825-0097",
            "authenticated-orcid": True,
            "given": "Josiah",
            "family": "Carberry",
            "sequence": "first",
            "affiliation": [
                {"name": "Brown University"},
                {"name": "Wesleyan University", "place": ["Middletown, CT"]},
            ],
        },
        {"name": "GTEx Consortium", "sequence": "first", "affiliation": []},
        {"given": "Ann", "family": "Smith", "sequence": "additional", "affiliation": [], "isInstitution": False},
    ],
}
WARNINGS = (
    "warning: [carberry] author.1.sequence: is 'first', but the name is number 2 of the list; kept in other_fields\n",
)


def _write(tmp_path, item: dict) -> str:
    path = tmp_path / "items.json"
    path.write_text(json.dumps([item], indent=2), encoding="utf-8")
    return str(path)


def _read(item: dict) -> tuple:
    found: list = []
    data = record_data_from_csl(json.loads(json.dumps(item)), found)
    return parse_record(data, lambda path, at_key=False: (1, None), "items.json"), found


def test_orcid_and_affiliation_are_placed_and_the_rest_kept(run, tmp_path):
    path = _write(tmp_path, CROSSREF_SHAPED)
    result = run("get", "--json", "authors", path)
    assert result.exit_code == 0
    assert json.loads(result.stdout) == [
        {"family": "Carberry", "given": "Josiah", "affiliation": "Brown University", "orcid": "0000-0002-1825-0097"},
        {"literal": "GTEx Consortium"},
        {"family": "Smith", "given": "Ann"},
    ]
    assert result.stderr == "".join(f"{path}:2: {warning}" for warning in WARNINGS) + (
        "lutnick: 1 warning; 1 record processed\n"
    )
    assert run("get", "other_fields", path).stdout == (
        "author.0.authenticated-orcid: true\n"
        "author.0.affiliation.1.name: Wesleyan University\n"
        'author.0.affiliation.1.place: ["Middletown, CT"]\n'
        "author.1.sequence: first\n"
        "author.2.isInstitution: false\n"
    )


def test_strict_refuses_an_item_with_a_name_key_it_would_keep(run, tmp_path):
    path = _write(tmp_path, CROSSREF_SHAPED)
    result = run("export", "--strict", "--to", "csl-json", path)
    assert result.exit_code == 1
    assert result.stdout == "[]\n"
    assert result.stderr == "".join(f"{path}:2: {warning.removeprefix('warning: ')}" for warning in WARNINGS) + (
        "lutnick: 1 error; 0 records processed\n"
    )


def test_strict_takes_a_name_whose_keys_are_all_placed_or_agree(run, tmp_path):
    item = {
        "id": "a",
        "type": "book",
        "title": "T",
        "author": [
            {"given": "Josiah", "family": "Carberry", "sequence": "first", "affiliation": [{"name": "Brown University"}],
             "ORCID": "https://orcid.org/0000-0002-1825-0097"},
            {"given": "Ann", "family": "Smith", "sequence": "additional", "affiliation": []},
        ],
    }
    result = run("get", "--strict", "--json", "authors", _write(tmp_path, item))
    assert (result.exit_code, result.stderr) == (0, "")
    assert json.loads(result.stdout) == [
        {"family": "Carberry", "given": "Josiah", "affiliation": "Brown University", "orcid": "0000-0002-1825-0097"},
        {"family": "Smith", "given": "Ann"},
    ]


def test_a_csl_json_export_gives_back_the_same_record(run, tmp_path):
    exported = run("export", "--to", "csl-json", _write(tmp_path, CROSSREF_SHAPED)).stdout
    (item,) = json.loads(exported)
    assert item["custom"] == {
        "author": [{"affiliation": "Brown University", "orcid": "0000-0002-1825-0097"}, {}, {}],
        "author.0.authenticated-orcid": "true",
        "author.0.affiliation.1.name": "Wesleyan University",
        "author.0.affiliation.1.place": '["Middletown, CT"]',
        "author.1.sequence": "first",
        "author.2.isInstitution": "false",
    }
    first, _ = _read(CROSSREF_SHAPED)
    again, found = _read(item)
    assert (again, found) == (first, [])
    assert run("export", "--to", "csl-json", "-", input=exported).stdout == exported


def test_the_same_keys_are_read_from_csl_yaml(run, tmp_path):
    path = tmp_path / "items.yaml"
    path.write_text(
        "- id: carberry\n"
        "  type: book\n"
        "  title: T\n"
        "  author:\n"
        "    - family: Carberry\n"
        "      given: Josiah\n"
        "      ORCID: http://orcid.org/0000-0002-1825-0097\n"
        "      comma-suffix: true\n",
        encoding="utf-8",
    )
    result = run("get", "--json", "authors", str(path))
    assert json.loads(result.stdout) == [{"family": "Carberry", "given": "Josiah", "orcid": "0000-0002-1825-0097"}]
    assert result.stderr == ""
    assert run("get", "other_fields", str(path)).stdout == "author.0.comma-suffix: true\n"


def test_an_orcid_is_validated_as_the_record_model_validates_it():
    item = {"id": "a", "type": "book", "title": "T", "author": [{"family": "C", "ORCID": "0000-0002-1825-0098"}]}
    warnings: list = []
    data = record_data_from_csl(item, [])
    record = parse_record(data, lambda path, at_key=False: (1, None), "items.json", warnings)
    assert record.authors == (Person(family="C", orcid="0000-0002-1825-0098"),)
    assert [f"{problem.field}: {problem.message}" for problem in warnings] == [
        "authors.0.orcid: ORCID iD '0000-0002-1825-0098' has a wrong check digit (expected 7); kept as given"
    ]


def test_a_fact_lutnick_keeps_in_custom_wins_and_a_differing_name_key_is_kept():
    item = {
        "id": "a",
        "type": "book",
        "title": "T",
        "author": [{"family": "C", "affiliation": [{"name": "Brown University"}], "ORCID": "0000-0002-1825-0097"}],
        "custom": {"author": [{"affiliation": "Wesleyan University", "orcid": "0000-0002-1825-0097"}]},
    }
    record, found = _read(item)
    assert record.authors == (Person(family="C", affiliation="Wesleyan University", orcid="0000-0002-1825-0097"),)
    assert record.other_fields == {"author.0.affiliation.0.name": "Brown University"}
    assert found == [("author.0.affiliation.0.name", "differs from the affiliation in custom; kept in other_fields")]


def test_affiliations_of_other_shapes():
    item = {
        "id": "a",
        "type": "book",
        "title": "T",
        "editor": [
            {"family": "A", "affiliation": "Brown University"},
            {"family": "B", "affiliation": ["Brown University", "Wesleyan University"]},
            {"family": "C", "affiliation": [{"id": [{"id": "https://ror.org/05gq02987", "id-type": "ROR"}]}]},
            {"family": "D", "affiliation": [{"name": "Brown University", "department": ["Physics"]}]},
        ],
    }
    record, found = _read(item)
    assert [person.affiliation for person in record.editors] == ["Brown University", "Brown University", None,
                                                                  "Brown University"]
    assert record.other_fields == {
        "editor.1.affiliation.1": "Wesleyan University",
        "editor.2.affiliation.0.id": '[{"id": "https://ror.org/05gq02987", "id-type": "ROR"}]',
        "editor.3.affiliation.0.department": '["Physics"]',
    }
    assert found == [
        ("editor.2.affiliation.0.id",
         "is no affiliation lutnick reads (a text, or an object with a name); kept in other_fields"),
    ]


def test_an_organisation_named_beside_a_personal_name_is_kept():
    item = {"id": "a", "type": "book", "title": "T", "author": [{"family": "C", "given": "J", "name": "J C"}]}
    record, found = _read(item)
    assert record.authors == (Person(family="C", given="J"),)
    assert record.other_fields == {"author.0.name": "J C"}
    assert found == [("author.0.name", "is a second name beside the person's name; kept in other_fields")]


def test_the_quick_reading_leaves_a_name_with_other_keys_to_the_general_way():
    plain = {"id": "a", "type": "book", "title": "T", "author": [{"family": "Smith", "given": "Ann"}]}
    assert csl_json.quick_record(plain) is not None  # remembers the name
    crossref = {**plain, "author": [{"family": "Smith", "given": "Ann", "sequence": "first", "affiliation": []}]}
    assert csl_json.quick_record(crossref) is None
    record, found = _read(crossref)
    assert (record, found) == (csl_json.quick_record(plain), [])


def test_a_real_crossref_item():
    # manubot's copy of Crossref's CSL-JSON for 10.1098/rsif.2017.0387: 36 authors, each with an ORCID iD,
    # `authenticated-orcid: false`, `sequence` and an empty affiliation list.
    path = REPO / "tests" / "realworld" / "csl-json" / "manubot" / "crossref-deep-review.json"
    (item,) = json.loads(path.read_text(encoding="utf-8"))
    record, found = _read(item)
    assert len(record.authors) == 36
    assert [(person.family, person.orcid, person.affiliation) for person in record.authors[:2]] == [
        ("Ching", "0000-0002-5577-3516", None),
        ("Himmelstein", "0000-0002-3012-7446", None),
    ]
    assert record.authors[6].orcid == "0000-0002-8362-100X"
    assert {key: value for key, value in record.other_fields.items() if key.startswith("author.")} == {
        f"author.{index}.authenticated-orcid": "false" for index in range(36)
    }
    assert [key for key, _ in found if key.startswith("author.")] == []
    assert record_to_csl(record)["author"][0] == {"family": "Ching", "given": "Travers"}


def test_the_same_orcid_written_as_a_url_agrees_with_custom_and_a_lone_affiliation_object_is_read():
    item = {
        "id": "a",
        "type": "book",
        "title": "T",
        "author": [{"family": "C", "ORCID": "http://orcid.org/0000-0002-1825-0097",
                    "affiliation": {"name": "Brown University"}}],
        "custom": {"author": [{"orcid": "0000-0002-1825-0097"}]},
    }
    record, found = _read(item)
    assert record.authors == (Person(family="C", affiliation="Brown University", orcid="0000-0002-1825-0097"),)
    assert (record.other_fields, found) == ({}, [])


_odd = st.none() | st.booleans() | st.integers(-3, 3) | st.text(max_size=3) | st.sampled_from(
    ["first", "additional", "http://orcid.org/0000-0002-1825-0097", "0000-0002-1825-0098"]
)
_odd_values = _odd | st.lists(_odd | st.dictionaries(st.sampled_from(["name", "id", "place"]), _odd), max_size=3) | (
    st.dictionaries(st.sampled_from(["name", "id"]), _odd)
)
_odd_names = st.dictionaries(
    st.sampled_from(["family", "given", "literal", "name", "ORCID", "affiliation", "sequence", "isInstitution"]),
    _odd_values,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_odd_names, max_size=3))
def test_odd_names_are_read_or_refused_and_every_key_off_the_person_is_kept(names):
    item = {"id": "a", "type": "book", "title": "T", "author": names}
    found: list = []
    data = record_data_from_csl(json.loads(json.dumps(item)), found)
    kept = data.get("other_fields", {})
    assert {key for key, _ in found} <= kept.keys()  # every warning names a field kept
    for index, name in enumerate(names):
        for key, value in name.items():
            if key in ("isInstitution", "name") and value not in (None, "", [], {}) and (
                key == "isInstitution" or {"family", "given", "literal"} & name.keys()
            ):
                assert f"author.{index}.{key}" in kept
    try:
        parse_record(data, lambda path, at_key=False: (1, None), "items.json", [])
    except InvalidRecord as error:
        assert error.problems
