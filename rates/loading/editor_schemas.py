"""JSON Schemas (draft 2020-12) of the three YAML families, generated from the very
marshmallow schemas the loader uses, so an editor given a `# yaml-language-server:
$schema=` line completes and checks the same keys `rates check` does.

The schemas are walked field by field. apispec's converter supplies what standard fields
say (type, default, ranges, lengths, patterns); the project's own fields are mapped below,
each to the form the loader accepts. A schema is closed (`additionalProperties: false`)
when the loader rejects unknown keys. What needs other files (is `ups/ground` a service?)
or arithmetic across keys (bands ascending) stays the loader's job.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.openapi import OpenAPIConverter
from marshmallow import RAISE, Schema
from marshmallow import fields as mm

from rates.domain.calendar import WEEKDAY_CODES
from rates.loading import fields as custom
from rates.loading.carrier_schema import CARRIER
from rates.loading.config_schema import CONFIG
from rates.loading.location_schema import ClosureSchema, Coordinates, Cutoffs, Holidays
from rates.loading.rule_compiler import ACTIONS
from rates.loading.rules_schema import (
    RULES,
    ClampSchema,
    CountBounds,
    LinesSchema,
    MoneyBounds,
    RuleSchema,
    WeightBounds,
)
from rates.loading.schema_descriptions import DESCRIPTIONS
from rates.loading.strict import Strict
from rates.loading.wording_schema import TemplateText

DIALECT = "https://json-schema.org/draft/2020-12/schema"
DECIMAL = r"^[0-9]+(\.[0-9]+)?$"
POSITIVE_DECIMAL = r"^(?:[0-9]*[1-9][0-9]*(?:\.[0-9]+)?|[0-9]+\.[0-9]*[1-9][0-9]*)$"


@dataclass(frozen=True, slots=True)
class Family:
    """One kind of YAML file and the schema that loads it."""

    name: str
    schema: Schema
    title: str
    description: str

    @property
    def file_name(self) -> str:
        return f"{self.name}.schema.json"


FAMILIES = (
    Family("config", CONFIG, "backorder-rates operations file",
           "The merchant's operations: locations (time zone, calendar, cutoffs, handling), "
           "inventory source, store, server, API keys. See config.example.yaml."),
    Family("carrier", CARRIER, "backorder-rates carrier file",
           "One carrier: pickup and delivery days, holidays observed, zones by origin and "
           "destination, services with transit times and rate tables. See carriers/ups.yaml."),
    Family("rules", RULES, "backorder-rates rules file",
           "The shop's shipping policy: zones, offered services, plans, price and "
           "visibility rules, wording. See rules/README.md."),
)


def generated() -> dict[str, str]:
    """Each family's schema file name -> its text, as written to disk."""
    return {family.file_name: render(json_schema(family)) for family in FAMILIES}


def render(document: Mapping[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def json_schema(family: Family) -> dict[str, Any]:
    walker = Walker()
    root = walker.object(family.schema)
    return {"$schema": DIALECT, "title": family.title, "description": family.description,
            **root, "$defs": walker.defs}


# -- what the loader checks beyond single fields ----------------------------------------

_SOME_BOUND: dict[str, Any] = {"minProperties": 1}

OBJECT_RULES: Mapping[type[Schema], Mapping[str, Any]] = {
    RuleSchema: {"oneOf": [{"required": [action]} for action in ACTIONS]},
    LinesSchema: {"minProperties": 1, "maxProperties": 1},
    ClosureSchema: {"oneOf": [{"required": ["date"]}, {"required": ["from", "to"]}]},
    ClampSchema: _SOME_BOUND,
    **dict.fromkeys((MoneyBounds, WeightBounds, CountBounds), _SOME_BOUND),
}
"""Schema-level validators that JSON Schema can state: one action per rule, one
quantifier per `lines`, a closure's `date` or span, at least one bound."""


def _closed(schema: Schema) -> bool:
    """Strict schemas report unknown keys; others reject them when `unknown` is RAISE."""
    return isinstance(schema, Strict) or schema.unknown == RAISE


def _described(schema: Schema) -> dict[str, str]:
    return {key: text for cls in reversed(type(schema).__mro__)
            for key, text in DESCRIPTIONS.get(cls, {}).items()}


def _describe(prop: Mapping[str, Any], text: str) -> dict[str, Any]:
    """`prop` with `text` as its description, replacing a generic one, and placed first
    where a person reading the JSON looks."""
    return {"description": text, **{k: v for k, v in prop.items() if k != "description"}}


# -- fields -------------------------------------------------------------------------------


def _whole(pattern: str) -> dict[str, Any]:
    """A string matching the loader's `pattern` whole, as its fullmatch does."""
    return {"type": "string", "pattern": f"^(?:{pattern})$"}


def _choices(field: custom.Choice) -> dict[str, Any]:
    """An enum when the names are fixed; names another file defines are only strings."""
    if callable(field.choices):
        return {"type": "string"}
    names = field.choices
    return {"type": "string",
            "enum": list(names) if isinstance(names, Sequence | Mapping) else sorted(names)}


def _one_or_many(field: custom.OneOrMany, walk: Walker) -> dict[str, Any]:
    one = walk.field(field.inner)
    return {"anyOf": [one, {"type": "array", "items": one}]}


def _template(field: TemplateText) -> dict[str, Any]:
    allowed = " ".join(f"{{{name}}}" for name in field.placeholders)
    return {"type": "string",
            "description": f"Placeholders: {allowed}." if allowed else "No placeholders."}


_Shape = Callable[[Any, "Walker"], dict[str, Any]]

CUSTOM_FIELDS: Mapping[type[mm.Field[Any]], _Shape] = {
    custom.Id: lambda field, walk: _whole(custom._ID.pattern),
    custom.Code: lambda field, walk: {"type": "string", "pattern": "^[A-Za-z0-9]{1,6}$"},
    custom.Quoted: lambda field, walk: {"type": "string", "minLength": 1},
    custom.Amount: lambda field, walk: {"type": "string", "pattern": DECIMAL},
    custom.ExchangeRate: lambda field, walk: {"type": "string", "pattern": POSITIVE_DECIMAL},
    custom.Change: lambda field, walk: _whole(custom._ADJUSTMENT.pattern),
    custom.Kilograms: lambda field, walk: {"anyOf": [
        {"type": "integer", "minimum": 0}, {"type": "string", "pattern": DECIMAL}]},
    custom.DayRange: lambda field, walk: {
        "type": "array", "items": {"type": "integer", "minimum": 0},
        "minItems": 2, "maxItems": 2},
    custom.Weekday: lambda field, walk: {"type": "string", "enum": list(WEEKDAY_CODES)},
    custom.Day: lambda field, walk: {"type": "string", "format": "date",
                                     "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
    custom.ClockTime: lambda field, walk: _whole(custom._CLOCK.pattern),
    custom.TimeZone: lambda field, walk: {
        "type": "string", "pattern": "^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$"},
    custom.Choice: lambda field, walk: _choices(field),
    custom.Flag: lambda field, walk: {"type": "boolean"},
    custom.OneOrMany: _one_or_many,
    TemplateText: lambda field, walk: _template(field),
    Holidays: lambda field, walk: {"anyOf": [{"const": "none"}, walk.ref(field.schema)]},
    Coordinates: lambda field, walk: {
        "type": "array", "minItems": 2, "maxItems": 2,
        "prefixItems": [{"type": "number", "minimum": -90, "maximum": 90},
                        {"type": "number", "minimum": -180, "maximum": 180}]},
    Cutoffs: lambda field, walk: {"anyOf": [walk.field(Cutoffs._one),
                                            walk.field(Cutoffs._each)]},
}
"""The project's fields, by class (a subclass uses its nearest mapped base). `Count` and
`ByKey` need no entry: they are an Integer and a Dict to a reader of the file."""


@cache
def _converter() -> OpenAPIConverter:
    plugin = MarshmallowPlugin()
    APISpec("rates", "1", "3.1.0", plugins=[plugin])
    assert plugin.converter is not None  # noqa: S101 - set by the APISpec above
    return plugin.converter


def _keywords(field: mm.Field[Any], shape: dict[str, Any]) -> dict[str, Any]:
    """What validators, defaults and metadata add (apispec reads those the same way for
    every field). A default of None means "absent", not a value to write."""
    convert = _converter()
    found: dict[str, Any] = {}
    for keywords in (convert.field2default, convert.field2range, convert.field2pattern,
                     convert.metadata2properties):
        found.update(keywords(field, ret=shape))
    if not isinstance(field, mm.Nested):  # apispec counts a mapping's length in items
        found.update(convert.field2length(field))
    if found.get("default", ...) is None:
        del found["default"]
    return found


class Walker:
    """Turns marshmallow schemas and fields into JSON Schema; the nested schemas met on
    the way are collected in `defs` (one walker per document)."""

    def __init__(self) -> None:
        self.defs: dict[str, dict[str, Any]] = {}
        self._names: dict[type[Schema], str] = {}

    def object(self, schema: Schema) -> dict[str, Any]:
        described = _described(schema)
        properties: dict[str, Any] = {}
        required = []
        for name, field in schema.load_fields.items():
            key = field.data_key or name
            prop = self.field(field)
            if key in described and "description" not in field.metadata:
                prop = _describe(prop, described[key])
            properties[key] = prop
            if field.required:
                required.append(key)
        found: dict[str, Any] = {"type": "object", "properties": properties}
        if required:
            found["required"] = required
        if _closed(schema):
            found["additionalProperties"] = False
        return {**found, **OBJECT_RULES.get(type(schema), {})}

    def ref(self, schema: Schema) -> dict[str, Any]:
        """A `$ref` to the schema's definition, written on first use."""
        kind = type(schema)
        if kind not in self._names:
            name = kind.__name__.removesuffix("Schema")
            if name in self.defs:
                raise ValueError(f"two schemas would both be defined as {name!r}")
            self._names[kind] = name
            self.defs[name] = {}  # reserved first: a schema may nest itself (when.not)
            self.defs[name] = self.object(schema)
        return {"$ref": f"#/$defs/{self._names[kind]}"}

    def field(self, field: mm.Field[Any]) -> dict[str, Any]:
        shape = self._shape(field)
        return {**shape, **_keywords(field, shape)}

    def _shape(self, field: mm.Field[Any]) -> dict[str, Any]:
        for kind in type(field).__mro__:
            if kind in CUSTOM_FIELDS:
                return CUSTOM_FIELDS[kind](field, self)
        if isinstance(field, mm.Nested):
            return self.ref(field.schema)
        if isinstance(field, mm.List):
            return {"type": "array", "items": self.field(field.inner)}
        if isinstance(field, mm.Dict):
            return self._mapping(field)
        return _converter().field2type_and_format(field)

    def _mapping(self, field: mm.Dict) -> dict[str, Any]:
        found: dict[str, Any] = {"type": "object"}
        keys = self.field(field.key_field) if field.key_field else {}
        if keys and keys != {"type": "string"}:
            found["propertyNames"] = keys
        if field.value_field:
            found["additionalProperties"] = self.field(field.value_field)
        return found
