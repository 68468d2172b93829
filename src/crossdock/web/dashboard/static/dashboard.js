// Live panels without a page reload: every element with data-live is refreshed from that
// URL (a server-rendered fragment) at its data-refresh-ms interval. A failed fetch keeps the
// last content and marks it stale; a lost session sends the browser to the login page.
(function () {
  "use strict";
  function refresh(element) {
    var url = element.getAttribute("data-live");
    fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (response.status === 401) {
          window.location.assign("/dashboard/login?next=" + encodeURIComponent(window.location.pathname));
          return null;
        }
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        if (html !== null) {
          element.innerHTML = html;
          element.classList.remove("stale");
        }
      })
      .catch(function () {
        element.classList.add("stale");
      });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-live]").forEach(function (element) {
      var every = parseInt(element.getAttribute("data-refresh-ms"), 10) || 5000;
      window.setInterval(function () { refresh(element); }, every);
    });
  });
})();
