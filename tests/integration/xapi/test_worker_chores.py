"""The worker's periodic chore (recording timed-out sessions, wired by `elearn xapi worker`): it
runs every `chore_every` seconds beside sending, and a chore that fails never stops the sender."""

import threading
import time

from elearn.xapi.models import OutboxState
from elearn.xapi.sender import run_worker
from tests.integration.xapi.helpers import record, states


def test_the_chore_runs_periodically_and_a_failing_one_does_not_stop_sending(xapi_app, lrs):
    runs: list[float] = []

    def chore() -> None:
        runs.append(time.monotonic())
        if len(runs) == 2:
            raise RuntimeError("the database went away for a moment")

    ids = record(xapi_app, 3)
    stop = threading.Event()
    # A long poll interval: the chore, not the polling, decides how often the worker wakes.
    worker = threading.Thread(
        target=run_worker,
        args=(xapi_app, stop, 30.0),
        kwargs={"chore": chore, "chore_every": 0.1},
    )
    worker.start()
    try:
        deadline = time.monotonic() + 10
        while len(runs) < 4 and time.monotonic() < deadline:
            time.sleep(0.02)
        more = record(xapi_app, 2)  # sent after the failed chore: the worker kept going
        while set(lrs.stored) != set(ids + more) and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        stop.set()
        worker.join(timeout=10)
    assert len(runs) >= 4
    gaps = [later - earlier for earlier, later in zip(runs, runs[1:], strict=False)]
    assert min(gaps) >= 0.09  # not more often than asked
    assert set(lrs.stored) == set(ids + more)
    assert set(states(xapi_app).values()) == {OutboxState.SENT}
