// Progressive enhancement of a venue's latitude/longitude fields (directory/admin_pin.py): a Leaflet
// map whose pin starts at the commune's centre and is placed by a click, a drag or the keyboard.
// Without this script the fields stay as they are, empty meaning "the centre of the commune".
(function () {
  "use strict";

  function field(name) {
    return name ? document.querySelector('[name="' + name + '"]') : null;
  }

  function onChange(input, handler) {
    // The admin's autocomplete (select2) announces a choice through jQuery only.
    input.addEventListener("change", handler);
    if (window.django && window.django.jQuery) {
      window.django.jQuery(input).on("select2:select select2:clear", handler);
    }
  }

  function setUp(container) {
    var latitude = field(container.dataset.latitude);
    var longitude = field(container.dataset.longitude);
    if (!latitude || !longitude || typeof L === "undefined") {
      return;
    }
    var commune = field(container.dataset.commune);
    var group = field(container.dataset.group);
    function label(name) {
      return container.getAttribute("data-label-" + name) || "";
    }
    // The map fills the fields: their rows go, unless they carry an error to read.
    [latitude, longitude].forEach(function (input) {
      var row = input.closest(".form-row");
      if (row && !row.querySelector(".errorlist")) {
        row.hidden = true;
      }
    });
    container.hidden = false;

    L.Icon.Default.imagePath = "";
    L.Icon.Default.mergeOptions({
      iconUrl: container.dataset.markerIcon,
      iconRetinaUrl: container.dataset.markerIcon2x,
      shadowUrl: container.dataset.markerShadow,
    });
    var map = L.map(container.querySelector(".venue-pin-map"), { zoomControl: false, scrollWheelZoom: false });
    L.control.zoom({ zoomInTitle: label("zoom-in"), zoomOutTitle: label("zoom-out") }).addTo(map);
    map.attributionControl.setPrefix("Leaflet");
    if (container.dataset.tiles) {
      L.tileLayer(container.dataset.tiles, { maxZoom: 19, attribution: container.dataset.attribution || "" }).addTo(map);
    }
    var status = container.querySelector(".venue-pin-status");
    var marker = null;
    var centre = null; // {latitude, longitude, commune} of the commune the venue is shown at by default

    function round(value) {
      return Math.round(value * 100000) / 100000;
    }
    function placed() {
      return latitude.value !== "" && longitude.value !== "";
    }
    function say() {
      if (placed()) {
        status.textContent = label("placed")
          .replace("%(latitude)s", latitude.value)
          .replace("%(longitude)s", longitude.value);
      } else if (centre && centre.commune) {
        status.textContent = label("centre").replace("%(commune)s", centre.commune);
      } else {
        status.textContent = label("unknown");
      }
    }
    function put(latlng) {
      if (marker) {
        marker.setLatLng(latlng);
        return;
      }
      marker = L.marker(latlng, { draggable: true, autoPan: true, title: label("marker"), alt: label("marker") }).addTo(map);
      marker.on("dragend", function () {
        pin(marker.getLatLng());
      });
    }
    function pin(latlng) {
      latitude.value = round(latlng.lat);
      longitude.value = round(latlng.lng);
      [latitude, longitude].forEach(function (input) {
        input.dispatchEvent(new Event("change", { bubbles: true }));
      });
      put(latlng);
      say();
    }
    function unpin() {
      latitude.value = "";
      longitude.value = "";
    }
    function query() {
      if (commune && commune.value) {
        return "?commune=" + encodeURIComponent(commune.value);
      }
      if (group && group.value) {
        return "?groupe=" + encodeURIComponent(group.value);
      }
      return "";
    }
    // Where the venue is shown while no pin is placed, and where the map opens. Jumps, not animations:
    // Leaflet drops a new view asked for while a zoom animation still runs.
    var asked = 0;
    function findCentre(moveThePin) {
      var question = ++asked;
      return fetch(container.dataset.positionUrl + query(), { credentials: "same-origin" })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (found) {
          if (question !== asked) {
            return; // a later choice of commune or group asked again: its answer decides
          }
          centre = found && found.commune ? found : null;
          if (found && (moveThePin || !placed())) {
            if (moveThePin) {
              unpin();
            }
            map.setView([found.latitude, found.longitude], found.zoom, { animate: false });
            if (centre) {
              put([found.latitude, found.longitude]);
            }
          }
          say();
        })
        .catch(say);
    }

    map.on("click", function (event) {
      pin(event.latlng);
    });
    container.querySelector(".venue-pin-here").addEventListener("click", function () {
      pin(map.getCenter());
    });
    container.querySelector(".venue-pin-reset").addEventListener("click", function () {
      unpin();
      findCentre(true);
    });
    // Another commune (or, for a new venue without one, another group): the pin starts again at its centre,
    // since a pin left in the former commune would be refused.
    [commune, group].forEach(function (input) {
      if (input) {
        onChange(input, function () {
          if (input === group && commune && commune.value) {
            return;
          }
          findCentre(true);
        });
      }
    });

    if (placed()) {
      var here = [parseFloat(latitude.value), parseFloat(longitude.value)];
      map.setView(here, 17, { animate: false });
      put(here);
      say();
    } else {
      map.setView([46.6, 2.4], 5, { animate: false });
    }
    findCentre(false);
  }

  function start() {
    document.querySelectorAll(".venue-pin").forEach(setUp);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
