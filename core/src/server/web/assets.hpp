// The web interface's style sheet and script, inlined into every page (one
// request per page, nothing to install beside the server).
#pragma once

namespace nws::server::web {

inline constexpr const char* kStyleSheet = R"css(
:root{--fg:#1d2330;--muted:#667085;--line:#e4e7ec;--accent:#2455c3;--warn:#b54708;--bg:#fff;--band:#f6f8fb}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{display:flex;align-items:center;justify-content:space-between;padding:.6rem 1.2rem;background:#14213d;color:#fff}
header nav a{color:#dbe4ff;text-decoration:none;margin-right:1.1rem}
header nav a.brand{color:#fff;font-weight:700}
#live{font-size:12px;color:#c7d2fe}
#live button{margin-left:.6rem;font-size:12px}
#live .gone{color:#fda29b}
main{padding:1rem 1.2rem;max-width:1200px}
h1{font-size:20px;margin:.2rem 0 .4rem}
h2{font-size:16px;margin:1.2rem 0 .4rem}
.name{font-family:ui-monospace,Menlo,Consolas,monospace}
.summary{color:var(--muted);margin:.2rem 0 1rem}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.35rem .6rem;border-bottom:1px solid var(--line);vertical-align:top}
th{background:var(--band);font-weight:600}
td.n{text-align:right;font-variant-numeric:tabular-nums}
tr.waiting td{background:#fffaeb}
ul.waiters{margin:.2rem 0 0;padding-left:1.1rem;color:var(--warn);font-size:12px}
form.delete{margin:0}
button{font:inherit;cursor:pointer}
form.delete button{color:#b42318;background:none;border:1px solid #fda29b;border-radius:4px;padding:.05rem .5rem}
ol#values li,ol#errors li{margin:.3rem 0}
pre.text{margin:0;white-space:pre-wrap;word-break:break-word;font:13px ui-monospace,Menlo,Consolas,monospace;background:var(--band);padding:.3rem .5rem;border-radius:4px}
.opaque,.note{color:var(--muted);font-style:italic}
.progress{height:10px;background:var(--line);border-radius:5px;overflow:hidden;margin:.5rem 0 1rem;max-width:600px}
.progress div,td.bar div{height:100%;background:var(--accent)}
td.bar{width:40%}
td.bar div{height:12px;border-radius:3px}
.message{font-size:16px}
)css";

// Confirms deletions (forms with data-confirm) and refreshes the page's
// content from its partial URL: the server renders (and escapes) the
// fragment, the script only puts it in place.
inline constexpr const char* kScript = R"js(
(function () {
  document.addEventListener('submit', function (e) {
    var question = e.target.getAttribute('data-confirm');
    if (question && !window.confirm(question)) e.preventDefault();
  });
  var live = document.getElementById('live');
  var url = live && live.getAttribute('data-partial');
  if (!url) return;
  var paused = false;
  var stamp = document.createElement('span');
  var toggle = document.createElement('button');
  toggle.type = 'button';
  toggle.textContent = 'Pause';
  toggle.onclick = function () { paused = !paused; toggle.textContent = paused ? 'Resume' : 'Pause'; };
  live.appendChild(stamp);
  live.appendChild(toggle);
  function schedule() { setTimeout(tick, 1000); }
  function tick() {
    if (paused || document.hidden) return schedule();
    fetch(url, { cache: 'no-store' })
      .then(function (r) { return r.text().then(function (t) { return { status: r.status, text: t }; }); })
      .then(function (a) {
        document.getElementById('content').innerHTML = a.text;
        stamp.className = a.status === 200 ? 'ok' : 'gone';
        stamp.textContent = 'live, updated ' + new Date().toLocaleTimeString();
      })
      .catch(function () { stamp.className = 'gone'; stamp.textContent = 'server unreachable, retrying'; })
      .then(schedule);
  }
  stamp.textContent = 'live';
  schedule();
})();
)js";

}  // namespace nws::server::web
