"""BigCommerce: its Shipping Provider API (`rates`: the rate request as our cart, the quote
as its `carrier_quotes`, the connection check) and its orders (`orders`: the webhook
callback and the v2 order as our events; `api`: the v2 Orders API client that fetches
what a callback only names).

Pure but for `api`, which alone makes HTTP requests; no Flask anywhere.
"""
