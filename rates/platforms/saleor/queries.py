"""The subscription queries that shape every Saleor payload this adapter reads.

A Saleor app defines each webhook's payload by a GraphQL subscription in its manifest
(docs.saleor.io, "Subscription Webhook Payloads"); with `event` as the root field, the body
Saleor posts is the event object itself: `{"__typename": ..., "checkout": {...}}`. So
`rates.platforms.saleor.checkout` and `.orders` read exactly these fields, by these names
(the field names and types are Saleor's GraphQL schema's, `saleor/graphql/schema.graphql`).

Only what a quote needs, and no personal data: an address is its country, area and postal
code; no name, street, phone or email is asked for. Saleor refuses a checkout's
`shippingMethods` and `deliveryMethod` in these events' queries (they would call the
webhook being answered), and a checkout line's `unitPrice` would set off the tax
calculation, a synchronous webhook of its own, from inside ours: a line's price is its
`undiscountedUnitPrice`, the channel's listed price. An order line's is the same listed
price, with or without tax as the channel's prices are entered (`pricesEnteredWithTax`).
A variant's weight falls back to its product's, then its product type's, as Saleor's own
`ProductVariant.get_weight` does.
"""

from __future__ import annotations

LIST_METHODS = "SHIPPING_LIST_METHODS_FOR_CHECKOUT"
FILTER_METHODS = "CHECKOUT_FILTER_SHIPPING_METHODS"
ORDER_CREATED = "ORDER_CREATED"
ORDER_CANCELLED = "ORDER_CANCELLED"
ORDER_FULFILLED = "ORDER_FULFILLED"

_VARIANT = """variant {
          id
          sku
          weight { unit value }
          product {
            id
            weight { unit value }
            productType { weight { unit value } }
          }
        }"""

_CHECKOUT = """checkout {
        id
        languageCode
        channel { slug currencyCode }
        shippingAddress { country { code } countryArea postalCode }
        lines {
          quantity
          requiresShipping
          undiscountedUnitPrice { amount currency }
          $variant
        }
      }""".replace("$variant", _VARIANT.replace("\n", "\n  "))

_ORDER = """order {
        id
        created
        checkoutId
        languageCodeEnum
        channel {
          slug
          currencyCode
          taxConfiguration { pricesEnteredWithTax }
        }
        shippingAddress { country { code } countryArea postalCode }
        deliveryMethod { __typename ... on ShippingMethod { id name } }
        shippingPrice { gross { amount currency } net { amount currency } }
        undiscountedShippingPrice { amount currency }
        lines {
          quantity
          isShippingRequired
          productSku
          productVariantId
          undiscountedUnitPrice { gross { amount currency } net { amount currency } }
          $variant
        }
      }""".replace("$variant", _VARIANT.replace("\n", "\n  "))

LIST_METHODS_QUERY = """subscription {
  event {
    ... on ShippingListMethodsForCheckout {
      __typename
      $checkout
    }
  }
}
""".replace("$checkout", _CHECKOUT)

FILTER_METHODS_QUERY = """subscription {
  event {
    ... on CheckoutFilterShippingMethods {
      __typename
      $checkout
      shippingMethods { id name }
    }
  }
}
""".replace("$checkout", _CHECKOUT)

ORDER_EVENTS_QUERY = """subscription {
  event {
    ... on OrderCreated {
      __typename
      $order
    }
    ... on OrderCancelled {
      __typename
      order { id }
    }
    ... on OrderFulfilled {
      __typename
      order { id }
    }
  }
}
""".replace("$order", _ORDER)
