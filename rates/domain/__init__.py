"""The pure engine: money, carts, stock and its allocation, business calendars, shipment
plans, delivery windows, rate tables, rules and the quote pipeline.

No I/O and only the standard library (a test walks the imports): everything that reads a
file, a socket, a clock or a database lives outside and hands the domain plain values.
"""
