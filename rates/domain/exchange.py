"""Quoting a checkout in another currency than the shop's.

A shop prices in one currency (its rules file's `currency:`): its rate tables, its rule
amounts and its subtotal thresholds. A checkout may be in another (Shopify Markets, a
Canadian storefront), at a rate the merchant configures (the config's `currencies:`,
units of that currency per one unit of the shop's). A quote in such a currency is made in
the shop's currency exactly as any other, and converted only where it meets the shopper:

- in: the cart's subtotal, in the checkout currency, is converted once to the shop's,
  rounded down (toward zero) to its minor unit. Rule conditions then compare it with the
  merchant's amounts as written: "free over USD 100" holds exactly when the cart is worth
  USD 100 or more at the configured rate, never for a cart a fraction of a cent short.
- out: each shipment's final price is converted to the checkout currency, rounded half up
  to that currency's minor unit (JPY has none), and the option's price is the sum of its
  converted shipments, so they still add up.

The arithmetic is integer (`rates.domain.money.exchange_ratio`, `exchange_units`): a rate
becomes an exact fraction once per setup.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from rates.domain.errors import InvalidMoney, InvalidRequest
from rates.domain.money import Money, exchange_ratio, exchange_units, minor_unit


@dataclass(frozen=True, slots=True)
class Conversion:
    """From the shop's currency to a checkout's: `rate` units of `checkout` per unit of
    `shop`, as configured (kept as written, "1.3650", for the trace)."""

    shop: str
    checkout: str
    rate: Decimal
    _out: tuple[int, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_out", exchange_ratio(self.rate, self.shop, self.checkout))

    def price(self, units: int) -> int:
        """A price of `units` minor units of the shop's currency in the checkout's, rounded
        half up: USD 18.66 at 1.3650 is CAD 25.4709, so 2547."""
        return exchange_units(units, self._out)

    def subtotal(self, units: int) -> int:
        """A cart subtotal of `units` minor units of the checkout currency in the shop's,
        rounded down: CAD 136.49 at 1.3650 is USD 99.9927, so 9999, and a threshold of
        USD 100.00 is not met."""
        numerator, denominator = self._out
        return exchange_units(units, (denominator, numerator), down=True)

    def describe(self, shop_price: Money, price: Money) -> str:
        """The conversion as the trace shows it: "USD 18.66 at 1.3650 = CAD 25.47"."""
        return (f"{shop_price.currency} {shop_price.amount} at {self.rate} = "
                f"{price.currency} {price.amount}")


@dataclass(frozen=True, slots=True)
class ExchangeRates:
    """The currencies a shop quotes in: its own (`shop`), and each one `rates` gives a
    rate for (units of it per one unit of `shop`). Part of the `Ruleset`, so that a reload
    swaps the rates and the rules together."""

    shop: str
    rates: Mapping[str, Decimal] = field(default_factory=dict)
    _conversions: Mapping[str, Conversion] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        minor_unit(self.shop)  # raises UnknownCurrency
        for currency, rate in self.rates.items():
            minor_unit(currency)
            if currency == self.shop:
                raise InvalidMoney(f"{currency} is the shop's own currency: it has no rate")
            if not rate.is_finite() or rate <= 0:
                raise InvalidMoney(f"the rate of {currency} must be positive, not {rate}")
        object.__setattr__(self, "_conversions", {
            currency: Conversion(self.shop, currency, rate)
            for currency, rate in self.rates.items()})

    @property
    def accepted(self) -> tuple[str, ...]:
        """The shop's currency, then the others in alphabetical order."""
        return (self.shop, *sorted(self.rates))

    def conversion(self, currency: str) -> Conversion | None:
        """How a quote in `currency` converts its prices: None in the shop's own currency.
        Raises `InvalidRequest` on the `currency` field, naming the accepted currencies,
        for any other currency without a rate."""
        if currency == self.shop:
            return None
        found = self._conversions.get(currency)
        if found is None:
            raise InvalidRequest(f"this shop quotes in {_either(self.accepted)}, not {currency}",
                                 {"currency": [self.requirement]})
        return found

    @property
    def requirement(self) -> str:
        """What a request's `currency` must be, as its field's problem says it."""
        if not self.rates:
            return f"must be {self.shop}"
        return (f"must be {self.shop} or a currency with an exchange rate in the config "
                f"(`currencies:`): {', '.join(sorted(self.rates))}")


def _either(names: tuple[str, ...]) -> str:
    """"USD", "USD or CAD", "USD, CAD or EUR"."""
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} or {names[-1]}"

