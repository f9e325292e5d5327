"""Send the page updates of one redraw together, after the redraw, in the order they were made.

Solara sends each widget that changed as its own websocket message, the moment Reacton changes
it. When the server is busy with other sessions (ten pages stepping at once on two cores), a
redraw of the Explore page takes a few hundred milliseconds of wall-clock time, and its dozen
messages reached the page spread over that time: the page applied them in many separate frames
(on the development machine 23 frames per step under that load, 5 with the page alone), and
every frame costs the browser its style, layout, paint and compositing again. Sent together at
the end of the redraw, they arrive at once and the page shows the step in a frame or two.

Sent one by one, each message is also a hop of its own to the server's event loop (Solara's
`portal.call`), the one thread all sessions share; under load each hop waited its turn (some
30 ms a message on the development machine). Held messages go to a page in one hop: one task on
the event loop writes them all, in order.

**Order.** A page must get its messages in the order they were made, whichever thread made
them. A first version of this module (withdrawn in 5968321) held only the holding thread's
messages and let every other thread send at once, so a Reset clicked during Play (the click's
thread) could reach the page before the play loop's held step, and the page would show the old
month over the new model (`tests/test_together.py` shows it). Here every message to a connection is queued in one per-connection queue, in the order of the
calls; a thread inside `together()` only adds to it, any other send writes out the whole queue
up to and including its own message, and one writer at a time per connection (`_Queue.writing`)
sends a batch in full before the next batch is taken. So a page gets exactly the sequence it
would get without this module, only in fewer, larger pieces.

Messages sent from the event loop's own thread (Solara warns that it does not expect any) go
out as Solara sends them: blocking on the event loop there would wait for itself. A connection
of another kind than Solara's Starlette one (or with Solara's experimental or synchronous send
modes) gets its queued messages one by one through Solara's own send, still in order.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from typing import Iterator

from solara.server import kernel as _kernel
from solara.server import settings as _settings
from solara.server.websocket import WebSocketDisconnect

logger = logging.getLogger(__name__)

_send_now = _kernel.send_websockets
"""Solara's own send (one message to every connection of a kernel)."""


class _Queue:
    """Messages made for one kernel's connections and not yet sent, in the order they were made."""

    __slots__ = ("websockets", "messages", "holders", "writers", "writing")

    def __init__(self, websockets) -> None:
        self.websockets = websockets
        self.messages: list = []
        self.holders = 0
        """Threads inside `together()` that added to this queue and have not flushed it yet."""
        self.writers = 0
        """Threads writing or waiting to write this queue (it is dropped only when none is left)."""
        self.writing = threading.Lock()
        """Held while a batch is sent: one writer at a time, so batches reach the page in order."""


_lock = threading.Lock()
"""Guards `_queues` and every queue's `messages`, `holders` and `writers` (never held while sending)."""
_queues: dict[int, _Queue] = {}
"""Keyed by id() of the kernel's set of connections; a queue holds its set, so the id stays its own."""
_held = threading.local()


def _holding() -> bool:
    return getattr(_held, "keys", None) is not None


def _send(websockets, message) -> None:
    """Solara's send, replaced: queue the message for its kernel; send unless this thread holds."""
    if _on_event_loop(websockets):
        _send_now(websockets, message)
        return
    key = id(websockets)
    with _lock:
        queue = _queues.get(key)
        if queue is None:
            queue = _queues[key] = _Queue(websockets)
        queue.messages.append(message)
        if _holding():
            if key not in _held.keys:
                _held.keys.add(key)
                queue.holders += 1
            return
        queue.writers += 1
    _write(key, queue)


def _write(key: int, queue: _Queue) -> None:
    """Send everything queued for `key` (the caller has counted itself in `queue.writers`)."""
    try:
        with queue.writing:
            with _lock:
                batch, queue.messages = queue.messages, []
            if batch:
                _send_batch(queue.websockets, batch)
    finally:
        with _lock:
            queue.writers -= 1
            if not queue.messages and not queue.holders and not queue.writers and _queues.get(key) is queue:
                del _queues[key]


@contextlib.contextmanager
def together() -> Iterator[None]:
    """Hold the messages this thread makes until the block ends, then send what is queued, in order."""
    if _holding():  # already inside one: the outer block sends them
        yield
        return
    _held.keys = set()
    try:
        yield
    finally:
        keys, _held.keys = _held.keys, None
        for key in keys:
            with _lock:
                queue = _queues[key]
                queue.holders -= 1
                queue.writers += 1
            _write(key, queue)


def _on_event_loop(websockets) -> bool:
    """Whether this thread is the event loop's that serves these connections (it must not wait for itself)."""
    me = threading.get_ident()
    return any(getattr(ws, "_thread_id", None) == me for ws in list(websockets))


def _send_batch(websockets, messages: list) -> None:
    """Send `messages` in order to every connection in `websockets`: in one hop where it can."""
    connections = list(websockets)
    if connections and all(_one_hop_possible(ws) for ws in connections):
        for ws in connections:
            _send_in_one_hop(websockets, ws, messages)
    else:
        for message in messages:
            _send_now(websockets, message)


def _one_hop_possible(ws) -> bool:
    """Whether `ws` is Solara's Starlette connection, sending through its portal (the default mode)."""
    return (getattr(ws, "portal", None) is not None and hasattr(ws, "_send_text_exc") and hasattr(ws, "_send_bytes_exc")
            and getattr(ws, "sync_writer", None) is None and not _settings.main.experimental_performance)


def _send_in_one_hop(websockets: set, ws, messages: list) -> None:
    """Send `messages` over `ws` in one call to the event loop, with Solara's handling of a failed send."""
    async def send_all():
        for message in messages:
            await (ws._send_text_exc(message) if isinstance(message, str) else ws._send_bytes_exc(message))

    try:
        ws.portal.call(send_all)
    except WebSocketDisconnect:  # as Solara's send_websockets: a closed page is dropped from the set
        websockets.discard(ws)
    except Exception as exc:  # noqa: BLE001 - as Solara's send_websockets: log, close, drop
        logger.exception("Error sending messages: %s, closing websocket", exc)
        try:
            ws.close()
        except Exception:  # noqa: BLE001
            pass
        websockets.discard(ws)


def install() -> None:
    """Route Solara's websocket sends through `_send` (once per process; the app calls it on import)."""
    if _kernel.send_websockets is not _send:
        _kernel.send_websockets = _send
