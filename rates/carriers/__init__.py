"""Live carrier rates: pure protocol adapters (build a request, parse an answer), the one
HTTP session, the deadline fan-out, a circuit breaker per carrier, and a short cache.
"""
