"""The review queue's page: HTML shell, style and script, served by server.py.

The script writes clause text into the page with `textContent` only, never as
HTML, so a `<script>` in a bill stays text. The server's Content-Security-Policy
allows no inline script at all: only /app.js from the same origin runs.

Keys (outside the comment box): 1-9 toggle a label, a accepts the model's labels,
Enter saves the labels as ticked, n / → / j next clause, p / ← / k previous,
c comments (Ctrl+Enter saves from there, Esc leaves), ? shows the keys.
"""

from clauseclf.review.report import PALETTE, tint

HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>clauseclf review queue</title><link rel="stylesheet" href="/app.css"></head>
<body>
<header>
  <h1>Review queue</h1>
  <label>Reviewer <input id="reviewer" autocomplete="name" placeholder="your name" required></label>
  <span id="progress" aria-live="polite"></span>
  <button id="help-button" type="button" title="Keyboard shortcuts (?)">?</button>
</header>
<div id="layout">
  <nav id="queue" aria-label="Queue"><ol id="queue-list"></ol></nav>
  <main id="clause" aria-live="polite">
    <div id="where"><b id="unit"></b> <span id="heading"></span> <small id="doc"></small>
      <span id="needs-review" hidden>needs review</span> <span id="status"></span></div>
    <p id="text"></p>
    <ul id="evidence"></ul>
    <fieldset id="labels"><legend>Labels (model's are pre-ticked; keys 1-9 toggle)</legend></fieldset>
    <label for="comment">Comment (becomes the record's rationale; key c)</label>
    <textarea id="comment" rows="3"></textarea>
    <div id="actions">
      <button id="prev" type="button">← Previous <kbd>p</kbd></button>
      <button id="accept" type="button">Accept model labels <kbd>a</kbd></button>
      <button id="save" type="button">Save ticked labels <kbd>Enter</kbd></button>
      <button id="next" type="button">Next → <kbd>n</kbd></button>
    </div>
    <p id="message" role="status"></p>
  </main>
</div>
<dialog id="help"><h2>Keyboard</h2><dl>
  <dt>1-9</dt><dd>toggle label</dd><dt>a</dt><dd>accept the model's labels, save, go on</dd>
  <dt>Enter</dt><dd>save the ticked labels, go on</dd><dt>n → j</dt><dd>next clause</dd>
  <dt>p ← k</dt><dd>previous clause</dd><dt>c</dt><dd>write a comment (Ctrl+Enter saves, Esc leaves)</dd>
  <dt>?</dt><dd>this help</dd></dl><form method="dialog"><button>Close</button></form></dialog>
<script src="/app.js"></script>
</body></html>
"""

CSS = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d1d1f;background:#f6f6f4}
header{display:flex;gap:18px;align-items:center;padding:10px 20px;background:#fff;border-bottom:1px solid #ddd}
header h1{font-size:19px;margin:0}#progress{color:#555}#help-button{margin-left:auto}
#layout{display:grid;grid-template-columns:290px 1fr;min-height:calc(100vh - 56px)}
#queue{border-right:1px solid #ddd;overflow:auto;max-height:calc(100vh - 56px);background:#fbfbfa}
#queue ol{list-style:none;margin:0;padding:0}
#queue li{padding:6px 12px;border-bottom:1px solid #eee;cursor:pointer;font-size:13px;display:flex;gap:8px}
#queue li.current{background:#e8f0fb;font-weight:600}#queue li .mark{width:14px;flex:none;text-align:center}
#queue li.accept .mark{color:#0a7c3a}#queue li.correct .mark{color:#b25b00}
#queue li .what{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
#clause{padding:16px 28px;max-width:900px}
#where{color:#555}#where b{color:#1d1d1f;font-size:17px}
#needs-review{border:1px solid #b00;color:#b00;border-radius:10px;padding:0 8px;font-size:12px}
#status{font-size:13px;color:#0a7c3a}
#text{font-size:17px;background:#fff;border:1px solid #ddd;border-radius:8px;padding:14px 16px;white-space:pre-wrap}
mark{background:#ffe28a;border-radius:3px;padding:0 1px}
#evidence{font-size:13px;color:#333;padding-left:18px}
#labels{border:1px solid #ccc;border-radius:8px;display:grid;grid-template-columns:1fr;gap:4px;padding:8px 14px}
#labels label{display:grid;grid-template-columns:24px 20px 170px 110px 40px 1fr;align-items:center;gap:6px}
#labels .bar{height:9px;background:#eee;border-radius:4px;overflow:hidden}
#labels .bar i{display:block;height:100%;background:#4a78c2}#labels .model{color:#777;font-size:12px}
kbd{font-size:11px;border:1px solid #bbb;border-radius:3px;padding:0 4px;background:#f3f3f3}
textarea{width:100%;box-sizing:border-box;font:inherit;margin:4px 0 10px}
#actions{display:flex;gap:10px;flex-wrap:wrap}button{font:inherit;padding:5px 12px;cursor:pointer}
#save,#accept{font-weight:600}#message{min-height:1.5em;color:#0a7c3a}#message.error{color:#b00}
dialog dl{display:grid;grid-template-columns:80px 1fr;gap:4px 12px}
#evidence li{margin-bottom:4px}#evidence small{display:block;color:#777}
"""
# The report's colours: one per label, by position in the model's label list.
CSS += "".join(f'mark[data-colour="{i}"]{{background:{tint(c)}}}#labels .bar i[data-colour="{i}"],'
               f'b[data-colour="{i}"]{{background:{c};color:#fff;border-radius:8px;padding:0 6px}}\n'
               for i, c in enumerate(PALETTE))

SCRIPT = r"""
(function () {
  'use strict';
  var PALETTE_SIZE = @PALETTE_SIZE@;
  var state = {labels: [], items: [], index: 0};
  var $ = function (id) { return document.getElementById(id); };

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;   // text, never HTML
    if (cls) node.className = cls;
    return node;
  }

  function current() { return state.items[state.index]; }

  function colourOf(label) { return String(Math.max(0, state.labels.indexOf(label)) % PALETTE_SIZE); }

  function highlighted(text, evidence, labels) {
    var spans = [];
    labels.forEach(function (label) {
      (evidence[label] || []).forEach(function (s) {
        if (typeof s.start === 'number' && typeof s.end === 'number' && s.start < s.end && s.end <= text.length)
          spans.push({start: s.start, end: s.end, title: label + ': ' + (s.why || ''), colour: colourOf(label)});
      });
    });
    var cuts = [0, text.length];
    spans.forEach(function (s) { cuts.push(s.start, s.end); });
    cuts = cuts.filter(function (v, i, a) { return a.indexOf(v) === i; }).sort(function (a, b) { return a - b; });
    var fragment = document.createDocumentFragment();
    for (var i = 0; i + 1 < cuts.length; i++) {
      var piece = text.slice(cuts[i], cuts[i + 1]);
      var covering = spans.filter(function (s) { return s.start <= cuts[i] && cuts[i + 1] <= s.end; });
      if (covering.length) {
        var mark = el('mark', piece);
        mark.dataset.colour = covering[0].colour;
        mark.title = covering.map(function (s) { return s.title; }).join('\n');
        fragment.appendChild(mark);
      } else {
        fragment.appendChild(document.createTextNode(piece));
      }
    }
    return fragment;
  }

  function renderQueue() {
    var list = $('queue-list');
    list.textContent = '';
    state.items.forEach(function (item, i) {
      var li = el('li', undefined, (item.verdict ? item.verdict.decision : 'pending') +
        (i === state.index ? ' current' : ''));
      li.dataset.key = item.key;
      li.appendChild(el('span', item.verdict ? (item.verdict.decision === 'accept' ? '✓' : '✎') : '•', 'mark'));
      li.appendChild(el('span', (item.unit || item.clause_id) + ' · ' +
        (item.labels.length ? item.labels.join(', ') : 'no label'), 'what'));
      li.addEventListener('click', function () { go(i); });
      list.appendChild(li);
    });
    var done = state.items.filter(function (item) { return item.verdict; }).length;
    $('progress').textContent = done + ' of ' + state.items.length + ' reviewed';
  }

  function renderClause() {
    var item = current();
    if (!item) { $('text').textContent = 'Nothing to review.'; return; }
    $('unit').textContent = item.unit || item.clause_id;
    $('heading').textContent = (item.heading || []).join(' › ');
    $('doc').textContent = item.doc_id;
    $('needs-review').hidden = !item.needs_review;
    $('status').textContent = item.verdict ? ('reviewed: ' + item.verdict.decision + ' by ' +
      item.verdict.reviewer + ', ' + item.verdict.created_at) : '';
    var text = $('text');
    text.textContent = '';
    text.appendChild(highlighted(item.text, item.evidence || {}, item.labels));
    var evidence = $('evidence');
    evidence.textContent = '';
    item.labels.forEach(function (label) {
      var spans = item.evidence[label] || [];
      if (!spans.length) return;
      var li = el('li');
      var chip = el('b', label);
      chip.dataset.colour = colourOf(label);
      li.appendChild(chip);
      li.appendChild(document.createTextNode(' '));
      spans.forEach(function (s, i) {
        if (i) li.appendChild(document.createTextNode(', '));
        li.appendChild(el('q', s.text));
      });
      var whys = spans.map(function (s) { return s.why || ''; })
        .filter(function (w, i, all) { return w && all.indexOf(w) === i; });
      li.appendChild(el('small', whys.join(' ')));
      evidence.appendChild(li);
    });
    var chosen = item.verdict ? item.verdict.labels : item.labels;
    var box = $('labels');
    box.querySelectorAll('label').forEach(function (node) { node.remove(); });
    state.labels.forEach(function (label, i) {
      var row = el('label');
      var input = el('input');
      input.type = 'checkbox';
      input.name = 'label';
      input.value = label;
      input.checked = chosen.indexOf(label) >= 0;
      row.appendChild(el('kbd', String(i + 1)));
      row.appendChild(input);
      row.appendChild(el('span', label));
      var bar = el('span', undefined, 'bar');
      var fill = el('i');
      fill.dataset.colour = colourOf(label);
      fill.style.width = Math.round(100 * (item.scores[label] || 0)) + '%';
      bar.appendChild(fill);
      row.appendChild(bar);
      row.appendChild(el('span', (item.scores[label] || 0).toFixed(2)));
      row.appendChild(el('span', item.labels.indexOf(label) >= 0 ? 'model: yes' : 'model: no', 'model'));
      box.appendChild(row);
    });
    $('comment').value = item.verdict ? item.verdict.comment : '';
    renderQueue();
  }

  function say(message, isError) {
    $('message').textContent = message;
    $('message').className = isError ? 'error' : '';
  }

  function go(index) {
    if (index < 0 || index >= state.items.length) return;
    state.index = index;
    say('');
    renderClause();
  }

  function nextPending() {
    for (var step = 1; step <= state.items.length; step++) {
      var i = (state.index + step) % state.items.length;
      if (!state.items[i].verdict) return i;
    }
    return Math.min(state.index + 1, state.items.length - 1);
  }

  function ticked() {
    return Array.prototype.slice.call(document.querySelectorAll('#labels input:checked'))
      .map(function (input) { return input.value; });
  }

  function save(labels) {
    var item = current();
    if (!item) return;
    var reviewer = $('reviewer').value.trim();
    if (!reviewer) { say('Type your name in "Reviewer" first.', true); $('reviewer').focus(); return; }
    localStorage.setItem('clauseclf-reviewer', reviewer);
    var body = {key: item.key, labels: labels, comment: $('comment').value, reviewer: reviewer};
    fetch('/api/verdicts', {method: 'POST', headers: {'Content-Type': 'application/json'},
                            body: JSON.stringify(body)})
      .then(function (response) {
        return response.json().then(function (data) {
          if (!response.ok) throw new Error(data.error || response.statusText);
          return data;
        });
      })
      .then(function (verdict) {
        item.verdict = verdict;
        document.body.dataset.saved = String(Number(document.body.dataset.saved || 0) + 1);
        go(nextPending());
        say('Saved (' + verdict.decision + ').');
      })
      .catch(function (error) { say('Not saved: ' + error.message, true); });
  }

  function toggle(n) {
    var inputs = document.querySelectorAll('#labels input');
    if (inputs[n]) inputs[n].checked = !inputs[n].checked;
  }

  function onKey(event) {
    var typing = event.target.tagName === 'TEXTAREA' || event.target.tagName === 'INPUT' &&
      event.target.type !== 'checkbox';
    if (typing) {
      if (event.target.id === 'comment' && event.key === 'Enter' && event.ctrlKey) { save(ticked()); event.preventDefault(); }
      if (event.key === 'Escape') event.target.blur();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var key = event.key;
    if (/^[1-9]$/.test(key)) toggle(Number(key) - 1);
    else if (key === 'a') save(current() ? current().labels.slice() : []);
    else if (key === 'Enter') save(ticked());
    else if (key === 'n' || key === 'j' || key === 'ArrowRight') go(state.index + 1);
    else if (key === 'p' || key === 'k' || key === 'ArrowLeft') go(state.index - 1);
    else if (key === 'c') $('comment').focus();
    else if (key === '?') $('help').open ? $('help').close() : $('help').showModal();
    else return;
    event.preventDefault();
  }

  $('prev').addEventListener('click', function () { go(state.index - 1); });
  $('next').addEventListener('click', function () { go(state.index + 1); });
  $('accept').addEventListener('click', function () { save(current() ? current().labels.slice() : []); });
  $('save').addEventListener('click', function () { save(ticked()); });
  $('help-button').addEventListener('click', function () { $('help').showModal(); });
  document.addEventListener('keydown', onKey);

  fetch('/api/queue').then(function (r) { return r.json(); }).then(function (data) {
    state.labels = data.labels;
    state.items = data.items;
    $('reviewer').value = localStorage.getItem('clauseclf-reviewer') || data.reviewer || '';
    var first = state.items.findIndex(function (item) { return !item.verdict; });
    go(first < 0 ? 0 : first);
    document.body.dataset.ready = '1';
  }).catch(function (error) { say('Could not load the queue: ' + error.message, true); });
})();
"""
SCRIPT = SCRIPT.replace("@PALETTE_SIZE@", str(len(PALETTE)))
