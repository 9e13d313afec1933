"""chibo: checks a Vietnamese Party cell's yearly plan against its recorded facts.

Pipeline, one module per stage: case (load facts) -> models/values (validate) -> rulespec/prepare
(rule files) -> compile + engine (durable-rules) or oracle (plain Python) -> findings -> render.
"""

__version__ = "0.1.0"
