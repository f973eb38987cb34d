// Progressive enhancement: the result list is complete without this script.
// Draws the current results on a Leaflet map served from our own static files.
(function () {
  "use strict";
  var container = document.getElementById("carte");
  var data = document.getElementById("carte-marqueurs");
  if (!container || !data || typeof L === "undefined") {
    return;
  }
  var places = JSON.parse(data.textContent);
  if (!places.length) {
    return;
  }
  container.hidden = false;
  // Leaflet guesses its marker images' folder from leaflet.css's URL, which fails once static
  // file names carry a content hash (production): give it the served URLs instead.
  L.Icon.Default.imagePath = "";
  L.Icon.Default.mergeOptions({
    iconUrl: container.getAttribute("data-marker-icon"),
    iconRetinaUrl: container.getAttribute("data-marker-icon-2x"),
    shadowUrl: container.getAttribute("data-marker-shadow"),
  });
  // The list below holds the same links: keep the markers out of the tab order.
  // Leaflet's own labels are English: the page gives them in its language (data-label-*).
  function label(name, fallback) {
    return container.getAttribute("data-label-" + name) || fallback;
  }
  var map = L.map(container, { scrollWheelZoom: false, keyboard: false, zoomControl: false });
  L.control.zoom({ zoomInTitle: label("zoom-in", "Zoom in"), zoomOutTitle: label("zoom-out", "Zoom out") }).addTo(map);
  var leaflet = document.createElement("a");
  leaflet.href = "https://leafletjs.com";
  leaflet.title = label("leaflet", "A JavaScript library for interactive maps");
  leaflet.textContent = "Leaflet";
  map.attributionControl.setPrefix(leaflet.outerHTML);
  map.on("popupopen", function (event) {
    var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
    if (close) {
      close.setAttribute("aria-label", label("close", "Close popup"));
    }
  });
  var tiles = container.getAttribute("data-tiles");
  if (tiles) {
    L.tileLayer(tiles, {
      maxZoom: 18,
      attribution: container.getAttribute("data-attribution") || "",
    }).addTo(map);
  }
  var outlines = container.getAttribute("data-outlines");
  if (outlines && window.fetch) {
    fetch(outlines)
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (geojson) {
        if (geojson) {
          L.geoJSON(geojson, { interactive: false, style: { color: "#083f5f", weight: 1.5, fill: false } }).addTo(map);
        }
      })
      .catch(function () { /* the outlines are a nicety: the markers stand alone */ });
  }
  var bounds = [];
  places.forEach(function (place) {
    // Built with DOM nodes, never HTML strings: names come from coordinators.
    var popup = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = place.name;
    popup.appendChild(title);
    var list = document.createElement("ul");
    place.items.forEach(function (item) {
      var li = document.createElement("li");
      var link = document.createElement("a");
      link.href = item.url;
      link.textContent = item.label;
      li.appendChild(link);
      list.appendChild(li);
    });
    popup.appendChild(list);
    L.marker([place.lat, place.lon], { title: place.name, alt: place.name, keyboard: false }).bindPopup(popup).addTo(map);
    bounds.push([place.lat, place.lon]);
  });
  // Markers stand above their point: leave room at the top so none is cut.
  map.fitBounds(bounds, { paddingTopLeft: [24, 48], paddingBottomRight: [24, 16], maxZoom: 13 });
})();
