"""lutnick import: CSL-JSON in, canonical YAML records out, one file per record, loading back equal."""

from __future__ import annotations

import json
import string
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import ALL_RECORDS, assert_golden, record_arguments
from lutnick_cli.cli import cli
from lutnick_cli.formats import csl_json
from lutnick_cli.load import iter_records
from lutnick_cli.record import Container, DateValue, PageRange, PartialDate, Person, Record, RecordType

TEST_RECORDS = [argument for record in ALL_RECORDS[1:] for argument in record_arguments(record)]


def exported(run, tmp_path, *arguments: str) -> Path:
    result = run("export", "--to", "csl-json", *arguments)
    assert result.exit_code == 0, result.stderr
    path = tmp_path / "refs.json"
    path.write_text(result.stdout, encoding="utf-8")
    return path


def test_import_writes_one_canonical_yaml_file_per_record(run, tmp_path):
    source = exported(run, tmp_path, *TEST_RECORDS)
    folder = tmp_path / "records"
    result = run("import", str(source), "--to-dir", str(folder))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"wrote 5 records and record.schema.json to {folder}\n"
    assert sorted(path.name for path in folder.iterdir()) == [
        "habermas1992.yaml", "knuth1984.yaml", "lecun2015.yaml", "record.schema.json", "vandenberg2020.yaml", "who2021.yaml",
    ]
    assert_golden("batch/import-lecun2015.yaml", (folder / "lecun2015.yaml").read_text(encoding="utf-8"))
    assert json.loads((folder / "record.schema.json").read_text(encoding="utf-8"))["title"] == "lutnick record"
    # The folder reads as records again, the schema beside them not being one.
    assert run("get", "id", str(folder)).stdout == "habermas1992\nknuth1984\nlecun2015\nvandenberg2020\nwho2021\n"
    # What was imported reads back to the same records, and exports the same again.
    again = run("export", "--to", "csl-json", *(str(folder / f"{name}.yaml") for name in ALL_RECORDS[1:]))
    assert again.stdout == source.read_text(encoding="utf-8")


def test_import_never_overwrites_without_force(run, tmp_path):
    source = exported(run, tmp_path, *TEST_RECORDS[:2])
    folder = tmp_path / "records"
    assert run("import", str(source), "--to-dir", str(folder)).exit_code == 0
    (folder / "knuth1984.yaml").write_text("# edited by hand\n", encoding="utf-8")
    second = run("import", str(source), "--to-dir", str(folder))
    assert second.exit_code == 1
    assert second.stderr == (
        f"{source}:2: [habermas1992] {folder / 'habermas1992.yaml'} exists; use --force to overwrite it\n"
        f"{source}:45: [knuth1984] {folder / 'knuth1984.yaml'} exists; use --force to overwrite it\n"
        f"wrote 0 records to {folder}\n"
        "lutnick: 2 errors; 0 records processed\n"
    )
    assert (folder / "knuth1984.yaml").read_text(encoding="utf-8") == "# edited by hand\n"
    forced = run("import", str(source), "--to-dir", str(folder), "--force")
    assert forced.exit_code == 0, forced.stderr
    assert forced.stderr == f"wrote 2 records to {folder}\n"
    assert (folder / "knuth1984.yaml").read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=record.schema.json\n")


def test_import_from_stdin_names_records_without_an_id_by_their_key(run, tmp_path):
    items = [
        {"type": "book", "title": "The safety of things", "author": [{"family": "Smith"}], "issued": {"date-parts": [[2019]]}},
        {"type": "book", "title": "Safety first", "author": [{"family": "Smith"}], "issued": {"date-parts": [[2019]]}},
    ]
    folder = tmp_path / "out"
    result = run("import", "-", "--to-dir", str(folder), input="\n".join(json.dumps(item) for item in items) + "\n")
    assert result.exit_code == 0, result.stderr
    assert (folder / "smith2019safetya.yaml").read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=record.schema.json\n"
        "id: smith2019safetya\n"
        "type: book\n"
        "title: Safety first\n"
        "authors:\n"
        "- family: Smith\n"
        "issued: '2019'\n"
    )
    assert (folder / "smith2019safety.yaml").exists()


# --- property: records → CSL-JSON → import → the same records ------------------

_TEXT = st.text(
    alphabet=st.characters(whitelist_categories=("L", "N", "P", "S", "Zs"), blacklist_characters="\u2028\u2029\u00a0"),
    min_size=1,
    max_size=30,
).map(str.strip).filter(bool)
_LONG = st.lists(_TEXT, min_size=1, max_size=3).map("\n".join)
_WORD = st.text(alphabet=string.ascii_letters + "àéøßŁ'-", min_size=1, max_size=12).filter(lambda text: text.strip("'-"))
_KEYWORD = _TEXT.filter(lambda text: "," not in text)


@st.composite
def _dates(draw):  # type: ignore[no-untyped-def]
    year = draw(st.integers(1000, 2100))
    month = draw(st.none() | st.integers(1, 12))
    day = draw(st.none() | st.integers(1, 28)) if month else None
    start = PartialDate(year, month, day)
    end = draw(st.none() | st.just(PartialDate(year + draw(st.integers(1, 5)))))
    return DateValue(start, end, draw(st.booleans()))


_PEOPLE = st.lists(
    st.one_of(
        st.builds(Person, family=_WORD, given=st.none() | _WORD, particle=st.none() | st.sampled_from(["van", "de", "von der"]),
                  suffix=st.none() | st.sampled_from(["Jr.", "III"]), affiliation=st.none() | _TEXT),
        st.builds(Person, literal=_TEXT),
    ),
    max_size=4,
).map(tuple)


@st.composite
def _records(draw, index):  # type: ignore[no-untyped-def]
    first = draw(st.integers(1, 500))
    return Record(
        id=f"k{index}",
        type=draw(st.sampled_from(list(RecordType))),
        title=draw(_TEXT),
        authors=draw(_PEOPLE),
        editors=draw(_PEOPLE),
        container=draw(st.none() | st.builds(Container, title=_TEXT, short_title=st.none() | _TEXT)),
        publisher=draw(st.none() | _TEXT),
        volume=draw(st.none() | st.integers(1, 99).map(str) | _TEXT),
        issue=draw(st.none() | st.integers(1, 12).map(str)),
        pages=draw(st.none() | st.just(PageRange(str(first))) | st.just(PageRange(str(first), str(first + 10)))),
        issued=draw(st.none() | _dates()),
        doi=draw(st.none() | st.from_regex(r"10\.[0-9]{4,6}/[a-z0-9.()-]{1,12}", fullmatch=True)),
        language=draw(st.none() | st.sampled_from(["en", "pt-BR", "de"])),
        keywords=tuple(draw(st.lists(_KEYWORD, max_size=3))),
        abstract=draw(st.none() | _LONG),
        note=draw(st.none() | _TEXT),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 4).flatmap(lambda count: st.tuples(*[_records(index) for index in range(count)])))
def test_records_survive_csl_json_and_import(records):
    runner = CliRunner()
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder, "in.json")
        source.write_text("".join(csl_json.export(records)), encoding="utf-8")
        result = runner.invoke(cli, ["import", str(source), "--to-dir", str(Path(folder, "out"))], catch_exceptions=False)
        assert result.exit_code == 0, result.stderr
        loaded = {item.record.id: item.record for item in iter_records([str(Path(folder, "out", f"{record.id}.yaml")) for record in records])}
    assert [loaded[record.id] for record in records] == list(records)
