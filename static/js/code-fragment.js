// The household letter's QR code opens /h/#CODE. Browsers never send the part after "#",
// so the code stays out of every server and proxy log. This copies it into the form,
// removes it from the address bar and history, and submits the form: the server then
// asks the resident to confirm whose household page it opens. Without JavaScript the
// resident types the code instead.
(function () {
  var form = document.querySelector("form[data-code-form]");
  var code = decodeURIComponent((window.location.hash || "").slice(1)).trim();
  if (!form || !code) return;
  history.replaceState(null, "", window.location.pathname + window.location.search);
  var input = form.querySelector("input[name=code]");
  if (!input) return;
  input.value = code;
  form.submit();
})();
