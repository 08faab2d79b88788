"""A setup's sources load the same setup again from any folder: what a stored quote's
replay relies on (`rates.app.setup_versions`), including files that sit outside the
config's own folder."""

import shutil

from rates.loading import load_setup
from rates.loading.sources import SetupSources
from tests.support.project import EXAMPLE_TODAY


def test_sources_written_elsewhere_load_the_same_setup(example, tmp_path):
    # The rules live beside the shop's folder, not in it: rules: ../shared-rules/
    world = tmp_path / "world"
    shop = world / "shop"
    shutil.copytree(example.parent, shop, ignore=shutil.ignore_patterns("world"))
    shutil.move(shop / "rules", world / "shared-rules")
    example = shop / example.name
    example.write_text(example.read_text().replace("rules: rules/", "rules: ../shared-rules/"))
    setup = load_setup(example, EXAMPLE_TODAY)
    sources = setup.sources
    assert "../shared-rules/default.yaml" in sources.files
    assert sources.files[example.name] == example.read_bytes()

    config, rules = sources.written(tmp_path / "elsewhere")
    assert rules is None
    assert config.is_relative_to(tmp_path / "elsewhere")
    again = load_setup(config, EXAMPLE_TODAY)
    assert again.ruleset.version == setup.ruleset.version
    assert again.sources.id == sources.id
    assert again.catalog.locations.keys() == setup.catalog.locations.keys()


def test_the_id_is_the_content_and_the_names(example):
    setup = load_setup(example, EXAMPLE_TODAY)
    files = dict(setup.sources.files)
    same = SetupSources(setup.sources.config, files)
    assert same.id == setup.sources.id
    name = next(n for n in files if n.endswith("default.yaml"))
    edited = SetupSources(same.config, {**files, name: files[name] + b"\n"})
    renamed = SetupSources(same.config, {("x-" + n if n == name else n): raw
                                         for n, raw in files.items()})
    assert len({same.id, edited.id, renamed.id}) == 3
