/**
 * The page's script: filters, sort, the findings table rendered on demand (only the rows in view
 * exist in the DOM, so 15,000 findings open and filter at once) and the detail view of a row.
 * It unpacks the data of the JSON script element (gzip, base64: page.ts embedData) once, and
 * builds every node with textContent, never with markup. Written without template literals: it lives in one (String.raw) itself.
 */
export const CLIENT_SCRIPT = String.raw`
(function () {
  'use strict';
  var ROW = 32;
  var SEVS = ['critical', 'high', 'medium', 'low', 'info'];
  var $ = function (id) { return document.getElementById(id); };
  var shown = $('shown');
  // The findings arrive gzipped and base64-encoded (page.ts embedData): a fifth of the bytes for the
  // HTML parser, which is what opening a large report spends its time on. Unpacked here, once.
  var embedded = JSON.parse($('eksguard-data').textContent);
  function fail(what) {
    shown.textContent = what + ' -o json lists the same findings.';
    document.documentElement.setAttribute('data-ready', 'error');
  }
  if (typeof DecompressionStream !== 'function') {
    fail('This browser cannot unpack the findings table (it lacks DecompressionStream): open the report in a current browser.');
    return;
  }
  var binary = atob(embedded.gzip), bytes = new Uint8Array(binary.length);
  for (var b = 0; b < binary.length; b++) bytes[b] = binary.charCodeAt(b);
  // Written straight into the stream: a Blob's stream would take a round trip through the browser process.
  var inflate = new DecompressionStream('gzip'), writer = inflate.writable.getWriter();
  writer.write(bytes);
  writer.close();
  new Response(inflate.readable).text().then(function (text) {
    start(JSON.parse(text));
  }, function (error) {
    fail('The findings table could not be unpacked (' + error.message + ').');
  });

  /** Builds the table from the unpacked data: filters, sort, the rows in view, the detail pane. */
  function start(data) {
    var str = data.strings;
    // Rows arrive packed (page.ts packFindings): unpack them once, in one loop. Each row's severity as a bucket (0 for an unknown one, then critical to info), for the default order.
    var all = new Array(data.rows.length), bucket = new Uint8Array(data.rows.length);
    for (var n = 0; n < data.rows.length; n++) {
      var r = data.rows[n];
      var f = { severity: r[0], ruleId: r[1], title: str[r[2]], area: str[r[3]], namespace: str[r[4]], resource: r[5], where: r[6], message: r[7],
        path: str[r[8]], remediation: str[r[9]], url: str[r[10]], patch: str[r[11]], baseline: r[12] === 0 ? null : r[12] };
      if (r[13] !== 0) { f.events = r[13].events; f.eventCount = r[13].eventCount; f.steps = r[13].steps; }
      all[n] = f;
      bucket[n] = SEVS.indexOf(r[0]) + 1;
    }
    var viewport = $('viewport'), spacer = $('spacer'), rowsEl = $('rows'), detail = $('detail');
    var state = { severity: '', area: '', namespace: '', ruleId: '', baseline: '', q: '', key: 'severity', dir: 1, view: [], sel: -1 };
    var haystack = null;

    function el(tag, cls, text) {
      var e = document.createElement(tag);
      if (cls) e.className = cls;
      if (text !== undefined && text !== null) e.textContent = String(text);
      return e;
    }
    function options(id, field, label) {
      var select = $(id);
      if (!select) return;
      var counts = {};
      for (var i = 0; i < all.length; i++) { var v = all[i][field]; if (v === null) v = ''; counts[v] = (counts[v] || 0) + 1; }
      var keys = Object.keys(counts);
      if (field === 'severity') keys.sort(function (a, b) { return SEVS.indexOf(a) - SEVS.indexOf(b); }); else keys.sort();
      for (var j = 0; j < keys.length; j++) {
        var o = el('option', '', (keys[j] === '' ? label : keys[j]) + ' (' + counts[keys[j]] + ')');
        o.value = keys[j] === '' ? '\u0000none' : keys[j];
        select.appendChild(o);
      }
    }
    function matches(f, field) {
      var want = state[field];
      if (want === '') return true;
      return want === '\u0000none' ? f[field] === '' || f[field] === null : f[field] === want;
    }
    function compare(a, b) {
      var x = String(all[a][state.key]), y = String(all[b][state.key]);
      return (x < y ? -1 : x > y ? 1 : 0) * state.dir || a - b;
    }
    /** The view in the chosen order, ties by input order: by severity in one pass over buckets, else sorted. */
    function order(view) {
      if (state.key !== 'severity') return view.sort(compare);
      var buckets = [[], [], [], [], [], []];
      for (var i = 0; i < view.length; i++) buckets[bucket[view[i]]].push(view[i]);
      if (state.dir === -1) buckets.reverse();
      return [].concat.apply([], buckets);
    }
    function apply() {
      var q = state.q.toLowerCase();
      if (q !== '' && haystack === null) {
        haystack = all.map(function (f) { return [f.severity, f.ruleId, f.title, f.area, f.namespace, f.resource, f.where, f.message, f.path].join('\n').toLowerCase(); });
      }
      var view = [];
      for (var i = 0; i < all.length; i++) {
        var f = all[i];
        if (!matches(f, 'severity') || !matches(f, 'area') || !matches(f, 'namespace') || !matches(f, 'ruleId') || !matches(f, 'baseline')) continue;
        if (q !== '' && haystack[i].indexOf(q) === -1) continue;
        view.push(i);
      }
      state.view = order(view);
      state.sel = -1;
      shown.textContent = view.length + ' of ' + all.length + ' ' + data.noun;
      shown.setAttribute('data-shown', String(view.length));
      spacer.style.height = (view.length * ROW) + 'px';
      viewport.scrollTop = 0;
      closeDetail();
      render();
    }
    function cell(text, cls) { var s = el('span', cls, text); s.setAttribute('role', 'gridcell'); s.title = text; return s; }
    function render() {
      var top = viewport.scrollTop, height = viewport.clientHeight || 480;
      var first = Math.max(0, Math.floor(top / ROW) - 8);
      var last = Math.min(state.view.length, Math.ceil((top + height) / ROW) + 8);
      rowsEl.textContent = '';
      rowsEl.style.transform = 'translateY(' + (first * ROW) + 'px)';
      for (var i = first; i < last; i++) {
        var f = all[state.view[i]];
        var row = el('div', 'row cols');
        row.setAttribute('role', 'row');
        row.setAttribute('aria-rowindex', String(i + 2));
        row.setAttribute('aria-selected', i === state.sel ? 'true' : 'false');
        row.setAttribute('data-index', String(i));
        var sev = cell(f.severity, 'sev t-' + f.severity);
        if (f.baseline === 'unchanged') sev.appendChild(el('span', 'tag', 'baseline'));
        row.appendChild(sev);
        row.appendChild(cell(f.ruleId));
        row.appendChild(cell(f.resource));
        row.appendChild(cell(f.namespace));
        row.appendChild(cell(f.where));
        row.appendChild(cell(f.message));
        rowsEl.appendChild(row);
      }
    }
    function add(dl, label, value, node) {
      if (!node && (value === '' || value === null || value === undefined)) return;
      dl.appendChild(el('dt', '', label));
      var dd = el('dd');
      if (node) dd.appendChild(node); else dd.textContent = String(value);
      dl.appendChild(dd);
    }
    function closeDetail() { detail.hidden = true; detail.textContent = ''; }
    function openDetail(i) {
      var f = all[state.view[i]];
      detail.textContent = '';
      var h = el('h3', '', f.title || f.ruleId);
      detail.appendChild(h);
      var dl = el('dl');
      add(dl, 'Severity', f.severity + (f.baseline ? ' (' + (f.baseline === 'unchanged' ? 'in the baseline' : 'new since the baseline') + ')' : ''));
      add(dl, 'Rule', f.ruleId);
      add(dl, 'Message', f.message);
      add(dl, 'Resource', f.resource);
      add(dl, 'Location', f.where);
      add(dl, 'Field', f.path);
      if (f.steps && f.steps.length > 1) {
        var ol = el('ol');
        for (var s = 0; s < f.steps.length; s++) ol.appendChild(el('li', '', f.steps[s]));
        add(dl, 'Path', '', ol);
      }
      add(dl, 'Remediation', f.remediation);
      if (f.patch) add(dl, 'JSON Patch', '', el('pre', '', f.patch));
      if (f.events && f.events.length > 0) {
        var t = el('table', 'plain'), head = el('tr');
        ['time', 'user', 'source IP', 'verb', 'object', 'code'].forEach(function (c) { head.appendChild(el('th', '', c)); });
        t.appendChild(head);
        f.events.forEach(function (e) {
          var tr = el('tr');
          [e.time, e.user, e.sourceIP, e.verb, e.object, e.code === null ? '' : e.code].forEach(function (v) { tr.appendChild(el('td', '', v)); });
          t.appendChild(tr);
        });
        add(dl, 'Events (' + f.eventCount + ')', '', t);
      }
      if (/^https:\/\//.test(f.url)) {
        var a = el('a', '', 'Rule documentation and the guide section');
        a.href = f.url;
        a.rel = 'noreferrer';
        add(dl, 'Guide', '', a);
      }
      detail.appendChild(dl);
      detail.hidden = false;
    }
    function select(i, open) {
      if (state.view.length === 0) return;
      i = Math.max(0, Math.min(state.view.length - 1, i));
      state.sel = i;
      var y = i * ROW;
      if (y < viewport.scrollTop) viewport.scrollTop = y;
      else if (y + ROW > viewport.scrollTop + viewport.clientHeight) viewport.scrollTop = y + ROW - viewport.clientHeight;
      render();
      if (open) openDetail(i); else if (!detail.hidden) openDetail(i);
    }
    options('f-severity', 'severity', '(none)');
    options('f-area', 'area', '(none)');
    options('f-namespace', 'namespace', '(no namespace)');
    options('f-rule', 'ruleId', '(none)');
    options('f-baseline', 'baseline', '(none)');
    [['f-severity', 'severity'], ['f-area', 'area'], ['f-namespace', 'namespace'], ['f-rule', 'ruleId'], ['f-baseline', 'baseline']].forEach(function (p) {
      var s = $(p[0]);
      if (s) s.addEventListener('change', function () { state[p[1]] = s.value; apply(); });
    });
    var timer = 0;
    $('f-text').addEventListener('input', function (e) {
      clearTimeout(timer);
      timer = setTimeout(function () { state.q = e.target.value; apply(); }, 120);
    });
    var buttons = document.querySelectorAll('.head button');
    Array.prototype.forEach.call(buttons, function (b) {
      b.addEventListener('click', function () {
        var key = b.getAttribute('data-key');
        state.dir = state.key === key ? -state.dir : 1;
        state.key = key;
        Array.prototype.forEach.call(buttons, function (o) { o.removeAttribute('aria-sort'); });
        b.setAttribute('aria-sort', state.dir === 1 ? 'ascending' : 'descending');
        apply();
      });
    });
    viewport.addEventListener('scroll', function () { window.requestAnimationFrame(render); });
    rowsEl.addEventListener('click', function (e) {
      var row = e.target.closest('.row');
      if (row) { viewport.focus(); select(Number(row.getAttribute('data-index')), true); }
    });
    viewport.addEventListener('keydown', function (e) {
      var page = Math.max(1, Math.floor(viewport.clientHeight / ROW) - 1);
      var moves = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
      if (moves[e.key] !== undefined) { select(state.sel < 0 ? 0 : state.sel + moves[e.key], false); e.preventDefault(); }
      else if (e.key === 'Home') { select(0, false); e.preventDefault(); }
      else if (e.key === 'End') { select(state.view.length - 1, false); e.preventDefault(); }
      else if (e.key === 'Enter' || e.key === ' ') { if (detail.hidden) select(state.sel < 0 ? 0 : state.sel, true); else closeDetail(); e.preventDefault(); }
      else if (e.key === 'Escape') closeDetail();
    });
    // Printing: the filtered rows as a plain table (the on-demand grid prints only what is in view).
    var printTable = $('print-rows');
    window.addEventListener('beforeprint', function () {
      printTable.textContent = '';
      var max = Math.min(state.view.length, 5000);
      for (var i = 0; i < max; i++) {
        var f = all[state.view[i]], tr = el('tr');
        [f.severity, f.ruleId, f.resource, f.where, f.message].forEach(function (v) { tr.appendChild(el('td', '', v)); });
        printTable.appendChild(tr);
      }
      $('print-note').textContent = state.view.length > max ? 'The first ' + max + ' of ' + state.view.length + ' rows.' : '';
    });
    window.addEventListener('afterprint', function () { printTable.textContent = ''; });
    apply();
    document.documentElement.setAttribute('data-ready', 'true');
  }
})();
`;
