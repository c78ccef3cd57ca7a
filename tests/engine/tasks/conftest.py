"""Fixtures of the task tests: review_v1 cases in 福田社区."""

import pytest

from tests.helpers.engine import deploy, start


@pytest.fixture
def task(db):
    deploy(db, "review_v1.bpmn")
    return start(db, data={"community": "福田社区"}).open_tasks[0]


@pytest.fixture
def tasks(db):
    deploy(db, "review_v1.bpmn")
    return [start(db, data={"community": "福田社区"}).open_tasks[0] for _ in range(3)]
