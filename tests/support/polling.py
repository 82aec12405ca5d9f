"""Waiting for a condition in tests that start processes."""

import time


def wait_for(condition, timeout: float = 120.0, every: float = 0.2) -> bool:
    """Poll `condition()` until it is true (True) or `timeout` seconds pass (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return False
