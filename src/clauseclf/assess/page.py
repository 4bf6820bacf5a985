"""`assessment.html`: the assessment as one page an analyst opens, under the report's rules.

The page is self-contained and makes no network request: its one style is inline and
allowed by its SHA-256 hash in a Content-Security-Policy that allows nothing else
(`default-src 'none'`, no script at all). Bill text is untrusted input (a bill may hold
`<script>`): every piece of it goes through html.escape.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime, timezone
from html import escape

from clauseclf.assess.assessment import Assessment, AskResult, Engaged

STATUS_WORDS = {"met": "met", "partly_met": "partly met", "not_met": "not met", "not_addressed": "not addressed"}
MARKS = {True: ("meets", "meets the ask"), False: ("misses", "misses the ask"), None: ("engages", "engages the ask")}


def build_page(assessment: Assessment, generated: datetime | None = None) -> str:
    generated = generated or datetime.now(timezone.utc)
    title = f"Assessment: {assessment.bill}"
    model = assessment.model or {}
    model_name = f"{model.get('name', 'unknown')}" + (f" ({str(model['hash'])[:12]})" if model.get("hash") else "")
    head = (f"<meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{csp()}\">"
            f"<title>{escape(title)}</title><style>{STYLE}</style>")
    body = (f"<header><h1>{escape(title)}</h1><p class=\"meta\">{assessment.clauses} clauses · model "
            f"{escape(model_name)} · generated {generated.strftime('%Y-%m-%d %H:%M UTC')}</p>"
            "<p class=\"note\">Each status is a first reading from the clauses listed with it: a prompt for the "
            "analyst, not a finding. A power is judged with the safeguards found for it anywhere in the bill."
            f"</p></header>{_summary(assessment)}<main>{''.join(_ask(a) for a in assessment.asks)}</main>")
    return f"<!DOCTYPE html>\n<html lang=\"en\"><head>{head}</head><body>{body}</body></html>\n"


def csp() -> str:
    digest = base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()
    return f"default-src 'none'; style-src 'sha256-{digest}'; img-src data:; base-uri 'none'; form-action 'none'"


def _status(status: str) -> str:
    return f"<span class=\"status {escape(status)}\">{STATUS_WORDS[status]}</span>"


def _summary(assessment: Assessment) -> str:
    rows = "".join(f"<tr><td>{a.id}</td><td><a href=\"#ask-{a.id}\">{escape(a.ask)}</a></td><td>{_status(a.status)}"
                   f"</td><td>{len(a.clauses)}</td></tr>" for a in assessment.asks)
    return ("<section id=\"summary\"><table><thead><tr><th>#</th><th>ask</th><th>status</th><th>clauses</th></tr>"
            f"</thead><tbody>{rows}</tbody></table></section>")


def _ask(ask: AskResult) -> str:
    clauses = "".join(_clause(c) for c in ask.clauses)
    listed = (f"<details{' open' if len(ask.clauses) <= 8 else ''}><summary>{len(ask.clauses)} clause"
              f"{'' if len(ask.clauses) == 1 else 's'}</summary>{clauses}</details>") if ask.clauses else ""
    return (f"<section class=\"ask\" id=\"ask-{ask.id}\" data-status=\"{escape(ask.status)}\"><h2>{ask.id}. "
            f"{escape(ask.ask)} {_status(ask.status)}</h2><p class=\"summary\">{escape(ask.summary)}</p>{listed}</section>")


def _clause(clause: Engaged) -> str:
    mark, words = MARKS[clause.meets]
    found = "".join(f"<li><b>{escape(s.fact.replace('_', ' '))}</b>{' (after the fact)' if s.value == 'after_the_fact' else ''}"
                    f": {escape(s.unit)} <small>{escape(s.how)}</small></li>" for s in clause.safeguards)
    safeguards = f"<ul class=\"found\">{found}</ul>" if found else ""
    return (f"<article class=\"clause {mark}\"><div class=\"where\"><b>{escape(clause.unit)}</b>"
            f"<span>{escape(clause.heading)}</span><span class=\"mark\" title=\"{words}\">{mark}</span></div>"
            f"<div><p class=\"why\">{escape(clause.why)}</p>{safeguards}"
            f"<blockquote class=\"text\">{escape(clause.text)}</blockquote></div></article>")


STYLE = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d1d1f;background:#f6f6f4}
header,#summary,main{max-width:1100px;margin:0 auto;padding:0 20px}
header h1{font-size:22px;margin:18px 0 2px}.meta{color:#666;margin:0}.note{color:#444;margin:6px 0 14px}
#summary table{border-collapse:collapse;background:#fff;border:1px solid #ddd;width:100%}
#summary th,#summary td{padding:4px 10px;text-align:left;border-bottom:1px solid #eee}
.status{font-size:12px;border-radius:10px;padding:1px 8px;color:#fff;white-space:nowrap;vertical-align:middle}
.status.met{background:#009E73}.status.partly_met{background:#E69F00}.status.not_met{background:#D55E00}
.status.not_addressed{background:#999}
.ask{background:#fff;border:1px solid #ddd;border-radius:8px;padding:8px 18px;margin:14px 0}
.ask h2{font-size:17px;margin:8px 0}.summary{margin:4px 0 8px}
.clause{display:grid;grid-template-columns:150px 1fr;gap:14px;border-top:1px solid #eee;padding:8px 0}
.where{display:flex;flex-direction:column;gap:2px;font-size:13px;color:#555}.where b{font-size:15px;color:#1d1d1f}
.mark{font-size:12px;font-weight:600}.meets .mark{color:#00704f}.misses .mark{color:#b04000}.engages .mark{color:#666}
.why{margin:0 0 4px;font-weight:600}.found{margin:0 0 4px;padding-left:18px;font-size:13px}.found small{color:#777}
.text{margin:0;padding:4px 10px;border-left:3px solid #ddd;color:#333;white-space:pre-wrap}
@media (max-width:800px){.clause{grid-template-columns:1fr}}
"""
