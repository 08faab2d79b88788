"""Helpers the tests share, imported as `from tests.support.<module> import ...` (never
`from conftest import ...`): see tests/README.md for what each module holds."""
