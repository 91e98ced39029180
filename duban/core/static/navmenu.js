/* The main navigation as a menu at phone width (duban.css, "phone width: the menu").

   Without this script the links simply wrap under the top bar. With it, the page is marked
   "js-nav", the Menu button appears, and at phone width the links fold behind it: the button
   opens and closes them, Escape or following a link closes them. No inline script (CSP). */
(function () {
  "use strict";

  function setUp() {
    var button = document.querySelector(".navtoggle");
    var bar = document.querySelector(".topbar");
    if (!button || !bar) {
      return;
    }
    document.documentElement.classList.add("js-nav");
    button.hidden = false;

    function show(open) {
      bar.classList.toggle("nav-open", open);
      button.setAttribute("aria-expanded", open ? "true" : "false");
    }

    button.addEventListener("click", function () {
      show(button.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && bar.classList.contains("nav-open")) {
        show(false);
        button.focus();
      }
    });
    var nav = document.getElementById("mainnav");
    if (nav) {
      nav.addEventListener("click", function (event) {
        if (event.target.closest && event.target.closest("a")) {
          show(false);
        }
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
