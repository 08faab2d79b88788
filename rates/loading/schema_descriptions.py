"""What each key of the YAML files means, in the merchant's words, for the JSON Schemas.

Editors show these on hover and in completion lists. The text follows the header comments
of config.example.yaml, carriers/ups.yaml and rules/default.yaml. Keys are the keys as
written in YAML (`from`, not the attribute `first`); a schema inherits its bases' texts.
A test fails if a text names a key its schema does not have, so none goes stale.
"""

from __future__ import annotations

from collections.abc import Mapping

from marshmallow import Schema

from rates.loading.carrier_schema import BandSchema, CarrierSchema, ObservanceSchema, ServiceSchema
from rates.loading.config_schema import (
    AuthSchema,
    BigCommerceSchema,
    ConfigSchema,
    FallbackRateSchema,
    InventorySourceSchema,
    KeySchema,
    LimitsSchema,
    OrdersSchema,
    PlatformStoreSchema,
    ProductsSourceSchema,
    PromiseSchema,
    SaleorSchema,
    ServerSchema,
    ShopSchema,
    SourcingSchema,
    StoreSchema,
    SupportSchema,
    WebhooksSchema,
)
from rates.loading.location_schema import (
    AddressSchema,
    CalendarSchema,
    ClosureSchema,
    HolidaySourceSchema,
    LocationSchema,
    PickupSchema,
)
from rates.loading.rules_schema import (
    ClampSchema,
    CountBounds,
    LineMatchSchema,
    LinesSchema,
    MoneyBounds,
    OfferedServiceSchema,
    PlansSchema,
    RuleSchema,
    RulesFileSchema,
    WeightBounds,
    WhenSchema,
)
from rates.loading.wording_schema import LocaleWordingSchema
from rates.loading.zone_schema import CarrierZoneSchema, DestinationSchema, ZoneSchema

_CODES = "quote NO and ON, or YAML reads them as false and true"
_MONEY = 'money as a quoted decimal string ("150.00")'
_BOUNDS = {
    "at_least": "holds when the value is this or more",
    "at_most": "holds when the value is this or less",
    "below": "holds when the value is less than this",
}

DESCRIPTIONS: Mapping[type[Schema], Mapping[str, str]] = {
    # -- config.example.yaml ---------------------------------------------------------------
    ConfigSchema: {
        "locations": "Where orders ship from, in priority order: the first is preferred "
                     "when several can ship.",
        "inventory": "Stock by SKU: {source: file, path}. Omitted: every cart must carry "
                     "its own stock.",
        "products": "The product catalog: {path} of a file giving, per SKU, its Shopify "
                    "variant and product ids, tags, grams and dimensions; it seeds the "
                    "store's catalog. Omitted: the catalog starts empty.",
        "store": "Where quotes and orders are kept, and for how long: {url, "
                 "quote_retention_days, prune_interval_seconds}; default "
                 "sqlite:///rates.db, 30 days, 60 s.",
        "rules": "The directory of rules files, relative to this file; default rules/.",
        "carriers": "The directory of carrier files, relative to this file; default "
                    "carriers/.",
        "server": "How `rates serve` runs: host, port, workers, body size cap, reload "
                  "interval.",
        "limits": "The largest cart accepted.",
        "auth": "API keys, stored as SHA-256 digests.",
        "shops": "Shopify shops answered at POST /shopify/<domain>/rates.",
        "bigcommerce": "BigCommerce stores answered at POST /bigcommerce/<store_hash>/rate "
                       "(docs/platforms.md).",
        "saleor": "Saleor instances whose app webhooks are answered at POST "
                  "/saleor/<domain>/webhooks (docs/saleor.md).",
        "live_rates": "How live carrier rates are fetched: deadline, allowed hosts, cache, "
                      "breaker.",
        "orders": "Accepting quoted options as orders' promises.",
        "promise": "How delivery windows are weighed against what really happened: "
                   "{target_confidence, prior_observations, history_days, refresh_minutes} "
                   "(docs/confidence.md).",
        "webhooks": "Where an order newly at risk of arriving late is announced; omitted: "
                    "nowhere.",
        "support": "The support console: {timezone}.",
        "sourcing": "How each unit's warehouse is chosen: {strategy}.",
        "currencies": "Other currencies a checkout may be quoted in, each with its exchange "
                      "rate: units of it per one unit of the shop's currency (the rules' "
                      "`currency:`), a quoted decimal, e.g. {CAD: \"1.3650\"}. Omitted: "
                      "the shop's currency only.",
    },
    LocationSchema: {
        "id": "Short name used everywhere else (letters, digits, - _ .).",
        "name": "Shown to people; default: the id.",
        "address": "Where the location is; its country and region give its public "
                   "holidays unless calendar.holidays says otherwise, and its postcode "
                   "its place on the map.",
        "coordinates": "[latitude, longitude] in degrees, where the location is for "
                       "distances; default: its postcode's centroid.",
        "timezone": "IANA time zone name (America/Los_Angeles); cutoffs are local times "
                    "in this zone.",
        "calendar": "The days the location works.",
        "cutoff": 'Orders placed before it (local time) start handling that day: one '
                  'time for every working day ("14:00") or one per working day '
                  '({mon: "15:00", ..., fri: "12:00"}). Quote times. Omitted: no cutoff.',
        "handling_days": "[min, max] working days from starting an order to handing it "
                         "over.",
        "receiving_days": "Working days to receive a restock before it can ship.",
        "pickup": "Shoppers may collect their order here: {label, handling_days, hours, "
                  "to}. Omitted: no pickup.",
    },
    PickupSchema: {
        "label": 'The option\'s name, shown to shoppers; default "Pick up at <name>".',
        "handling_days": "[min, max] working days from the units being here (on hand: "
                         "the order's start after the cutoff; a restock: once received) "
                         "to ready for collection; default [0, 1].",
        "hours": 'Opening hours for people ("Mon-Fri 10:00-18:00"), shown under the '
                 "option.",
        "to": "Destinations pickup is offered to, as a zone's `to`: [{country, regions, "
              "postcodes}]; omitted: the location's own country and region.",
        "within_km": "And only to destinations at most this many km from the store, by "
                     "postcode centroid; omitted: no distance limit.",
        "within_miles": "The same in miles (give one of the two).",
    },
    AddressSchema: {
        "country": f"ISO 3166-1 alpha-2 country code (US, CA); {_CODES}.",
        "region": f"Region code without the country (NV, ON); {_CODES}.",
        "postcode": 'Postcode in quotes ("02134"), or YAML may read it as a number.',
    },
    CalendarSchema: {
        "weekdays": "Working days: mon tue wed thu fri sat sun.",
        "holidays": "Whose public holidays close the location, {country, subdiv} as the "
                    "holidays package knows them; default: the address country and "
                    "region; `none` for a location that works through them.",
        "closures": "The merchant's own closed days: {date, name}, or {from, to, name} "
                    "for a span (both ends inclusive).",
    },
    HolidaySourceSchema: {
        "country": f"Country code (US); {_CODES}.",
        "subdiv": f"Subdivision code (NV, ON); {_CODES}.",
    },
    ClosureSchema: {
        "date": "A single closed day, YYYY-MM-DD.",
        "from": "First closed day of a span, YYYY-MM-DD.",
        "to": "Last closed day of a span (inclusive), YYYY-MM-DD.",
        "name": "Why it is closed, as `rates calendar` and quotes show it.",
    },
    InventorySourceSchema: {
        "source": "Where stock comes from: a YAML file.",
        "path": "The inventory file, relative to this file.",
    },
    ProductsSourceSchema: {
        "path": "The product catalog file, relative to this file.",
    },
    StoreSchema: {
        "url": "sqlite:///PATH (relative to this file), or postgresql://USER@HOST/DB for "
               "several service nodes.",
        "quote_retention_days": "How long a quote is kept (one an order refers to: as "
                                "long as the order); at least orders.quote_valid_hours. "
                                "Default 30.",
        "prune_interval_seconds": "How often the running service removes what is past "
                                  "its retention.",
    },
    ServerSchema: {
        "max_body_kb": "Largest request body accepted, in KiB.",
        "reload_interval_seconds": "How often the rules and carriers are checked for "
                                   "changes.",
        "session_secret_env": "The environment variable holding the secret that signs "
                              "support console sessions; unset: a random one per start.",
        "secure_cookies": "Send the console's session cookie over HTTPS only.",
    },
    OrdersSchema: {
        "quote_valid_hours": "How long after it was made a quote can be accepted as an "
                             "order's promise.",
    },
    PromiseSchema: {
        "target_confidence": "The share of deliveries a window should hold, 0.5 to 0.99: "
                             "a window the lateness history gives less moves its latest "
                             "day later until it reaches it. Omitted: windows are only "
                             "weighed, never moved.",
        "prior_observations": "How many observations a lot's ETA or a service's configured "
                              "transit days count as against a supplier's or lane's "
                              "history. Default 20.",
        "history_days": "How far back the history is read. Default 365.",
        "refresh_minutes": "How often the running service counts the history again. "
                           "Default 60.",
    },
    SourcingSchema: {
        "strategy": "fastest (default): per plan and service, the sourcing that delivers "
                    "earliest; nearest: the locations nearest the destination first; "
                    "cheapest: the lowest price, then fastest; priority: the locations' "
                    "order in this file.",
    },
    SupportSchema: {
        "timezone": "IANA time zone name (America/Los_Angeles) every time on the support "
                    "console is written in; default: the first location's.",
    },
    WebhooksSchema: {
        "url": "Where events about promises at risk are POSTed: https://, or http:// to "
               "localhost.",
        "secret_env": "The environment variable holding the signing secret, whsec_... "
                      "from `rates keys webhook-secret` (never written in this file).",
        "timeout_seconds": "Longest wait to connect and for each read of one try.",
        "max_attempts": "Tries per event, the first included, before giving up.",
        "first_retry_seconds": "Ceiling of the first retry's wait; it doubles per failure.",
        "max_retry_seconds": "Largest retry wait ceiling.",
        "poll_seconds": "How often the outbox is checked for due events.",
    },
    LimitsSchema: {
        "max_lines": "Most lines in one cart.",
        "max_quantity": "Most units on one line.",
    },
    AuthSchema: {"keys": "`rates keys new --role quote` mints a key and prints its line."},
    KeySchema: {
        "name": "A name for the key, shown in logs.",
        "role": "quote: ask for quotes; support: also read quotes, inventory and rules; "
                "admin: everything.",
        "sha256": "The key's SHA-256 digest, as `rates keys new` prints it.",
    },
    PlatformStoreSchema: {
        "unknown_items": "An item no inventory record knows: in_stock (on hand at the "
                         "checkout's origin location, else the first; the default) or "
                         "refuse (no rate for the cart).",
        "fallback_rate": "The one rate a cart gets when it cannot be quoted whole (units "
                         "nobody can supply, an item refused); omitted: no rate at all.",
    },
    ShopSchema: {
        "domain": "The shop's my-shop.myshopify.com domain.",
        "secret_env": "The environment variable holding the app's shared secret (never "
                      "written in this file).",
        "admin_token_env": "The environment variable holding the shop's Admin API token, "
                           "read only by `rates shopify register` (never written in this "
                           "file).",
    },
    BigCommerceSchema: {
        "store_hash": "The store's hash, as in its API path /stores/<store_hash>/.",
        "secret_env": "The environment variable holding the credential the merchant enters "
                      "as the carrier's connection option (rates_token), which every rate "
                      "request and webhook carries (never written in this file).",
        "api_token_env": "The environment variable holding the store's API account token "
                         "(Orders and Information & Settings, read-only), with which an "
                         "order's details are read (never written in this file).",
        "api_url": "BigCommerce's API; default https://api.bigcommerce.com.",
    },
    SaleorSchema: {
        "domain": "The instance's domain, as its Saleor-Domain header names it.",
        "jwks_url": "Where the instance's public signing keys are; default "
                    "https://<domain>/.well-known/jwks.json.",
    },
    FallbackRateSchema: {
        "name": 'Shown to the shopper, e.g. "Contact us for delivery".',
        "price": f"The rate's price in the shop's currency, {_MONEY}.",
        "description": "Optional words under the name.",
    },
    # -- carriers/*.yaml -------------------------------------------------------------------
    CarrierSchema: {
        "id": 'Names the carrier\'s services in rules: "ups/ground".',
        "name": "Shown to people.",
        "pickup_days": "Weekdays it collects at our locations.",
        "delivery_days": "Weekdays it delivers.",
        "observes": "Public holidays it neither collects nor delivers on: one entry per "
                    "country it collects or delivers in. Omitted: every public holiday, "
                    "national and regional, of wherever it collects or delivers.",
        "currency": "What the prices are in; must be the shop's currency.",
        "zones": "Destination zones by origin; the first match wins.",
        "services": "The carrier's services, each with transit times and rates by zone.",
    },
    ObservanceSchema: {
        "calendar": "The country (US, CA) whose national calendar names the holidays, "
                    "the same in every region.",
        "holidays": 'Names as that calendar gives them ("Thanksgiving Day"); "X (observed)" '
                    "counts as X. Omitted: every holiday of that calendar; []: none.",
        "regional": "Also close on the region's own holidays there (Nevada Day, Family "
                    "Day in Ontario).",
    },
    ZoneSchema: {
        "id": "The zone's name; rules and rate tables refer to it.",
        "to": "Destinations: [{country, regions, postcodes}]; regions and postcode "
              "prefixes are optional.",
    },
    CarrierZoneSchema: {
        "from": "Location ids the zone applies to; omitted: any location. A zone id may "
                "be listed once per group of origins.",
    },
    DestinationSchema: {
        "country": f"Country code (US, CA); {_CODES}.",
        "regions": "Region codes (NV, ON); omitted: the whole country.",
        "postcodes": 'Postcode prefixes in quotes ("V5", "021"); omitted: every postcode.',
    },
    ServiceSchema: {
        "code": 'The service code; rules name it as "carrier/code".',
        "name": "Shown to shoppers.",
        "transit": "{zone: [min, max]} delivery days after the carrier collects.",
        "guaranteed": "true: the carrier guarantees these transit days (UPS Next Day Air, "
                      "FedEx Priority Overnight): quotes say so, and rules may test it. "
                      "Default false.",
        "rates": "{zone: [{from_kg, price}, ...]}: bands ascending from 0; a shipment "
                 "pays the last band at or below its weight.",
        "max_kg": "Heavier shipments cannot go by this service.",
        "per_extra_kg": "Added per started kg above the last band's from_kg.",
    },
    BandSchema: {
        "from_kg": 'Where the band starts: whole kilograms or a quoted decimal ("0.5").',
        "price": f"The band's price, {_MONEY}.",
    },
    # -- rules/*.yaml ----------------------------------------------------------------------
    RulesFileSchema: {
        "currency": "The currency the shop quotes in; every rules file must agree.",
        "zones": "The shop's own destination zones; the first match wins.",
        "services": 'Carrier services offered, "carrier/code".',
        "plans": "Which shipment plans to offer, their labels, and when restocks share "
                 "a shipment.",
        "rules": "Price rules run top to bottom; hide and block rules run last, whatever "
                 "`stop` said. A price never goes below zero.",
        "wording": 'What shoppers read, by locale ("en", "fr", "fr_CA"): window '
                   'sentences, item phrases, plan labels, service names, rule texts.',
        "wording_default": "The locale a shopper whose locale has no wording reads, whole "
                           "(its words, dates and plural rule). Default: en.",
    },
    LocaleWordingSchema: {
        "items": "The item phrase by CLDR plural category (zero, one, two, few, many, "
                 "other) the locale uses; `other` is required.",
        "plans": "{plan: label} in this locale.",
        "services": '{"carrier/code": name} in this locale; a store\'s pickup is '
                    '"pickup/<location>".',
        "rules": "{rule id: text} of a label rule (with its placeholders) or a block "
                 "rule's message, in this locale.",
    },
    OfferedServiceSchema: {
        "service": '"carrier/code", e.g. ups/ground.',
        "zones": "Offer it only in these zones; omitted: everywhere its carrier goes.",
    },
    PlansSchema: {
        "offer": "Plans in display order: together, in_stock_first, as_available.",
        "labels": "{plan: text} shown to shoppers after the service name.",
        "merge_within_days": "Restocks whose latest dates lie this close share a "
                             "shipment under as_available.",
    },
    RuleSchema: {
        "id": "Unique; quotes name it in their trace.",
        "description": "For people.",
        "when": "Conditions that must all hold; omitted: always. A list means any of "
                "its values.",
        "set": f"Set the price of the shipments in scope, {_MONEY}.",
        "adjust": 'A surcharge or discount: "+3.00", "-2.50", "+5%", "-15%".',
        "clamp": "Keep the price of the shipments in scope within {min, max}.",
        "label": "A new label; {label} (the current one), {service} and {plan} are "
                 "filled in.",
        "hide": "true: withhold the option silently.",
        "block": "Withhold the option and tell the shopper this message.",
        "shipments": "Which shipments the action prices: all (default), in_stock or "
                     "backordered.",
        "from": "Of those, only the shipments that leave from these locations.",
        "per": "Amounts count per option (default), per shipment or per item.",
        "stop": "true: no later price rule applies to this option.",
    },
    WhenSchema: {
        "stock": "How the cart stands: in_stock, backordered or mixed.",
        "plan": "together, in_stock_first or as_available.",
        "zone": "One of the rules' zones (the first that matches the destination).",
        "country": "Destination country code.",
        "region": "Destination region code.",
        "postcode": "Destination postcode prefixes, in quotes.",
        "service": '"carrier/code", e.g. ups/ground.',
        "carrier": "Carrier id, e.g. usps.",
        "location": "A location some shipment leaves from.",
        "customer_tags": "Any of the customer's tags.",
        "subtotal": "The cart's value: {at_least, at_most, below}, quoted money.",
        "weight": "The cart's weight in kg: {at_least, at_most, below}.",
        "item_count": "Units in the cart: {at_least, at_most, below}.",
        "restock_days": "Days from the order to the latest expected restock date of "
                        "the last backordered unit (0 when all are in stock).",
        "shipments": "How many shipments the option has.",
        "distance_km": "The farthest shipment's distance to the destination in km (by "
                       "postcode centroid; an unknown distance never matches).",
        "distance_miles": "The same in miles.",
        "from_nearest": "true: every line comes from the nearest location that holds any "
                        "of it; false: the strategy passed over a nearer one.",
        "guaranteed": "true: the carrier file marks the option's service guaranteed; "
                      "false: it does not (a live carrier's word on one rate is not "
                      "read here).",
        "lines": "{any | all | none: {sku, tags, backordered}}.",
        "not": "Holds unless all of these conditions hold.",
    },
    **dict.fromkeys((MoneyBounds, WeightBounds, CountBounds), _BOUNDS),
    LinesSchema: {
        "any": "At least one line matches.",
        "all": "Every line matches.",
        "none": "No line matches.",
    },
    LineMatchSchema: {
        "sku": "The line's SKU is one of these (quoted).",
        "tags": "The line has any of these tags.",
        "backordered": "true: some unit of the line is not on hand; false: all are.",
    },
    ClampSchema: {
        "min": f"The lowest price, {_MONEY}.",
        "max": f"The highest price, {_MONEY}.",
    },
}
