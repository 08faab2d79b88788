"""The last good rules keep serving while the rules file on disk is broken, also when a
worker restarts (killed by the OOM killer, or by gunicorn for a request over its 30 s
timeout): the respawned worker starts on the setup gunicorn's master loaded, instead of
failing to boot (which would make the master stop the whole server)."""

import os
import signal
import time

import requests

from tests.support.processes import holds_open, workers

SUPPORT_KEY = "rk_demo_support_key_for_the_bundled_example_only"
QUOTE_KEY = "rk_demo_quote_key_for_the_bundled_example_only"
WORKERS = 2  # config.example.yaml's server.workers


def rejected_everywhere(base: str, timeout: float = 30) -> dict:
    """The rules status once the broken file has been rejected by every worker: each
    watcher checks every 2 s, later on a loaded machine, so wait until several answers in
    a row (new connections: any worker may answer) report the problems."""
    in_a_row, deadline = 0, time.monotonic() + timeout
    while in_a_row < 4 * WORKERS:
        assert time.monotonic() < deadline, "the broken rules file was never rejected"
        status = requests.get(f"{base}/v1/rules", timeout=10,
                              headers={"Authorization": f"Bearer {SUPPORT_KEY}"}).json()
        in_a_row = in_a_row + 1 if status["errors"] else 0
        time.sleep(0.1)
    return status


def test_a_worker_restarted_while_the_rules_file_is_broken_serves_the_last_good_rules(
        benchmark_script, example):
    crash = benchmark_script("crash")
    database = (example.parent / "rates.db").resolve()
    server = crash.Server(example, example.parent / "server.log")
    try:
        master = server.process.pid
        rules = example.parent / "rules" / "default.yaml"
        rules.write_text(rules.read_text().replace('adjust: "-15%"', 'adjust: ["-15%"'))
        status = rejected_everywhere(server.base)
        killed = min(workers(master))

        os.kill(killed, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and server.process.poll() is None:
            fresh = workers(master) - {killed}
            if len(fresh) == WORKERS and all(holds_open(pid, database) for pid in fresh):
                break
            time.sleep(0.1)

        assert server.process.poll() is None, "gunicorn's master stopped"
        for _ in range(2 * WORKERS):  # new connections: either worker may answer
            quoted = requests.post(f"{server.base}/v1/quotes", timeout=10,
                                   headers={"Authorization": f"Bearer {QUOTE_KEY}"},
                                   json=crash.CART)
            assert quoted.status_code == 201
            assert quoted.json()["ruleset"] == status["version"]
    finally:
        server.stop()
