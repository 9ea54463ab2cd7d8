// Wish forms. Works without it; it only spares people double submissions and a reload click.
(function () {
  // A second tap while the first upload is still going would file the wish twice.
  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sent) { event.preventDefault(); return; }
      form.dataset.sent = "1";
      // Let the clicked button's name reach the server, then disable them all.
      setTimeout(function () {
        form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
      }, 0);
    });
  });
  // Staff entry: changing the compound reloads the form with that compound's buildings,
  // keeping the channel and the meeting.
  var entry = document.querySelector("form[data-entry-form]");
  if (entry) {
    var compound = entry.querySelector("select[name=compound]");
    if (compound) {
      compound.addEventListener("change", function () {
        var params = new URLSearchParams();
        ["channel", "compound", "meeting"].forEach(function (name) {
          var field = entry.querySelector("[name=" + name + "]");
          if (field && field.value) params.set(name, field.value);
        });
        window.location.search = params.toString();
      });
    }
  }
})();
