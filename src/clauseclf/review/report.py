"""One HTML file a person opens: every clause ranked by risk, its evidence marked in the text.

The file is self-contained and makes no network request: styles and script are
inline, charts are inline SVG, and a Content-Security-Policy allows nothing
else (`default-src 'none'`; the one script and the one style are allowed by
their SHA-256 hash). Clause text is untrusted input (a bill may hold
`<script>`): every piece of it goes through html.escape, and the JSON the
script reads is escaped so that `</script>` cannot close its element.
"""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import datetime, timezone
from html import escape
from pathlib import Path

from clauseclf.assess.links import ask_titles, asks_engaged
from clauseclf.outputs import atomic_write_text, check_writable
from clauseclf.review.records import label_names, read_in_part, read_predictions, risk_order, severity

# One colour per label, by position in the model's label list (colour-blind-safe Okabe-Ito palette).
PALETTE = ("#0072B2", "#D55E00", "#E69F00", "#CC79A7", "#009E73", "#56B4E9", "#F0E442", "#000000")


def write_report(predictions: str | Path, output: str | Path, force: bool = False, title: str = "") -> Path:
    """Read a predictions JSONL file and write its HTML report atomically; returns the output path."""
    output = check_writable(output, force)
    records = read_predictions(predictions)
    atomic_write_text(output, build_report(records, title or f"Clause review report: {Path(predictions).name}"))
    return output


def build_report(records: list[dict], title: str, generated: datetime | None = None) -> str:
    labels = label_names(records)
    colours = {label: PALETTE[_slot(i)] for i, label in enumerate(labels)}
    generated = generated or datetime.now(timezone.utc)
    models = sorted({_model_name(r) for r in records})
    ranked = risk_order(records)
    order = {id(r): i for i, r in enumerate(records)}
    cards = "\n".join(_card(r, rank, order[id(r)], labels, colours) for rank, r in enumerate(ranked))
    # A machine-readable copy of the summary, for whoever post-processes the file.
    data = {"labels": labels, "models": models, "clauses": len(records),
            "flagged": {label: sum(label in r["labels"] for r in records) for label in labels}}
    head = (f"<meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{_csp()}\">"
            f"<title>{escape(title)}</title><style>{STYLE}</style>")
    body = (f"<header><h1>{escape(title)}</h1><p class=\"meta\">{len(records)} clauses · model "
            f"{escape(', '.join(models))} · generated {generated.strftime('%Y-%m-%d %H:%M UTC')}</p></header>"
            f"{_summary(records, labels, colours)}{_controls(labels)}"
            f"<main id=\"clauses\">{cards}</main><p id=\"empty\" hidden>No clause matches the filters.</p>"
            f"<script type=\"application/json\" id=\"report-data\">{script_json(data)}</script>"
            f"<script>{SCRIPT}</script>")
    return f"<!DOCTYPE html>\n<html lang=\"en\"><head>{head}</head><body>{body}</body></html>\n"


def script_json(value: object) -> str:
    """JSON that is safe inside <script>: no `<`, `>` or `&` can end the element or open a comment."""
    text = json.dumps(value, ensure_ascii=False)
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                       ("\u2029", "\\u2029")):
        text = text.replace(char, code)
    return text


def _csp() -> str:
    def digest(source: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode() + "'"

    return (f"default-src 'none'; script-src {digest(SCRIPT)}; style-src {digest(STYLE)}; img-src data:; "
            "base-uri 'none'; form-action 'none'")


def _slot(index: int) -> int:
    """The palette slot (and `data-colour` value) of the label at `index`."""
    return index % len(PALETTE)


def _model_name(record: dict) -> str:
    model = record.get("model") or {}
    name, digest = str(model.get("name", "unknown")), str(model.get("hash", ""))
    return f"{name} ({digest[:12]})" if digest else name


# ----------------------------------------------------------------------------- summary


def _summary(records: list[dict], labels: list[str], colours: dict[str, str]) -> str:
    rows = []
    for label in labels:
        flagged = [r for r in records if label in r["labels"]]
        review = sum(1 for r in flagged if r["needs_review"])
        mean = sum(float(r["scores"][label]) for r in flagged) / len(flagged) if flagged else 0.0
        rows.append((label, len(flagged), review, mean))
    none = sum(1 for r in records if not r["labels"])
    table = "".join(f"<tr><th scope=\"row\"><i class=\"dot\" data-colour=\"{_slot(i)}\"></i>{escape(label)}</th>"
                    f"<td>{count}</td><td>{count / len(records):.0%}</td><td>{review}</td><td>{mean:.2f}</td></tr>"
                    for i, (label, count, review, mean) in enumerate(rows))
    review_total = sum(1 for r in records if r["needs_review"])
    return (f"<section id=\"summary\"><table><thead><tr><th>label</th><th>clauses</th><th>share</th>"
            f"<th>need review</th><th>mean score</th></tr></thead><tbody>{table}"
            f"<tr><th scope=\"row\">no label</th><td>{none}</td><td>{none / len(records):.0%}</td><td></td><td></td></tr>"
            f"<tr><th scope=\"row\">all clauses</th><td>{len(records)}</td><td></td><td>{review_total}</td><td></td></tr>"
            f"</tbody></table>{_chart(rows, colours)}</section>")


def _chart(rows: list[tuple[str, int, int, float]], colours: dict[str, str]) -> str:
    """Horizontal bars: clauses per label, the darker part those that need review."""
    top = max((count for _, count, _, _ in rows), default=0) or 1
    width, bar, gap, left = 480, 22, 10, 130
    parts = []
    for i, (label, count, review, _) in enumerate(rows):
        y = i * (bar + gap)
        full = (width - left - 40) * count / top
        part = (width - left - 40) * review / top
        parts.append(
            f"<text x=\"{left - 8}\" y=\"{y + 16}\" text-anchor=\"end\">{escape(label)}</text>"
            f"<rect x=\"{left}\" y=\"{y}\" width=\"{full:.1f}\" height=\"{bar}\" fill=\"{colours[label]}\" "
            f"fill-opacity=\"0.45\"><title>{count} clauses</title></rect>"
            f"<rect x=\"{left}\" y=\"{y}\" width=\"{part:.1f}\" height=\"{bar}\" fill=\"{colours[label]}\">"
            f"<title>{review} need review</title></rect>"
            f"<text x=\"{left + full + 6:.1f}\" y=\"{y + 16}\">{count}</text>")
    height = len(rows) * (bar + gap) + 18
    legend = (f"<text x=\"{left}\" y=\"{height - 4}\" class=\"legend\">light: clauses with the label · dark: of "
              f"which need review</text>")
    return (f"<svg class=\"chart\" role=\"img\" aria-label=\"Clauses per label\" viewBox=\"0 0 {width} {height}\" "
            f"width=\"{width}\" height=\"{height}\">{''.join(parts)}{legend}</svg>")


def _controls(labels: list[str]) -> str:
    boxes = "".join(f"<label><input type=\"checkbox\" class=\"label-filter\" value=\"{escape(label)}\" checked>"
                    f"<i class=\"dot\" data-colour=\"{_slot(i)}\"></i>{escape(label)}</label>" for i, label in enumerate(labels))
    return ("<nav id=\"controls\"><fieldset><legend>Show clauses labelled</legend>"
            f"{boxes}<label><input type=\"checkbox\" class=\"label-filter\" value=\"\" checked>no label</label>"
            "</fieldset><label><input type=\"checkbox\" id=\"review-only\">only those that need review</label>"
            "<label>Sort by <select id=\"sort\"><option value=\"risk\">risk</option>"
            "<option value=\"review\">needs review first</option><option value=\"order\">order in the bill</option>"
            "</select></label><span id=\"shown\"></span></nav>")


# ----------------------------------------------------------------------------- one clause


def _card(record: dict, rank: int, order: int, labels: list[str], colours: dict[str, str]) -> str:
    index = {label: _slot(i) for i, label in enumerate(labels)}
    chips = "".join(f"<span class=\"chip\" data-colour=\"{index[label]}\">{escape(label)}</span>"
                    for label in record["labels"]) or "<span class=\"chip none\">no label</span>"
    review = "<span class=\"flag\">needs review</span>" if record["needs_review"] else ""
    heading = " › ".join(str(h) for h in record.get("heading") or [])
    structure = (f"<div class=\"where\"><b>{escape(str(record.get('unit') or '—'))}</b>"
                 f"<span>{escape(heading)}</span><small>{escape(str(record.get('doc_id', '')))}</small></div>")
    part = read_in_part(record)
    evidence = ((f"<p class=\"part\">{escape(part)}</p>" if part else "")
                + _evidence_list(record, index) + _asks_line(record))
    return (f"<article class=\"clause\" data-labels=\"{escape(' '.join(record['labels']))}\" "
            f"data-review=\"{int(bool(record['needs_review']))}\" data-risk=\"{severity(record):.4f}\" "
            f"data-rank=\"{rank}\" data-order=\"{order}\">{structure}<div class=\"body\">"
            f"<div class=\"tags\">{chips}{review}<span class=\"risk\">risk {severity(record):.2f}</span></div>"
            f"<p class=\"text\">{highlight(record['text'], record.get('evidence') or {}, index)}</p>{evidence}</div>"
            f"<div class=\"scores\">{_score_bars(record, labels, colours)}</div></article>")


def _asks_line(record: dict) -> str:
    """The asks of the UN human-rights office's standard the flagged clause engages (assess/links.py)."""
    asks = ask_titles(asks_engaged(record))
    if not asks:
        return ""
    items = "".join(f"<li title=\"{escape(a['ask'])}\"><b>{a['id']}</b> {escape(a['ask'])}</li>" for a in asks)
    return f"<ul class=\"asks\" aria-label=\"Asks it engages\"><li class=\"lead\">Asks it engages:</li>{items}</ul>"


def _score_bars(record: dict, labels: list[str], colours: dict[str, str]) -> str:
    rows = []
    for label in labels:
        score = float(record["scores"].get(label, 0.0))
        mark = " predicted" if label in record["labels"] else ""
        rows.append(f"<div class=\"score{mark}\"><span>{escape(label)}</span>"
                    f"<svg width=\"100\" height=\"10\" role=\"img\" aria-label=\"{score:.2f}\">"
                    f"<rect width=\"100\" height=\"10\" fill=\"#eee\"/><rect width=\"{100 * score:.1f}\" height=\"10\" "
                    f"fill=\"{colours[label]}\"/></svg><em>{score:.2f}</em></div>")
    return "".join(rows)


def _evidence_list(record: dict, index: dict[str, int]) -> str:
    """One line per predicted label: its spans quoted, then each distinct reason once."""
    items = []
    for label, spans in (record.get("evidence") or {}).items():
        spans = [span for span in spans if isinstance(span, dict)] if label in record["labels"] else []
        if not spans:
            continue
        quotes = ", ".join(f"<q>{escape(str(span.get('text', '')))}</q>" for span in spans)
        reasons = " ".join(escape(why) for why in dict.fromkeys(str(span.get("why", "")) for span in spans))
        items.append(f"<li><span class=\"chip\" data-colour=\"{index.get(label, 0)}\">{escape(label)}</span> "
                     f"{quotes} <small>{reasons}</small></li>")
    return f"<ul class=\"evidence\">{''.join(items)}</ul>" if items else ""


def highlight(text: str, evidence: dict[str, list[dict]], index: dict[str, int]) -> str:
    """The escaped text with each evidence span in a <mark>; where spans of two labels overlap,
    the piece they share names both.

    >>> highlight("a <b> c", {"x": [{"start": 2, "end": 5, "why": "w"}]}, {"x": 0})
    'a <mark data-colour="0" title="x: w">&lt;b&gt;</mark> c'
    """
    spans = [(s, e, label, str(span.get("why", ""))) for label, items in evidence.items()
             for span in items if isinstance(span, dict) for s, e in [locate_span(text, span)] if s < e]
    cuts = sorted({0, len(text), *(s for s, *_ in spans), *(e for _, e, *_ in spans)})
    pieces = []
    for start, end in zip(cuts, cuts[1:]):
        covering = [(label, why) for s, e, label, why in spans if s <= start and end <= e]
        piece = escape(text[start:end])
        if covering:
            title = escape("\n".join(f"{label}: {why}" for label, why in covering))
            piece = f"<mark data-colour=\"{index.get(covering[0][0], 0)}\" title=\"{title}\">{piece}</mark>"
        pieces.append(piece)
    return "".join(pieces)


def locate_span(text: str, span: dict) -> tuple[int, int]:
    """The span's offsets if they still point at its text, else where its text first occurs (else nothing)."""
    start, end, words = span.get("start"), span.get("end"), span.get("text")
    if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
        if not isinstance(words, str) or text[start:end] == words:
            return start, end
    if isinstance(words, str) and words and words in text:
        at = text.index(words)
        return at, at + len(words)
    return 0, 0


STYLE = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d1d1f;background:#f6f6f4}
header,#summary,#controls,main,#empty{max-width:1180px;margin:0 auto;padding:0 20px}
header h1{font-size:22px;margin:18px 0 2px}.meta{color:#666;margin:0 0 12px}
#summary{display:flex;gap:32px;align-items:flex-start;flex-wrap:wrap;background:#fff;border:1px solid #ddd;
border-radius:8px;padding:14px 20px}
#summary table{border-collapse:collapse}#summary th,#summary td{padding:3px 10px;text-align:right}
#summary th[scope=row],#summary thead th:first-child{text-align:left}#summary thead th{border-bottom:1px solid #ccc}
.chart text{font-size:12px;fill:#333}.chart .legend{font-size:11px;fill:#777}
#controls{display:flex;gap:18px;align-items:center;flex-wrap:wrap;margin:14px auto;position:sticky;top:0;
background:#f6f6f4;padding-top:8px;padding-bottom:8px;z-index:1}
#controls fieldset{border:1px solid #ccc;border-radius:6px;padding:4px 10px}#controls legend{font-size:12px;color:#666}
#controls label{margin-right:10px;white-space:nowrap}#shown{color:#666}
.clause{display:grid;grid-template-columns:150px 1fr 270px;gap:16px;background:#fff;border:1px solid #ddd;
border-radius:8px;padding:12px 16px;margin:0 0 10px}
.where{display:flex;flex-direction:column;gap:2px;font-size:13px;color:#555}.where b{font-size:15px;color:#1d1d1f}
.where small{color:#888;word-break:break-all}
.text{margin:6px 0;white-space:pre-wrap}.tags{display:flex;gap:6px;flex-wrap:wrap;align-items:center}
.chip{font-size:12px;border-radius:10px;padding:1px 8px;color:#fff;background:#777}.chip.none{background:#bbb}
.flag{font-size:12px;border:1px solid #b00;color:#b00;border-radius:10px;padding:0 8px}
.part{font-size:12px;color:#555;margin:4px 0}
.risk{font-size:12px;color:#666}
mark{border-radius:3px;padding:0 1px;background:#ffe28a}
.evidence{margin:4px 0 0;padding-left:18px;font-size:13px}.evidence li{margin-bottom:3px}.evidence small{color:#777;display:block}
.score{display:grid;grid-template-columns:112px 100px 34px;gap:6px;align-items:center;font-size:12px;color:#888}
.score.predicted{color:#1d1d1f;font-weight:600}.score em{font-style:normal;text-align:right}
.asks{list-style:none;margin:6px 0 0;padding:0;display:flex;flex-wrap:wrap;gap:4px 10px;font-size:12px;color:#444}
.asks .lead{color:#777}.asks b{border:1px solid #999;border-radius:8px;padding:0 5px;margin-right:3px}
.dot{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:5px;background:#777}
@media (max-width:800px){.clause{grid-template-columns:1fr}}
"""


def tint(colour: str, share: float = 0.25) -> str:
    """`colour` mixed with white, for a highlight the text stays readable on."""
    rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(255 - (255 - c) * share):02x}" for c in rgb)


STYLE += "".join(f'[data-colour="{i}"].chip,[data-colour="{i}"].dot{{background:{c}}}'
                 f'mark[data-colour="{i}"]{{background:{tint(c)}}}\n' for i, c in enumerate(PALETTE))

SCRIPT = """
(function () {
  var main = document.getElementById('clauses');
  var cards = Array.prototype.slice.call(main.querySelectorAll('article.clause'));
  var filters = Array.prototype.slice.call(document.querySelectorAll('.label-filter'));
  var reviewOnly = document.getElementById('review-only');
  var sort = document.getElementById('sort');
  function keyOf(card) {
    var d = card.dataset;
    if (sort.value === 'order') return [Number(d.order)];
    if (sort.value === 'review') return [-Number(d.review), -Number(d.risk), Number(d.order)];
    return [Number(d.rank)];
  }
  function compare(a, b) {
    var x = keyOf(a), y = keyOf(b);
    for (var i = 0; i < x.length; i++) { if (x[i] !== y[i]) return x[i] - y[i]; }
    return 0;
  }
  function update() {
    var wanted = filters.filter(function (f) { return f.checked; }).map(function (f) { return f.value; });
    var shown = 0;
    cards.sort(compare).forEach(function (card) {
      var labels = card.dataset.labels ? card.dataset.labels.split(' ') : [''];
      var visible = labels.some(function (l) { return wanted.indexOf(l) >= 0; }) &&
        (!reviewOnly.checked || card.dataset.review === '1');
      card.hidden = !visible;
      if (visible) shown += 1;
      main.appendChild(card);
    });
    document.getElementById('shown').textContent = shown + ' of ' + cards.length + ' clauses shown';
    document.getElementById('empty').hidden = shown > 0;
  }
  filters.concat([reviewOnly, sort]).forEach(function (el) { el.addEventListener('change', update); });
  update();
})();
"""
