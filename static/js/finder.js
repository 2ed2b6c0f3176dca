// The trial finder's filters: a <details> closed on phones (results first), open in the side
// column on wide screens. Without this module the style sheet shows them there anyway.
const WIDE = window.matchMedia("(min-width: 52em)");

function fit(filters) {
  filters.open = WIDE.matches;
}

for (const filters of document.querySelectorAll("[data-finder-filters]")) {
  fit(filters);
  WIDE.addEventListener("change", () => fit(filters));
}
