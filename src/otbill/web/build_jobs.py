""" "Build claims from visits" as a job (kind ``claims.build``), for its progress page.

Why: building and scrubbing every unbilled visit of a clinic (thousands on a first day, or after
a week away) inside the request held the browser and a server thread for as long as it took. The
button queues the job and answers at once with a redirect to the job's page, which reads the
job's row: "building" while it runs, then what was built, held and left, in plain words.

The key is the day and which build of the day it is (``2025-04-01:2``; see
:meth:`otbill.web.jobs.KindJobs._queue_of_day`): pressed again while a build is queued or
running, the button shows that build; once it is done, the next press is a new build of whatever
is unbilled then. Not a key made of the unbilled visits' ids: a visit with nothing billable stays
unbilled with the same id, so after its codes are fixed the same ids would find the finished
build and build nothing; and listing them would read every unbilled visit inside the request,
the very work moved out of it. A second build running meanwhile does no harm anyway: it waits
for the first (``hold_for_billing``) and finds its visits billed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from otbill.services.jobs.claims_build import KIND, build_arguments
from otbill.web.jobs import JobView, KindJobs, app_jobs

__all__ = ["BuildJob", "BuildJobs", "build_jobs"]


class BuildJob(JobView):
    """One build: queued, running, done (what was built) or failed (``error``)."""

    def _part(self, name: str) -> Any:
        return (self.job.result or {}).get(name)

    @property
    def unpriced(self) -> list[str]:
        """Why each self-pay visit was not charged (no price), in words."""
        return list((self._part("self_pay") or {}).get("unpriced", []))

    @property
    def tone(self) -> str:
        """The summary's alert class: ``warn`` when anything needs a person."""
        needs_a_person = self._part("held") or self._part("later") or self.unpriced
        return "warn" if needs_a_person else "ok"

    def summary(self) -> str:
        """What the build did, in plain words (the flash text the button used to leave)."""
        built, ready, held = self._part("built"), self._part("ready"), self._part("held")
        text = f"{built} claim{'' if built == 1 else 's'} built: {ready} ready, {held} held."
        if self._part("skipped"):
            text += f" {self._part('skipped')} visit(s) had nothing billable."
        if self._part("later"):
            first = dt.date.fromisoformat(self._part("first_later"))
            text += (f" {self._part('later')} visit(s) dated after today (the first on "
                     f"{first:%d %b %Y}) were not billed: correct their dates.")  # fmt: skip
        paid = self._part("self_pay") or {}
        if paid.get("charged") or paid.get("by_package"):
            text += (f" {paid.get('charged', 0)} self-pay visit(s) charged to the patient's "
                     f"account, {paid.get('by_package', 0)} paid by a package.")  # fmt: skip
        if self.unpriced:
            text += f" {len(self.unpriced)} self-pay visit(s) not charged (listed below)."
        return text


class BuildJobs(KindJobs[BuildJob]):
    """The app's claim builds (see the module docstring)."""

    kind = KIND
    view = BuildJob

    def start(self, clinic_id: int, user_id: int, today: dt.date) -> BuildJob:
        """Queue a build of every visit not billed yet through ``today`` (unless one is under
        way: that one). Returns the job at once."""
        return self._queue_of_day(clinic_id, user_id, build_arguments(today), today)


def build_jobs(state: Any) -> BuildJobs:
    """The app's :class:`BuildJobs` over its job queue."""
    return BuildJobs(app_jobs(state))
