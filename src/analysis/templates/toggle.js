// "Show code": pages open with the code hidden (for readers of the results); one click shows it.
// The button's words are in its data-show / data-hide attributes (the edition's language).
(function () {
  "use strict";
  var button = document.getElementById("code-toggle");
  if (!button) { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    var hidden = document.body.classList.toggle("code-hidden");
    button.setAttribute("aria-pressed", hidden ? "false" : "true");
    button.textContent = hidden ? button.dataset.show : button.dataset.hide;
  });
}());
