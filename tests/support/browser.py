"""Constants the browser tests share (the `browser` fixture is in tests/browser/conftest.py;
where Chromium is, tests/support/system_needs.py)."""

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
# The bundled example's demo keys (config.example.yaml lists them in a comment).
KEYS = {role: f"rk_demo_{role}_key_for_the_bundled_example_only"
        for role in ("quote", "support", "admin")}
