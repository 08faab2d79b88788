"""The merchant's compiled rules: typed conditions, one action each, evaluated with a trace.

`facts` is what a rule can see of one option, `conditions` what it may test of it, `actions`
what it can do to the option's price, label and visibility, `evaluation` a rule and the
order rules apply in, with their trace, and `index` which rules can apply to an option,
found without testing all of them.
"""
