"""The folder `rates serve`'s workers share their metrics in: made for the run (or the
operator's, emptied of the last run's files), and what a dead worker leaves in it. The
server itself is tested in tests/e2e/test_serve_metrics.py."""

import tempfile

from rates.web.shared_metrics import ENVIRONMENT, SharedMetrics


def test_a_folder_is_made_for_the_run_named_for_the_workers_and_removed(tmp_path,
                                                                          monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    environ: dict[str, str] = {}
    shared = SharedMetrics.prepare(environ)
    assert shared.folder.parent == tmp_path and shared.folder.is_dir()
    assert environ == {ENVIRONMENT: str(shared.folder)}
    (shared.folder / "counter_7.db").write_bytes(b"")
    shared.remove()
    assert list(tmp_path.iterdir()) == []


def test_a_named_folder_is_emptied_of_the_last_runs_files_and_kept(tmp_path):
    folder = tmp_path / "metrics"
    folder.mkdir()
    for name in ("counter_7.db", "histogram_7.db", "gauge_livemin_7.db", "README"):
        (folder / name).write_text("")
    environ = {ENVIRONMENT: str(folder)}
    shared = SharedMetrics.prepare(environ)
    assert environ == {ENVIRONMENT: str(folder)}
    assert [path.name for path in folder.iterdir()] == ["README"]
    shared.remove()
    assert [path.name for path in folder.iterdir()] == ["README"]


def test_a_named_folder_that_does_not_exist_is_made(tmp_path):
    folder = tmp_path / "run" / "metrics"
    assert SharedMetrics.prepare({ENVIRONMENT: str(folder)}).folder.is_dir()


def test_a_dead_workers_counts_stay_and_its_live_gauges_go(tmp_path):
    shared = SharedMetrics.prepare({ENVIRONMENT: str(tmp_path)})
    for name in ("counter_7.db", "histogram_7.db", "gauge_livemin_7.db",
                 "gauge_livemax_7.db", "gauge_livemin_8.db"):
        (tmp_path / name).write_bytes(b"")
    shared.worker_exited(7)
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "counter_7.db", "gauge_livemin_8.db", "histogram_7.db"]


def test_a_scrape_while_a_worker_creates_its_file_reads_the_others(tmp_path):
    """prometheus_client creates a worker's file empty and sizes it a moment later; a
    scrape in that moment once failed whole (500)."""
    from prometheus_client.mmap_dict import MmapedDict, mmap_key

    from rates.web.metrics import Metrics

    written = MmapedDict(str(tmp_path / "counter_101.db"))
    written.write_value(mmap_key("rates_quotes", "rates_quotes_total", ["channel", "outcome"],
                                 ["api", "ok"], "Quotes answered"), 8.0, 0.0)
    written.close()
    (tmp_path / "counter_102.db").write_bytes(b"")  # the booting worker's, not yet sized
    scraped = Metrics.create(shared_dir=tmp_path).exposition().decode()
    assert 'rates_quotes_total{channel="api",outcome="ok"} 8.0' in scraped
