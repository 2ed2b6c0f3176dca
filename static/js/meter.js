// The plain-English meter, live.
//
// The server renders a meter under each markdown field of a content admin form:
//   <div class="app-meter" data-meter-for="id_summary" data-meter-url="/admin/readability/measure/">
//     <div data-meter-body>...figures...</div>
//     <p role="status" data-meter-status></p>
//   </div>
// That is right when the form opens and after each save. This module re-measures while the
// editor types: a moment after they stop, it posts the text (with the form's CSRF token) and
// swaps in the meter the server sends back. Screen reader users hear the reading level only
// when it changes. If a request fails, the last figures stay.

const DELAY_MS = 700;

function csrfToken(textarea) {
  const form = textarea.form;
  const input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

function label(meter) {
  const node = meter.querySelector("[data-meter-label]");
  return node ? node.textContent.trim() : "";
}

function enhance(meter) {
  const textarea = document.getElementById(meter.dataset.meterFor);
  const body = meter.querySelector("[data-meter-body]");
  const status = meter.querySelector("[data-meter-status]");
  if (!textarea || !body || !meter.dataset.meterUrl) return;

  let timer = null;
  let controller = null;

  async function update() {
    if (controller) controller.abort();
    controller = new AbortController();
    const before = label(meter);
    const data = new FormData();
    data.append("text", textarea.value);
    meter.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(meter.dataset.meterUrl, {
        method: "POST",
        body: data,
        headers: { "X-CSRFToken": csrfToken(textarea) },
        credentials: "same-origin",
        signal: controller.signal,
      });
      if (!response.ok) return;
      const result = await response.json();
      body.innerHTML = result.html; // rendered and escaped by the server's template
      const after = label(meter);
      if (status && after && after !== before) status.textContent = `Reading level: ${after}`;
    } catch (error) {
      // Offline, aborted or logged out: keep the last figures.
    } finally {
      meter.removeAttribute("aria-busy");
    }
  }

  textarea.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(update, DELAY_MS);
  });
}

function init() {
  document.querySelectorAll(".app-meter[data-meter-for]").forEach(enhance);
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", init);
} else {
  init();
}
