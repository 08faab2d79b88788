"""The checks benchmarks/soak.py makes can fail: a quote priced unlike its ruleset's
earlier quotes is counted as mixed, and the server log is read for reloads, tracebacks
and addresses. (`make test` runs the soak itself: `soak.py --smoke`.)"""

import json


def quote(ruleset, ground, fallback="timed out after 0.5 s"):
    return {"ruleset": ruleset,
            "options": [{"id": "together/ups/ground", "price": {"amount": ground}},
                        {"id": "in_stock_first/ups/ground", "price": {"amount": "15.95"}}],
            "messages": [{"code": "carrier_fallback",
                          "message": f"Ridgeline live rates unavailable ({fallback}); "
                                     "priced from its rate table"}]}


def test_a_ruleset_seen_with_two_prices_for_one_option_is_a_mixed_quote(benchmark_script):
    soak = benchmark_script("soak")
    sampler = soak.Sampler("http://127.0.0.1:1/v1/quotes", b"{}")

    sampler.record(quote("sha256:a", "18.66"))
    sampler.record(quote("sha256:b", "18.44", "circuit open"))
    sampler.record(quote("sha256:a", "18.66", "circuit open"))
    sampler.record(quote("sha256:a", "18.44"))  # ruleset a, priced as b

    assert (sampler.quotes, sampler.mixed) == (4, 1)
    assert list(sampler.prices) == ["sha256:a", "sha256:b"]
    assert sampler.fallbacks == {"timed out after 0.5 s": 2, "circuit open": 2}
    assert not sampler.failed


def test_a_quote_without_the_hung_carriers_fallback_is_a_failure(benchmark_script):
    soak = benchmark_script("soak")
    sampler = soak.Sampler("http://127.0.0.1:1/v1/quotes", b"{}")

    sampler.record({**quote("sha256:a", "18.66"), "messages": []})

    assert sampler.failed == {"Ridgeline not priced from its table": 1}


def test_the_server_log_gives_reloads_rejections_tracebacks_and_leaks(benchmark_script):
    soak = benchmark_script("soak")
    lines = [
        "[2026-11-22 10:00:00 +0000] [7] [INFO] Booting worker with pid: 8",
        json.dumps({"level": "info", "logger": "rates.app.reloading",
                    "message": "rules reloaded: sha256:b"}),
        json.dumps({"level": "info", "logger": "rates.app.reloading",
                    "message": "rules reloaded: sha256:b"}),
        json.dumps({"level": "warning", "logger": "rates.app.reloading",
                    "message": "rules reload rejected, still serving sha256:b: 1 problem(s)"}),
        json.dumps({"level": "error", "logger": "rates.app.reloading",
                    "message": "rules watcher failed; will try again",
                    "exception": "Traceback (most recent call last):\n  ..."}),
        json.dumps({"message": "request", "request_id": "94110a5f0c3b2d1e", "status": 201}),
        json.dumps({"message": "request", "request_id": "0c3b2d1e5f94110a", "status": 201}),
        json.dumps({"message": "quote", "destination": {"postcode": "94110"}}),
        json.dumps({"message": "quote", "reference": "cart-1003"}),
    ]

    log = soak.read_log("\n".join(lines))

    assert log == soak.ServerLog(frozenset({"sha256:b"}), ok=2, rejected=1, tracebacks=1,
                                 leaks=2)  # not the request ids that hold 94110
