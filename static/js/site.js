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
    var max = parseInt(form.getAttribute("data-max-bytes"), 10);
    form.addEventListener("submit", function (ev) {
      var input = form.querySelector("input[type=file]");
      if (!input || !input.files) { return; }
      var big = Array.prototype.filter.call(input.files, function (f) { return f.size > max; });
      // Files kept from an earlier try count too, unless ticked for removal.
      var held = form.querySelectorAll("input[name=remove_held]:not(:checked)").length;
      if (input.files.length + held > 3 || big.length) {
        ev.preventDefault();
        window.alert(document.documentElement.lang === "en"
          ? "At most 3 files of 5 MB each."
          : "最多 3 个附件，每个不超过 5 MB。");
      }
    });
  }
}());
