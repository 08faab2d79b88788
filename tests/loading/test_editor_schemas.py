"""The generated JSON Schemas, checked with the `jsonschema` package as an editor would use
them: the example files name their schema on their first line and are valid against it,
known mistakes are rejected at the right place, and on sample values of the project's own
fields the schema and the loader agree."""

import copy
import json
import os
from contextlib import nullcontext
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator
from marshmallow import ValidationError
from marshmallow import fields as mm

from rates.loading import fields as custom
from rates.loading.editor_schemas import CUSTOM_FIELDS, Walker
from rates.loading.rules_schema import RuleSchema
from rates.loading.schema_descriptions import DESCRIPTIONS
from tests.support.project import EXAMPLE_CONFIG, ROOT

EXAMPLES = {
    EXAMPLE_CONFIG: "config",
    **{path: "carrier" for path in sorted((ROOT / "carriers").glob("*.yaml"))},
    ROOT / "rules" / "default.yaml": "rules",
}


def validator(schema: dict) -> Draft202012Validator:
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def committed(family: str) -> Draft202012Validator:
    return validator(json.loads((ROOT / "schemas" / f"{family}.schema.json").read_text()))


def example(path: Path) -> dict:
    return yaml.safe_load(path.read_text())


def mistakes(family: str, data: object) -> list[tuple[list, str]]:
    return [(list(error.absolute_path), error.message)
            for error in committed(family).iter_errors(data)]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.name)
def test_each_example_file_names_its_schema_on_its_first_line(path):
    schema = ROOT / "schemas" / f"{EXAMPLES[path]}.schema.json"
    relative = Path(os.path.relpath(schema, path.parent)).as_posix()
    assert path.read_text().splitlines()[0] == f"# yaml-language-server: $schema={relative}"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.name)
def test_each_example_file_is_valid_against_its_schema(path):
    assert mistakes(EXAMPLES[path], example(path)) == []


def _set(*keys, value):
    """A change to an example document: the value at `keys` replaced (or added)."""
    def change(data):
        *parents, last = keys
        for key in parents:
            data = data[key]
        data[last] = value
    return change


# Each: the example file, one mistake made in it, where the schema reports it, and a
# fragment of what it says. YAML values are as PyYAML reads them (NO is False, 14:00 840).
BROKEN = {
    "misspelt location key": (
        "config.example.yaml", _set("locations", 0, "handeling_days", value=[0, 1]),
        ["locations", 0], "'handeling_days' was unexpected"),
    "cutoff read as a number": (
        "config.example.yaml", _set("locations", 0, "cutoff", value=840),
        ["locations", 0, "cutoff"], "is not valid under any of the given schemas"),
    "closure with a date and a span": (
        "config.example.yaml",
        _set("locations", 0, "calendar", "closures", 1, "date", value="2026-12-30"),
        ["locations", 0, "calendar", "closures", 1], "is valid under each of"),
    "postcode read as an octal number": (
        "config.example.yaml", _set("locations", 1, "address", "postcode", value=1116),
        ["locations", 1, "address", "postcode"], "1116 is not of type 'string'"),
    "price as a float": (
        "carriers/ups.yaml", _set("services", 0, "rates", "local", 0, "price", value=9.45),
        ["services", 0, "rates", "local", 0, "price"], "9.45 is not of type 'string'"),
    "weekday spelt out": (
        "carriers/usps.yaml", _set("pickup_days", 0, value="monday"),
        ["pickup_days", 0], "'monday' is not one of"),
    "transit as one number": (
        "carriers/canada_post.yaml", _set("services", 0, "transit", "local", value=2),
        ["services", 0, "transit", "local"], "2 is not of type 'array'"),
    "misspelt rule key": (
        "rules/default.yaml", _set("rules", 0, "stopp", value=True),
        ["rules", 0], "'stopp' was unexpected"),
    "two actions in one rule": (
        "rules/default.yaml", _set("rules", 0, "adjust", value="-5%"),
        ["rules", 0], "is valid under each of"),
    "Norway read as false": (
        "rules/default.yaml", _set("rules", 0, "when", "country", value=False),
        ["rules", 0, "when", "country"], "False is not valid under any of the given schemas"),
    "a range with no bound": (
        "rules/default.yaml", _set("rules", 0, "when", "subtotal", value={}),
        ["rules", 0, "when", "subtotal"], "should be non-empty"),
    "an unknown plan": (
        "rules/default.yaml", _set("plans", "offer", 0, value="all_at_once"),
        ["plans", "offer", 0], "'all_at_once' is not one of"),
}


@pytest.mark.parametrize("name", BROKEN)
def test_the_schema_rejects_a_known_mistake_where_it_was_made(name):
    file, change, path, says = BROKEN[name]
    data = copy.deepcopy(example(ROOT / file))
    change(data)
    [(where, message)] = mistakes(EXAMPLES[ROOT / file], data)
    assert where == path
    assert says in message


AGREE = [
    (custom.Amount(), "12.95", True), (custom.Amount(), 12.95, False),
    (custom.Amount(), "twelve", False),
    (custom.Change(), "+5%", True), (custom.Change(), "-2.50", True),
    (custom.Change(), "5 %", False),
    (custom.ClockTime(), "14:00", True), (custom.ClockTime(), 840, False),
    (custom.ClockTime(), "24:00", False),
    (custom.Code(), "US", True), (custom.Code(), False, False), (custom.Code(), 1, False),
    (custom.Day(), "2026-12-24", True), (custom.Day(), "24/12/2026", False),
    (custom.DayRange(), [1, 3], True), (custom.DayRange(), [3], False),
    (custom.DayRange(), "1-3", False),
    (custom.Flag(), True, True), (custom.Flag(), "true", False),
    (custom.Id(), "reno", True), (custom.Id(), "ups/ground", False),
    (custom.Kilograms(), 2, True), (custom.Kilograms(), "0.5", True),
    (custom.Kilograms(), 0.5, False),
    (custom.Postcode(), "02134", True), (custom.Postcode(), 1116, False),
    (custom.TimeZone(), "America/Los_Angeles", True),
    (custom.TimeZone(), "America/Los Angeles", False),
    (custom.Weekday(), "mon", True), (custom.Weekday(), "monday", False),
    (custom.OneOrMany(custom.Code()), "US", True),
    (custom.OneOrMany(custom.Code()), ["US", "CA"], True),
    (custom.OneOrMany(custom.Code()), [], False),
]


@pytest.mark.parametrize(("field", "value", "valid"), AGREE,
                         ids=[f"{type(f).__name__}-{v!r}" for f, v, _ in AGREE])
def test_the_schema_and_the_loader_agree_on_a_value(field, value, valid):
    with nullcontext() if valid else pytest.raises(ValidationError):
        field.deserialize(value)
    assert validator(Walker().field(field)).is_valid(value) == valid


def test_every_description_names_a_key_of_its_schema():
    for schema, texts in DESCRIPTIONS.items():
        keys = {field.data_key or name for name, field in schema().load_fields.items()}
        assert set(texts) <= keys, schema.__name__


def test_editors_get_descriptions_and_defaults():
    rules = json.loads((ROOT / "schemas" / "rules.schema.json").read_text())
    rule = rules["$defs"]["Rule"]
    assert rule["properties"]["stop"]["description"] == DESCRIPTIONS[RuleSchema]["stop"]
    assert rule["properties"]["stop"]["default"] is False
    assert rule["additionalProperties"] is False
    plans = rules["$defs"]["Plans"]["properties"]
    assert plans["merge_within_days"]["default"] == 3


def test_every_field_the_loader_defines_has_a_json_schema_form():
    """A new kind of field must be mapped, or editors would accept anything there."""
    standard = (mm.Integer, mm.Dict)  # Count, ByKey: read as their marshmallow base
    defined = [kind for kind in vars(custom).values()
               if isinstance(kind, type) and issubclass(kind, mm.Field)
               and kind.__module__ == custom.__name__]
    unmapped = [kind.__name__ for kind in defined
                if not any(base in CUSTOM_FIELDS for base in kind.__mro__)
                and not issubclass(kind, standard)]
    assert unmapped == []
