"""Demo data for ``make run``: deploy the process set and a handful of cases at various stages."""

from pathlib import Path

from engine import Database, cases, deadlines, people, processes

PARTIES = [
    {"role": "applicant", "name": "张某", "id_type": "resident_id", "id_number": "440304199001031234",
     "phone": "13800138000"},
    {"role": "respondent", "name": "李某", "id_type": "resident_id", "id_number": "440304198805092345",
     "phone": "13900139000"},
]
CASES = [
    ("福田社区", "neighbourhood", "楼上漏水致楼下天花板受损", 3000, "mediation", 0),
    ("岗厦社区", "property_management", "物业费争议，业主拒交半年物业费", 8600, "mediation", 1),
    ("皇岗社区", "labour", "六名工人被拖欠两个月工资", 42000, "mediation", 1),
    ("水围社区", "contract", "装修合同质量纠纷", 56000, "legal_procedure", 1),
    ("福田社区", "marriage_family", "离婚后子女抚养费给付纠纷", 12000, "mediation", 2),
    ("岗厦社区", "consumer", "预付卡商家跑路，消费者要求退款", 2000, "consultation", 0),
]
ROUTES = {"mediation": "people_mediation", "legal_procedure": "litigation", "consultation": "consultation"}


def _intake(community, dispute_type, summary, amount, request_kind) -> dict:
    return {"channel": "service_hall", "source": "party_application", "received_on": "2026-11-20",
            "dispute_type": dispute_type, "request_kind": request_kind, "arbitration_clause": False,
            "summary": summary, "requests": "请求依法调处", "amount": amount, "people_count": 2,
            "risk_level": "yellow", "difficult": False, "community": community, "parties": PARTIES}


def _review(route: str) -> dict:
    return {"route_decision": "confirm", "final_route": route, "legal_opinion": "经甄别，按建议途径处理。",
            "lawyer_name": "王律师"}


DEMO_PASSWORD = "tiaojie-demo"
DEMO_USERS = [  # username, role, communities, display name
    ("window", "intake", ["福田社区", "岗厦社区"], "窗口受理员"),
    ("lawyer", "lawyer", ["福田社区", "岗厦社区", "皇岗社区", "水围社区"], "访前工作室律师"),
    ("mediator", "mediator", ["福田社区", "岗厦社区", "皇岗社区", "水围社区"], "调解员"),
    ("supervisor", "supervisor", [], "司法所"),
    ("leader", "leader", [], "街道领导"),
    ("admin", "admin", [], "管理员"),
]


def _demo_users(db: Database) -> list[str]:
    out = []
    with db.begin() as conn:
        for name, role, communities, display in DEMO_USERS:
            if people.find_person(conn, name) is None:
                people.add_user(conn, name, DEMO_PASSWORD, role, communities, display_name=display)
            out.append(f"login: {name} / {DEMO_PASSWORD}  ({display}, role {role})")
    return out


def load_demo(db: Database, bpmn_dir: Path) -> list[str]:
    """Idempotent: deploys only processes not yet deployed (a start never changes the live version; a
    disk file that differs from it is reported, not deployed) and adds cases only to an empty database."""
    out = _demo_users(db)
    with db.begin() as conn:
        added = deadlines.seed_rules(conn, actor="demo")
        out.append(f"SLA rules: {added} added" if added else "SLA rules present")
        days = deadlines.seed_calendar(conn, actor="demo")
        out.append(f"holiday calendar: {days} days added" if days else "holiday calendar present")
        for state in processes.sync(conn, processes.load_dir(bpmn_dir), actor="demo"):
            out.append(state.line())
    with db.begin() as conn:
        if cases.list_tasks(conn, limit=1) or not processes.is_deployed(conn, "dispute_case"):
            out.append("demo cases already present")
            return out[len(DEMO_USERS):] + out[:len(DEMO_USERS)]
    for community, dispute_type, summary, amount, kind, steps in CASES:
        with db.begin() as conn:
            case = cases.start_case(conn, "dispute_case", {}, actor="demo-window")
        for i in range(steps):
            task = case.open_tasks[0]
            data = _intake(community, dispute_type, summary, amount, kind) if i == 0 else _review(
                case.data.get("route") or ROUTES[kind])
            with db.begin() as conn:
                case = cases.complete_task(conn, task.id, data, actor="demo")
        out.append(f"case {case.case_number}: {summary} → {', '.join(t.name for t in case.open_tasks) or case.status}")
    return out[len(DEMO_USERS):] + out[:len(DEMO_USERS)]
