/* Presentation mode: show one slide at a time, keyboard and full screen, and keep the
 * projected window and the presenter view in step through a BroadcastChannel.
 * Every slide is already in the page: nothing here touches the network. */
(function () {
  "use strict";

  var body = document.body;
  var count = parseInt(body.getAttribute("data-count"), 10) || 0;
  var isPresenter = body.classList.contains("slides-presenter");
  var index = 0;
  var channel = null;
  var sender = Math.random().toString(36).slice(2);

  document.documentElement.classList.add("js");

  function clamp(value) {
    if (count === 0) { return 0; }
    return Math.max(0, Math.min(count - 1, value));
  }

  function indexFromHash() {
    var match = /^#(\d+)$/.exec(window.location.hash);
    return match ? clamp(parseInt(match[1], 10) - 1) : 0;
  }

  function showIn(container, wanted) {
    var items = container.querySelectorAll("[data-index]");
    for (var i = 0; i < items.length; i++) {
      items[i].hidden = parseInt(items[i].getAttribute("data-index"), 10) !== wanted;
    }
  }

  function counterText() {
    return (index + 1) + " / " + count;
  }

  function render() {
    var deck = document.getElementById("deck");
    if (deck) { showIn(deck, index); }
    var current = document.querySelector('[data-deck="current"]');
    if (current) { showIn(current, index); }
    var next = document.querySelector('[data-deck="next"]');
    if (next) {
      showIn(next, index + 1);
      var end = next.querySelector("[data-end]");
      if (end) { end.hidden = index + 1 < count; }
    }
    var notes = document.querySelector('[data-deck="notes"]');
    if (notes) { showIn(notes, index); }
    if (count > 0) {
      var counters = document.querySelectorAll("[data-counter]");
      for (var i = 0; i < counters.length; i++) { counters[i].textContent = counterText(); }
      var corner = document.querySelector("[data-corner]");
      if (corner) { corner.textContent = counterText(); }
    }
    var previous = document.querySelectorAll('[data-action="previous"]');
    var following = document.querySelectorAll('[data-action="next"]');
    for (var p = 0; p < previous.length; p++) { previous[p].disabled = index === 0; }
    for (var f = 0; f < following.length; f++) { following[f].disabled = index >= count - 1; }
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", "#" + (index + 1));
    }
  }

  function go(wanted, broadcast) {
    wanted = clamp(wanted);
    if (wanted === index && broadcast !== false) {
      render();
      return;
    }
    index = wanted;
    render();
    if (broadcast !== false && channel) {
      channel.postMessage({ type: "goto", index: index, sender: sender });
    }
  }

  function toggleFullscreen() {
    if (isPresenter) { return; }
    if (document.fullscreenElement) {
      if (document.exitFullscreen) { document.exitFullscreen(); }
    } else if (document.documentElement.requestFullscreen) {
      document.documentElement.requestFullscreen().catch(function () { /* refused: stay */ });
    }
  }

  /* ---- Timer (presenter view): kept in sessionStorage so a reload keeps it. */
  var timerKey = "slides-timer-" + (body.getAttribute("data-channel") || "");
  var timer = { started: null, elapsed: 0 };

  function loadTimer() {
    try {
      var saved = JSON.parse(window.sessionStorage.getItem(timerKey) || "null");
      if (saved && typeof saved.elapsed === "number") { timer = saved; }
    } catch (error) { /* storage unavailable: the timer simply starts afresh */ }
  }

  function saveTimer() {
    try { window.sessionStorage.setItem(timerKey, JSON.stringify(timer)); } catch (error) { /* ignore */ }
  }

  function elapsedMs() {
    return timer.elapsed + (timer.started ? Date.now() - timer.started : 0);
  }

  function two(value) { return (value < 10 ? "0" : "") + value; }

  function renderTimer() {
    var output = document.querySelector("[data-timer]");
    if (!output) { return; }
    var seconds = Math.floor(elapsedMs() / 1000);
    var hours = Math.floor(seconds / 3600);
    var text = two(Math.floor((seconds % 3600) / 60)) + ":" + two(seconds % 60);
    output.textContent = hours ? hours + ":" + text : text;
    output.setAttribute("datetime", "PT" + seconds + "S");
    var clock = document.querySelector("[data-clock]");
    if (clock) {
      var now = new Date();
      clock.textContent = "(" + two(now.getHours()) + ":" + two(now.getMinutes()) + ")";
    }
    var toggle = document.querySelector('[data-action="timer-toggle"]');
    if (toggle) {
      toggle.textContent = toggle.getAttribute(timer.started ? "data-label-pause" : "data-label-start");
    }
  }

  function toggleTimer() {
    if (timer.started) {
      timer.elapsed += Date.now() - timer.started;
      timer.started = null;
    } else {
      timer.started = Date.now();
    }
    saveTimer();
    renderTimer();
  }

  function resetTimer() {
    timer = { started: timer.started ? Date.now() : null, elapsed: 0 };
    saveTimer();
    renderTimer();
  }

  /* ---- Events */
  function isTyping(target) {
    return target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.altKey || event.metaKey || isTyping(event.target)) { return; }
    var onControl = event.target && /^(BUTTON|A)$/.test(event.target.tagName);
    switch (event.key) {
      case "ArrowRight":
      case "ArrowDown":
      case "PageDown":
        go(index + 1);
        break;
      case "ArrowLeft":
      case "ArrowUp":
      case "PageUp":
        go(index - 1);
        break;
      case " ":
      case "Spacebar":
        if (onControl) { return; }
        go(event.shiftKey ? index - 1 : index + 1);
        break;
      case "Home":
        go(0);
        break;
      case "End":
        go(count - 1);
        break;
      case "f":
      case "F":
        toggleFullscreen();
        break;
      default:
        return;
    }
    event.preventDefault();
  });

  document.addEventListener("click", function (event) {
    var control = event.target.closest("[data-action]");
    if (!control) { return; }
    var action = control.getAttribute("data-action");
    if (action === "previous") { go(index - 1); }
    else if (action === "next") { go(index + 1); }
    else if (action === "fullscreen") { toggleFullscreen(); }
    else if (action === "timer-toggle") { toggleTimer(); }
    else if (action === "timer-reset") { resetTimer(); }
    else if (action === "presenter" || action === "projection") {
      /* Open (or bring back) the other window; it asks this one where we are. */
      var other = window.open(control.href, control.target);
      if (other) {
        event.preventDefault();
        other.focus();
      }
    }
  });

  window.addEventListener("hashchange", function () { go(indexFromHash()); });

  /* ---- Start */
  index = indexFromHash();
  if ("BroadcastChannel" in window && body.getAttribute("data-channel")) {
    channel = new BroadcastChannel(body.getAttribute("data-channel"));
    channel.onmessage = function (message) {
      var data = message.data || {};
      if (data.sender === sender) { return; }
      if (data.type === "goto" && typeof data.index === "number") {
        go(data.index, false);
      } else if (data.type === "hello") {
        channel.postMessage({ type: "goto", index: index, sender: sender });
      }
    };
    channel.postMessage({ type: "hello", sender: sender });
  }
  render();
  if (isPresenter) {
    loadTimer();
    if (!timer.started && timer.elapsed === 0) {
      timer.started = Date.now();
      saveTimer();
    }
    renderTimer();
    window.setInterval(renderTimer, 1000);
  }
})();
