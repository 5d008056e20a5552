// gongjiang pages: the little script they need. Charts are drawn from the ECharts option the
// server put in <div data-chart data-option="{…}">; a data item with an `href` is a link (every figure opens the list of persons behind it). Nothing here is required
// to read a page: each chart has a table with the same figures and links beside it.
(function () {
  'use strict';

  function drawCharts(root) {
    if (typeof echarts === 'undefined') { return; }
    root.querySelectorAll('[data-chart]').forEach(function (el) {
      if (el.dataset.drawn) { return; }
      var option;
      try { option = JSON.parse(el.dataset.option); } catch (e) { return; }
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

  // Every htmx request of a signed-in page carries the session's CSRF token, which the server
  // checks on anything that changes state (forms posted as multipart cannot carry it otherwise).
  document.addEventListener('htmx:configRequest', function (e) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) { e.detail.headers['X-CSRF-Token'] = meta.content; }
  });

  // Sign-in: the form posts to the session API as JSON; on success, on to where the visitor was going.
  function signIn(form) {
    var problem = document.getElementById('login-problem');
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var button = form.querySelector('button[type=submit]');
      button.disabled = true;
      problem.hidden = true;
      fetch(form.action, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
        credentials: 'same-origin',
        body: JSON.stringify({ username: form.username.value.trim(), password: form.password.value })
      }).then(function (r) {
        if (r.status === 201) { window.location.assign(form.dataset.next || '/'); return null; }
        return r.json().catch(function () { return {}; }).then(function (j) {
          var zh = document.documentElement.lang.indexOf('zh') === 0;
          var err = j && j.error;
          var text = r.status === 401 ? form.dataset.errorWrong
            : (err ? (zh ? err.message_zh : err.message_en) : form.dataset.errorOther);
          problem.textContent = text;
          problem.hidden = false;
          button.disabled = false;
          form.password.value = '';
          form.password.focus();
        });
      }).catch(function () {
        problem.textContent = form.dataset.errorOther;
        problem.hidden = false;
        button.disabled = false;
      });
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    drawCharts(document);
    var login = document.getElementById('login-form');
    if (login) { signIn(login); }
  });
  document.addEventListener('htmx:afterSettle', function () { drawCharts(document); });
})();
