"""`tiaojie user deactivate|activate|reset-password|set-role|set-communities|audit`: the page's rules from the CLI."""

import json

from engine import Database, people


def test_user_administration_from_the_command_line(cli):
    cli("user", "add", "boss", "--role", "admin", "--password", "a good long pass phrase")
    cli("user", "add", "zhaoming", "--role", "intake", "--community", "福田社区", "--password", "another pass phrase")

    assert "zhaoming is now mediator" in cli("user", "set-role", "zhaoming", "mediator").stdout
    bad = cli("user", "set-role", "zhaoming", "boss", ok=False)
    assert bad.returncode == 1 and "unknown role 'boss'" in bad.stderr
    assert "岗厦社区, 福田社区" in cli("user", "set-communities", "zhaoming", "福田社区", "岗厦社区").stdout
    assert "zhaoming deactivated" in cli("user", "deactivate", "zhaoming").stdout
    db = Database(f"sqlite:///{cli.tmp / 'cli.sqlite'}")
    with db.begin() as conn:
        assert people.attempt_login(conn, "zhaoming", "another pass phrase").code == "account_inactive"
    cli("user", "activate", "zhaoming", "--by", "王所长")
    out = cli("user", "reset-password", "zhaoming").stdout
    temp = out.strip().rsplit(" ", 1)[-1]
    assert "shown once" in out and len(temp) == 12
    with db.begin() as conn:
        assert people.attempt_login(conn, "zhaoming", "another pass phrase").code == "auth_failed"
        assert people.attempt_login(conn, "zhaoming", temp)["token_type"] == "bearer"
        assert people.get_person(conn, people.find_user_id(conn, "zhaoming")).role == "mediator"
    db.dispose()

    last = cli("user", "deactivate", "boss", ok=False)
    assert last.returncode == 1 and "last active admin" in last.stderr
    assert cli("user", "set-role", "boss", "supervisor", ok=False).returncode == 1

    audit = [json.loads(line) for line in cli("user", "audit", "zhaoming").stdout.splitlines()]
    assert [(a["action"], a["actor"]) for a in audit] == [
        ("password_reset", "cli"), ("activated", "王所长"), ("deactivated", "cli"), ("updated", "cli"),
        ("updated", "cli"), ("created", "cli")]
    assert audit[-2]["old"] == {"role": "intake"} and audit[-2]["new"] == {"role": "mediator"}
    assert temp not in json.dumps(audit) and "another pass phrase" not in json.dumps(audit)
