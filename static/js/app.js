// Behaviour every page may use, declared in the markup. The Content-Security-Policy
// forbids inline scripts and onclick="" attributes, so templates say what they want with
// data attributes and this file does it. Pages work without it (the browser's own print
// menu; a removal without the extra question).
(function () {
  // <form data-confirm="Remove this person?">: one more look before a removal.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
  // <button data-print>: print this page (letters, sheets, posters, ballot papers).
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
