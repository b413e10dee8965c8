/*
 * Trainer's console: every few seconds, fetch the half-day's state (JSON) and update the
 * projected code, its countdown, the QR code and the list of who has signed.
 * No inline script (strict CSP); the page works without it (reload to refresh).
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-console-state-url]");
  if (!root) {
    return;
  }
  var url = root.dataset.consoleStateUrl;
  var codeElement = root.querySelector("[data-code]");
  var secondsElement = root.querySelector("[data-seconds]");
  var qrImage = root.querySelector("[data-qr]");
  var countElement = document.querySelector("[data-signed-count]");
  var errorElement = document.querySelector("[data-console-error]");
  var changedElement = document.querySelector("[data-console-changed]");
  var seconds = parseInt(root.dataset.secondsLeft || "60", 10);
  var step = root.dataset.step || "";
  // The console and the projection of an open half-day expect « ouvert »; a rehearsal
  // (projection of an upcoming half-day) expects « a_venir ». Any change reloads the page.
  var expected = root.dataset.expectedStatus || "ouvert";
  var POLL_MS = 3000;
  var fullscreen = document.querySelector("[data-fullscreen]");

  if (fullscreen && document.documentElement.requestFullscreen) {
    fullscreen.hidden = false;
    fullscreen.addEventListener("click", function () {
      if (document.fullscreenElement) {
        document.exitFullscreen();
      } else {
        document.documentElement.requestFullscreen().catch(function () {});
      }
    });
  }

  function formatCode(code) {
    return code.length === 6 ? code.slice(0, 3) + "\u00a0" + code.slice(3) : code;
  }

  function tick() {
    if (seconds > 0) {
      seconds -= 1;
    }
    if (secondsElement) {
      secondsElement.textContent = String(seconds);
    }
  }

  function updateRow(trainee) {
    var row = document.querySelector('[data-trainee-row="' + trainee.id + '"]');
    if (!row) {
      return;
    }
    var badge = row.querySelector("[data-status-badge]");
    var time = row.querySelector("[data-status-time]");
    var status = trainee.status || "none";
    if (row.dataset.status !== status) {
      row.dataset.status = status;
      if (badge) {
        badge.textContent = trainee.label;
        badge.className = "badge attendance-badge attendance-" + status;
      }
    }
    if (time) {
      time.textContent = trainee.time ? trainee.time + (trainee.method ? " · " + trainee.method : "") : "";
    }
  }

  function apply(data) {
    if (data.status !== expected) {
      // The half-day changed state elsewhere (opened, closed): say so, and let the user
      // reload, rather than changing the page under them.
      if (changedElement) {
        changedElement.hidden = false;
      }
      return;
    }
    if (codeElement && data.code) {
      codeElement.textContent = formatCode(data.code);
    }
    seconds = data.seconds_left;
    if (qrImage && data.qr && String(data.step) !== String(step)) {
      step = String(data.step);
      qrImage.src = data.qr;
    }
    if (countElement) {
      countElement.textContent = String(data.signed);
    }
    data.trainees.forEach(updateRow);
    if (errorElement) {
      errorElement.hidden = true;
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(apply)
      .catch(function () {
        if (errorElement) {
          errorElement.hidden = false;
        }
      });
  }

  window.setInterval(tick, 1000);
  window.setInterval(poll, POLL_MS);
  poll();
})();
