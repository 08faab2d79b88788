"""Saleor: the app a merchant installs in a Saleor instance, spoken to by webhooks.

One endpoint receives every event (`Saleor-Event` names it). The modules here are pure,
but for the key set's fetch: `signature` (the detached JWS of `Saleor-Signature`),
`jwks` (the instance's key set, fetched and kept), `checkout` (the shipping events'
payloads as our cart, and our answers), `orders` (the order events as the engine's),
`manifest` (the app manifest, with the subscription queries that shape every payload
read here, in `queries`).
"""
