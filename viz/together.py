"""Send the page updates of one redraw together, after the redraw, instead of one by one during it.

Solara sends each widget that changed as its own websocket message, the moment Reacton changes
it. When the server is busy with other sessions (ten pages stepping at once on two cores), a
redraw of the Explore page takes a few hundred milliseconds of wall-clock time, and its dozen
messages reached the page spread over that time: the page applied them in many separate frames
(on the development machine 23 frames per step under that load, 5 with the page alone), and
every frame costs the browser its style, layout, paint and compositing again. Sent together at
the end of the redraw, they arrive at once and the page shows the step in a frame or two.

Sent one by one, each message is also a hop of its own to the server's event loop (Solara's
`portal.call`), the one thread all sessions share; under load each hop waited its turn (some 30 ms
a message on the development machine), so even held messages reached the page one by one. The
held messages go to the page in one hop: one task on the event loop writes them all, in order.

Only the thread inside `together()` holds its messages; any other thread (another session, the
kernel's own status messages) sends as before. The order of the held messages is kept, and they
are sent also when the redraw raises. A connection of another kind than Solara's Starlette one
(or with Solara's experimental send modes) gets them one by one, as before.
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

_held = threading.local()
_send_now = _kernel.send_websockets


def _send(websockets, message) -> None:
    queue = getattr(_held, "queue", None)
    if queue is None:
        _send_now(websockets, message)
    else:
        queue.append((websockets, message))


@contextlib.contextmanager
def together() -> Iterator[None]:
    """Hold the messages this thread sends to pages until the block ends, then send them in order."""
    if getattr(_held, "queue", None) is not None:  # already inside one: the outer block sends them
        yield
        return
    _held.queue = []
    try:
        yield
    finally:
        queue, _held.queue = _held.queue, None
        _send_held(queue)


def _send_held(queue: list) -> None:
    """Send held (websockets, message) pairs in order: per connection in one hop where it can."""
    groups: dict[int, tuple] = {}
    for websockets, message in queue:
        groups.setdefault(id(websockets), (websockets, []))[1].append(message)
    for websockets, messages in groups.values():
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
            and getattr(ws, "sync_writer", None) is None and not _settings.main.experimental_performance
            and getattr(ws, "_thread_id", None) != threading.get_ident())


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
    """Route Solara's websocket sends through `_send` (once per process; the server calls it on import)."""
    if _kernel.send_websockets is not _send:
        _kernel.send_websockets = _send
