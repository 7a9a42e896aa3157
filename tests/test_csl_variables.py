"""Every CSL 1.0.2 variable has a home in the record, and CSL-JSON → YAML → CSL-JSON loses none of them."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings

from conftest import shared
from lutnick_cli.canonical import record_yaml
from lutnick_cli.citation.csl import DATE_VARIABLES, NAME_VARIABLES, TEXT_VARIABLES, record_data_from_csl, record_to_csl
from lutnick_cli.load import load_bytes
from lutnick_cli.record import parse_record
from strategies import csl_items

# Variables the citation engine works out for each cite, which no stored record holds.
CITE_TIME = {"citation-number", "citation-label", "first-reference-note-number", "locator", "page-first", "year-suffix"}


def _nowhere(path, at_key=False):
    return (None, None)


def read_item(item: dict):
    warnings: list = []
    return parse_record(record_data_from_csl(item), _nowhere, "item.json", warnings), warnings


def test_every_variable_of_the_csl_data_schema_has_a_field():
    schema = json.loads(shared("consumer-schemas", "csl", "csl-data.json").read_text(encoding="utf-8"))
    homeless = set()
    for variable, described in schema["items"]["properties"].items():
        if variable in ("id", "type", "custom"):
            continue
        kinds = described.get("type", "object")
        if described.get("items", {}).get("$ref", "").endswith("name-variable"):
            value = [{"family": "Doe"}]
        elif "$ref" in described:
            value = {"date-parts": [[2001, 2, 3]]}
        elif kinds == "array":
            value = ["one", "two"]
        elif variable == "DOI":
            value = "10.1000/182"
        elif variable == "ISBN":
            value = "0-201-13447-0"
        elif variable == "ISSN":
            value = "2286-7511"
        elif variable == "URL":
            value = "https://example.org/"
        elif variable == "language":
            value = "en"
        else:
            value = "7"
        # A container needs its title, so every item has one.
        record, warnings = read_item({"id": "x", "type": "book", "title": "T", "container-title": "C", variable: value})
        assert warnings == []
        if variable in record.other_fields:
            homeless.add(variable)
    # The cite-time variables, `categories` (a list of tags, no variable) and the key itself are kept as they came.
    assert homeless == CITE_TIME | {"categories", "citation-key"}


def test_every_record_variable_is_written_for_the_citation_engine():
    item = {"id": "x", "type": "book", "title": "T"}
    item.update({variable: [{"family": "Doe"}] for variable in NAME_VARIABLES.values()})
    item.update({variable: {"date-parts": [[1999, 12, 31]]} for variable in DATE_VARIABLES.values()})
    item.update({variable: "7" for variable in TEXT_VARIABLES.values() if variable != "title"})
    item.update({"DOI": "10.1000/182", "ISBN": "0-201-13447-0", "URL": "https://example.org/", "language": "en"})
    record, _ = read_item(item)
    assert record.other_fields == {}
    assert record_to_csl(record) == item


def test_csl_1_0_1_event_is_read_as_event_title_and_unknown_keys_are_kept():
    record, _ = read_item(
        {"id": "x", "type": "paper-conference", "title": "T", "event": "CSL Summit", "categories": ["a", "b"],
         "version": 2, "custom": {"zotero-key": "ABCD1234"}, "note-extra": None}
    )
    assert record.event_title == "CSL Summit"
    assert record.other_fields == {"categories": '["a", "b"]', "zotero-key": "ABCD1234"}
    assert record_to_csl(record) == {
        "id": "x", "type": "paper-conference", "title": "T", "event-title": "CSL Summit", "version": "2",
        "custom": {"categories": '["a", "b"]', "zotero-key": "ABCD1234"},
    }


def test_event_beside_event_title_is_kept_as_an_other_field():
    record, _ = read_item({"id": "x", "type": "speech", "title": "T", "event": "Old", "event-title": "New"})
    assert (record.event_title, record.other_fields) == ("New", {"event": "Old"})


def test_the_data_schema_spellings_of_part_and_supplement_are_read():
    record, _ = read_item({"id": "x", "type": "book", "title": "T", "part": 2, "supplement": "S1"})
    assert (record.part_number, record.supplement_number) == ("2", "S1")


def _through_yaml(item: dict) -> dict:
    record, _ = read_item(item)
    (loaded,) = load_bytes(record_yaml(record).encode("utf-8"), "record.yaml", "yaml")
    return record_to_csl(loaded.record)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(csl_items(NAME_VARIABLES.values(), DATE_VARIABLES.values(), TEXT_VARIABLES.values()))
def test_csl_json_to_yaml_to_csl_json_loses_no_variable(item):
    assert _through_yaml(json.loads(json.dumps(item))) == item


def test_in_press_is_cited_instead_of_no_date(run, tmp_path):
    path = tmp_path / "refs.json"
    path.write_text(json.dumps([
        {"id": "smith", "type": "article-journal", "title": "A study of things", "author": [{"family": "Smith", "given": "Jane"}],
         "container-title": "Journal of Things", "status": "in press", "PMID": "12345"},
        {"id": "jones", "type": "book", "title": "Old letters", "author": [{"family": "Jones", "given": "Ann"}],
         "publisher": "Harbour Press", "issued": {"date-parts": [[2001]]}, "original-date": {"date-parts": [[1850]]}},
    ]), encoding="utf-8")
    result = run("cite", str(path))
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        "Jones, A. (2001). Old letters. Harbour Press. (Original work published 1850)\n"
        "Smith, J. (in press). A study of things. Journal of Things.\n"
    )


def test_several_isbns_in_csl_json_are_a_list_without_a_warning_and_go_back_as_they_came():
    item = {"id": "x", "type": "book", "title": "T", "ISBN": "0-201-13447-0, 978-3-16-148410-0"}
    record, warnings = read_item(item)
    assert (record.isbn, warnings) == (("0-201-13447-0", "978-3-16-148410-0"), [])
    assert record_to_csl(record) == item


def test_the_same_keys_in_another_order_give_the_record_data_in_that_order():
    # Items are read by a plan made once for each set of keys in its order: one order must not read as another.
    first = {"id": "a", "type": "book", "title": "T", "publisher": "P", "note": "N"}
    second = {"note": "N", "publisher": "P", "title": "T", "type": "book", "id": "a"}
    assert [list(record_data_from_csl(item)) for item in (first, second, first)] == [
        ["id", "type", "title", "publisher", "note"],
        ["id", "type", "note", "publisher", "title"],
        ["id", "type", "title", "publisher", "note"],
    ]


def test_lists_where_csl_has_text_are_read_before_the_rest_of_the_item():
    found: list = []
    item = {"id": "a", "type": "article-journal", "title": ["T"], "publisher": [], "container-title": "J",
            "page": "1-2", "ISSN": ["1234-5679", "2049-3630"], "keyword": "x, y",
            "custom": {"eissn-only": True, "k": 1}, "edition": 2}
    assert record_data_from_csl(item, found) == {
        "id": "a", "type": "article-journal", "title": "T", "edition": 2,
        "container": {"title": "J", "eissn": ["1234-5679", "2049-3630"]}, "pages": "1-2", "keywords": ["x", "y"],
        "other_fields": {"k": "1"},
    }
    assert found == [("title", "is a list where CSL has text: read as its one text"),
                     ("ISSN", "is a list where CSL has text: read as 2 ISSNs")]
