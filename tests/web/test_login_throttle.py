"""The login throttle: per address and per user independently, a growing delay, never a lockout.

Issue 11, item 25: a successful login reset the address's count (16 guesses across 4 users went
through), and 5 wrong passwords locked a known user out for 15 minutes.
"""

from __future__ import annotations

from otbill.web.security import LoginThrottle
from support.webkit import PASSWORDS, csrf_of, log_in


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_delay_grows_with_each_failure_and_ends() -> None:
    clock = Clock()
    throttle = LoginThrottle(clock=clock)
    keys = ["user:DEMO:biller", "ip:10.0.0.1"]
    waits = []
    for _ in range(6):
        throttle.failed(keys)
        waits.append(throttle.wait(keys))
        clock.now += waits[-1]  # the client waits as told
    assert waits[:3] == [0, 0, 0]  # a few typos cost nothing
    assert waits[3:] == [1, 2, 4]  # then each failure doubles the wait
    assert throttle.wait(keys) == 0


def test_a_user_is_never_locked_out_for_long_by_someone_else() -> None:
    clock = Clock()
    throttle = LoginThrottle(clock=clock)
    for n in range(50):  # an attacker from many addresses tries one known user
        clock.now += throttle.wait(["user:DEMO:biller"])
        throttle.failed(["user:DEMO:biller", f"ip:10.0.1.{n}"])
    assert 0 < throttle.wait(["user:DEMO:biller", "ip:10.9.9.9"]) <= throttle.user_cap


def test_a_successful_login_does_not_reset_the_address_count() -> None:
    clock = Clock()
    throttle = LoginThrottle(clock=clock)
    guessed = 0
    for user in ("a", "b", "c", "d"):
        for _ in range(4):
            keys = [f"user:DEMO:{user}", "ip:10.0.0.9"]
            if throttle.wait(keys) == 0:
                guessed += 1
                throttle.failed(keys)
        throttle.succeeded([f"user:DEMO:{user}", "ip:10.0.0.9"])  # the attacker's own account
    assert guessed <= 4, guessed  # 16 guesses in a row no longer go through


def _post(client, password: str, username: str = "biller"):
    return client.post(
        "/login",
        data={
            "clinic": "DEMO",
            "username": username,
            "password": password,
            "csrf_token": csrf_of(client.get("/login").text),
        },
        follow_redirects=False,
    )


def test_the_login_page_says_how_long_to_wait(client) -> None:
    for _ in range(3):
        assert "Wait" not in _post(client, "wrong").text  # the first few cost nothing
    fourth = _post(client, "wrong")
    assert fourth.status_code == 401 and "Wait 1 second before trying again." in fourth.text
    refused = _post(client, PASSWORDS["biller"])
    assert refused.status_code == 429
    assert "Try again in" in refused.text and "second" in refused.text
    assert int(refused.headers["retry-after"]) >= 1


def test_the_address_count_survives_a_good_login(client) -> None:
    for name in ("rcole", "approver", "mpatel"):
        _post(client, "wrong", name)
    log_in(client, "biller")  # a good login from the same address
    _post(client, "wrong", "admin")
    assert _post(client, "wrong", "admin").status_code == 429
