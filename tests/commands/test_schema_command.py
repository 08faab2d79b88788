"""`rates schema`: the committed JSON Schemas are exactly what the loader's marshmallow
schemas generate, and `--check` tells CI (exit 1) when they are not."""

import json

from rates.cli import main
from rates.loading.editor_schemas import FAMILIES
from tests.support.project import ROOT

NAMES = ["carrier.schema.json", "config.schema.json", "rules.schema.json"]


def test_the_committed_schemas_are_what_the_loader_generates(capsys):
    status = main(["schema", "--check", "--out", str(ROOT / "schemas")])
    out, err = capsys.readouterr()
    assert status == 0, err
    assert "3 schemas in" in out and "up to date" in out


def test_writes_one_draft_2020_12_schema_per_family(tmp_path, capsys):
    out = tmp_path / "new" / "schemas"
    assert main(["schema", "--out", str(out)]) == 0
    assert sorted(path.name for path in out.iterdir()) == NAMES
    assert capsys.readouterr().out.count("wrote ") == 3
    for family in FAMILIES:
        document = json.loads((out / family.file_name).read_text())
        assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert document["title"] == family.title
    assert main(["schema", "--check", "--out", str(out)]) == 0


def test_check_names_stale_and_missing_schemas_and_exits_1(tmp_path, capsys):
    main(["schema", "--out", str(tmp_path)])
    rules = tmp_path / "rules.schema.json"
    rules.write_text(rules.read_text().replace('"minItems": 1', '"minItems": 0', 1))
    (tmp_path / "carrier.schema.json").unlink()
    capsys.readouterr()

    assert main(["schema", "--check", "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert f"{rules} is out of date: run `rates schema --out {tmp_path}`" in err
    assert f"{tmp_path / 'carrier.schema.json'} is missing" in err
    assert "config.schema.json" not in err


def test_check_writes_nothing(tmp_path, capsys):
    assert main(["schema", "--check", "--out", str(tmp_path)]) == 1
    assert list(tmp_path.iterdir()) == []


def test_a_folder_that_cannot_be_made_exits_2(tmp_path, capsys):
    blocker = tmp_path / "schemas"
    blocker.write_text("a file where the folder should be")
    assert main(["schema", "--out", str(blocker)]) == 2
    assert f"cannot write the schemas to {blocker}" in capsys.readouterr().err
