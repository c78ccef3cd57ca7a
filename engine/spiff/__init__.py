"""The only package that imports SpiffWorkflow.

It turns validated BPMN/DMN documents into specs (``compiler``), runs a case's workflow
(``runtime``) with user expressions in the sandbox (``scripting``), and diffs/migrates
running cases between versions (``migration``). Callers get engine types back.
"""

import logging

# Spiff logs task data at INFO/DEBUG (personal data): keep it quiet.
logging.getLogger("spiff").setLevel(logging.WARNING)
logging.getLogger("spiff.metrics").setLevel(logging.WARNING)
