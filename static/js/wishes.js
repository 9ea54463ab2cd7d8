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
  // (A removal's extra question, form[data-confirm], is in app.js, on every page.)
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
// Triage: show the project only for "in a plan" and the wish number only for "merged";
// a click on a similar wish fills in its number.
(function () {
  var form = document.querySelector("form[data-triage-form]");
  if (!form) return;
  var project = form.querySelector("#div_id_project");
  var merge = form.querySelector("#div_id_merge_into");
  function update() {
    var checked = form.querySelector("input[name=to_status]:checked");
    var value = checked ? checked.value : "";
    if (project) project.hidden = value !== "planned";
    if (merge) merge.hidden = value !== "merged";
  }
  form.addEventListener("change", update);
  update();
  document.querySelectorAll("[data-merge-into]").forEach(function (button) {
    button.addEventListener("click", function () {
      var radio = form.querySelector("input[name=to_status][value=merged]");
      if (radio) radio.checked = true;
      var number = form.querySelector("input[name=merge_into]");
      if (number) number.value = button.dataset.mergeInto;
      update();
      if (number) number.focus();
    });
  });
})();
