// A table wider than the screen scrolls inside its own box (.tabel-wrap). Keyboard users must
// be able to reach that box to scroll it: give it a tab stop and a name, only when it scrolls.
// A static file (the strict CSP allows no inline scripts).
(function () {
  function markeer() {
    document.querySelectorAll(".tabel-wrap").forEach(function (wrap) {
      var schuift = wrap.scrollWidth > wrap.clientWidth + 1;
      if (schuift && !wrap.hasAttribute("tabindex")) {
        var caption = wrap.querySelector("caption");
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", (caption ? caption.textContent.trim() + ", " : "") + "tabel schuift zijwaarts");
        wrap.dataset.schuift = "ja";
      } else if (!schuift && wrap.dataset.schuift === "ja") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
        delete wrap.dataset.schuift;
      }
    });
  }
  document.addEventListener("DOMContentLoaded", markeer);
  window.addEventListener("resize", markeer);
})();
