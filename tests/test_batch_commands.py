"""cite --each and --format jsonl, export --split, get, and output that never depends on the number of processes."""

from __future__ import annotations

import io
import json
import random
import re
import subprocess
import sys

import pytest

from conftest import ALL_RECORDS, REPO, assert_golden, record_arguments

TEST_RECORDS = [argument for record in ALL_RECORDS[1:] for argument in record_arguments(record)]


def test_cite_each_gives_one_entry_per_record_in_input_order(run):
    result = run("cite", "--each", *reversed(TEST_RECORDS))
    assert result.exit_code == 0, result.stderr
    assert_golden("batch/cite-each-apa.txt", result.stdout)


def test_cite_each_in_text(run):
    result = run("cite", "--each", "--in-text", *TEST_RECORDS)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "(Habermas, 1992)\n(Knuth, 1984)\n(LeCun et al., 2015)\n(van den Berg et al., 2020)\n(World Health Organization, 2009)\n"
    )


def test_cite_jsonl_follows_the_bibliography(run):
    result = run("cite", "--format", "jsonl", *TEST_RECORDS)
    assert result.exit_code == 0, result.stderr
    assert_golden("batch/cite-apa.jsonl", result.stdout)
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["entry"] for line in lines] == run("cite", *TEST_RECORDS).stdout.splitlines()


def test_cite_each_jsonl_in_input_order(run):
    result = run("cite", "--each", "--format", "jsonl", "--style", "ieee", *reversed(TEST_RECORDS))
    assert result.exit_code == 0, result.stderr
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == [
        "who2021", "vandenberg2020", "lecun2015", "knuth1984", "habermas1992",
    ]
    assert json.loads(result.stdout.splitlines()[0])["in_text"] == "[1]"


def corpus(count: int, seed: int = 7) -> list[dict]:
    """CSL-JSON items whose authors, years and titles collide often, as in real bibliographies."""
    rng = random.Random(seed)
    families = ["Smith", "Smith", "Jones", "García", "van der Berg", "Ngũgĩ", "O'Brien"]
    givens = ["Anna", "Ben", "Chloé", "A."]
    items = []
    for index in range(count):
        authors = [{"family": rng.choice(families), "given": rng.choice(givens)} for _ in range(rng.choice([1, 1, 2, 3, 7]))]
        item = {
            "id": f"r{index:03d}",
            "type": rng.choice(["book", "article-journal", "report"]),
            "title": rng.choice(["Safety", "Rights", "Networks", "Evidence"]) + " " + rng.choice(["now", "then", "again"]),
            "author": authors,
            "issued": {"date-parts": [[rng.choice([2019, 2019, 2020])]]},
        }
        if item["type"] == "article-journal":
            item["container-title"] = "Review"
            item["volume"] = str(rng.randint(1, 9))
        items.append(item)
    return items


@pytest.fixture
def colliding(tmp_path):
    path = tmp_path / "corpus.json"
    path.write_text(json.dumps(corpus(60), ensure_ascii=False), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    "style, options",
    [
        *[(style, []) for style in ["apa", "ieee", "chicago-author-date", "modern-language-association", "vancouver-nlm"]],
        ("apa", ["--format", "jsonl"]),
        ("chicago-author-date", ["--format", "jsonl"]),
        ("apa", ["--each", "--format", "jsonl"]),
        ("apa", ["--format", "html"]),
    ],
)
def test_output_is_the_same_with_one_process_and_with_two(run, colliding, style, options):
    one = run("cite", "--style", style, "--jobs", "1", *options, colliding)
    two = run("cite", "--style", style, "--jobs", "2", *options, colliding)
    assert one.exit_code == two.exit_code == 0, one.stderr + two.stderr
    assert len(one.stdout.splitlines()) == 60
    assert two.stdout == one.stdout


def test_export_split_writes_one_file_per_record_and_refuses_to_overwrite(run, tmp_path):
    folder = tmp_path / "bib"
    result = run("export", "--to", "bibtex", "--split", str(folder), *TEST_RECORDS)
    assert result.exit_code == 0, result.stderr
    # Habermas's affiliation has no place in a BibTeX name list.
    assert result.stderr == (
        f"{REPO / 'tests/records/habermas1992.yaml'}:2: warning: [habermas1992] bibtex has no field for "
        "person affiliation; left out of the export\n"
        f"wrote 5 files to {folder}\n"
        "lutnick: 1 warning; 5 records processed\n"
    )
    assert sorted(path.name for path in folder.iterdir()) == [
        "habermas1992.bib", "knuth1984.bib", "lecun2015.bib", "vandenberg2020.bib", "who2021.bib",
    ]
    single = run("export", "--to", "bibtex", *record_arguments("knuth1984")).stdout
    assert (folder / "knuth1984.bib").read_text(encoding="utf-8") == single

    again = run("export", "--to", "bibtex", "--split", str(folder), *record_arguments("knuth1984"))
    assert again.exit_code == 1
    assert again.stderr == (
        f"{record_arguments('knuth1984')[0]}:2: [knuth1984] {folder / 'knuth1984.bib'} exists; use --force to overwrite it\n"
        f"wrote 0 files to {folder}\n"
        "lutnick: 1 error; 0 records processed\n"
    )
    forced = run("export", "--to", "bibtex", "--split", str(folder), "--force", *record_arguments("knuth1984"))
    assert forced.exit_code == 0, forced.stderr


def test_export_of_many_records_streams_them_in_input_order(run, colliding):
    result = run("export", "--to", "bibtex", colliding)
    assert result.exit_code == 0, result.stderr
    keys = [line[line.index("{") + 1:-1] for line in result.stdout.splitlines() if line.startswith("@")]
    assert keys == [f"r{index:03d}" for index in range(60)]


@pytest.mark.parametrize(
    "field, expected",
    [
        ("doi", "10.14197/atr.201219129\n"),
        ("id", "lutnick2019\n"),
        ("authors.0.family", "Lutnick\n"),
        ("authors", "Alexandra Lutnick\n"),
        ("container", "Anti-Trafficking Review\n"),
        ("container.eissn", "2287-0113\n"),
        ("issued", "2019-04-29\n"),
        ("issued.month", "4\n"),
        ("pages", "140–154\n"),
        ("pages.last", "154\n"),
        ("type", "article-journal\n"),
        ("keywords.1", "human trafficking\n"),
        ("keywords", "sex work\nhuman trafficking\npolicy\ncoalitions\nviolence\ncrime victim\n"),
        ("volume", "\n"),
        ("authors.3.family", "\n"),
    ],
)
def test_get_on_the_embedded_record(run, field, expected):
    result = run("get", field)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == expected


def test_get_one_line_per_record_keeps_records_aligned(run):
    result = run("get", "volume", *TEST_RECORDS)
    assert result.stdout == "\n\n521\n7\n\n"
    family = run("get", "authors.family", *TEST_RECORDS[2:4])
    assert family.stdout == "LeCun\nBengio\nHinton\nBerg\n\u00d0orđević\nKing\n"


def test_get_json_prints_one_value_per_record(run):
    result = run("get", "--json", "authors.family", *TEST_RECORDS[1:4])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == '["Knuth"]\n["LeCun", "Bengio", "Hinton"]\n["Berg", "\u00d0orđević", "King"]\n'
    assert run("get", "--json", "volume", *TEST_RECORDS[:3]).stdout == 'null\nnull\n"521"\n'
    assert run("get", "--json", "issued").stdout == '"2019-04-29"\n'


@pytest.mark.parametrize("field", ["nope", "doi.x", "authors.0.shoe", "container.0", "keywords.x"])
def test_get_unknown_field_is_a_usage_error_listing_the_valid_ones(run, field):
    result = run("get", field)
    assert result.exit_code == 2
    assert result.stdout == ""
    message = result.stderr.splitlines()[-1]
    assert message.startswith(f"Error: unknown field {field!r}; valid fields: id, type, title, short_title, authors, authors.N.family")
    assert message.endswith(", keywords, keywords.N, abstract, annote, note, other_fields, other_fields.NAME")


def test_no_rich_and_no_progress_when_stderr_is_piped():
    code = (
        "import sys\n"
        "from lutnick_cli.cli import cli\n"
        "try:\n"
        "    cli.main(['cite', '--each', sys.argv[1]], prog_name='lutnick')\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('rich' in sys.modules, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(REPO / "tests" / "records")],
        capture_output=True, text=True, env={"PYTHONPATH": str(REPO / "src"), "PATH": ""},
    )
    assert result.returncode == 0
    assert result.stderr == "False\n"
    assert len(result.stdout.splitlines()) == 5


class _Terminal:
    """A stream that says it is a terminal, and keeps what is written."""

    def __init__(self) -> None:
        self.text = ""

    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass


# Select Graphic Rendition parameters that set a colour: 30–38 and 40–48 (38 and 48 with a
# palette index or RGB after them), 90–97 and 100–107.
_COLOUR_PARAMETER = re.compile(r"^(3[0-8]|4[0-8]|9[0-7]|10[0-7])$")


def _colour_codes(text: str) -> list[str]:
    """The colour parameters of every SGR escape sequence in text."""
    return [
        parameter
        for codes in re.findall(r"\x1b\[([\d;]*)m", text)
        for parameter in codes.split(";")
        if _COLOUR_PARAMETER.match(parameter)
    ]


def test_progress_bar_on_a_terminal_only_and_uncoloured_with_no_color(monkeypatch):
    from lutnick_cli import batch

    monkeypatch.setattr(batch, "PROGRESS_DELAY", 0.0)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    terminal = _Terminal()
    with batch.Progress(terminal, "citing", 1000) as progress:
        progress.advance(500)
    assert "citing" in terminal.text and "500/1000" in terminal.text
    assert _colour_codes(terminal.text)

    # NO_COLOR drops the colour and keeps the bar.
    monkeypatch.setenv("NO_COLOR", "1")
    plain = _Terminal()
    with batch.Progress(plain, "citing", 1000) as progress:
        progress.advance(500)
    assert "citing ━━━━━━━━━━━━━━━━━━━━" in plain.text and "500/1000" in plain.text
    assert _colour_codes(plain.text) == []

    # Not a terminal: no bar, colour or not.
    piped = io.StringIO()
    with batch.Progress(piped, "citing", 1000) as progress:
        progress.advance(500)
    assert piped.getvalue() == ""

    monkeypatch.delenv("NO_COLOR")
    short = _Terminal()
    with batch.Progress(short, "citing", 10) as progress:
        progress.advance(10)
    assert short.text == ""
