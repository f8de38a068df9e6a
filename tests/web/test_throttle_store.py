"""The login throttle kept in a file for every process on the host: the same rules as in memory
(a few free failures, then a doubling wait, the address kept after a good login), and two
throttles on one file (two processes) count together."""

from __future__ import annotations

from otbill.web.throttle_store import SharedLoginThrottle


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0  # the wall clock: shared between processes

    def __call__(self) -> float:
        return self.now


def test_the_rules_are_the_in_memory_throttles(tmp_path) -> None:
    clock = Clock()
    throttle = SharedLoginThrottle(path=tmp_path / "t.sqlite3", clock=clock)
    keys = ["user:DEMO:biller", "ip:10.0.0.1"]
    waits = []
    for _ in range(6):
        throttle.failed(keys)
        waits.append(throttle.wait(keys))
        clock.now += waits[-1]
    assert waits == [0, 0, 0, 1, 2, 4]
    throttle.succeeded(keys)  # clears the user, never the address
    throttle.failed(keys)
    assert throttle.wait(["user:DEMO:biller"]) == 0  # the user's count starts again
    assert throttle.wait(["ip:10.0.0.1"]) == 8  # the address's 7th failure
    clock.now += throttle.window + throttle.address_cap + 1  # forgotten after the window
    assert throttle.wait(keys) == 0


def test_two_processes_on_one_file_count_together(tmp_path) -> None:
    clock = Clock()
    one = SharedLoginThrottle(path=tmp_path / "t.sqlite3", clock=clock)
    two = SharedLoginThrottle(path=tmp_path / "t.sqlite3", clock=clock)
    keys = ["user:DEMO:admin", "ip:10.0.0.2"]
    for throttle in (one, two, one, two):  # four failures spread over two processes
        throttle.failed(keys)
    assert one.wait(keys) == two.wait(keys) == 1
    apart = SharedLoginThrottle(path=tmp_path / "other.sqlite3", clock=clock)
    assert apart.wait(keys) == 0  # another file (another host) counts apart
