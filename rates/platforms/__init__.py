"""Checkout-platform adapters: how this engine is set up in, and spoken to by, a shop's
platform. Today `shopify_admin` (Shopify's Admin GraphQL API: the documents sent and the
answers read) and `shopify_register` (making a shop's carrier service and webhook
subscriptions what the service needs, re-runnably); Shopify's callback translation
(`wire/shopify.py`) is to move here too.

A platform adapter may import the domain and the settings, nothing above them: the
commands drive it, and it knows no Flask, YAML or store.
"""
