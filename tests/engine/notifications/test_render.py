"""Email rendering: Chinese by default, English by preference, Shanghai times, links, masking."""

import pytest

from engine.core.settings import get_settings
from engine.notifications import render
from engine.notifications.outbox import TEMPLATES

pytestmark = pytest.mark.usefixtures("fresh_settings")

ID_NUMBER = "440304199001031234"
PHONE = "13800138000"
CTX = {"case_id": 42, "case_number": "福田调〔2026〕0042号", "deadline_name": "人民调解期限",
       "due_at": "2026-03-04T04:00:00+00:00", "task_name": "调解", "community": "福田社区",
       "seconds_left": 2 * 86400 + 3 * 3600 + 59, "seconds_late": 5 * 3600, "assignee": "mediator1"}


@pytest.mark.parametrize(("seconds", "zh", "en"), [
    (2 * 86400 + 3 * 3600 + 59, "2天3小时", "2 days 3 hours"),
    (5 * 3600, "5小时", "5 hours"),
    (86400 + 30 * 60, "1天", "1 day"),
    (45 * 60 + 10, "45分钟", "45 minutes"),
    (20, "不足1分钟", "less than a minute"),
    (-5, "不足1分钟", "less than a minute"),
])
def test_durations(seconds, zh, en):
    assert render.duration(seconds, "zh-CN") == zh
    assert render.duration(seconds, "en") == en


def test_times_are_shown_in_shanghai():
    assert render.local_time("2026-03-04T16:30:00+00:00") == "2026年3月5日 00:30"
    assert render.local_time("2026-03-04T16:30:00+00:00", "en") == "2026-03-05 00:30 (UTC+8)"


def test_warning_in_chinese_with_the_case_the_deadline_the_time_left_and_the_link():
    mail = render.render("deadline_warning", CTX, "zh-CN")
    assert mail.subject == "【临期提醒】福田调〔2026〕0042号「人民调解期限」剩余 2天3小时"
    for part in (mail.text, mail.html):
        assert "福田调〔2026〕0042号" in part and "人民调解期限" in part and "剩余 2天3小时" in part
        assert "2026年3月4日 12:00" in part and "http://127.0.0.1:8000/cases/42" in part
    assert '<a href="http://127.0.0.1:8000/cases/42">' in mail.html


def test_breach_and_escalations_say_how_late():
    for template in ("deadline_breached", "escalation_supervisor", "escalation_leader"):
        mail = render.render(template, CTX, "zh-CN")
        assert "已超期 5小时" in mail.subject and "已超期 5小时" in mail.text, template


def test_english_by_preference(monkeypatch):
    monkeypatch.setenv("TIAOJIE_BASE_URL", "https://tiaojie.example.gov.cn/")
    get_settings.cache_clear()
    mail = render.render("deadline_breached", CTX, "en")
    assert mail.subject == '[Overdue] 福田调〔2026〕0042号 "人民调解期限": 5 hours late'
    assert "https://tiaojie.example.gov.cn/cases/42" in mail.text and 'lang="en"' in mail.html
    assert "您好" not in mail.text


def test_every_template_renders_in_both_languages():
    digest = {"date": "2026-03-02", "days": 3, "as_of": "2026-03-02T01:00:00+00:00", "username": "m1",
              "tasks": [{"case_id": 1, "case_number": "福田调〔2026〕0001号", "task_name": "调解",
                         "community": "福田社区", "due_at": "2026-03-01T20:00:00+00:00"}]}
    for template in TEMPLATES:
        for locale in ("zh-CN", "en"):
            mail = render.render(template, digest if template == "daily_digest" else CTX, locale)
            assert mail.subject and mail.text.strip() and mail.html.startswith("<!DOCTYPE html>")


def test_digest_lists_overdue_and_due_soon_tasks():
    ctx = {"date": "2026-03-02", "days": 3, "as_of": "2026-03-02T01:00:00+00:00", "username": "m1",
           "tasks": [{"case_id": 1, "case_number": "福田调〔2026〕0001号", "task_name": "审查", "community": "福田社区",
                      "due_at": "2026-03-01T20:00:00+00:00"},
                     {"case_id": 2, "case_number": "福田调〔2026〕0002号", "task_name": "调解", "community": "福田社区",
                      "due_at": "2026-03-03T04:00:00+00:00"}]}
    mail = render.render("daily_digest", ctx, "zh-CN")
    assert mail.subject == "【每日待办】2026-03-02：1 件已超期，1 件即将到期"
    assert "已超期 5小时" in mail.text and "剩余 1天3小时" in mail.text
    assert "http://127.0.0.1:8000/cases/1" in mail.text and "http://127.0.0.1:8000/cases/2" in mail.html


def test_html_is_escaped_and_personal_data_is_masked_as_a_last_guard():
    ctx = dict(CTX, deadline_name="<script>x</script>", assignee=f"张三 {ID_NUMBER} {PHONE}")
    mail = render.render("deadline_warning", ctx, "zh-CN")
    assert "<script>" not in mail.html and "&lt;script&gt;" in mail.html
    for part in (mail.subject, mail.text, mail.html):
        assert ID_NUMBER not in part and PHONE not in part
    assert "440304********1234" in mail.text and "138****8000" in mail.html


def test_unknown_templates_are_refused():
    with pytest.raises(ValueError):
        render.render("../../etc/passwd", CTX, "zh-CN")
