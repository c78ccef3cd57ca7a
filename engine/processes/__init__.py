"""Process definitions: check and deploy BPMN/DMN/form bundles as versions, read the catalogue, diff versions.

What code outside ``engine.processes`` may use; inside the engine, modules import the sibling modules directly.
"""

from engine.processes.catalog import (
    get_version,
    is_deployed,
    list_processes,
    list_versions,
    start_form,
    validate,
    version_bundle,
    version_diff,
    version_xml,
)
from engine.processes.decisions import (
    check_decision,
    decision_diff,
    decision_versions,
    get_decision,
    list_decisions,
    publish_decision,
    try_decision,
)
from engine.processes.deploy import check, deploy, load_dir
from engine.processes.disk import DiskState, sync
from engine.processes.form_editor import check_form, try_form

__all__ = [
    "DiskState",
    "check",
    "check_form",
    "check_decision",
    "decision_diff",
    "decision_versions",
    "deploy",
    "get_decision",
    "get_version",
    "is_deployed",
    "list_decisions",
    "list_processes",
    "list_versions",
    "load_dir",
    "publish_decision",
    "start_form",
    "sync",
    "try_form",
    "try_decision",
    "validate",
    "version_bundle",
    "version_diff",
    "version_xml",
]
