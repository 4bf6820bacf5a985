"""A whole bill read against the UN human-rights office's fifteen asks (data/assessments/GUIDELINE.md).

- facts.py: the clause-facts model: each clause's kind, and the power and `safeguards` facts of powers,
  cooperation and safeguard clauses (logistic regressions over the sentence embeddings of encoder.py's
  frozen encoder, fitted by `clauseclf train`).
- references.py: cross-references inside the bill ("a warrant under section 52", "this Part"): which
  clauses' safeguards count for which power.
- assessment.py: the bill as the asks see it (clauses, powers with their safeguards) and the result.
- asks.py: the fifteen asks and how each is judged; links.py: the asks one flagged clause engages,
  for the report and the review queue.
- run.py: from a file on disk to its assessment; render.py and page.py: assessment.json, .md and .html.
- evaluation.py: per-fact F1 on held-out jurisdictions, agreement with the gold assessments.
- the `clauseclf assess` command is cli/assess.py; the figures, scripts/assessment_figures.py.
"""
