// Progressive enhancement only: the form works without this file.
// Adds drag and drop onto the file zone, shows the chosen file, and
// prevents a double submission while the server validates.
(function () {
  "use strict";
  var zone = document.getElementById("depot");
  var input = document.getElementById("fichier");
  var chosen = document.getElementById("fichier-choisi");
  var form = document.getElementById("formulaire");
  var button = document.getElementById("valider");
  if (!zone || !input || !form) { return; }

  var hint = zone.querySelector(".drop-hint");
  if (hint) { hint.hidden = false; }

  function show() {
    chosen.textContent = input.files && input.files.length ? input.files[0].name : "";
  }
  input.addEventListener("change", show);

  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) {
      event.preventDefault();
      zone.classList.add("over");
    });
  });
  ["dragleave", "dragend"].forEach(function (name) {
    zone.addEventListener(name, function () { zone.classList.remove("over"); });
  });
  zone.addEventListener("drop", function (event) {
    event.preventDefault();
    zone.classList.remove("over");
    if (event.dataTransfer && event.dataTransfer.files.length) {
      input.files = event.dataTransfer.files;
      show();
    }
  });

  var label = button ? button.textContent : "";
  form.addEventListener("submit", function () {
    if (button) {
      button.disabled = true;
      button.textContent = button.getAttribute("data-busy") || button.textContent;
    }
  });
  window.addEventListener("pageshow", function () {
    if (button) { button.disabled = false; button.textContent = label; }
  });
})();
