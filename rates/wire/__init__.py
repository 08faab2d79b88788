"""JSON in and out of the API: the quote request, the quote and order documents, the
shopper-facing wording, and the Shopify callback's document. No Flask here: the web layer
and the CLI both speak through these shapes.
"""
