"""The jobs page and ``GET /api/jobs/{id}``: the clinic's jobs, newest first, state, progress,
error in words, a link to each job's own page; other clinics' jobs and arguments never shown."""

from __future__ import annotations

from otbill.web.jobs import app_jobs
from support.demoflow import clinic_and_users, simulated_835
from support.webkit import log_in, token


def _post_835(app, client, tmp_path) -> str:
    name, data = simulated_835(app, tmp_path)
    sent = client.post(
        "/remittances/upload",
        data={"csrf_token": token(client, "/remittances")},
        files={"file": (name, data)},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    app_jobs(app.state).wait(60)
    return sent.headers["location"].rsplit("/", 1)[1]


def test_the_jobs_page_lists_the_posting_with_its_page_and_the_api_answers(
    app, client, tmp_path
) -> None:
    log_in(client, "biller")
    empty = client.get("/jobs")
    assert empty.status_code == 200 and 'data-testid="no-jobs"' in empty.text
    job_id = _post_835(app, client, tmp_path)
    page = client.get("/jobs")
    assert f'data-testid="job-{job_id}" data-state="done"' in page.text
    assert f'href="/remittances/jobs/{job_id}"' in page.text
    assert "835 posting" in page.text and "ISA*" not in page.text  # never the file's text
    assert 'hx-trigger="every 2s"' not in page.text  # nothing runs: no polling
    api = client.get(f"/api/jobs/{job_id}")
    assert api.status_code == 200
    body = api.json()
    assert (body["kind"], body["state"], body["percent"]) == ("remittances.post", "done", 100)
    assert body["page"] == f"/remittances/jobs/{job_id}" and "arguments" not in body
    assert body["result"]["counts"]["claims"] == body["total"]


def test_a_job_of_another_clinic_or_none_is_a_404_in_words_and_roles_are_checked(
    app, client
) -> None:
    log_in(client, "biller")
    missing = client.get("/api/jobs/999")
    assert missing.status_code == 404 and "job 999: not found in this clinic" in missing.text
    assert client.get("/api/jobs/abc").status_code == 422
    clinic, users = clinic_and_users(app)
    job = app_jobs(app.state).queue(clinic, users["biller"], "statements.run",
                                    {"on": "2025-03-31", "out_dir": "/nonexistent"}, "k")  # fmt: skip
    app_jobs(app.state).wait(60)
    page = client.get("/jobs")
    assert f'data-testid="job-{job.id}"' in page.text
    assert f'href="/statements/jobs/{job.id}"' in page.text
