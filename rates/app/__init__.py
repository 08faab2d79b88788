"""The use cases the HTTP service, the CLI and the public Python API share: quoting a cart,
orders and their promises, the setup that reloads itself, and the `Engine` of `rates.load`.

Between the shells (web, commands) and the domain: it reads the store and the loaded setup,
calls the pure core, and writes back.
"""
