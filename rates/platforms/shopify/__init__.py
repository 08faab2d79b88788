"""Shopify: the first checkout platform's adapter.

- `signature`: the HMAC Shopify signs callbacks and webhooks with;
- `rates`: the CarrierService callback's cart in, its rates out;
- `orders`: order webhooks as the engine's events (`rates.app.platform_events`);
- `products`: product webhooks as catalog products;
- `admin` and `register`: the Admin GraphQL API, and a shop's carrier service and
  webhook subscriptions made what the service needs (`rates shopify register`).
"""
