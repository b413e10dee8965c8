/*
 * Signature pad: draw with a finger, a pen or the mouse (pointer events) on every
 * <canvas data-signature-canvas> inside a [data-signature-pad] block. The drawing is copied
 * into the block's hidden input [data-signature-input] as a PNG data URL after each stroke;
 * the "clear" button [data-signature-clear] empties both. No inline script (strict CSP).
 */
(function () {
  "use strict";

  function setupPad(pad) {
    var canvas = pad.querySelector("[data-signature-canvas]");
    var input = pad.querySelector("[data-signature-input]") ||
      (pad.form || pad.closest("form")).querySelector("[data-signature-input]");
    var clear = pad.querySelector("[data-signature-clear]");
    var status = pad.querySelector("[data-signature-status]");
    if (!canvas || !input || !canvas.getContext) {
      return;
    }
    var context = canvas.getContext("2d");
    var drawing = false;
    var strokes = 0;
    var last = null;

    function resetStyle() {
      context.lineWidth = 3;
      context.lineCap = "round";
      context.lineJoin = "round";
      context.strokeStyle = "#111111";
    }
    resetStyle();

    function point(event) {
      var box = canvas.getBoundingClientRect();
      return {
        x: (event.clientX - box.left) * (canvas.width / box.width),
        y: (event.clientY - box.top) * (canvas.height / box.height)
      };
    }

    function announce() {
      if (status) {
        status.textContent = strokes > 0 ? status.dataset.drawn : status.dataset.empty;
      }
      pad.classList.toggle("has-signature", strokes > 0);
    }

    canvas.addEventListener("pointerdown", function (event) {
      if (event.button !== undefined && event.button > 0) {
        return;
      }
      event.preventDefault();
      drawing = true;
      last = point(event);
      if (canvas.setPointerCapture) {
        canvas.setPointerCapture(event.pointerId);
      }
      context.beginPath();
      context.arc(last.x, last.y, context.lineWidth / 2, 0, Math.PI * 2);
      context.fillStyle = context.strokeStyle;
      context.fill();
    });

    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) {
        return;
      }
      event.preventDefault();
      var events = event.getCoalescedEvents ? event.getCoalescedEvents() : [event];
      if (!events.length) {
        events = [event];
      }
      context.beginPath();
      context.moveTo(last.x, last.y);
      events.forEach(function (each) {
        var current = point(each);
        context.lineTo(current.x, current.y);
        last = current;
      });
      context.stroke();
    });

    function finish(event) {
      if (!drawing) {
        return;
      }
      drawing = false;
      strokes += 1;
      if (canvas.releasePointerCapture && event && event.pointerId !== undefined) {
        try {
          canvas.releasePointerCapture(event.pointerId);
        } catch (ignored) {
          /* the capture may already be gone */
        }
      }
      input.value = canvas.toDataURL("image/png");
      announce();
    }

    canvas.addEventListener("pointerup", finish);
    canvas.addEventListener("pointercancel", finish);
    canvas.addEventListener("pointerleave", finish);

    if (clear) {
      clear.addEventListener("click", function () {
        context.clearRect(0, 0, canvas.width, canvas.height);
        resetStyle();
        strokes = 0;
        input.value = "";
        announce();
      });
    }
    // After a refused submission the page comes back with the drawing in the hidden field:
    // show it again instead of asking for a new one.
    if (input.value && input.value.indexOf("data:image/png;base64,") === 0) {
      var previous = new Image();
      previous.onload = function () {
        context.drawImage(previous, 0, 0, canvas.width, canvas.height);
        strokes = Math.max(strokes, 1);
        announce();
      };
      previous.src = input.value;
    }
    pad.classList.add("is-ready");
    announce();
  }

  document.querySelectorAll("[data-signature-pad]").forEach(setupPad);
})();
