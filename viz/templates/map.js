/* citykg map page. Every value from the graph is written with textContent or as an
 * attribute value set through the DOM, never as markup. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("citykg-data").textContent);
  window.citykgReady = false;

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  // Accent- and case-insensitive key: NFD splits "å" into "a" + ring, the combining marks
  // are dropped; letters that are not composed (ø, æ, ß, ...) are folded by hand, so
  // "kobenhavn" finds "København".
  var FOLD = { "ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "đ": "d", "ð": "d", "ł": "l",
               "þ": "th", "ı": "i", "ħ": "h", "ŋ": "n" };
  function normalise(s) {
    return String(s).toLowerCase().normalize("NFD").replace(/\p{M}/gu, "")
      .replace(/[øæœßđðłþıħŋ]/g, function (c) { return FOLD[c]; })
      .replace(/\s+/g, " ").trim();
  }

  document.getElementById("citykg-title").textContent = data.title;
  var byId = {};
  data.nodes.forEach(function (n) {
    byId[n.id] = n;
    n._keys = [normalise(n.label)].concat(n.alt.map(normalise));
    n._hidden = false;
  });
  var neighbours = {};
  data.edges.forEach(function (e) {
    (neighbours[e.from] = neighbours[e.from] || []).push({ id: e.to, relation: e.relation, out: true });
    (neighbours[e.to] = neighbours[e.to] || []).push({ id: e.from, relation: e.relation, out: false });
  });

  var large = data.nodes.length > 1000;

  function tooltip(n) {
    // plain text: vis-network 9 puts string titles in with innerText
    var lines = [n.label + " (" + n.kind + ")"];
    if (n.alt.length) lines.push("also: " + n.alt.join("; "));
    if (n.themes.length) lines.push("themes: " + n.themes.join(", "));
    if (n.period) lines.push(n.period);
    return lines.join("\n");
  }

  function visNode(n) {
    var style = data.kinds[n.kind];
    var v = {
      id: n.id, label: n.label, title: tooltip(n), shape: style.shape, size: n.size,
      color: { background: style.color, border: "#3b4650",
               highlight: { background: style.color, border: "#000" },
               hover: { background: style.color, border: "#000" } },
      hidden: n._hidden
    };
    if (n.x !== undefined) { v.x = n.x; v.y = n.y; }
    return v;
  }
  function visEdge(e) {
    var style = data.relations[e.relation];
    var title = e.relation + (e.label ? ": " + e.label : "") + (e.weight !== undefined ? " (" + e.weight + ")" : "");
    var v = { id: e.id, from: e.from, to: e.to, title: title,
              color: { color: style.color, highlight: "#222", hover: "#222", opacity: 0.9 },
              dashes: style.dashes, width: e.width !== undefined ? e.width : style.width, hidden: false };
    if (e.label) { v.label = e.label; v.font = { size: 11, color: "#444", strokeWidth: 3, align: "middle" }; }
    return v;
  }

  var nodes = new vis.DataSet(data.nodes.map(visNode));
  var edges = new vis.DataSet(data.edges.map(visEdge));
  var options = {
    autoResize: true,
    nodes: { borderWidth: 1, font: { size: 14, face: "system-ui, sans-serif", strokeWidth: 3, strokeColor: "#fff" } },
    edges: { smooth: large ? false : { type: "continuous" }, selectionWidth: 2,
             arrows: { to: { enabled: data.directed, scaleFactor: 0.5 } } },
    physics: { enabled: data.physics, solver: "forceAtlas2Based",
               forceAtlas2Based: { gravitationalConstant: -60, springLength: 90, avoidOverlap: 0.4 },
               stabilization: { enabled: data.physics, iterations: 400, fit: true } },
    interaction: { hover: !large, tooltipDelay: 200, hideEdgesOnDrag: large, hideEdgesOnZoom: large,
                   multiselect: false, navigationButtons: false, keyboard: false },
    layout: { randomSeed: 7, improvedLayout: !data.positioned && data.nodes.length <= 100 }
  };
  var container = document.getElementById("citykg-map");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  // Ready = first frame drawn (with physics on, vis-network stabilises before that frame).
  // Stable = nodes no longer move: what a still picture waits for.
  window.citykgStable = !data.physics;
  network.once("afterDrawing", function () {
    window.citykgReady = true;
    document.body.setAttribute("data-ready", "true");
  });
  network.on("stabilized", function () { window.citykgStable = true; });

  // ---- legend with kind and relation filters -------------------------------------------
  var SVG = "http://www.w3.org/2000/svg"; // an XML namespace name, not a request
  function svg(tag, attrs) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
    return e;
  }
  function poly(points) { return points.map(function (p) { return p.join(","); }).join(" "); }
  function shapeIcon(shape, color) {
    var s = svg("svg", { width: 16, height: 16, viewBox: "0 0 16 16", "aria-hidden": "true" });
    var a = { fill: color, stroke: "#3b4650", "stroke-width": 1 };
    var e;
    if (shape === "square") e = svg("rect", Object.assign({ x: 2.5, y: 2.5, width: 11, height: 11 }, a));
    else if (shape === "diamond") e = svg("polygon", Object.assign({ points: poly([[8, 1], [15, 8], [8, 15], [1, 8]]) }, a));
    else if (shape === "triangle") e = svg("polygon", Object.assign({ points: poly([[8, 1.5], [15, 14], [1, 14]]) }, a));
    else if (shape === "triangleDown") e = svg("polygon", Object.assign({ points: poly([[1, 2], [15, 2], [8, 14.5]]) }, a));
    else if (shape === "hexagon") e = svg("polygon", Object.assign({ points: poly([[4, 1.5], [12, 1.5], [15.5, 8], [12, 14.5], [4, 14.5], [0.5, 8]]) }, a));
    else if (shape === "star") e = svg("polygon", Object.assign({ points: poly([[8, 0.5], [10, 6], [15.5, 6], [11, 9.5], [12.8, 15], [8, 11.6], [3.2, 15], [5, 9.5], [0.5, 6], [6, 6]]) }, a));
    else e = svg("circle", Object.assign({ cx: 8, cy: 8, r: 6.5 }, a));
    s.appendChild(e);
    return s;
  }
  function lineIcon(style) {
    var s = svg("svg", { width: 28, height: 12, viewBox: "0 0 28 12", "aria-hidden": "true" });
    var attrs = { x1: 1, y1: 6, x2: 27, y2: 6, stroke: style.color, "stroke-width": Math.max(1.5, style.width) };
    if (style.dashes) attrs["stroke-dasharray"] = (style.dashes === true ? [5, 5] : style.dashes).join(" ");
    s.appendChild(svg("line", attrs));
    return s;
  }
  var shownKinds = {}, shownRelations = {};
  function legendItem(list, name, icon, count, store, kindOfFilter) {
    store[name] = true;
    var li = el("li");
    var label = el("label");
    var box = el("input");
    box.type = "checkbox"; box.checked = true;
    box.setAttribute("data-" + kindOfFilter, name);
    box.addEventListener("change", function () { store[name] = box.checked; applyFilters(); });
    label.appendChild(box);
    label.appendChild(icon);
    label.appendChild(el("span", name));
    label.appendChild(el("span", count, "citykg-count"));
    li.appendChild(label);
    list.appendChild(li);
  }
  var kindList = document.getElementById("citykg-legend-kinds");
  Object.keys(data.kinds).forEach(function (k) {
    var st = data.kinds[k];
    legendItem(kindList, k, shapeIcon(st.shape, st.color), st.count, shownKinds, "kind");
  });
  var relList = document.getElementById("citykg-legend-relations");
  Object.keys(data.relations).forEach(function (r) {
    legendItem(relList, r, lineIcon(data.relations[r]), data.relations[r].count, shownRelations, "relation");
  });

  function fillSelect(id, allText, counts) {
    var sel = document.getElementById(id);
    var all = el("option", allText); all.value = ""; sel.appendChild(all);
    Object.keys(counts).forEach(function (name) {
      var o = el("option", name + " (" + counts[name] + ")"); o.value = name; sel.appendChild(o);
    });
    if (!Object.keys(counts).length) sel.disabled = true;
    sel.addEventListener("change", applyFilters);
    return sel;
  }
  var themeSelect = fillSelect("citykg-theme", "All themes", data.themes);
  var networkSelect = fillSelect("citykg-network", "All networks", data.networks);

  function nodeShown(n) {
    if (!shownKinds[n.kind]) return false;
    var t = themeSelect.value, w = networkSelect.value;
    if (t && n.themes.indexOf(t) < 0 && n.label !== t) return false;
    if (w && n.networks.indexOf(w) < 0 && n.label !== w) return false;
    return true;
  }
  var counts = document.getElementById("citykg-counts");
  function updateCounts() {
    var shown = data.nodes.filter(function (n) { return !n._hidden; }).length;
    counts.textContent = shown === data.nodes.length
      ? data.nodes.length + " nodes, " + data.edges.length + " links"
      : shown + " of " + data.nodes.length + " nodes shown";
  }
  function applyFilters() {
    var nodeChanges = [];
    data.nodes.forEach(function (n) {
      var hidden = !nodeShown(n);
      if (hidden !== n._hidden) { n._hidden = hidden; nodeChanges.push({ id: n.id, hidden: hidden }); }
    });
    var edgeChanges = [];
    data.edges.forEach(function (e) {
      var hidden = !shownRelations[e.relation];
      if (hidden !== !!e._hidden) { e._hidden = hidden; edgeChanges.push({ id: e.id, hidden: hidden }); }
    });
    if (nodeChanges.length) nodes.update(nodeChanges);
    if (edgeChanges.length) edges.update(edgeChanges);
    var selected = network.getSelectedNodes();
    if (selected.length && byId[selected[0]]._hidden) { network.unselectAll(); hideDetails(); }
    updateCounts();
  }
  document.getElementById("citykg-reset").addEventListener("click", function () {
    document.querySelectorAll("#citykg-legend input[type=checkbox]").forEach(function (b) { b.checked = true; });
    Object.keys(shownKinds).forEach(function (k) { shownKinds[k] = true; });
    Object.keys(shownRelations).forEach(function (k) { shownRelations[k] = true; });
    themeSelect.value = ""; networkSelect.value = "";
    applyFilters();
  });

  // ---- details panel ---------------------------------------------------------------------
  var details = document.getElementById("citykg-details");
  function fact(dl, name, value) {
    if (value === undefined || value === null || value === "" || (Array.isArray(value) && !value.length)) return;
    dl.appendChild(el("dt", name));
    dl.appendChild(el("dd", Array.isArray(value) ? value.join(", ") : value));
  }
  function showDetails(id) {
    var n = byId[id];
    if (!n) { hideDetails(); return; }
    document.getElementById("citykg-details-label").textContent = n.label;
    var dl = document.getElementById("citykg-details-facts");
    dl.replaceChildren();
    fact(dl, "Kind", n.kind);
    fact(dl, "Also called", n.alt);
    fact(dl, "Themes", n.themes);
    fact(dl, "Networks", n.networks);
    fact(dl, "Period", n.period);
    fact(dl, "Community", n.community);
    if (n.centrality !== undefined) fact(dl, "Centrality", Number(n.centrality).toPrecision(3));
    var ol = document.getElementById("citykg-details-evidence");
    ol.replaceChildren();
    n.evidence.forEach(function (ev) {
      var li = el("li");
      if (ev.quote) li.appendChild(el("blockquote", "\u201c" + ev.quote + "\u201d"));
      var where = [ev.section, ev.source].filter(Boolean).join(" \u2014 ");
      if (where) li.appendChild(el("cite", where));
      ol.appendChild(li);
    });
    document.getElementById("citykg-details-evidence-head").hidden = !n.evidence.length;
    var links = document.getElementById("citykg-details-links");
    links.replaceChildren();
    (neighbours[id] || []).slice().sort(function (a, b) {
      return a.relation < b.relation ? -1 : a.relation > b.relation ? 1 :
        (byId[a.id].label < byId[b.id].label ? -1 : 1);
    }).slice(0, 200).forEach(function (nb) {
      var li = el("li");
      var b = el("button", nb.relation + (nb.out ? " \u2192 " : " \u2190 ") + byId[nb.id].label);
      b.type = "button";
      b.addEventListener("click", function () { select(nb.id, true); });
      li.appendChild(b);
      links.appendChild(li);
    });
    details.hidden = false;
  }
  function hideDetails() { details.hidden = true; }
  document.getElementById("citykg-details-close").addEventListener("click", function () {
    network.unselectAll(); hideDetails();
  });
  network.on("click", function (params) {
    if (params.nodes.length) showDetails(params.nodes[0]); else hideDetails();
  });

  function select(id, zoom) {
    var n = byId[id];
    if (!n || n._hidden) return false;
    network.selectNodes([id]);
    showDetails(id);
    if (zoom) network.focus(id, { scale: Math.max(network.getScale(), 1.2), animation: { duration: 300 } });
    return true;
  }

  // ---- search ---------------------------------------------------------------------------
  function search(query, limit) {
    var q = normalise(query);
    if (!q) return { found: [], hidden: 0 };
    var scored = [], hidden = 0;
    data.nodes.forEach(function (n) {
      var best = 99;
      n._keys.forEach(function (k, i) {
        var alt = i > 0 ? 1 : 0, s = 99;
        if (k === q) s = 0 + alt;
        else if (k.indexOf(q) === 0) s = 2 + alt;
        else if ((" " + k).indexOf(" " + q) >= 0) s = 4 + alt;
        else if (k.indexOf(q) >= 0) s = 6 + alt;
        if (s < best) best = s;
      });
      if (best === 99) return;
      if (n._hidden) { hidden += 1; return; }
      scored.push([best, n.label.length, n.label, n.id]);
    });
    scored.sort(function (a, b) {
      return a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0);
    });
    return { found: scored.slice(0, limit || 12).map(function (s) { return s[3]; }), hidden: hidden };
  }
  var input = document.getElementById("citykg-search");
  var results = document.getElementById("citykg-results");
  var timer = null;
  function showResults(res) {
    results.replaceChildren();
    res.found.forEach(function (id, i) {
      var n = byId[id];
      var li = el("li", n.label);
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", i === 0 ? "true" : "false");
      li.appendChild(el("span", n.kind, "citykg-kind"));
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); select(id, true); results.hidden = true; });
      results.appendChild(li);
    });
    if (!res.found.length) results.appendChild(el("li", "No match", "citykg-note"));
    if (res.hidden) results.appendChild(el("li", res.hidden + " more hidden by filters", "citykg-note"));
    results.hidden = !input.value.trim();
  }
  function runSearch() {
    var res = search(input.value);
    showResults(res);
    if (res.found.length && normalise(input.value).length >= 2) select(res.found[0], true);
    return res;
  }
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(runSearch, 150); });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") { clearTimeout(timer); runSearch(); results.hidden = true; }
    else if (ev.key === "Escape") { results.hidden = true; }
  });
  input.addEventListener("blur", function () { results.hidden = true; });

  // ---- header controls ---------------------------------------------------------------------
  var physicsBox = document.getElementById("citykg-physics");
  physicsBox.checked = !!data.physics;
  physicsBox.addEventListener("change", function () {
    network.setOptions({ physics: { enabled: physicsBox.checked } });
  });
  document.getElementById("citykg-fit").addEventListener("click", function () { network.fit(); });
  updateCounts();

  // A small API for tests, bench and the PNG export (and curious users in the console).
  window.citykg = {
    network: network, nodes: nodes, edges: edges, data: data,
    normalise: normalise, search: search, select: select, showDetails: showDetails,
    applyFilters: applyFilters,
    visibleNodeIds: function () { return nodes.getIds({ filter: function (n) { return !n.hidden; } }); }
  };
})();
