"""Registering a case (立案): the checks before a case starts, the start, and the intake task.

One set of rules for every way in (``POST /cases``, ``tiaojie case start``): values a column or JSON
cannot hold are refused, a caseworker registers only in their own communities, an identical open
matter of the same parties is not registered twice (信访工作条例 第19条): the visit is recorded on the
open matter instead (visit_count + 1, a ``repeat_visit`` event), while the parties are locked, and a
petitioner's second petition within twelve months flags the case. A new case, or a matter visited
again, is checked for an early warning (``engine.cases.warning``).

The registrar is a logged-in ``User`` or, at the command line, an operator (``user=None``, named by
``actor``): an operator has no community restriction, and the intake task stays open for its group
(completed later with ``tiaojie task complete``), its form not checked yet.
"""

import math
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from engine.cases import service, warning
from engine.cases.step import business_fields
from engine.core import clock
from engine.core.errors import Forbidden, InvalidData, NotFound
from engine.core.events import event
from engine.core.privacy import party_rows
from engine.core.scope import scope
from engine.core.types import Case, User
from engine.ledger import code_tables
from engine.processes import catalog, forms
from engine.store import case_queries as queries
from engine.store import definitions as def_store

SHANGHAI = ZoneInfo("Asia/Shanghai")
MAX_AMOUNT = Decimal("99999999999999.99")  # NUMERIC(16, 2)
MAX_INT = 2**31 - 1
MAX_DEPTH = 20


@dataclass
class Registration:
    """A registered case, the cases sharing a party that the registrar may see, the repeat-petitioner flag.

    ``repeat_visit``: no new case; ``case`` is the open matter the visit was recorded on (``visit_count``).
    """

    case: Case
    related: list = field(default_factory=list)  # rows: id, case_number, status, dispute_type, created_at
    repeat_petitioner: bool = False
    repeat_visit: bool = False
    visit_count: int = 1


def _value_problems(data: dict) -> dict[str, tuple[str, str]]:
    """{path: (kind, reason)} of what a database column or JSON cannot hold."""
    stack, errors = [(data, "", 0)], {}
    while stack:
        value, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            errors[path or "(data)"] = ("too_deep", "nested too deeply")
        elif isinstance(value, dict):
            stack.extend((v, f"{path}.{k}" if path else str(k), depth + 1) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((v, f"{path}.{i}", depth + 1) for i, v in enumerate(value))
        elif isinstance(value, str) and "\x00" in value:
            errors[path] = ("nul", "contains a NUL character")
        elif isinstance(value, float) and not math.isfinite(value):
            errors[path] = ("not_finite", "must be a finite number")
    amount, people = data.get("amount"), data.get("people_count")
    if isinstance(amount, int | float) and not isinstance(amount, bool) and math.isfinite(amount) \
            and abs(Decimal(str(amount))) > MAX_AMOUNT:
        errors["amount"] = ("too_large", "too large")
    if isinstance(people, int) and not isinstance(people, bool) and abs(people) > MAX_INT:
        errors["people_count"] = ("too_large", "too large")
    return errors


def _refuse(problems: dict[str, tuple[str, str]], what: str = "case data") -> None:
    """Raise one InvalidData naming every field (with its kind, for translation)."""
    if problems:
        first = next(iter(problems.items()))
        err = InvalidData(f"{what} is invalid: {first[0]}: {first[1][1]}", {k: m for k, (_, m) in problems.items()})
        err.kinds = {k: kind for k, (kind, _) in problems.items()}
        raise err


def check_values(data: dict) -> None:
    """Refuse what a database column or JSON cannot hold, before anything runs."""
    _refuse(_value_problems(data))


def check_community(user: User | None, data: dict) -> None:
    """A caseworker registers a case only in one of their communities (and must name it)."""
    if user is None or user.sees_all_communities:
        return
    community = data.get("community")
    if not isinstance(community, str) or not community:
        _refuse({"community": ("required", "the case needs a community")})
    if community not in user.communities:
        raise Forbidden(f"community '{community}' is not one of yours")


def check_intake(conn: Connection, user: User, process_key: str, data: dict) -> dict:
    """Every problem of the intake data at once (values, community, the start form with its identifier
    checks), before a duplicate is looked for; returns the data as the form normalises it.

    The form is the latest version's as this process last read it; refused data is checked again on the
    version read afresh (another process may have deployed one since), so a refusal is never a stale form's."""
    try:
        return _check_intake(conn, user, process_key, data)
    except InvalidData:
        def_store.forget(conn, process_key)
        return _check_intake(conn, user, process_key, data)


def _check_intake(conn: Connection, user: User, process_key: str, data: dict) -> dict:
    problems = _value_problems(data)
    form = None
    try:
        form = catalog.start_form(conn, user, process_key)
    except NotFound:
        pass  # start_case names the missing process
    if form and form["schema"] is not None:
        try:
            data = forms.validate(f"{process_key}@{form['version']}", form["form_key"], form["schema"], data)
        except InvalidData as err:
            kinds = getattr(err, "kinds", {})
            for path, reason in err.errors.items():
                problems.setdefault(path, (kinds.get(path, ""), reason))
    community = data.get("community")
    if not user.sees_all_communities and (not isinstance(community, str) or not community):
        problems.setdefault("community", ("required", "the case needs a community"))
    _refuse(problems)
    check_community(user, data)
    return data


def _year_ago(at: datetime) -> datetime:
    local = at.astimezone(SHANGHAI)
    try:
        return local.replace(year=local.year - 1)
    except ValueError:  # 29 February
        return local.replace(year=local.year - 1, day=28)


def _check_first_form(conn: Connection, case: Case, task, data: dict) -> None:
    """The data must fit the first task's form even when the task stays open for its group."""
    definition = def_store.get_by_id(conn, case.definition_id)
    schema = forms.schema_for(definition.content_hash, task.form_key, lambda: def_store.forms(conn, definition.id))
    forms.validate(definition.content_hash, task.form_key, schema, data)


def _text(data: dict, key: str) -> str | None:
    value = data.get(key)
    return value if isinstance(value, str) else None


def register_case(conn: Connection, process_key: str, data: dict, *, user: User | None, actor: str | None = None,
                  version: int | None = None, received_on=None) -> Registration:
    """Check, record a repeat visit on an identical open matter or start the case and handle its intake task;
    in the caller's transaction.

    ``user`` registers (their name is the actor); ``user=None`` is an operator named ``actor``.
    ``received_on``: the day the matter reached the office when not today (or ``data["received_on"]``).
    """
    if not isinstance(data, dict):
        raise InvalidData("case data must be a JSON object")
    data = code_tables.normalise_intake(conn, data)  # 婚姻纠纷, 12345 … as the form's codes
    actor = user.username if user is not None else actor
    if user is not None and version is None:
        data = check_intake(conn, user, process_key, data)
    check_values(data)
    check_community(user, data)
    parties = party_rows(data.get("parties"))
    id_hashes = [p["id_hash"] for p in parties if p["id_hash"]]
    name_phones = [(p["name"], p["phone_hash"]) for p in parties if p["phone_hash"]]
    request_kind = _text(data, "request_kind")
    queries.lock_parties(conn, id_hashes, name_phones)
    related, recent_petitions = queries.party_history(
        conn, id_hashes, name_phones, dispute_type=_text(data, "dispute_type"), request_kind=request_kind,
        petitions_since=_year_ago(clock.now()))
    communities = scope(user) if user is not None else None
    if related and related[0].duplicate:  # a repeat visit about the open matter
        visits = warning.record_visit(conn, related[0].id, data, actor, clock.now())
        case = service.get_case(conn, related[0].id)
        if communities is not None and related[0].community not in communities:
            # recorded on the matter, but the registrar learns only its number (as the law's refusal would say)
            case = replace(case, data={}, summary=None, amount=None, open_tasks=[])
        return Registration(case, [r for r in related[1:] if communities is None or r.community in communities],
                            queries.is_repeat_petitioner(conn, case.id), repeat_visit=True, visit_count=visits)
    repeat = request_kind == "petition" and recent_petitions + 1 >= 2
    case = service.start_case(conn, process_key, data=data, actor=actor, version=version, received_on=received_on)
    if repeat:  # flagged before the intake is done, so the early warning lists it
        queries.flag_repeat_petitioner(conn, case.id, event(
            case.id, clock.now(), actor, "repeat_petitioner_flagged", petitions_12_months=recent_petitions + 1))
    first = case.open_tasks[0] if case.open_tasks else None
    if first is not None and user is not None:
        if first.group == user.role:
            case = service.complete_task(conn, first.id, data, actor=actor, worker=user)
        else:
            _check_first_form(conn, case, first, data)
    fields = business_fields(case.data)  # the row as written: no read when it gives no reason to warn
    known = SimpleNamespace(status=case.status, people_count=fields["people_count"], risk_level=fields["risk_level"],
                            repeat_petitioner=repeat, over_level=fields["over_level"], visit_count=1)
    warning.check(conn, case.id, actor, clock.now(), known=known)  # also when the intake task stays open
    return Registration(case, [r for r in related if communities is None or r.community in communities], repeat)
