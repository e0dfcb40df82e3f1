// obrasign's pages, under a Content-Security-Policy of script-src 'self': no inline script or handler anywhere.
(function () {
  "use strict";
  // htmx requests carry the page's CSRF token (decision 012); plain forms carry it as a hidden field.
  document.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) event.detail.headers["x-csrf-token"] = meta.getAttribute("content");
  });
  // <select data-autosubmit>: submits its form when changed (the language switch).
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit") && target.form) target.form.submit();
  });
  // <form data-confirm="…">: asks before submitting.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) event.preventDefault();
  }, true);
})();
