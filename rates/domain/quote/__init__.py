"""A quote: every way to ship a cart, dated, priced and shaped by the merchant's rules.

`pipeline` holds `quote()` and the stages it runs, `result` what a quote answers,
`cart_facts` what every option of a cart shares, and `pricing` the stage that dates and
prices a plan's shipments for one service.
"""
