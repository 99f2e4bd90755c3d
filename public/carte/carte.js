// The directory's map (/annuaire/carte): an island of plain JavaScript over Leaflet, loaded by
// that page only. The page is the list, rendered by the server and complete without this file.
// Here: the groups of the visible box come from /annuaire/carte.json (computed on the server,
// never every point); a group zooms in when chosen; a lone structure opens a small card; moving
// the map puts the box in the address (zone=) and refreshes the list to « dans cette zone ».
(function () {
  "use strict";
  var element = document.getElementById("carte");
  if (!element || typeof L === "undefined") {
    return;
  }
  var status = document.getElementById("carte-etat");
  var groupsUrl = element.getAttribute("data-groups");
  var tiles = element.getAttribute("data-tiles");
  var startZone = parseZone(element.getAttribute("data-zone"));
  var fallback = element.querySelector(".map-fallback");
  if (fallback) {
    fallback.remove();
  }
  element.setAttribute("role", "region");
  element.setAttribute(
    "aria-label",
    "Carte des structures. Flèches pour la déplacer, + et − pour zoomer, Tab pour passer d'un groupe à l'autre."
  );

  var map = L.map(element, { zoomControl: false, keyboard: true, maxZoom: 19, minZoom: 3 });
  L.control
    .zoom({ zoomInTitle: "Zoomer", zoomOutTitle: "Dézoomer" })
    .addTo(map);
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  if (tiles) {
    L.tileLayer(tiles, {
      attribution: element.getAttribute("data-attribution") || "",
      maxZoom: 19,
    }).addTo(map);
  } else {
    element.classList.add("map-plain");
  }
  var layer = L.layerGroup().addTo(map);
  // Moves made by the page itself (the first view) leave the address alone.
  var userMoved = false;
  var latest = 0;
  var timer = null;

  function parseZone(text) {
    var parts = (text || "").split(",").map(Number);
    if (parts.length !== 4 || parts.some(isNaN)) {
      return null;
    }
    return L.latLngBounds([parts[1], parts[0]], [parts[3], parts[2]]);
  }

  function zoneOf(bounds) {
    var round = function (n) {
      return Math.round(n * 100000) / 100000;
    };
    return [
      round(Math.max(bounds.getWest(), -180)),
      round(Math.max(bounds.getSouth(), -90)),
      round(Math.min(bounds.getEast(), 180)),
      round(Math.min(bounds.getNorth(), 90)),
    ].join(",");
  }

  function withParam(url, name, value) {
    var parsed = new URL(url, window.location.href);
    if (value === null) {
      parsed.searchParams.delete(name);
    } else {
      parsed.searchParams.set(name, value);
    }
    parsed.searchParams.delete("page");
    // Commas read better in an address than %2C, and mean the same in a query.
    return parsed.pathname + parsed.search.replace(/%2C/g, ",");
  }

  function plural(n, one, many) {
    return n + " " + (n > 1 ? many : one);
  }

  function fetchGroups(zone, zoom) {
    var url = withParam(withParam(groupsUrl, "zone", zone), "zoom", String(zoom));
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (response) {
      if (!response.ok) {
        throw new Error(response.status);
      }
      return response.json();
    });
  }

  function card(entry) {
    var box = document.createElement("div");
    box.className = "map-card";
    var title = document.createElement("a");
    title.href = entry.href;
    title.textContent = entry.name;
    var name = document.createElement("p");
    name.className = "map-card-name";
    name.appendChild(title);
    box.appendChild(name);
    var meta = document.createElement("p");
    meta.textContent = [entry.form, entry.commune].filter(Boolean).join(" · ");
    box.appendChild(meta);
    if (entry.sectors.length) {
      var sectors = document.createElement("p");
      sectors.textContent = entry.sectors.join(", ");
      box.appendChild(sectors);
    }
    return box;
  }

  // A small card in a popup; its first link receives focus, Escape closes it.
  function bindCard(marker, content) {
    marker.bindPopup(content, { autoPanPadding: [24, 24] });
    marker.on("popupopen", function () {
      var close = element.querySelector(".leaflet-popup-close-button");
      if (close) {
        close.setAttribute("aria-label", "Fermer la fiche résumée");
        close.setAttribute("title", "Fermer (Échap)");
      }
      var link = element.querySelector(".leaflet-popup .map-card a");
      if (link) {
        link.focus();
      }
    });
  }

  function show(answer) {
    layer.clearLayers();
    answer.clusters.forEach(function (group) {
      var single = group.count === 1 && group.entry;
      var size = single ? 18 : Math.round(30 + Math.min(26, 6 * Math.log10(group.count)));
      var same =
        !single &&
        group.bounds[2] - group.bounds[0] < 1e-5 &&
        group.bounds[3] - group.bounds[1] < 1e-5;
      var label = single
        ? group.entry.name + " : ouvrir sa fiche résumée"
        : plural(group.count, "structure", "structures") +
          (same ? " à la même adresse : les afficher" : " : zoomer sur ce groupe");
      var icon = L.divIcon({
        className: single ? "map-point" : "map-group",
        html: single ? "" : "<span>" + group.count + "</span>",
        iconSize: [size, size],
      });
      var marker = L.marker([group.lat, group.lon], { icon: icon, keyboard: true, title: label });
      marker.addTo(layer);
      var node = marker.getElement();
      if (node) {
        node.setAttribute("aria-label", label);
        node.setAttribute("role", "button");
      }
      if (single) {
        bindCard(marker, card(group.entry));
      } else {
        var b = group.bounds;
        var bounds = L.latLngBounds([b[1], b[0]], [b[3], b[2]]);
        if (bounds.getNorth() - bounds.getSouth() < 1e-5 && bounds.getEast() - bounds.getWest() < 1e-5) {
          // Structures at one same place: no zoom separates them; the list shows them.
          var here = document.createElement("div");
          here.className = "map-card";
          var text = document.createElement("p");
          text.textContent = plural(group.count, "structure", "structures") + " à cette même adresse.";
          var list = document.createElement("a");
          var tiny = [b[0] - 0.0002, b[1] - 0.0002, b[2] + 0.0002, b[3] + 0.0002].join(",");
          list.href = withParam(window.location.href, "zone", tiny) + "#resultats";
          list.textContent = "Les voir dans la liste";
          here.appendChild(text);
          here.appendChild(list);
          bindCard(marker, here);
        } else {
          marker.on("click", function () {
            userMoved = true;
            var target = map.getBoundsZoom(bounds, false, L.point(40, 40));
            map.setView(bounds.getCenter(), Math.min(Math.max(target, map.getZoom() + 1), map.getMaxZoom()));
          });
        }
      }
    });
    if (status) {
      status.textContent =
        plural(answer.total, "structure", "structures") +
        " dans cette zone de la carte, en " +
        plural(answer.clusters.length, "groupe", "groupes") +
        ".";
    }
  }

  function refreshList(zone) {
    var url = withParam(window.location.href, "zone", zone);
    window.history.replaceState(null, "", url);
    var hidden = document.querySelector('form[role="search"] input[name="zone"]');
    var form = document.querySelector('form[role="search"]');
    if (!hidden && form) {
      hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = "zone";
      form.appendChild(hidden);
    }
    if (hidden) {
      hidden.value = zone;
    }
    return fetch(url, { headers: { Accept: "text/html" } })
      .then(function (response) {
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (!html) {
          return;
        }
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector(".directory");
        var old = document.querySelector(".directory");
        if (fresh && old) {
          old.replaceWith(fresh);
        }
      });
  }

  function load(keepList) {
    var request = ++latest;
    var zone = zoneOf(map.getBounds());
    fetchGroups(zone, map.getZoom())
      .then(function (answer) {
        if (request !== latest) {
          return;
        }
        show(answer);
        if (userMoved && !keepList) {
          return refreshList(zone);
        }
      })
      .catch(function () {
        if (status) {
          status.textContent = "La carte n'a pas pu être mise à jour ; la liste reste valable.";
        }
      });
  }

  // New words typed in the search form: the live search refreshes the list, the map follows.
  var form = document.querySelector('form[role="search"]');
  var typing = null;
  if (form) {
    form.addEventListener("input", function () {
      clearTimeout(typing);
      typing = setTimeout(function () {
        var data = new URLSearchParams(new FormData(form));
        ["zone", "pres", "page"].forEach(function (name) {
          data.delete(name);
        });
        groupsUrl = "/annuaire/carte.json?" + data.toString();
        load(true);
      }, 400);
    });
  }

  // A drag, a zoom button, the keyboard or the wheel: the visitor's own moves, which put the
  // box in the address; the first view, chosen by the page, does not.
  ["pointerdown", "wheel", "keydown", "touchstart"].forEach(function (type) {
    element.addEventListener(
      type,
      function () {
        userMoved = true;
      },
      { passive: true }
    );
  });
  // A card open: the move that brought it into view keeps the groups (redrawing them would
  // close it); the next move after it is closed redraws.
  var cardOpen = false;
  map.on("popupopen", function () {
    cardOpen = true;
  });
  map.on("popupclose", function () {
    cardOpen = false;
  });
  map.on("moveend", function () {
    if (cardOpen) {
      return;
    }
    clearTimeout(timer);
    timer = setTimeout(function () {
      load(false);
    }, 200);
  });

  function start(bounds) {
    map.fitBounds(bounds, { padding: [16, 16], maxZoom: 14 });
  }

  if (startZone) {
    start(startZone);
  } else {
    // Without a box in the address: every result of the search in view.
    fetchGroups("-180,-90,180,90", 3)
      .then(function (answer) {
        var bounds = null;
        answer.clusters.forEach(function (group) {
          var b = L.latLngBounds([group.bounds[1], group.bounds[0]], [group.bounds[3], group.bounds[2]]);
          bounds = bounds ? bounds.extend(b) : b;
        });
        if (bounds) {
          start(bounds);
        } else {
          map.setView([51.03, 2.37], 9);
        }
      })
      .catch(function () {
        map.setView([51.03, 2.37], 9);
      });
  }
})();
