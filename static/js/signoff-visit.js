// Sign-off visit form (templates/projects/signoffs/household.html).
/* Show only the fields the chosen status needs: signer and form for an agreement, the
   resident's words for concerns or a refusal. Without JavaScript every field stays visible. */
(function () {
  var select = document.getElementById("id_status");
  if (!select) { return; }
  var agreement = ["signer_name", "signer_relation", "signed_on", "paper_reference", "paper_date", "form_photo"];
  var concern = ["concern_category", "concern_text"];
  var shown = {agreed: agreement, concerns: concern, refused: concern};
  function update() {
    var keep = shown[select.value] || [];
    agreement.concat(concern).forEach(function (name) {
      var wrapper = document.getElementById("div_id_" + name);
      if (wrapper) { wrapper.hidden = keep.indexOf(name) < 0; }
    });
  }
  select.addEventListener("change", update);
  update();
})();
