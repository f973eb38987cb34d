// Progressive enhancement: "Près de moi" appears only when the browser can locate.
// The position is asked only on click, rounded to 2 decimals (about 1 km) before it
// leaves the browser, and sent only in the search's URL: the site never stores it.
(function () {
  "use strict";
  if (!("geolocation" in navigator)) {
    return;
  }
  var slots = document.querySelectorAll("[data-near-me]");
  Array.prototype.forEach.call(slots, function (slot) {
    var form = slot.closest("form");
    var button = slot.querySelector("button");
    var status = slot.querySelector(".near-me-status");
    if (!form || !button) {
      return;
    }
    slot.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = "Recherche de votre position…";
      button.disabled = true;
      navigator.geolocation.getCurrentPosition(
        function (position) {
          var params = new URLSearchParams(new FormData(form));
          ["commune", "lat", "lon", "page", "departement"].forEach(function (name) {
            params.delete(name);
          });
          Array.from(params.keys()).forEach(function (name) {
            if (!params.get(name)) {
              params.delete(name);
            }
          });
          params.set("lat", position.coords.latitude.toFixed(2));
          params.set("lon", position.coords.longitude.toFixed(2));
          window.location.href = form.getAttribute("action") + "?" + params.toString();
        },
        function () {
          button.disabled = false;
          status.textContent = "Position indisponible : indiquez votre commune ou votre code postal.";
        },
        { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 }
      );
    });
  });
})();
