// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Move focus to the error summary so keyboard and screen-reader users hear what went wrong.
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }

  // The receipt's print button appears only when printing can work.
  document.querySelectorAll(".print-button").forEach(function (btn) {
    btn.hidden = false;
    btn.addEventListener("click", function () { window.print(); });
  });

  // Warn before upload about files the server will refuse, so nothing typed is lost to a 413.
  var form = document.querySelector("form.case-form");
  if (form) {
    // The limits and the message come from config, rendered by the server into the form.
    var max = parseInt(form.getAttribute("data-max-bytes"), 10);
    var count = parseInt(form.getAttribute("data-max-count"), 10);
    form.addEventListener("submit", function (ev) {
      var input = form.querySelector("input[type=file]");
      if (!input || !input.files) { return; }
      var big = Array.prototype.filter.call(input.files, function (f) { return f.size > max; });
      // Files kept from an earlier try count too, unless ticked for removal.
      var held = form.querySelectorAll("input[name=remove_held]:not(:checked)").length;
      if (input.files.length + held > count || big.length) {
        ev.preventDefault();
        window.alert(form.getAttribute("data-too-many"));
      }
    });
  }
}());
