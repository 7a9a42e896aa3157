"""The JSON Schema shipped for editors agrees with the model and with the validator."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest
import yaml

from conftest import RECORD_FILES, REPO
from lutnick_cli.yaml_nodes import RecordLoader
from lutnick_cli.record import json_schema

RECORDS = [REPO / "data" / "article.yaml", *RECORD_FILES.values()]


def raw_yaml(text: str):
    # What an editor's YAML language server sees: plain data, dates as text.
    return yaml.load(text, Loader=RecordLoader)


def test_the_shipped_schema_is_the_one_the_model_generates(run):
    shipped = json.loads(resources.files("lutnick_cli").joinpath("record.schema.json").read_text(encoding="utf-8"))
    assert shipped == json_schema()
    assert json.loads(run("schema").stdout) == shipped


@pytest.mark.parametrize("path", RECORDS, ids=lambda path: path.name)
def test_every_record_names_the_schema_and_validates_against_it(path):
    text = path.read_text(encoding="utf-8")
    first_line = text.splitlines()[0]
    assert first_line.startswith("# yaml-language-server: $schema=")
    schema_path = (path.parent / first_line.split("=", 1)[1]).resolve()
    assert schema_path == (REPO / "src" / "lutnick_cli" / "record.schema.json").resolve()
    jsonschema.validate(raw_yaml(text), json_schema())


@pytest.mark.parametrize(
    "change",
    [
        {"titel": "x"},
        {"type": "journal-article"},
        {"issued": ["2019"]},
        {"authors": [{"family": "A", "nickname": "B"}]},
        {"keywords": "one, two"},
    ],
)
def test_the_schema_rejects_what_the_validator_rejects(change, run, tmp_path):
    data = raw_yaml((REPO / "data" / "article.yaml").read_text(encoding="utf-8"))
    data.update(change)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, json_schema())
    path = tmp_path / "changed.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert run("validate", str(path)).exit_code == 1
