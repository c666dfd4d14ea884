/**
 * The web console: one self-contained page (no build step) with a SQL editor,
 * results table, data source list and a native-query tab, talking to the
 * HTTP API of the same server.
 */
export const consolePage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Nemeton console</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  :root { --bg:#0f1419; --panel:#161c23; --line:#263040; --text:#d8dee9; --muted:#8a96a8; --accent:#5fb3b3; --err:#ec5f67; }
  * { box-sizing: border-box; }
  body { margin:0; font:14px/1.4 system-ui, sans-serif; background:var(--bg); color:var(--text); display:grid; grid-template-columns:240px 1fr; height:100vh; }
  aside { border-right:1px solid var(--line); padding:12px; overflow:auto; background:var(--panel); }
  aside h1 { font-size:18px; margin:0 0 12px; color:var(--accent); }
  aside h2 { font-size:12px; text-transform:uppercase; color:var(--muted); margin:16px 0 6px; }
  aside li { list-style:none; padding:3px 6px; cursor:pointer; border-radius:4px; }
  aside li:hover { background:var(--line); }
  aside ul { padding:0; margin:0; }
  main { display:grid; grid-template-rows:auto auto 1fr; overflow:hidden; }
  .tabs { display:flex; gap:4px; padding:8px 12px 0; }
  .tabs button { background:none; border:1px solid var(--line); border-bottom:none; color:var(--muted); padding:6px 12px; border-radius:6px 6px 0 0; cursor:pointer; }
  .tabs button.active { color:var(--text); background:var(--panel); }
  .editor { padding:0 12px 8px; background:var(--panel); border-bottom:1px solid var(--line); }
  textarea { width:100%; height:150px; background:#0b0f14; color:var(--text); border:1px solid var(--line); border-radius:4px; font:13px/1.5 ui-monospace, monospace; padding:8px; resize:vertical; }
  .bar { display:flex; gap:12px; align-items:center; margin-top:6px; }
  .bar button { background:var(--accent); color:#081016; border:none; padding:6px 16px; border-radius:4px; font-weight:600; cursor:pointer; }
  .status { color:var(--muted); }
  .status.error { color:var(--err); white-space:pre-wrap; }
  .results { overflow:auto; padding:0 12px 12px; }
  table { border-collapse:collapse; font:13px ui-monospace, monospace; margin-top:8px; }
  th, td { border:1px solid var(--line); padding:4px 8px; text-align:left; white-space:nowrap; }
  th { position:sticky; top:0; background:var(--panel); }
  td.num { text-align:right; }
  td.null { color:var(--muted); font-style:italic; }
  pre { font:13px ui-monospace, monospace; }
</style>
</head>
<body>
<aside>
  <h1>Nemeton</h1>
  <h2>Data sources</h2>
  <ul id="datasources"><li class="status">loading…</li></ul>
  <h2>Examples</h2>
  <ul id="examples"></ul>
</aside>
<main>
  <div class="tabs"><button id="tab-sql" class="active">SQL</button><button id="tab-native">Native JSON</button></div>
  <div class="editor">
    <textarea id="query" spellcheck="false"></textarea>
    <div class="bar"><button id="run">Run (Ctrl+Enter)</button><span id="status" class="status"></span></div>
  </div>
  <div class="results" id="results"></div>
</main>
<script>
const $ = (id) => document.getElementById(id);
let mode = 'sql';
const examples = [
  ['Top channels', 'SELECT channel, COUNT(*) AS edits, SUM(added) AS added\\nFROM wikipedia\\nGROUP BY channel\\nORDER BY edits DESC\\nLIMIT 10'],
  ['Edits per hour', "SELECT TIME_FLOOR(__time, 'PT1H') AS hour, COUNT(*) AS edits\\nFROM wikipedia\\nGROUP BY 1\\nORDER BY 1"],
  ['Explain', 'EXPLAIN PLAN FOR\\nSELECT page, COUNT(*) FROM wikipedia GROUP BY page ORDER BY 2 DESC LIMIT 5'],
];
for (const [name, sql] of examples) {
  const li = document.createElement('li'); li.textContent = name;
  li.onclick = () => { setMode('sql'); $('query').value = sql; run(); };
  $('examples').appendChild(li);
}
function setMode(m) {
  mode = m; $('tab-sql').classList.toggle('active', m === 'sql'); $('tab-native').classList.toggle('active', m === 'native');
  if (m === 'native' && !$('query').value.trim().startsWith('{')) {
    $('query').value = JSON.stringify({ queryType: 'timeseries', dataSource: 'wikipedia', intervals: ['1000/3000'], granularity: 'all', aggregations: [{ type: 'count', name: 'rows' }] }, null, 2);
  }
}
$('tab-sql').onclick = () => setMode('sql');
$('tab-native').onclick = () => setMode('native');
$('run').onclick = run;
$('query').addEventListener('keydown', (e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) run(); });
async function loadDataSources() {
  try {
    const list = await (await fetch('/druid/v2/datasources')).json();
    $('datasources').innerHTML = '';
    for (const ds of list) {
      const li = document.createElement('li'); li.textContent = ds;
      li.onclick = () => { setMode('sql'); $('query').value = 'SELECT *\\nFROM "' + ds + '"\\nLIMIT 100'; run(); };
      $('datasources').appendChild(li);
    }
    if (list.length === 0) $('datasources').innerHTML = '<li class="status">none yet</li>';
  } catch (e) { $('datasources').innerHTML = '<li class="status error">' + e.message + '</li>'; }
}
function cell(v) {
  const td = document.createElement('td');
  if (v === null || v === undefined) { td.textContent = 'null'; td.className = 'null'; }
  else if (typeof v === 'number') { td.textContent = String(v); td.className = 'num'; }
  else td.textContent = typeof v === 'object' ? JSON.stringify(v) : String(v);
  return td;
}
function table(header, rows) {
  const t = document.createElement('table');
  const tr = document.createElement('tr');
  for (const h of header) { const th = document.createElement('th'); th.textContent = h; tr.appendChild(th); }
  t.appendChild(tr);
  for (const r of rows) { const row = document.createElement('tr'); for (const v of r) row.appendChild(cell(v)); t.appendChild(row); }
  return t;
}
async function run() {
  const text = $('query').value;
  $('status').className = 'status'; $('status').textContent = 'running…';
  const started = performance.now();
  try {
    const res = mode === 'sql'
      ? await fetch('/druid/v2/sql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: text, resultFormat: 'array', header: true, sqlTypesHeader: true }) })
      : await fetch('/druid/v2?pretty', { method: 'POST', headers: { 'content-type': 'application/json' }, body: text });
    const body = await res.json();
    const ms = (performance.now() - started).toFixed(0);
    if (!res.ok) { $('status').className = 'status error'; $('status').textContent = (body.error || 'Error') + ': ' + (body.errorMessage || ''); return; }
    $('results').innerHTML = '';
    if (mode === 'sql') {
      const [header, , ...rows] = body;
      $('results').appendChild(table(header, rows));
      $('status').textContent = rows.length + ' rows in ' + ms + ' ms';
    } else {
      const pre = document.createElement('pre'); pre.textContent = JSON.stringify(body, null, 2);
      $('results').appendChild(pre);
      $('status').textContent = 'done in ' + ms + ' ms';
    }
  } catch (e) { $('status').className = 'status error'; $('status').textContent = e.message; }
}
loadDataSources();
$('query').value = examples[0][1];
</script>
</body>
</html>
`;
