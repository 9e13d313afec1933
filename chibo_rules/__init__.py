"""chibo: checks a Vietnamese Party cell's yearly plan against its recorded facts.

A plan is a folder of data (rules/<plan>/: plan.yaml, kinds of facts, rules, rule tests; docs/plan-format.md).
The pipeline, one package per stage, imports pointing down it only: facts (declared kinds, loading, workbooks)
-> ruleset (rule files, conditions, periods, checking rules against the kinds) -> checks (one module per check
kind: its compile step, oracle loops, judging and wording, behind small interfaces the layers above hand in)
-> evaluate (durable-rules, or the plain-Python oracle) -> judge (findings, pace, exemptions) -> jobs (check,
audit, ready, roll-up, rule tests) -> report (document, words, renderers) -> cli.
"""

__version__ = "0.2.0"
