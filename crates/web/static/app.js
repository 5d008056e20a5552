// gongjiang pages: the little script they need. Charts are drawn from JSON the server put in
// <script type="application/json" id="…"> next to a <div data-chart="…">; a data item with an
// `href` is a link (every figure opens the list of persons behind it). Nothing here is required
// to read a page: each chart has a table with the same figures and links beside it.
(function () {
  'use strict';

  function drawCharts(root) {
    if (typeof echarts === 'undefined') { return; }
    root.querySelectorAll('[data-chart]').forEach(function (el) {
      if (el.dataset.drawn) { return; }
      var src = document.getElementById(el.dataset.chart);
      if (!src) { return; }
      var option;
      try { option = JSON.parse(src.textContent); } catch (e) { return; }
      el.dataset.drawn = '1';
      var chart = echarts.init(el, null, { renderer: 'svg' });
      chart.setOption(option);
      chart.on('click', function (p) {
        var d = p && p.data;
        if (d && typeof d === 'object' && d.href) { window.location.href = d.href; }
      });
      window.addEventListener('resize', function () { chart.resize(); });
    });
  }

  // <a data-back>: back in history when there is one, else the link's own target.
  document.addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('a[data-back]');
    if (a && window.history.length > 1) { e.preventDefault(); window.history.back(); }
  });

  // <select data-autosubmit>: submit its form on change (the form still has a button).
  document.addEventListener('change', function (e) {
    if (e.target.matches && e.target.matches('[data-autosubmit]') && e.target.form) { e.target.form.requestSubmit(); }
  });

  document.addEventListener('DOMContentLoaded', function () { drawCharts(document); });
  document.addEventListener('htmx:afterSettle', function (e) { drawCharts(e.target); });
})();
