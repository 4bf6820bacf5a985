"""The review queue's page: HTML shell, style and script (static/), served by server.py.

The script writes clause text into the page with `textContent` only, never as
HTML, so a `<script>` in a bill stays text. The server's Content-Security-Policy
allows no inline script at all: only /app.js from the same origin runs.

Keys (outside the comment box): 1-9 toggle a label, a accepts the model's labels,
Enter saves the labels as ticked, n / → / j next clause, p / ← / k previous,
c comments (Ctrl+Enter saves from there, Esc leaves), ? shows the keys.
"""

from importlib.resources import files

from clauseclf.review.report import PALETTE, tint

# static/ ships inside the package (pyproject package-data): index.html, app.css, app.js.
_STATIC = files("clauseclf.review") / "static"

HTML = (_STATIC / "index.html").read_text(encoding="utf-8")
CSS = "\n" + (_STATIC / "app.css").read_text(encoding="utf-8")
CSS += "".join(f'mark[data-colour="{i}"]{{background:{tint(c)}}}#labels .bar i[data-colour="{i}"],'
               f'b[data-colour="{i}"]{{background:{c};color:#fff;border-radius:8px;padding:0 6px}}\n'
               for i, c in enumerate(PALETTE))

SCRIPT = "\n" + (_STATIC / "app.js").read_text(encoding="utf-8")
SCRIPT = SCRIPT.replace("@PALETTE_SIZE@", str(len(PALETTE)))
