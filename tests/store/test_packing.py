"""A served answer is packed for SQLite (`rates.store.packing`) and read back as the very
text served; a row stored as text before packing reads back as it was."""

from __future__ import annotations

import json
import threading

from hypothesis import given
from hypothesis import strategies as st

from rates.store.packing import pack, unpack
from tests.support.project import CARTS

JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(),
                    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
                    max_leaves=30)


@given(JSON)
def test_any_json_text_reads_back_as_it_was_packed(value):
    text = json.dumps(value, ensure_ascii=False)
    packed = pack(text.encode())
    assert packed.startswith(b"\x28\xb5\x2f\xfd")  # a zstd frame, never JSON's first byte
    assert unpack(packed) == text


def test_text_stored_before_packing_reads_back_as_it_was():
    assert unpack('{"id":"q_0003","z":1,"a":[]}') == '{"id":"q_0003","z":1,"a":[]}'


def test_threads_packing_at_once_each_get_their_own_text():
    texts = [path.read_bytes() for path in sorted(CARTS.glob("*.json"))]
    packed: dict[int, list[bytes]] = {}

    def packing(number: int) -> None:
        packed[number] = [pack(texts[(number + n) % len(texts)]) for n in range(200)]

    threads = [threading.Thread(target=packing, args=(number,)) for number in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for number, frames in packed.items():
        assert [unpack(frame).encode() for frame in frames] == \
            [texts[(number + n) % len(texts)] for n in range(200)]
