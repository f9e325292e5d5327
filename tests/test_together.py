"""viz/together.py: a redraw's messages go to the page together, and every page gets its
messages in the order they were made, whichever thread made them.

The first version held only the holding thread's messages and let other threads send at once:
a Reset clicked during Play reached the page before the play loop's held step, and the page
showed the old month over the new model (`test_cross_thread_send_goes_after_held_messages`
fails on it).
"""

from __future__ import annotations

import asyncio
import random
import threading

import pytest

pytest.importorskip("solara")

from fatal_remedies.viz import together  # noqa: E402


class FakeSocket:
    """A connection as `together` sees it: Solara's Starlette wrapper when `portal` is set."""

    def __init__(self, log: list, portal: bool = False):
        self.log = log
        self.hops = 0
        self.sync_writer = None
        if portal:
            self.portal = self

    def call(self, fn):
        """The portal: run the coroutine function to its end on an event loop in another thread, as
        `portal.call` does (this thread may have a loop running: Playwright's, after browser tests)."""
        self.hops += 1
        failed = []

        def run():
            try:
                asyncio.run(fn())
            except BaseException as exc:  # noqa: BLE001 - raised again in the calling thread
                failed.append(exc)

        t = threading.Thread(target=run)
        t.start()
        t.join()
        if failed:
            raise failed[0]

    async def _send_text_exc(self, message):
        self.log.append(message)

    async def _send_bytes_exc(self, message):
        self.log.append(message)


@pytest.fixture
def sent(monkeypatch):
    """Messages Solara's own send would have written, per kernel (its set of connections)."""
    log: list = []

    def send_now(websockets, message):
        for ws in list(websockets):
            ws.log.append(message)

    monkeypatch.setattr(together, "_send_now", send_now)
    yield log
    assert together._queues == {}, "a queue was left behind"


def test_outside_a_block_each_message_goes_at_once(sent):
    kernel = {FakeSocket(sent)}
    together._send(kernel, "a")
    assert sent == ["a"]
    together._send(kernel, "b")
    assert sent == ["a", "b"]


def test_a_block_sends_its_messages_at_its_end_in_order(sent):
    kernel = {FakeSocket(sent)}
    with together.together():
        for m in "abc":
            together._send(kernel, m)
        with together.together():  # nested: the outer block sends
            together._send(kernel, "d")
        assert sent == []
    assert sent == ["a", "b", "c", "d"]


def test_a_block_sends_also_when_it_raises(sent):
    kernel = {FakeSocket(sent)}
    with pytest.raises(ValueError):
        with together.together():
            together._send(kernel, "a")
            raise ValueError
    assert sent == ["a"]


def test_cross_thread_send_goes_after_held_messages(sent):
    """The play loop holds its step's messages; a Reset from the click's thread sends after them."""
    kernel = {FakeSocket(sent)}
    held, resume = threading.Event(), threading.Event()

    def play_loop():
        with together.together():
            together._send(kernel, "month 13")
            together._send(kernel, "chart 13")
            held.set()
            resume.wait(5)
            together._send(kernel, "loops 1")

    t = threading.Thread(target=play_loop)
    t.start()
    assert held.wait(5)
    together._send(kernel, "month 0")  # the Reset's redraw, made after the step's
    assert sent == ["month 13", "chart 13", "month 0"]
    resume.set()
    t.join(5)
    assert sent == ["month 13", "chart 13", "month 0", "loops 1"]


def test_one_hop_per_batch_on_solaras_connection(sent):
    ws = FakeSocket(sent, portal=True)
    kernel = {ws}
    with together.together():
        for m in ("a", b"b", "c"):
            together._send(kernel, m)
    assert sent == ["a", b"b", "c"] and ws.hops == 1
    together._send(kernel, "d")
    assert sent[-1] == "d" and ws.hops == 2


def test_kernels_are_held_apart(sent):
    one, two = [], []
    k1, k2 = {FakeSocket(one)}, {FakeSocket(two)}
    with together.together():
        together._send(k1, "1a")
        together._send(k2, "2a")
        together._send(k1, "1b")
    assert one == ["1a", "1b"] and two == ["2a"]


def test_many_threads_lose_nothing_and_keep_each_threads_order(sent):
    """Threads holding and not holding, on two kernels, each message numbered by its thread."""
    logs = {0: [], 1: []}
    kernels = {k: {FakeSocket(logs[k], portal=k == 1)} for k in logs}

    def worker(w: int):
        rng = random.Random(w)
        n = 0
        for _ in range(60):
            k = rng.randrange(2)
            if rng.random() < 0.5:
                with together.together():
                    for _ in range(rng.randrange(1, 4)):
                        together._send(kernels[k], (w, n))
                        n += 1
            else:
                together._send(kernels[k], (w, n))
                n += 1

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    got = logs[0] + logs[1]
    assert len(got) == len(set(got)), "a message was sent twice"
    for k, log in logs.items():
        for w in range(8):
            mine = [n for (ww, n) in log if ww == w]
            assert mine == sorted(mine), f"thread {w}'s messages to kernel {k} out of order"
    counts = {w: 1 + max(n for (ww, n) in got if ww == w) for w in range(8)}
    assert len(got) == sum(counts.values()), "a message was lost"


def test_the_event_loops_own_thread_sends_at_once(sent):
    ws = FakeSocket(sent)
    ws._thread_id = threading.get_ident()
    with together.together():
        together._send({ws}, "status")
        assert sent == ["status"]
