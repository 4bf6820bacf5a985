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

  // Spans arrive with start16/end16: offsets in UTF-16 code units, the units of String.slice (the
  // predictions' start/end count code points, and an emoji is one code point but two units).
  function highlighted(text, evidence, labels) {
    var spans = [];
    labels.forEach(function (label) {
      (evidence[label] || []).forEach(function (s) {
        if (typeof s.start16 === 'number' && typeof s.end16 === 'number' && s.start16 < s.end16 &&
            s.end16 <= text.length)
          spans.push({start: s.start16, end: s.end16, title: label + ': ' + (s.why || ''), colour: colourOf(label)});
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
    $('read-in-part').hidden = !item.read_in_part;
    $('read-in-part').textContent = item.read_in_part || '';
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
    var asks = $('asks');
    asks.textContent = '';
    asks.hidden = !(item.asks || []).length;
    (item.asks || []).forEach(function (ask) {
      var li = el('li', ' ' + ask.ask);
      li.insertBefore(el('b', String(ask.id)), li.firstChild);
      asks.appendChild(li);
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
    if (data.warning) {
      $('exposed').textContent = 'Warning: ' + data.warning;
      $('exposed').hidden = false;
    }
    $('reviewer').value = localStorage.getItem('clauseclf-reviewer') || data.reviewer || '';
    var first = state.items.findIndex(function (item) { return !item.verdict; });
    go(first < 0 ? 0 : first);
    document.body.dataset.ready = '1';
  }).catch(function (error) { say('Could not load the queue: ' + error.message, true); });
})();
