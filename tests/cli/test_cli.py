"""The tiaojie command line, run as a user would (subprocess, SQLite file)."""

import json

import pytest

from tests.helpers.paths import FIXTURES

FIX = FIXTURES


def test_deploy_start_list_complete_show(cli):
    out = cli("process", "deploy", str(FIX / "review_v1.bpmn"), str(FIX / "register.json"), str(FIX / "review.json"))
    assert out.stdout.split("\t")[:3] == ["review", "v1", "new version"]
    assert "unchanged" in cli("process", "deploy", str(FIX / "review_v1.bpmn"), str(FIX / "register.json"),
                              str(FIX / "review.json")).stdout
    assert cli("process", "list").stdout.startswith("review\tv1\t")
    started = cli("case", "start", "review", "--user", "window1").stdout.splitlines()
    case_id, number, status = started[0].split("\t")
    assert status == "active" and number.endswith("0001号")
    task_id = started[1].split()[1]
    listed = cli("task", "list", "--group", "intake").stdout
    assert task_id in listed and "登记" in listed
    done = cli("task", "complete", task_id, "--data", '{"amount": 300, "channel": "window"}', "--user", "window1")
    assert "examine" in done.stdout
    shown = json.loads(cli("case", "show", case_id).stdout)
    assert shown["amount"] == 300.0 and shown["channel"] == "window"
    assert [e["kind"] for e in shown["events"]][:3] == ["case_started", "task_created", "task_completed"]
    assert shown["created_at"].endswith("+08:00")  # shown in Asia/Shanghai


@pytest.mark.parametrize(
    "args, fragment",
    [
        (("case", "start", "nope"), "process 'nope' is not deployed"),
        (("case", "show", "99"), "case 99 not found"),
        (("task", "complete", "nope", "--data", "{not json"), "--data is not valid JSON"),
        (("task", "complete", "nope", "--data", "[1]"), "--data must be a JSON object"),
        (("task", "complete", "nope"), "task nope not found"),
        (("process", "deploy", "/no/such/file.bpmn"), "no such file"),
    ],
)
def test_refusals_are_one_line_without_traceback(cli, args, fragment):
    proc = cli(*args, ok=False)
    assert proc.returncode == 1
    assert fragment in proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_invalid_form_data_and_hostile_bpmn_are_refused(cli, tmp_path):
    cli("process", "deploy", str(FIX / "review_v1.bpmn"), str(FIX / "register.json"), str(FIX / "review.json"))
    task_id = cli("case", "start", "review").stdout.splitlines()[1].split()[1]
    bad = cli("task", "complete", task_id, "--data", '{"amount": -1, "channel": "window"}', ok=False)
    assert bad.returncode == 1 and "amount" in bad.stderr and "Traceback" not in bad.stderr
    evil = tmp_path / "evil.bpmn"
    evil.write_text('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">&x;</bpmn:definitions>')
    proc = cli("process", "deploy", str(evil), ok=False)
    assert proc.returncode == 1 and "DOCTYPE" in proc.stderr and "root:" not in proc.stderr


def test_an_identical_open_matter_is_visited_again_as_at_the_window(cli):
    """`case start` registers like POST /cases: the second identical start is a repeat visit on the open case."""
    cli("process", "deploy", str(FIX / "review_v1.bpmn"), str(FIX / "register.json"), str(FIX / "review.json"))
    data = json.dumps({"dispute_type": "neighbourhood", "community": "福田社区",
                       "parties": [{"role": "applicant", "name": "张某", "id_number": "440304199001031234"}]})
    first = cli("case", "start", "review", "--data", data).stdout.splitlines()
    number = first[0].split("\t")[1]
    assert first[1].startswith("  task ")  # the intake task stays open for its group
    dup = cli("case", "start", "review", "--data", data).stdout.splitlines()
    assert dup[0].split("\t")[:2] == first[0].split("\t")[:2] and number in dup[0]  # the same case, no new one
    assert dup[1] == "  repeat visit recorded on the open matter (visit 2)"
    other = json.dumps({**json.loads(data), "dispute_type": "contract"})
    assert cli("case", "start", "review", "--data", other).stdout.split("\t")[2].startswith("active")


def test_usage_error_exits_2(cli):
    proc = cli("task", "complete", ok=False)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_sla_rule_limit_the_office_way(cli):
    cli("workers", "sla", "seed")
    done = cli("workers", "sla", "set", "intake_register_1wd", "--duration", "20 个工作日")
    assert "rule intake_register_1wd updated" in done.stdout
    listed = [line.split("\t") for line in cli("workers", "sla", "list").stdout.splitlines()]
    assert [row[2] for row in listed if row[0] == "intake_register_1wd"] == ["20 个工作日"]
    bad = cli("workers", "sla", "set", "intake_register_1wd", "--duration", "30 工作", ok=False)
    assert bad.returncode == 1 and "unrecognised duration: 30 工作" in bad.stderr and "Traceback" not in bad.stderr


def test_user_add_states_the_password_policy_and_unlock_clears_failed_logins(cli, tmp_path):
    from engine import Database, people

    weak = cli("user", "add", "zhaoming", "--role", "intake", "--password", "12345678", ok=False)
    assert weak.returncode == 1 and "a common password" in weak.stderr and "8 to 200 characters" in weak.stderr
    cli("user", "add", "zhaoming", "--role", "intake", "--password", "a good long pass phrase")
    same = cli("user", "passwd", "zhaoming", "--password", "ZhaoMing", ok=False)
    assert same.returncode == 1 and "the same as the user name" in same.stderr
    db = Database(f"sqlite:///{tmp_path / 'cli.sqlite'}")
    for _ in range(3):
        with db.begin() as conn:
            assert isinstance(people.attempt_login(conn, "zhaoming", "wrong password"), people.AuthError)
    with db.begin() as conn:
        assert isinstance(people.attempt_login(conn, "zhaoming", "a good long pass phrase"), people.LoginThrottled)
    done = cli("user", "unlock", "zhaoming")
    assert "zhaoming: 4 failed login(s) cleared" in done.stdout
    with db.begin() as conn:
        assert people.attempt_login(conn, "zhaoming", "a good long pass phrase")["token_type"] == "bearer"
    db.dispose()
