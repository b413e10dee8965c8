// Quiz page: count answered questions, focus the error summary, avoid double submission.
(function () {
  "use strict";
  var form = document.getElementById("quiz-form");
  if (!form) { return; }
  var progress = document.getElementById("quiz-progress");
  var questions = form.querySelectorAll("fieldset.quiz-question");

  function update() {
    if (!progress) { return; }
    var answered = 0;
    questions.forEach(function (fieldset) {
      if (fieldset.querySelector("input:checked")) { answered += 1; }
    });
    progress.textContent = progress.dataset.template
      .replace("{answered}", answered)
      .replace("{total}", progress.dataset.total);
  }

  form.addEventListener("change", update);
  update();

  var errors = document.getElementById("quiz-errors");
  if (errors) { errors.focus(); }

  form.addEventListener("submit", function () {
    var button = form.querySelector("button[type=submit]");
    // Let the request leave first; the server grades an attempt once whatever happens.
    window.setTimeout(function () { if (button) { button.disabled = true; } }, 0);
  });
})();
