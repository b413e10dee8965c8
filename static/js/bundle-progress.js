/*
 * Bundle page: poll the bundle's state (JSON) every second and update the progress bar, the
 * message and, once the worker has finished, show the download link.
 * No inline script (strict CSP); without JavaScript the page says to reload it.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-bundle-status-url]");
  if (!root) {
    return;
  }
  var url = root.dataset.bundleStatusUrl;
  var bar = root.querySelector("progress");
  var message = root.querySelector("[data-bundle-message]");
  var error = root.querySelector("[data-bundle-error]");
  var ready = root.querySelector("[data-bundle-ready]");
  var link = root.querySelector("[data-bundle-download]");
  var POLL_MS = 1000;

  function apply(state) {
    root.dataset.status = state.status;
    if (bar) {
      bar.max = state.total || 1;
      bar.value = state.done;
      bar.textContent = state.percent + " %";
    }
    if (message && message.textContent !== state.message) {
      message.textContent = state.message;
    }
    if (error) {
      error.textContent = state.error || "";
      error.classList.toggle("d-none", !state.error);
    }
    if (state.download_url) {
      link.href = state.download_url;
      ready.classList.remove("d-none");
    }
    return state.status === "queued" || state.status === "running";
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (state) {
        if (apply(state)) {
          window.setTimeout(poll, POLL_MS);
        }
      })
      .catch(function () {
        window.setTimeout(poll, POLL_MS * 5);
      });
  }

  if (root.dataset.status === "queued" || root.dataset.status === "running") {
    window.setTimeout(poll, POLL_MS);
  }
})();
