/* jixiao static site: draws the embedded Plotly figures and runs the project search. No network. */
(function () {
  "use strict";

  function drawCharts() {
    var blocks = document.querySelectorAll("script.jx-fig");
    for (var i = 0; i < blocks.length; i++) {
      var spec = JSON.parse(blocks[i].textContent);
      var div = document.createElement("div");
      div.className = "jx-chart";
      blocks[i].parentNode.appendChild(div);
      spec.layout.template = window.JX_TEMPLATE;
      spec.layout.autosize = true;
      Plotly.newPlot(div, spec.data, spec.layout, {displaylogo: false, responsive: true, displayModeBar: false});
    }
  }

  function cell(tr, text, href) {
    var td = document.createElement("td");
    if (href) {
      var a = document.createElement("a");
      a.href = href;
      a.textContent = text;
      td.appendChild(a);
    } else {
      td.textContent = text;
    }
    tr.appendChild(td);
    return td;
  }

  function options(select, values) {
    values.forEach(function (v) {
      var o = document.createElement("option");
      o.value = v;
      o.textContent = v;
      select.appendChild(o);
    });
  }

  function search() {
    var rows = window.JX_INDEX || [], LIMIT = 200, sortKey = 1, sortDir = 1;
    var q = document.getElementById("jx-q"), year = document.getElementById("jx-year");
    var grade = document.getElementById("jx-grade"), count = document.getElementById("jx-count");
    var body = document.querySelector("#jx-results tbody");
    var hay = rows.map(function (r) { return (r[1] + " " + r[3] + " " + r[4]).toLowerCase(); });
    var uniq = function (k) {
      var seen = {};
      rows.forEach(function (r) { if (r[k] !== "") seen[r[k]] = true; });
      return Object.keys(seen).sort();
    };
    options(year, uniq(2).reverse());
    options(grade, uniq(6));
    function cmp(a, b) {
      var x = a[sortKey], y = b[sortKey];
      if (x === y) return a[0] < b[0] ? -1 : 1;
      if (x === null || x === "") return 1;
      if (y === null || y === "") return -1;
      return (x < y ? -1 : 1) * sortDir;
    }
    function update() {
      var terms = q.value.toLowerCase().split(/\s+/).filter(Boolean), y = year.value, g = grade.value;
      var hits = [];
      for (var i = 0; i < rows.length; i++) {
        var r = rows[i];
        if (y && r[2] !== y) continue;
        if (g && r[6] !== g) continue;
        if (terms.every(function (t) { return hay[i].indexOf(t) >= 0; })) hits.push(r);
      }
      hits.sort(cmp);
      body.textContent = "";
      hits.slice(0, LIMIT).forEach(function (r) {
        var tr = document.createElement("tr");
        cell(tr, r[1] || "（未填项目名称）", r[0]);
        cell(tr, r[2]); cell(tr, r[3]); cell(tr, r[4]);
        cell(tr, r[5] === null ? "" : r[5].toFixed(2)).className = "num";
        cell(tr, r[6]);
        body.appendChild(tr);
      });
      count.textContent = "共 " + rows.length.toLocaleString("zh-CN") + " 个项目，匹配 " +
        hits.length.toLocaleString("zh-CN") + " 个" + (hits.length > LIMIT ? "，显示前 " + LIMIT + " 个，请输入更多文字缩小范围" : "") + "。";
    }
    document.querySelectorAll("#jx-results th").forEach(function (th) {
      th.addEventListener("click", function () {
        var k = Number(th.getAttribute("data-k"));
        sortDir = k === sortKey ? -sortDir : 1;
        sortKey = k;
        update();
      });
    });
    [q, year, grade].forEach(function (el) { el.addEventListener("input", update); });
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (window.Plotly) drawCharts();
    if (document.getElementById("jx-search")) search();
  });
})();
