"""A rules file (rules/*.yaml): the merchant's zones, offered services, plans and rules.
See the comments in rules/default.yaml for the format.

Service, carrier, location and zone names are checked against what the carrier files, the
operations file and all the rules files' zones define (`Known`), at the exact key.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from rates.domain.catalog import Zone
from rates.domain.money import MINOR_UNITS
from rates.domain.phrases import Phrases
from rates.domain.plans import PlanKind
from rates.domain.policy import DEFAULT_PLAN_LABELS, OfferedService, PlanPolicy
from rates.domain.rules.actions import Per, Scope
from rates.domain.rules.conditions import Quantifier
from rates.domain.rules.evaluation import Rule
from rates.domain.stock import StockClass
from rates.loading.checks import Check, Finding
from rates.loading.fields import (
    NOT_EMPTY,
    Amount,
    ByKey,
    Change,
    Choice,
    Code,
    Count,
    Flag,
    Id,
    Kilograms,
    OneOrMany,
    Postcode,
    Quoted,
)
from rates.loading.known import known
from rates.loading.rule_compiler import ACTIONS, compile_rule
from rates.loading.strict import Strict
from rates.loading.wording_schema import (
    LABEL_PLACEHOLDERS,
    PLANS,
    TemplateText,
    WordingField,
    default_problem,
    locale_tag,
)
from rates.loading.zone_schema import ZoneSchema


class OfferedServiceSchema(Strict):
    service = Choice("service", lambda known: known.services, required=True)
    zones = fields.List(Choice("zone", lambda known: known.zones), load_default=list)

    @post_load
    def _offered(self, data: dict[str, Any], **kwargs: Any) -> OfferedService:
        return OfferedService(data["service"], frozenset(data["zones"]))


class PlansSchema(Strict):
    offer = fields.List(Choice("plan", PLANS), load_default=lambda: list(PLANS),
                        validate=NOT_EMPTY)
    labels = ByKey(keys=Choice("plan", PLANS), values=fields.String(), load_default=dict)
    merge_within_days = Count(load_default=3)

    @validates_schema
    def _each_once(self, data: dict[str, Any], **kwargs: Any) -> None:
        twice = sorted({kind for kind in data["offer"] if data["offer"].count(kind) > 1})
        if twice:
            raise ValidationError({"offer": [Finding(
                Check.DUPLICATE_ID, f"{', '.join(twice)} listed more than once")]})

    @post_load
    def _policy(self, data: dict[str, Any], **kwargs: Any) -> PlanPolicy:
        labels = {**DEFAULT_PLAN_LABELS,
                  **{PlanKind(kind): text for kind, text in data["labels"].items()}}
        return PlanPolicy(tuple(PlanKind(kind) for kind in data["offer"]), labels,
                          data["merge_within_days"])


class _Bounds(Strict):
    """at_least <= value, value <= at_most, value < below; at least one of them."""

    @validates_schema
    def _some_bound(self, data: dict[str, Any], **kwargs: Any) -> None:
        if not data:
            raise ValidationError("give at_least, at_most or below")
        low, high = data.get("at_least"), data.get("at_most")
        if low is not None and high is not None and low > high:
            raise ValidationError({"at_most": ["is less than at_least: nothing can match"]})


def _bounds(name: str, field: Callable[[], fields.Field[Any]]) -> type[Schema]:
    return _Bounds.from_dict(
        {"at_least": field(), "at_most": field(), "below": field()}, name=name)


MoneyBounds = _bounds("MoneyBounds", Amount)
WeightBounds = _bounds("WeightBounds", Kilograms)
CountBounds = _bounds("CountBounds", Count)
DistanceBounds = _bounds("DistanceBounds", lambda: fields.Float(
    allow_nan=False, validate=validate.Range(min=0, error="must be at least 0")))


class LineMatchSchema(Strict):
    sku = OneOrMany(Quoted("SKUs"))
    tags = OneOrMany(fields.String())
    backordered = Flag()


class LinesSchema(Strict):
    any = fields.Nested(LineMatchSchema)
    all = fields.Nested(LineMatchSchema)
    none = fields.Nested(LineMatchSchema)

    @validates_schema
    def _one_quantifier(self, data: dict[str, Any], **kwargs: Any) -> None:
        if len(data) != 1:
            raise ValidationError(
                f"give exactly one of {', '.join(q.value for q in Quantifier)}")


class WhenSchema(Strict):
    """Every condition must hold; a list means any of its values. Conditions are checked
    in the order declared here, cheap ones first; the first that fails is the one
    `--explain` names."""

    stock = OneOrMany(Choice("stock", [s.value for s in StockClass]))
    plan = OneOrMany(Choice("plan", [kind.value for kind in PlanKind]))
    zone = OneOrMany(Choice("zone", lambda known: known.zones))
    country = OneOrMany(Code())
    region = OneOrMany(Code())
    postcode = OneOrMany(Postcode())
    service = OneOrMany(Choice("service", lambda known: known.named_services))
    carrier = OneOrMany(Choice("carrier", lambda known: known.named_carriers))
    location = OneOrMany(Choice("location", lambda known: known.locations))
    customer_tags = OneOrMany(fields.String())
    subtotal = fields.Nested(MoneyBounds)
    weight = fields.Nested(WeightBounds)
    item_count = fields.Nested(CountBounds)
    restock_days = fields.Nested(CountBounds)
    shipments = fields.Nested(CountBounds)
    distance_km = fields.Nested(DistanceBounds)
    distance_miles = fields.Nested(DistanceBounds)
    from_nearest = Flag()
    guaranteed = Flag()
    lines = fields.Nested(LinesSchema)
    not_ = fields.Nested(lambda: WhenSchema(), data_key="not", attribute="not",
                         validate=NOT_EMPTY)


class ClampSchema(Strict):
    min = Amount()
    max = Amount()

    @validates_schema
    def _sensible(self, data: dict[str, Any], **kwargs: Any) -> None:
        if not data:
            raise ValidationError("give min, max or both")
        if "min" in data and "max" in data and data["min"] > data["max"]:
            raise ValidationError({"max": ["is less than min"]})


class RuleSchema(Strict):
    id = Id(required=True)
    description = fields.String()
    when = fields.Nested(WhenSchema, load_default=dict)
    set = Amount()
    adjust = Change()
    clamp = fields.Nested(ClampSchema)
    label = TemplateText(LABEL_PLACEHOLDERS)
    hide = Flag()
    block = fields.String(validate=NOT_EMPTY)
    shipments = Choice("scope", [scope.value for scope in Scope])
    from_ = OneOrMany(Choice("location", lambda known: known.locations), data_key="from",
                      attribute="from")
    per = Choice("unit", [per.value for per in Per])
    stop = Flag(load_default=False)

    @validates_schema(pass_original=True, skip_on_field_errors=False)
    def _one_action(self, data: dict[str, Any], original: Any, **kwargs: Any) -> None:
        if not isinstance(original, Mapping):
            return
        given = [action for action in ACTIONS if action in original]
        if len(given) != 1:
            found = " and ".join(given) if given else "none"
            raise ValidationError(f"give exactly one action: {', '.join(ACTIONS[:-1])} "
                                  f"or {ACTIONS[-1]} (found {found})")

    @validates_schema
    def _options_fit_action(self, data: dict[str, Any], **kwargs: Any) -> None:
        errors: dict[str, list[str]] = {}
        if data.get("hide") is False:
            errors["hide"] = ["write `hide: true`, or leave the rule out"]
        by_amount = "set" in data or ("adjust" in data and not data["adjust"].percent)
        if "per" in data and not by_amount:
            errors["per"] = ["`per` applies only to `set` and to `adjust` by an amount"]
        if "shipments" in data and ("hide" in data or "block" in data):
            errors["shipments"] = ["hide and block withhold the whole option"]
        if "from" in data and ("hide" in data or "block" in data or "label" in data):
            errors["from"] = ["only price actions apply to some shipments"]
        if errors:
            raise ValidationError(errors)


@dataclass(frozen=True, slots=True)
class RulesFile:
    currency: str
    zones: tuple[Zone, ...]
    services: tuple[OfferedService, ...]
    plans: PlanPolicy | None
    rules: tuple[Rule, ...]
    wording: Mapping[str, Phrases]
    wording_default: str | None


class RulesFileSchema(Strict):
    currency = Choice("currency", MINOR_UNITS, required=True)
    zones = fields.List(fields.Nested(ZoneSchema), load_default=list)
    services = fields.List(fields.Nested(OfferedServiceSchema), load_default=list)
    plans = fields.Nested(PlansSchema, load_default=None)
    rules = fields.List(fields.Nested(RuleSchema), load_default=list)
    wording = WordingField(load_default=dict)
    wording_default = fields.Function(deserialize=locale_tag)

    @validates_schema
    def _default_is_worded(self, data: dict[str, Any], **kwargs: Any) -> None:
        problem = ("wording_default" in data
                   and default_problem(data["wording_default"], data["wording"]))
        if problem:
            raise ValidationError({"wording_default": [problem]})

    @validates_schema
    def _priced_in_currency(self, data: dict[str, Any], **kwargs: Any) -> None:
        """Carriers' prices are not converted, so every offered service must be priced in
        the currency the shop quotes in."""
        priced = known().services or {}
        errors = {index: {"service": [
            f"{offer.service} is priced in {priced[offer.service]}, but the shop quotes "
            f"in {data['currency']}"]}
            for index, offer in enumerate(data["services"])
            if priced.get(offer.service, data["currency"]) != data["currency"]}
        if errors:
            raise ValidationError({"services": errors})

    @post_load
    def _rules_file(self, data: dict[str, Any], **kwargs: Any) -> RulesFile:
        currency = data["currency"]
        return RulesFile(currency, tuple(data["zones"]), tuple(data["services"]), data["plans"],
                         tuple(compile_rule(spec, currency) for spec in data["rules"]),
                         data["wording"], data.get("wording_default"))


RULES = RulesFileSchema()
