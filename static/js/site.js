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

  // Questionnaires: ticking "I do not know this unit" folds its ratings away, and an invited
  // respondent's answers are saved as they go (the "save" button does the same without script).
  document.querySelectorAll("form.questionnaire fieldset[data-unit]").forEach(function (block) {
    var skip = block.querySelector("input[type=checkbox][name^=d_]");
    var ratings = block.querySelector(".unit-ratings");
    if (!skip || !ratings) { return; }
    var sync = function () { ratings.hidden = skip.checked; };
    skip.addEventListener("change", sync);
    sync();
  });
  var answers = document.querySelector("form.questionnaire[data-autosave]");
  if (answers && window.fetch && window.FormData) {
    var timer = null;
    var status = answers.querySelector(".autosave-status");
    var save = function () {
      fetch(answers.getAttribute("data-autosave"), {
        method: "POST", body: new FormData(answers), credentials: "same-origin"
      }).then(function (r) {
        if (status && r.ok) {
          var t = new Date();
          var hm = ("0" + t.getHours()).slice(-2) + ":" + ("0" + t.getMinutes()).slice(-2);
          status.textContent = (document.documentElement.lang === "en"
            ? "Saved at " : "已自动暂存 ") + hm;
        }
      }).catch(function () { /* the save button still works */ });
    };
    var later = function () { window.clearTimeout(timer); timer = window.setTimeout(save, 800); };
    answers.addEventListener("change", later);
    answers.addEventListener("input", later);
  }
}());
