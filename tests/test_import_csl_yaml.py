"""CSL YAML is read as well as written, and told apart from lutnick's own YAML record by its content."""

from __future__ import annotations

from conftest import REPO

APA_ENTRY = (
    "Lutnick, A. (2019). The ‘Prioritizing Safety for Sex Workers Policy’: A sex worker rights and "
    "anti-trafficking initiative. Anti-Trafficking Review, (12), 140–154. https://doi.org/10.14197/atr.201219129\n"
)


def test_the_csl_yaml_export_is_cited_from_standard_input(run):
    exported = run("export", "--to", "csl-yaml").stdout
    result = run("cite", "-", input=exported)
    assert (result.exit_code, result.stdout, result.stderr) == (0, APA_ENTRY, "")


def test_the_csl_yaml_export_reads_back_to_the_same_record(run):
    exported = run("export", "--to", "csl-yaml").stdout
    assert run("export", "--to", "csl-json", "-", input=exported).stdout == run("export", "--to", "csl-json").stdout


def test_markdown_escapes_are_undone(run, tmp_path):
    record = tmp_path / "r.yaml"
    record.write_text(
        "id: x\ntype: book\ntitle: \"*Not* emphasis -- a [link](y) `code` \\\\ 100%\"\nstatus: in press\n",
        encoding="utf-8",
    )
    exported = run("export", "--to", "csl-yaml", str(record)).stdout
    assert "\\*Not\\*" in exported
    again = run("export", "--to", "csl-json", "-", input=exported).stdout
    assert again == run("export", "--to", "csl-json", str(record)).stdout


def test_a_pandoc_references_list_beside_other_metadata(run, tmp_path):
    path = tmp_path / "refs.yaml"
    path.write_text(
        "---\ntitle: My paper\nreferences:\n  # the one source\n  - id: doe\n    type: book\n    title: Rivers\n"
        "    author:\n      - family: Doe\n        given: Jan\n    issued: 2003\n    publisher: Delta\n...\n",
        encoding="utf-8",
    )
    result = run("cite", str(path))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "Doe, J. (2003). Rivers. Delta.\n", "")


def test_a_bare_list_of_items(run, tmp_path):
    path = tmp_path / "refs.yml"
    path.write_text(
        "- id: doe\n  type: book\n  title: Rivers\n  issued: {date-parts: [[2003]]}\n"
        "- id: roe\n  type: book\n  title: Lakes\n  status: forthcoming\n",
        encoding="utf-8",
    )
    result = run("cite", "--each", str(path))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "Rivers. (2003).\nLakes. (forthcoming).\n", "")


def test_a_lutnick_record_with_a_references_field_stays_a_record(run, tmp_path):
    path = tmp_path / "case.yaml"
    path.write_text(
        "id: roe1973\ntype: legal_case\ntitle: Roe v. Wade\nreferences: 410 U.S. 113\nissued: 1973\n", encoding="utf-8"
    )
    result = run("get", "references", str(path))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "410 U.S. 113\n", "")


def test_an_item_that_is_no_mapping_is_an_error_naming_its_line(run, tmp_path):
    path = tmp_path / "refs.yaml"
    path.write_text("- id: doe\n  type: book\n  title: Rivers\n- just text\n", encoding="utf-8")
    result = run("cite", "--each", str(path))
    assert result.exit_code == 1
    assert result.stdout == "Rivers. (n.d.).\n"
    assert result.stderr == (
        f"{path}:4: a CSL item must be a mapping, not str\nlutnick: 1 error; 1 record processed\n"
    )


def test_from_csl_yaml_on_a_document_without_items(run, tmp_path):
    path = tmp_path / "refs.txt"
    path.write_text("title: nothing here\n", encoding="utf-8")
    result = run("cite", "--from", "csl-yaml", str(path))
    assert result.exit_code == 1
    assert result.stderr == (
        f"{path}:1:1: expected a list of CSL items, or a `references` list\nlutnick: 1 error; 0 records processed\n"
    )


def test_the_embedded_record_file_is_no_csl_yaml():
    from lutnick_cli.load import is_csl_yaml

    assert not is_csl_yaml((REPO / "data" / "article.yaml").read_text(encoding="utf-8"))
