/* The small behaviours pages ask for by data attributes, so that no template carries an inline
   script or an on…= handler: the Content-Security-Policy (settings.CONTENT_SECURITY_POLICY)
   runs only script files served by duban itself ('self'), never inline code.

   data-autosubmit     on a <select>: choosing an option submits its form (the plan switch).
   data-confirm="…"    on a submit button: asks the question first; "cancel" submits nothing.
   data-back           on a button: goes back to the previous page (the error pages).
   data-drop-empty     on an htmx form: leaves empty fields out of its requests, so that the
                       address bar shows only the filters in use (the ledger).
   data-review-filter  on a checkbox: shows only the rows marked data-review (the import
                       preview's tasks to check); the choice outlives htmx swaps of the preview.

   Loaded on every page (base.html, 500.html, 507.html) with defer; listeners sit on the
   document, so content swapped in by htmx behaves the same. */
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field && field.matches && field.matches("select[data-autosubmit]") && field.form) {
      field.form.submit();
    }
    if (field && field.matches && field.matches("input[data-review-filter]")) {
      document.body.classList.toggle("only-review", field.checked);
    }
  });

  document.addEventListener("htmx:afterSettle", function () {
    var filter = document.querySelector("input[data-review-filter]");
    if (filter) {
      filter.checked = document.body.classList.contains("only-review");
    } else {
      document.body.classList.remove("only-review");  // nothing left to check: show every row
    }
  });

  document.addEventListener("click", function (event) {
    var target = event.target && event.target.closest ? event.target : null;
    if (!target) {
      return;
    }
    var asking = target.closest("[data-confirm]");
    if (asking && !window.confirm(asking.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    if (target.closest("[data-back]")) {
      event.preventDefault();
      window.history.back();
    }
  });

  document.addEventListener("htmx:configRequest", function (event) {
    var source = event.target;
    if (!source || !source.closest || !source.closest("[data-drop-empty]")) {
      return;
    }
    var parameters = event.detail.parameters;
    Object.keys(parameters).forEach(function (key) {
      if (parameters[key] === "") {
        delete parameters[key];
      }
    });
  });
})();
