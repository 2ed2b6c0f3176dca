// The trial finder's filters: a <details> closed on phones (results first), open in the side
// column on wide screens. Without this module the style sheet shows them there anyway.
// The page sends it closed, so on load this only opens it on a wide screen: on a slow phone
// a patient who tapped "Filter results" before the module ran keeps it open.
const WIDE = window.matchMedia("(min-width: 52em)");

for (const filters of document.querySelectorAll("[data-finder-filters]")) {
  if (WIDE.matches) filters.open = true;
  WIDE.addEventListener("change", () => {
    filters.open = WIDE.matches;
  });
}
