"""The Hayagriva export names what it leaves out, in one warning per record, and escapes Typst's specials."""

from __future__ import annotations

from lutnick_cli.formats.hayagriva import escape, person
from lutnick_cli.record import Person

from conftest import REPO, assert_golden

DOUBTFUL = "tests/doubtful/kept-as-given.yaml"


def test_embedded_record_names_what_hayagriva_cannot_hold(run):
    result = run("export", "--to", "hayagriva")
    assert result.exit_code == 0
    assert result.stderr == (
        "embedded record:5: warning: [lutnick2019] hayagriva has no field for keywords, "
        "person honorific, person affiliation, person biography; "
        "left out of the export\n"
        "lutnick: 1 warning; 1 record processed\n"
    )


def test_strict_refuses_a_record_the_format_cannot_hold_whole(run, tmp_path):
    target = tmp_path / "refs.yml"
    result = run("export", "--to", "hayagriva", "--strict", "-o", str(target))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "embedded record:5: [lutnick2019] hayagriva has no field for keywords, "
        "person honorific, person affiliation, person biography; "
        "left out of the export\n"
        f"lutnick: 1 error; 0 records processed; nothing was written to {target}\n"
    )
    assert not target.exists()


def test_doubtful_shapes_get_one_warning_each_and_a_written_entry(run, monkeypatch):
    monkeypatch.chdir(REPO)
    result = run("export", "--to", "hayagriva", DOUBTFUL)
    assert result.exit_code == 0
    assert [line for line in result.stderr.splitlines() if "hayagriva" in line] == [
        f"{DOUBTFUL}:5: warning: [o'brien1982] hayagriva has no field for status, "
        "issued (a range: only its start is written), accessed, "
        "isbn (all but the first), url (all but the first); "
        "left out of the export",
        f"{DOUBTFUL}:24: warning: [untitled] hayagriva has no field for section, issued, "
        "container.issn (all but the first); left out of the export",
    ]
    assert result.stderr.splitlines()[-1] == "lutnick: 16 warnings; 2 records processed"
    assert_golden("kept-as-given/export.hayagriva.yml", result.stdout)


def test_escape_backslashes_maths_and_braces():
    assert escape(r"a \ b $x$ {C}") == r"a \\ b \$x\$ \{C\}"


def test_names_typst_would_split_are_written_as_mappings():
    assert person(Person(family="Knuth", given="Donald E.")) == "Knuth, Donald E."
    assert person(Person(literal="Health, Organization")) == {"name": "Health, Organization"}
    assert person(Person(family="Pérez, Jr", given="Ana")) == {"name": "Pérez, Jr", "given-name": "Ana"}
    assert person(Person(family="Poussin", given="Charles", dropping_particle="de la")) == {
        "name": "Poussin",
        "given-name": "Charles",
        "prefix": "de la",
    }
    assert person(Person(family="Berg", given="Marieke", particle="van den")) == {"name": "van den Berg", "given-name": "Marieke"}
    assert person(Person(family="King", given="Martin Luther", suffix="Jr.")) == {
        "name": "King",
        "given-name": "Martin Luther",
        "suffix": "Jr.",
    }


def test_words_of_mixed_case_are_braced_so_typst_keeps_their_case():
    assert escape("PLoS Medicine") == "{PLoS Medicine}"  # Typst drops the space after a braced first word
    assert escape("The PLoS medicine on arXiv") == "The {PLoS} medicine on {arXiv}"
    assert escape("Anti-Trafficking Review") == "Anti-Trafficking Review"


def test_a_particle_ending_in_an_apostrophe_is_joined_to_the_name():
    assert person(Person(family="Alembert", given="Jean le Rond", particle="d’")) == {
        "name": "d’Alembert",
        "given-name": "Jean le Rond",
    }


def test_a_dataset_is_a_repository_of_the_genre_dataset_and_reads_back_as_one(run, tmp_path):
    path = tmp_path / "iris.yaml"
    path.write_text("id: iris\ntype: dataset\ntitle: Iris\nauthors:\n  - family: Fisher\n    given: R. A.\nissued: 1936\n",
                    encoding="utf-8")
    exported = run("export", "--to", "hayagriva", str(path)).stdout
    assert exported == "iris:\n  type: repository\n  title: Iris\n  author:\n  - Fisher, R. A.\n  date: '1936'\n  genre: Dataset\n"
    assert run("export", "--to", "csl-json", "-", input=exported).stdout == run("export", "--to", "csl-json", str(path)).stdout


def test_other_fields_a_hayagriva_file_gave_go_back_where_they_were(run, tmp_path):
    """A parent of no place in a record, an unknown key and a serial number of an unknown kind are
    written back as they were read; a field deep in a parent the export makes anew is named."""
    import yaml

    from test_import_hayagriva import DOCUMENTED

    path = tmp_path / "refs.yml"
    path.write_text(DOCUMENTED.replace("    date: 2020-06-26\n", "    date: 2020-06-26\n    alias: wwdc\n"
                                       "    serial-number:\n        local: A-7\n"), encoding="utf-8")
    result = run("export", "--to", "hayagriva", str(path))
    assert result.exit_code == 0
    assert [line for line in result.stderr.splitlines() if "has no field for" in line] == [
        f"{path}:17: warning: [wwdc-network] hayagriva has no field for other_fields.parent.0.organization; "
        "left out of the export"
    ]
    written = yaml.safe_load(result.stdout)["wwdc-network"]
    assert written["parent"][1] == {
        "type": "video", "runtime": "00:13:42", "url": "https://developer.apple.com/videos/play/wwdc2020/10111/"
    }
    assert (written["alias"], written["serial-number"]) == ("wwdc", {"local": "A-7"})
    again = run("export", "--to", "hayagriva", "-", input=result.stdout)
    assert again.stdout == result.stdout
