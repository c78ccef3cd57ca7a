"""Case search bench (issue 16): 1,000,000 cases filled by SQL (tests/helpers/search_fill.py), then p50/p95 of
typical searches through ``engine.cases.search_cases`` (the API's code path, one transaction each): by 案号 as
written and in another spelling, by phone and ID number (exact, logged), by name,  by filters
with a sort, a caseworker's scoped list, first pages and the deepest page (row 10 000)."""

import random
import time

from engine import cases
from engine.core.types import User
from tests.bench.common import percentile
from tests.helpers.search_fill import COMMUNITIES, fill, id_of, phone_of

SUPERVISOR = User(id=1, username="bench-super", role="supervisor")
MEDIATOR = User(id=2, username="bench-mediator", role="mediator", communities=COMMUNITIES[:2])


def _number(g: int) -> tuple[int, int]:
    return 2020 + g % 7, g // 7 + 1


def _queries(rng: random.Random, n: int, sample: list[int]) -> dict:
    """name -> a function of the sample index giving (user, search parameters)."""
    def pick(i):
        return sample[i % len(sample)]

    def name_of(g):  # the applicant's name as search_fill writes it
        from tests.helpers.search_fill import GIVEN, SURNAMES
        return SURNAMES[g % len(SURNAMES)] + GIVEN[(g // 31) % len(GIVEN)] + GIVEN[(g // 1999) % len(GIVEN)]

    return {
        "number_exact": lambda i: (SUPERVISOR, {"q": "福田调〔{}〕{:04d}号".format(*_number(pick(i)))}),
        "number_odd_spelling": lambda i: (SUPERVISOR, {"q": "({})福田调{}".format(*_number(pick(i)))}),
        "number_bare": lambda i: (SUPERVISOR, {"q": f"{_number(pick(i))[1]:04d}"}),
        "phone": lambda i: (SUPERVISOR, {"q": phone_of(pick(i))}),
        "id_number": lambda i: (SUPERVISOR, {"id_number": id_of(pick(i))}),
        "name_3_chars": lambda i: (SUPERVISOR, {"name": name_of(pick(i))}),
        "name_2_chars": lambda i: (SUPERVISOR, {"name": name_of(pick(i))[:2]}),
        "name_in_box": lambda i: (SUPERVISOR, {"q": name_of(pick(i))}),
        "filters_sorted": lambda i: (SUPERVISOR, {"community": COMMUNITIES[i % 12], "status": "active",
                                                  "dispute_type": "labour", "sort": "-received_on"}),
        "filters_sorted_deep": lambda i: (SUPERVISOR, {"community": COMMUNITIES[i % 12], "sort": "-received_on",
                                                       "page": 400, "limit": 25}),
        "all_first_page": lambda i: (SUPERVISOR, {"sort": ["-created_at", "-received_on", "case_number"][i % 3]}),
        "all_deepest_page": lambda i: (SUPERVISOR, {"sort": "-created_at", "page": 500, "limit": 20}),
        "scoped_risk_group": lambda i: (MEDIATOR, {"risk_level": ["red"], "group": True, "sort": "-received_on"}),
        "scoped_overdue_stage": lambda i: (MEDIATOR, {"overdue": True, "stage": "调解会"}),
        "leader_cases": lambda i: (SUPERVISOR, {"leader": "leader1", "status": "active"}),
    }


def run(db, n: int = 1_000_000, samples: int = 40) -> dict:
    rng = random.Random(16)
    sample = sorted(rng.sample(range(1, n + 1), 200))
    t0 = time.perf_counter()
    fill(db, n, sample)
    out = {"search_cases": n, "search_fill_s": round(time.perf_counter() - t0, 1)}
    worst = []
    for name, make in _queries(rng, n, sample).items():
        timings = []
        for i in range(samples + 3):
            user, params = make(i)
            t = time.perf_counter()
            with db.begin() as conn:
                page = cases.search_cases(conn, user, **params)
            if i >= 3:  # the first runs warm the cache
                timings.append((time.perf_counter() - t) * 1000)
            if name in ("number_exact", "phone", "id_number", "number_odd_spelling"):
                assert page["items"], (name, params)
        out[f"search_{name}_p50_ms"] = round(percentile(timings, 50), 1)
        out[f"search_{name}_p95_ms"] = round(percentile(timings, 95), 1)
        worst.append(percentile(timings, 95))
    out["search_worst_p95_ms"] = round(max(worst), 1)
    return out
