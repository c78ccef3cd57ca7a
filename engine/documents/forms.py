"""The form schemas a kind's template may name: those of the user tasks that offer the kind, from the latest
deployed process definitions (``process_definitions.forms`` / ``user_tasks``), else the packaged ``bpmn/``."""

import json
import re
from functools import lru_cache
from pathlib import Path

from engine.documents.kinds import get as get_kind

BPMN = Path(__file__).resolve().parents[2] / "bpmn"
_TASK = re.compile(r'<bpmn:userTask\s+id="([^"]+)".*?</bpmn:userTask>', re.S)
_FORM = re.compile(r'name="formJsonSchemaFilename"\s+value="([^"]+)"')


@lru_cache(maxsize=1)
def packaged() -> tuple[dict[str, str], dict[str, dict]]:
    """(user task element id -> form file name, form file name -> schema) of the packaged ``bpmn/``."""
    tasks: dict[str, str] = {}
    forms: dict[str, dict] = {}
    if BPMN.is_dir():
        for f in sorted(BPMN.glob("*.bpmn")):
            for m in _TASK.finditer(f.read_text(encoding="utf-8")):
                form = _FORM.search(m.group(0))
                if form:
                    tasks.setdefault(m.group(1), form.group(1))
        for f in sorted((BPMN / "forms").glob("*.json")):
            forms[f.name] = json.loads(f.read_text(encoding="utf-8"))
    return tasks, forms


def forms_of(kind: str, tasks: dict[str, str] | None = None, forms: dict[str, dict] | None = None) -> list[dict]:
    """The schemas of the forms of the tasks offering ``kind`` (packaged ones unless ``tasks``/``forms`` given)."""
    if tasks is None or forms is None:
        tasks, forms = packaged()
    k = get_kind(kind)
    names = [tasks[t] for t in (k.tasks if k else ()) if t in tasks]
    return [forms[n] for n in dict.fromkeys(names) if n in forms]


def all_forms(forms: dict[str, dict] | None = None) -> list[dict]:
    return list((forms if forms is not None else packaged()[1]).values())
