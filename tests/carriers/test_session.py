"""The shared HTTP client against real servers on 127.0.0.1: what it refuses to send, what
it refuses to follow, and how the deadline bounds every wait and every retry."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace

import pytest

from rates.carriers.adapter import HttpCall
from rates.carriers.session import (
    AnswerTooLarge,
    ConnectionFailed,
    Deadline,
    HostRefused,
    HttpClient,
    RedirectRefused,
    TimedOut,
)
from rates.settings import LiveRateSettings
from tests.support.carriers import SETTINGS


def post(url: str) -> HttpCall:
    return HttpCall("POST", url, {"Content-Type": "application/json"}, b"{}")


LATE = 5.0
"""A server told to be this slow answers long after any deadline the tests set: a client
that got its answer waited for it."""


@pytest.fixture
def pauses() -> list[float]:
    """The pauses before retries the clients of a test took (`client_for`'s `pause`)."""
    return []


@pytest.fixture
def client_for(pauses: list[float]) -> Iterator[type[HttpClient]]:
    made: list[HttpClient] = []

    class Closing(HttpClient):
        def __init__(self, settings: LiveRateSettings = SETTINGS, *,
                     retry_pause: float = 0.05,
                     pause: Callable[[float], None] = pauses.append) -> None:
            super().__init__(settings, pool_size=4, retry_pause=retry_pause, pause=pause)
            made.append(self)

    yield Closing
    for client in made:
        client.close()


def test_a_normal_answer_comes_back_as_status_and_body(client_for, carrier_server):
    server = carrier_server("ok")
    status, body = client_for().send(post(server.url), Deadline.after(1))
    assert status == 200
    assert b'"ground"' in body


def test_a_host_not_on_the_allowlist_is_refused_before_any_socket_opens(client_for):
    with socket.socket() as listener:  # reachable, but named by an address not allowed
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(0.1)
        client = client_for(replace(SETTINGS, allowed_hosts=("localhost",)))
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/rates"
        with pytest.raises(HostRefused, match="host not allowed"):
            client.send(post(url), Deadline.after(1))
        with pytest.raises(TimeoutError):  # a connection, even closed, would be waiting
            listener.accept()


@pytest.mark.parametrize("url", [
    "http://127.0.0.1@evil.example/rates",  # user info, not the host
    "http://evil.example\\@127.0.0.1/rates",
    "ftp://127.0.0.1/rates",
    "127.0.0.1/rates",
])
def test_urls_that_only_look_allowed_are_refused(client_for, url):
    with pytest.raises(HostRefused):
        client_for().send(post(url), Deadline.after(1))


def test_a_redirect_is_refused_and_not_followed(client_for, carrier_server):
    server = carrier_server("redirect")
    with pytest.raises(RedirectRefused, match="redirect refused"):
        client_for().send(post(server.url), Deadline.after(1))
    assert server.paths == ["/rates"]


def test_a_server_silent_past_the_deadline_is_hung_up_on_and_not_asked_again(
        client_for, carrier_server):
    """The server, answering `LATE`, sees the client hang up before it answers: given up
    at the deadline, not when the answer came."""
    server = carrier_server("slow", delay=LATE)
    with pytest.raises(TimedOut, match=r"timed out after 0\.3 s"):
        client_for().send(post(server.url), Deadline.after(0.3))
    assert server.hung_up.wait(LATE)
    assert server.requests == 1


def test_a_server_hanging_up_without_an_answer_is_connection_closed(client_for, carrier_server):
    server = carrier_server("close")
    with pytest.raises(ConnectionFailed, match="connection closed"):
        client_for().send(post(server.url), Deadline.after(1))


def test_an_answer_past_the_size_limit_is_refused(client_for, carrier_server):
    server = carrier_server("huge")
    with pytest.raises(AnswerTooLarge):
        client_for().send(post(server.url), Deadline.after(1))


def test_a_refused_connection_is_retried_once_after_a_pause_then_reported(
        client_for, refused_url, pauses):
    with pytest.raises(ConnectionFailed, match="connection refused"):
        client_for(retry_pause=0.1).send(post(refused_url), Deadline.after(10))
    assert pauses == [0.1]  # `retries` is 1


def test_no_retry_when_the_deadline_leaves_no_time_for_it(client_for, refused_url, pauses):
    with pytest.raises(ConnectionFailed, match="connection refused"):
        client_for(retry_pause=0.5).send(post(refused_url), Deadline.after(0.3))
    assert pauses == []


def test_a_server_that_comes_up_during_the_pause_answers_the_retry(client_for, pauses):
    """Refused at first; the server starts listening during the pause before the retry."""
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{held.getsockname()[1]}/rates"
        answering = threading.Thread(target=_answer_once, args=(held,), daemon=True)

        def come_up(seconds: float) -> None:
            pauses.append(seconds)
            held.listen()
            answering.start()

        status, body = client_for(retry_pause=0.3, pause=come_up).send(post(url),
                                                                       Deadline.after(10))
        answering.join(timeout=5)
    assert (status, body) == (200, b"{}")
    assert pauses == [0.3]


def _answer_once(held: socket.socket) -> None:
    held.settimeout(5)
    connection, _ = held.accept()
    with connection:
        received = b""
        while not received.endswith(b"{}"):  # the request's body: the whole request is in
            received += connection.recv(4096)
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n"
                           b"\r\n{}")
