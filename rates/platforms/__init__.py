"""Checkout platforms' adapters: one package per platform (`shopify`, ...).

Each adapter does the four things only its platform's documentation can say: it verifies
the caller, translates the platform's cart into a `CheckoutCart`, translates the engine's
quote into the platform's answer, and translates the platform's order events into
`PlatformEvent`s (`rates.app.platform_events`). Everything else (stock, the product
catalog, the unknown-item policy, refusing a cart with units nobody can supply, matching
an order to its quote, applying a delivery once, metrics and logging) is shared, in
`rates.app` and `rates.web.platforms`. No Flask here: the routes are in `rates.web`.
"""
