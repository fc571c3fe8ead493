"""Background work of a server process: presence counts, timers that close a theme, and the
organisers' overview rows."""

from __future__ import annotations

import logging

from flask import Flask

from .. import looplag
from ..database import end_session
from ..extensions import socketio
from ..services import phases, steps
from . import organisers, presence

log = logging.getLogger(__name__)

PRESENCE_INTERVAL = 1.0
TIMER_INTERVAL = 1.0
#: The longest an organiser's overview waits for a theme's new row, and the shortest between two.
OVERVIEW_INTERVAL = 1.0


def start(app: Flask) -> None:
    if app.config["ASYNC_MODE"] == "gevent":
        looplag.start(app.config["LOOP_LAG_WARN_MS"])
    socketio.start_background_task(_every, PRESENCE_INTERVAL, presence.flush, app, False)
    socketio.start_background_task(_every, TIMER_INTERVAL, close_expired_timers, app, True)
    socketio.start_background_task(_every, OVERVIEW_INTERVAL, organisers.flush, app, True)
    if app.config["MESSAGE_QUEUE"]:
        from .catchup import watch_message_queue

        socketio.start_background_task(watch_message_queue, app.config["MESSAGE_QUEUE"])


def close_expired_timers() -> None:
    """Close the themes whose timer ran out, and move on the steps whose timer did; the publish
    step tells their rooms."""
    phases.close_expired_timers()
    steps.advance_expired_steps()


def _every(interval: float, work, app: Flask, needs_database: bool) -> None:
    while True:
        socketio.sleep(interval)
        try:
            if needs_database:
                with app.app_context():
                    try:
                        work()
                    finally:
                        end_session()
            else:
                work()
        except Exception:
            log.exception("Background task %s failed; it will run again", work.__name__)
