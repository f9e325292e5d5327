"""State of one browser session.

Solara gives each browser page its own value of a module-level
`solara.reactive`, so nothing here is shared between sessions. Only new
objects are ever set (never a default mutated in place), for the same reason.
"""

from __future__ import annotations

import threading

import solara

from .urlstate import ViewState

view = solara.reactive(ViewState())
"""Scenario, parameter changes, run size, comparison and language: mirrored in the URL."""

url_errors = solara.reactive(())
"""Messages for items of the opening link that were ignored."""

url_loaded = solara.reactive(False)

# ---- explore --------------------------------------------------------------------------------
model = solara.reactive(None)
"""The running BenefitModel of the Explore page."""
model_settings = solara.reactive(None)
"""(scenario, overrides, clients, seed) the running model was made with."""
tick = solara.reactive(0)
"""Bumped after each step so that charts redraw."""
playing = solara.reactive(False)
player = solara.reactive(None)
"""The session's play loop (`pages.explore.Player`), made when first needed."""
selected_client = solara.reactive(None)
param_errors = solara.reactive({})
"""Per-parameter message for a typed value that failed the registry's check."""
open_group = solara.reactive(None)

# ---- compare --------------------------------------------------------------------------------
comparison = solara.reactive(None)
"""Result of the last comparison: dict(settings, frames, summary, table, scenarios)."""
compare_progress = solara.reactive((0, 0))
compare_job = solara.reactive(None)
"""The running or last comparison's worker process (`backend.ComparisonJob`), cancelled on close."""
uploaded = solara.reactive(None)
"""A scenario uploaded as TOML: (label, Scenario)."""

# ---- lesson ---------------------------------------------------------------------------------
lesson_step = solara.reactive(0)
"""The lesson's step the session shows (its runs are made per session by viz/pages/lesson.py's task)."""

# ---- sensitivity ----------------------------------------------------------------------------
sweep_dir = solara.reactive(None)


# ---- the end of a session -------------------------------------------------------------------


PLAY_STOP_WAIT_S = 5.0
"""How long closing a session waits for its play loop to finish the step it is in."""


def release() -> None:
    """Stop what the session runs that would outlive it or trip over its closing.

    Runs when Solara closes the session's kernel (`watch_close`), before it takes the
    page's components down. The comparison's worker process is killed. The play loop is
    told to stop and waited for: one that finished a step while the components were
    being taken down redrew into them and failed (KeyError in reacton, a traceback in
    the server log, seen with 100 sessions closed while playing). The rest goes with
    the kernel: the model, frames and results live in this session's reactive values,
    which Solara drops (tests/browser/test_load.py counts them after closing sessions).
    """
    job = compare_job.value
    if job is not None:
        job.cancel()
    loop = player.value
    thread = getattr(loop, "thread", None)
    if playing.value:
        playing.set(False)
    if thread is not None and thread is not threading.current_thread():
        thread.join(PLAY_STOP_WAIT_S)


def watch_close() -> None:
    """Have `release` run when this session's kernel closes (call once per session, inside it)."""
    from solara.server import kernel_context

    if kernel_context.has_current_context():
        kernel_context.get_current_context().on_close(release)
