"""Tools for merchants who edit rules: rule tests (`rates test`), rule diffs over saved
carts (`rates diff`), and the replay of a saved cart on a chosen rule set and instant.
"""
