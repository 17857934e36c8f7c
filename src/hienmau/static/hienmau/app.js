// Behaviour the templates ask for with data- attributes. The Content-Security-Policy
// runs no inline script or event handler (onsubmit=, onchange=, hx-on), so it lives here.
(function () {
  "use strict";

  // <form data-confirm="Question?">: asks before sending.
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (form.dataset && form.dataset.confirm !== undefined && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // <select data-autosubmit> / <input type=checkbox data-autosubmit>: sends its form on change.
  document.addEventListener("change", function (event) {
    const field = event.target;
    if (field.matches && field.matches("[data-autosubmit]") && field.form) {
      field.form.submit();
    }
  });

  // <button data-print>: prints the page.
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) {
      window.print();
    }
  });

  // <button data-expand-once hx-get=…>: once its children are shown, it shows "opened".
  document.addEventListener("htmx:afterRequest", function (event) {
    const button = event.detail.elt;
    if (button.matches("[data-expand-once]") && event.detail.successful) {
      button.innerHTML = '<i class="bi bi-dash-square"></i>';
      button.disabled = true;
    }
  });
})();
