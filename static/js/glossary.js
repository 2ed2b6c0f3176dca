// Glossary pop-ups.
//
// The server marks the first use of a glossary term on a page as a plain link:
//   <a class="app-glossary" href="/glossary/ki-67/" data-glossary="ki-67"
//      data-glossary-term="Ki-67" data-glossary-definition="...">Ki-67</a>
// Without JavaScript it stays a link to the term's page. This module turns each one into a
// toggle button with a small panel after it:
//   <span class="app-glossary-tip">
//     <button type="button" class="app-glossary" aria-expanded="false" aria-controls="app-glossary-1">Ki-67</button>
//     <span class="app-glossary__panel" id="app-glossary-1" hidden>
//       <strong class="app-glossary__term">Ki-67</strong> <span class="app-glossary__definition">...</span>
//       <a class="app-glossary__more" href="/glossary/ki-67/">More about Ki-67</a>
//       <button type="button" class="app-glossary__close" aria-label="Close: Ki-67">Close</button>
//     </span>
//   </span>
// Focus stays on the word when the panel opens; a polite live region reads the definition
// out. Escape, the close button and a click outside close it; Escape and the close button
// return focus to the word. State lives in aria-expanded (button) and hidden (panel).
// No inline styles or handlers, so it runs under a strict Content-Security-Policy.

const SELECTOR = "a.app-glossary[data-glossary-definition]";

let count = 0;
let open = null; // { wrapper, button, panel } of the open pop-up
let announcer = null;

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
}

function createAnnouncer() {
  // Created up front: screen readers ignore changes to a live region added at that moment.
  if (announcer) return;
  announcer = element("span", "app-glossary__announcer");
  announcer.setAttribute("role", "status");
  announcer.setAttribute("aria-live", "polite");
  document.body.append(announcer);
}

function announce(text) {
  if (!announcer) return;
  announcer.textContent = "";
  // A short pause so screen readers notice the change even when the same word is reopened.
  if (text) window.setTimeout(() => (announcer.textContent = text), 100);
}

function close({ returnFocus = false } = {}) {
  if (!open) return;
  const { wrapper, button, panel } = open;
  open = null;
  button.setAttribute("aria-expanded", "false");
  panel.hidden = true;
  wrapper.classList.remove("app-glossary-tip--open");
  announce("");
  if (returnFocus) button.focus();
}

function show(tip, term, definition) {
  close();
  open = tip;
  tip.button.setAttribute("aria-expanded", "true");
  tip.panel.hidden = false;
  tip.wrapper.classList.add("app-glossary-tip--open");
  // Keep the panel on screen: anchor it to the word's right edge when it would overflow.
  tip.panel.classList.remove("app-glossary__panel--end");
  const box = tip.panel.getBoundingClientRect();
  if (box.right > document.documentElement.clientWidth - 8) {
    tip.panel.classList.add("app-glossary__panel--end");
  }
  announce(`${term}: ${definition}`);
}

export function enhance(link) {
  const term = link.dataset.glossaryTerm || link.textContent;
  const definition = link.dataset.glossaryDefinition;
  const id = `app-glossary-${++count}`;

  const wrapper = element("span", "app-glossary-tip");
  const button = element("button", "app-glossary", link.textContent);
  button.type = "button";
  button.dataset.glossary = link.dataset.glossary || "";
  button.setAttribute("aria-expanded", "false");
  button.setAttribute("aria-controls", id);

  const panel = element("span", "app-glossary__panel");
  panel.id = id;
  panel.hidden = true;
  const more = element("a", "app-glossary__more", `More about ${term}`);
  more.href = link.href;
  const closeButton = element("button", "app-glossary__close", "Close");
  closeButton.type = "button";
  closeButton.setAttribute("aria-label", `Close: ${term}`);
  panel.append(
    element("strong", "app-glossary__term", term),
    " ",
    element("span", "app-glossary__definition", definition),
    " ",
    more,
    " ",
    closeButton,
  );

  wrapper.append(button, panel);
  link.replaceWith(wrapper);

  const tip = { wrapper, button, panel };
  button.addEventListener("click", () => {
    if (open === tip) close();
    else show(tip, term, definition);
  });
  closeButton.addEventListener("click", () => close({ returnFocus: true }));
  // Tabbing on past the panel closes it, so it never hides the text being read. Focus moving
  // to another term is left to that term's click: closing now would move the page under a
  // finger or pointer between press and release, and the click would miss.
  wrapper.addEventListener("focusout", (event) => {
    const next = event.relatedTarget;
    if (open === tip && next && !next.closest(".app-glossary-tip")) close();
  });
  return tip;
}

export function init(root = document) {
  const links = root.querySelectorAll(SELECTOR);
  if (links.length) createAnnouncer();
  links.forEach(enhance);
}

document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape" || !open) return;
  const focusInside = open.wrapper.contains(document.activeElement);
  close({ returnFocus: focusInside });
});

document.addEventListener("click", (event) => {
  if (open && !open.wrapper.contains(event.target)) close();
});

init();
