"""Money: a Decimal amount in one ISO 4217 currency, kept in that currency's minor units.

Every amount is quantized to the currency's minor unit (cents for USD, none for JPY,
thousandths for KWD) with banker's-free ROUND_HALF_UP, the rounding shoppers and carriers
expect. Amounts of different currencies never mix: adding them raises.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from math import gcd

from rates.domain.errors import CurrencyMismatch, InvalidMoney, UnknownCurrency
from rates.domain.tables import Bounded

# ISO 4217 minor-unit exponents for the currencies a shop may quote in. Codes not listed
# are refused rather than guessed: a wrong exponent would misprice every option.
MINOR_UNITS: dict[str, int] = {
    "AED": 2, "ARS": 2, "AUD": 2, "BGN": 2, "BHD": 3, "BRL": 2, "CAD": 2, "CHF": 2,
    "CLP": 0, "CNY": 2, "COP": 2, "CZK": 2, "DKK": 2, "EGP": 2, "EUR": 2, "GBP": 2,
    "HKD": 2, "HUF": 2, "IDR": 2, "ILS": 2, "INR": 2, "ISK": 0, "JOD": 3, "JPY": 0,
    "KRW": 0, "KWD": 3, "MXN": 2, "MYR": 2, "NOK": 2, "NZD": 2, "OMR": 3, "PEN": 2,
    "PHP": 2, "PLN": 2, "QAR": 2, "RON": 2, "SAR": 2, "SEK": 2, "SGD": 2, "THB": 2,
    "TND": 3, "TRY": 2, "TWD": 2, "UAH": 2, "USD": 2, "VND": 0, "ZAR": 2,
}

_QUANTA: dict[str, Decimal] = {code: Decimal(1).scaleb(-exp) for code, exp in MINOR_UNITS.items()}


def minor_unit(currency: str) -> Decimal:
    """The smallest amount of `currency` (Decimal('0.01') for USD); raises if unknown."""
    try:
        return _QUANTA[currency]
    except KeyError:
        raise UnknownCurrency(currency) from None


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in one currency, always rounded to that currency's minor unit."""

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal) or not self.amount.is_finite():
            raise InvalidMoney(f"amount must be a finite Decimal, got {self.amount!r}")
        # Always store the quantized value: Decimal("40") becomes 40.00 for USD, so every
        # amount prints with the currency's own number of decimals.
        try:
            rounded = self.amount.quantize(minor_unit(self.currency), rounding=ROUND_HALF_UP)
        except InvalidOperation:  # more digits than the decimal context holds
            raise InvalidMoney(f"amount {self.amount} is too large") from None
        object.__setattr__(self, "amount", rounded)

    @classmethod
    def parse(cls, text: object, currency: str) -> Money:
        """Money from a decimal string such as "12.95"; floats are refused on purpose."""
        if not isinstance(text, str):
            raise InvalidMoney(f"money must be a quoted decimal string, got {text!r}")
        try:
            return cls(Decimal(text.strip()), currency)
        except InvalidOperation:
            raise InvalidMoney(f"not a decimal amount: {text!r}") from None

    @classmethod
    def _exact(cls, amount: Decimal, currency: str) -> Money:
        """An amount already in minor units (a sum or difference of two that are): no
        rounding to redo. The quote's hot path adds money thousands of times."""
        money = Money.__new__(Money)
        object.__setattr__(money, "amount", amount)
        object.__setattr__(money, "currency", currency)
        return money

    @classmethod
    def of_units(cls, units: int, currency: str) -> Money:
        """`units` minor units of `currency`: 1234 is 12.34 USD. The amounts of one shop's
        prices recur in every quote, and Money is immutable, so each is made once."""
        key = (units, currency)
        found = _OF_UNITS.get(key)
        if found is None:
            found = _OF_UNITS.keep(
                key, cls._exact(Decimal(units).scaleb(-MINOR_UNITS[currency]), currency))
        return found

    @property
    def units(self) -> int:
        """The amount in minor units: 12.34 USD is 1234. Rules do their arithmetic in
        these integers, exact and many times faster than Decimal."""
        return int(self.amount.scaleb(MINOR_UNITS[self.currency]))

    @classmethod
    def zero(cls, currency: str) -> Money:
        """Zero in `currency`; one shared instance per currency (Money is immutable)."""
        zero = _ZEROS.get(currency)
        if zero is None:
            zero = _ZEROS.setdefault(currency, cls(Decimal(0), currency))
        return zero

    def _same(self, other: Money) -> None:
        if other.currency != self.currency:
            raise CurrencyMismatch(self.currency, other.currency)

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money._exact(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money._exact(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money._exact(-self.amount, self.currency)

    # Written out rather than left to the dataclass: compiled by mypyc, a class that
    # orders itself takes its equality from itself too, so the dataclass's would be lost.
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        return self.amount == other.amount and self.currency == other.currency

    def __hash__(self) -> int:
        return hash((self.amount, self.currency))

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.amount <= other.amount

    def times(self, factor: Decimal | int) -> Money:
        """This amount multiplied (quantity, or 1 + percent / 100), rounded half up."""
        return self._rounded(self.amount * factor)

    def _rounded(self, amount: Decimal) -> Money:
        """`amount` (a product of this finite amount and a finite Decimal) in this
        currency, rounded to its minor unit: the checks of the constructor are known to
        pass, and rules round thousands of times per quote."""
        try:
            rounded = amount.quantize(_QUANTA[self.currency], rounding=ROUND_HALF_UP)
        except InvalidOperation:
            raise InvalidMoney(f"amount {amount} is too large") from None
        return Money._exact(rounded, self.currency)

    @property
    def is_zero(self) -> bool:
        return self.amount == 0

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"

    def signed(self) -> str:
        """The amount with an explicit sign, as traces show an adjustment: "+3.00", "-1.50"."""
        return f"+{self.amount}" if self.amount >= 0 else str(self.amount)


_ZEROS: dict[str, Money] = {}

OF_UNITS_LIMIT = 2048
"""How many amounts `Money.of_units` keeps made (prices come without end)."""

_OF_UNITS: Bounded[tuple[int, str], Money] = Bounded(OF_UNITS_LIMIT)


def total(amounts: Iterable[Money], currency: str) -> Money:
    """The sum of `amounts`, zero in `currency` when there are none."""
    result = Money.zero(currency).amount
    for money in amounts:
        if money.currency != currency:
            raise CurrencyMismatch(currency, money.currency)
        result += money.amount
    return Money._exact(result, currency)


def format_units(units: int, currency: str) -> str:
    """`units` minor units written as `Money(...).amount` prints: 1234 USD is "12.34",
    -5 is "-0.05", 7 JPY is "7". Traces write thousands of amounts per quote."""
    exponent = MINOR_UNITS[currency]
    sign = "-" if units < 0 else ""
    if not exponent:
        return f"{sign}{abs(units)}"
    whole, fraction = divmod(abs(units), 10 ** exponent)
    return f"{sign}{whole}.{fraction:0{exponent}d}"


def percent_ratio(percent: Decimal) -> tuple[int, int]:
    """`percent` percent as an exact fraction of one: 12.5 is (25, 200). A rule works it
    out once; `add_shares` then needs only integer arithmetic for every price it
    changes."""
    numerator, denominator = percent.as_integer_ratio()
    return numerator, denominator * 100


def add_shares(units: list[int], positions: list[int], numerator: int,
               denominator: int) -> int:
    """Add to each `units[i]`, for i in `positions`, its share `numerator / denominator`
    (negative for a discount; `percent_ratio`), rounded half away from zero: a 50%
    discount on 21.95 takes 10.98 off, in the shopper's favour; returns the shares' sum.
    One loop in place: stacked percent rules change every shipment of every option.

    A share of `u` is round(u * n / d): |u * n| = q * d + r rounds to q + 1 when
    2r >= d, which is (2 * |u * n| + d) // (2 * d) in one floor division."""
    twice, double = 2 * abs(numerator), 2 * denominator
    up = numerator >= 0
    added = 0
    for i in positions:
        unit = units[i]
        share = ((unit if unit >= 0 else -unit) * twice + denominator) // double
        if (unit >= 0) is not up:
            share = -share
        units[i] = unit + share
        added += share
    return added


def add_up(units: list[int]) -> int:
    """The sum of `units`. Compiled, `sum()` of a list is Python's generic builtin, six
    times as slow as this loop over native integers: rules add an option's shipments up
    at their every step."""
    added = 0
    for unit in units:
        added += unit
    return added


def spread(units: list[int], positions: list[int], amount: int, *, add: bool) -> None:
    """Split `amount` into whole parts proportional to `units[i]`, for i in `positions`,
    that add up to it exactly, and add each part to its unit (`add`) or put it in its
    place: how a rule spreads an option-wide price change over the shipments it prices,
    so that they always sum to the option's price. In place, with no list of parts to
    make and walk again: rules do it hundreds of times a quote.

    Parts are rounded toward zero and the leftover units go to the largest remainders
    (ties to the earlier position). With all weights zero the split is even. Weights are
    non-negative (prices, floored at zero); `positions` has no repeats."""
    count = len(positions)
    if count == 1:
        at = positions[0]
        units[at] = units[at] + amount if add else amount
    if count < 2:
        return
    negative = amount < 0
    if negative:
        amount = -amount
    share_sum = 0
    for i in positions:
        share_sum += units[i]
    even = not share_sum
    if even:
        share_sum = count
    # One pass, in operations compiled code does in place: no `divmod` tuple, no sort by
    # a key function. A part's rank is its remainder, then the earlier part on ties, as
    # one integer: the leftover units go to the highest ranks.
    ranks = [0] * count
    leftover = amount
    last = count - 1
    for k in range(count):
        i = positions[k]
        share = amount * (1 if even else units[i])  # read before it is changed
        whole = share // share_sum
        part = -whole if negative else whole
        units[i] = units[i] + part if add else part
        ranks[k] = (share - whole * share_sum) * count + last - k
        leftover -= whole
    if leftover:  # fewer than `count`: each remainder is below `share_sum`
        ranks.sort()
        unit = -1 if negative else 1
        for k in range(count - leftover, count):
            units[positions[last - ranks[k] % count]] += unit


def exchange_ratio(rate: Decimal, source: str, target: str) -> tuple[int, int]:
    """An exchange `rate` (units of `target` per unit of `source`) as the exact fraction
    that turns minor units of `source` into minor units of `target`, in lowest terms:
    1.3650 from USD to CAD is (273, 200), cents to cents; 156.40 from USD to JPY is
    (391, 250), since a cent is worth 1.5640 yen. Worked out once per rate, so that
    `exchange_units` needs only integer arithmetic for every price it converts."""
    numerator, denominator = rate.as_integer_ratio()
    shift = MINOR_UNITS[target] - MINOR_UNITS[source]
    if shift >= 0:
        numerator *= 10 ** shift
    else:
        denominator *= 10 ** -shift
    common = gcd(numerator, denominator)
    return numerator // common, denominator // common


def exchange_units(units: int, ratio: tuple[int, int], *, down: bool = False) -> int:
    """`units` minor units multiplied by `ratio` (from `exchange_ratio`), exactly, then
    rounded to a whole minor unit: half up (away from zero), the rounding of every amount
    of this module, or with `down` toward zero. 1866 USD cents at (273, 200) is 2547.09
    CAD cents, so 2547; 13649 CAD cents back at (200, 273) is 9999.27, so 9999 either
    way."""
    numerator, denominator = ratio
    whole, rest = divmod(abs(units) * numerator, denominator)
    if not down and 2 * rest >= denominator:
        whole += 1
    return whole if units >= 0 else -whole
