"""Nothing acknowledged is lost: `rates serve` killed with SIGKILL (master and workers)
mid-writes, restarted on the same SQLite file, still has every quote and order it answered
with a 2xx, and the file passes `PRAGMA integrity_check`. The same code as
benchmarks/crash.py, in 3 rounds instead of 50."""

ROUNDS = 3
SEED = 20261122  # the kill moments; printed by crash.py when it fails there


def test_nothing_acknowledged_is_lost_when_the_server_is_killed_mid_writes(
        benchmark_script, example):
    crash = benchmark_script("crash")

    crashes = crash.crash_rounds(example, ROUNDS, SEED)

    assert len(crashes.rounds) == ROUNDS
    assert all(r.acked.quotes and r.acked.orders for r in crashes.rounds)
    assert crashes.lost == []
    assert [r.integrity for r in crashes.rounds] == ["ok"] * ROUNDS
    assert crashes.tracebacks == 0
    assert crash.failures(crashes) == []


def test_an_acknowledged_write_the_server_cannot_find_counts_as_lost(benchmark_script,
                                                                     serve):
    """The check itself can fail: ids the server never stored are reported, each named."""
    crash = benchmark_script("crash")
    server = serve()
    acked = crash.Acknowledged(quotes=["q_never_stored"], orders={"o-never": "q_never_stored"})

    assert crash.lost_writes(server.base, acked) == ["quote q_never_stored: HTTP 404",
                                                     "order o-never: HTTP 404"]
