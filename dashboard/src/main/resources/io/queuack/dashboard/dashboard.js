// Live pages: when the store changes (server-sent events), fetch this page's main part again, at most once a second.
(function () {
  'use strict';
  function confirmForms(root) {
    root.querySelectorAll('form[data-confirm]').forEach(function (form) {
      form.addEventListener('submit', function (event) {
        if (!window.confirm(form.getAttribute('data-confirm'))) { event.preventDefault(); }
      });
    });
  }
  document.addEventListener('DOMContentLoaded', function () {
    var main = document.getElementById('main');
    confirmForms(document);
    if (!main || !main.hasAttribute('data-live') || !window.EventSource) { return; }
    var waiting = false, busy = false, last = 0;
    function refresh() {
      waiting = false; busy = true; last = Date.now();
      fetch(window.location.href, { headers: { 'X-Queuack-Fragment': 'main' }, credentials: 'same-origin' })
        .then(function (answer) { return answer.ok ? answer.text() : null; })
        .then(function (html) {
          busy = false;
          if (html !== null && !main.contains(document.activeElement)) {
            main.innerHTML = html;
            confirmForms(main);
            main.setAttribute('data-refreshed', String(Date.now()));
          }
          waitForCounts();
        })
        .catch(function () { busy = false; });
    }
    function changed() {
      if (waiting) { return; }
      waiting = true;
      setTimeout(function () { if (busy) { waiting = false; changed(); } else { refresh(); } },
        Math.max(0, 1000 - (Date.now() - last)));
    }
    // a page rendered before the store-wide counts were read asks again until they are there
    function waitForCounts() {
      if (document.getElementById('counting')) { setTimeout(changed, 1000); }
    }
    waitForCounts();
    new EventSource(main.getAttribute('data-live')).onmessage = changed;
  });
})();
