/* citykg map page. Every value from the graph is written with textContent or as an
 * attribute value set through the DOM, never as markup; the only links made are http(s)
 * sources, opened in a new tab. */
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("citykg-data").textContent);
  window.citykgReady = false;
  window.citykgStable = false;

  // ---- small helpers ----------------------------------------------------------------------
  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function button(text, cls, onClick) {
    const b = el("button", text, cls);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }
  function num(n) { return Number(n).toLocaleString("en"); }
  function plural(n, one, many) { return num(n) + " " + (n === 1 ? one : many); }
  function cap(s) { return s ? s.charAt(0).toUpperCase() + s.slice(1) : s; }
  function byLabel(a, b) { return a.label.localeCompare(b.label, "en") || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0); }

  // The one fold (citykg.fold.fold): the table holds what it turns each non-ASCII character
  // into; ASCII is lower-cased; runs of white space become one space, ends trimmed.
  const FOLD = data.fold;
  function fold(s) {
    let out = "";
    for (const ch of String(s)) {
      const mapped = FOLD[ch];
      out += mapped !== undefined ? mapped : ch < "\u0080" ? ch.toLowerCase() : ch;
    }
    return out.replace(/[ \t\n\r\v\f\u001c-\u001f]+/g, " ").trim();
  }

  // ---- indexes ----------------------------------------------------------------------------
  const byId = {};
  const groupById = {};
  const edgeById = {};
  const adjacent = {}; // node id -> [{edge, other, out}]
  data.nodes.forEach(function (n) { byId[n.id] = n; adjacent[n.id] = []; });
  data.groups.forEach(function (g) { groupById[g.id] = g; });
  data.edges.forEach(function (e) {
    edgeById[e.id] = e;
    adjacent[e.from].push({ edge: e, other: e.to, out: true });
    if (e.to !== e.from) adjacent[e.to].push({ edge: e, other: e.from, out: false });
  });
  const groupOfHub = {};
  data.groups.forEach(function (g) { groupOfHub[g.hub] = g; });
  const large = data.nodes.length > 1000;
  const weights = data.weights;

  document.getElementById("citykg-title").textContent = data.title;

  // ---- view state (what the URL fragment keeps) ------------------------------------------
  const state = {
    sel: null,            // {type: "node"|"link"|"group", id}
    depth: 1,
    colourBy: data.colour_by,
    hiddenKinds: {},
    hiddenRelations: {},
    theme: "",
    network: "",
    min: weights ? weights.start : null,
    open: {}              // group id -> true when its members are shown
  };

  // ---- visibility ---------------------------------------------------------------------------
  function passes(n) {
    if (state.hiddenKinds[n.kind]) return false;
    if (state.theme && n.themes.indexOf(state.theme) < 0 && n.label !== state.theme) return false;
    if (state.network && n.networks.indexOf(state.network) < 0 && n.label !== state.network) return false;
    return true;
  }
  function weightOk(n) {
    if (!weights || state.min <= weights.min || n.id === data.centre) return true;
    let weighted = false;
    for (const a of adjacent[n.id]) {
      if (a.edge.weight === undefined) continue;
      if (a.edge.weight >= state.min) return true;
      weighted = true;
    }
    return !weighted;
  }
  function edgeOk(e) {
    return !state.hiddenRelations[e.relation] && (e.weight === undefined || !weights || e.weight >= state.min);
  }
  const visible = {}; // id (node, group or edge) -> bool
  const geo = data.layout === "geo";
  function placed(n) { return !geo || n.x !== undefined; }
  function computeVisible() {
    data.nodes.forEach(function (n) {
      visible[n.id] = placed(n) && passes(n) && weightOk(n) && (!n.group || !!state.open[n.group]);
    });
    data.groups.forEach(function (g) {
      g.shown = g.members.filter(function (m) { return passes(byId[m]) && weightOk(byId[m]); }).length;
      visible[g.id] = !state.open[g.id] && visible[g.hub] && g.shown > 0;
    });
    data.edges.forEach(function (e) {
      visible[e.id] = edgeOk(e) && visible[e.from] && visible[e.to];
    });
  }

  // ---- focus: what stays vivid around the selection ------------------------------------------
  let focus = null; // id -> true, or null when nothing is selected
  function neighbourhood(id, depth) {
    const seen = {}; seen[id] = true;
    let frontier = [id];
    for (let d = 0; d < depth; d++) {
      const next = [];
      frontier.forEach(function (v) {
        (adjacent[v] || []).forEach(function (a) {
          if (visible[a.edge.id] && !seen[a.other]) { seen[a.other] = true; next.push(a.other); }
        });
        const g = groupOfHub[v];
        if (g && visible[g.id] && !seen[g.id]) { seen[g.id] = true; next.push(g.id); }
      });
      frontier = next;
    }
    return seen;
  }
  function computeFocus() {
    const s = state.sel;
    if (!s) { focus = null; return; }
    if (s.type === "node") focus = neighbourhood(s.id, state.depth);
    else if (s.type === "link") {
      const e = edgeById[s.id]; focus = {}; focus[e.from] = true; focus[e.to] = true;
    } else {
      const g = groupById[s.id]; focus = {}; focus[g.id] = true; focus[g.hub] = true;
    }
  }
  function dimmed(id) { return focus !== null && !focus[id]; }
  function edgeDimmed(e) {
    if (focus === null) return false;
    if (state.sel.type === "link") return state.sel.id !== e.id;
    return !(focus[e.from] && focus[e.to]);
  }

  // ---- drawing items --------------------------------------------------------------------------
  const OTHER = "#c7c7c7";
  function colourTable(mode) {
    const t = {};
    (data.colourings[mode] || []).forEach(function (entry) { t[entry.key] = entry.color; });
    return t;
  }
  let colours = colourTable(state.colourBy);
  function nodeColour(n) {
    if (state.colourBy === "community") return n.community !== undefined ? colours[String(n.community)] || OTHER : OTHER;
    if (state.colourBy === "country") return n.country ? colours[n.country] || OTHER : OTHER;
    if (state.colourBy === "dataset") return n.dataset ? colours[n.dataset] || OTHER : OTHER;
    return data.kinds[n.kind].color;
  }
  function tooltip(n) {
    const lines = [n.label + " (" + data.kinds[n.kind].name.toLowerCase() + (n.country ? ", " + n.country : "") + ")"];
    if (n.home) lines.push("the home city");
    if (n.alt.length) lines.push("also: " + n.alt.join("; "));
    if (n.period) lines.push(n.period);
    lines.push("click for links and evidence");
    return lines.join("\n");
  }
  function groupText(g) {
    return g.short + ": " + num(g.shown) + " " + g.noun;
  }
  function visNode(n) {
    const c = nodeColour(n);
    const v = {
      id: n.id, title: large ? undefined : tooltip(n), shape: data.kinds[n.kind].shape, size: n.size,
      // on a big map a dark outline would turn thousands of small dots grey
      color: { background: c, border: n.home ? "#111" : large ? c : "#3b4650",
               highlight: { background: c, border: "#000" }, hover: { background: c, border: "#000" } },
      borderWidth: n.home ? 4 : 1, borderWidthSelected: n.home ? 5 : 3,
      hidden: !visible[n.id], opacity: dimmed(n.id) ? 0.15 : 1
    };
    if (n.x !== undefined) { v.x = n.x; v.y = n.y; }
    return v;
  }
  function visGroup(g) {
    const c = data.kinds[g.kind] ? data.kinds[g.kind].color : OTHER;
    const v = {
      id: g.id, shape: "dot", size: g.size, title: large ? undefined : groupText(g) + "\nclick to list them",
      color: { background: "#ffffff", border: c, highlight: { background: "#f3f6fa", border: "#000" },
               hover: { background: "#f3f6fa", border: "#000" } },
      borderWidth: 3, shapeProperties: { borderDashes: [5, 4] },
      hidden: !visible[g.id], opacity: dimmed(g.id) ? 0.15 : 1
    };
    if (g.x !== undefined) { v.x = g.x; v.y = g.y; }
    return v;
  }
  function linkWords(e) {
    const style = data.relations[e.relation];
    if (!data.directed) return style.forward === style.backward ? style.forward : e.relation.replace(/-/g, " ");
    // the most telling role (the line's style) first, then the others
    const roles = [e.relation].concat(e.roles.filter(function (r) { return r !== e.relation; }));
    return roles.map(function (r) { return data.roles[r].forward; }).join(", ");
  }
  function edgeTitle(e) {
    const a = byId[e.from].label, b = byId[e.to].label;
    if (e.weight !== undefined && !data.directed) {
      return a + " and " + b + ": " + num(e.weight) + " " + weights.label + (e.text ? "\n" + e.text : "");
    }
    return a + (data.directed ? " \u2192 " : " \u2014 ") + linkWords(e) + (data.directed ? " \u2192 " : " \u2014 ") + b;
  }
  function visEdge(e) {
    const style = data.relations[e.relation];
    return {
      id: e.id, from: e.from, to: e.to, title: large ? undefined : edgeTitle(e),
      color: { color: style.color, highlight: style.color, hover: "#222", opacity: edgeDimmed(e) ? 0.07 : large && !focus ? 0.35 : 0.9 },
      dashes: style.dashes, width: e.width !== undefined ? e.width : style.width,
      hidden: !visible[e.id]
    };
  }
  function visGroupEdge(g) {
    return { id: "to:" + g.id, from: g.hub, to: g.id, dashes: [4, 4], width: 1,
             color: { color: "#9aa5b1", opacity: dimmed(g.id) ? 0.07 : 0.9 }, hidden: !visible[g.id] };
  }

  computeVisible();
  const nodes = new vis.DataSet(data.nodes.map(visNode).concat(data.groups.map(visGroup)));
  const edges = new vis.DataSet(data.edges.map(visEdge).concat(data.groups.map(visGroupEdge)));
  const options = {
    autoResize: true,
    nodes: { borderWidth: 1, font: { size: 0 } },
    edges: { smooth: false, selectionWidth: 1, hoverWidth: 1,
             arrows: { to: { enabled: data.directed, scaleFactor: 0.45 } } },
    physics: { enabled: data.physics, solver: "forceAtlas2Based",
               forceAtlas2Based: { gravitationalConstant: -60, springLength: 90, avoidOverlap: 0.4 },
               stabilization: { enabled: data.physics, iterations: 300, fit: false } },
    interaction: { hover: !large, tooltipDelay: 250, hideEdgesOnDrag: large, hideEdgesOnZoom: large,
                   multiselect: false, navigationButtons: false, keyboard: false, zoomSpeed: 0.7 },
    layout: { randomSeed: 7, improvedLayout: false }
  };
  const container = document.getElementById("citykg-map");
  const network = new vis.Network(container, { nodes: nodes, edges: edges }, options);

  // ---- the world outline under a geo map -----------------------------------------------------
  function unpack(packed, close) {
    const path = new Path2D();
    let x = 0, y = 0;
    for (let i = 0; i < packed.length; i += 2) {
      x += packed[i]; y += packed[i + 1];
      if (i === 0) path.moveTo(x, y); else path.lineTo(x, y);
    }
    if (close) path.closePath();
    return path;
  }
  if (geo) {
    const land = new Path2D(), borders = new Path2D();
    data.outline.land.forEach(function (ring) { land.addPath(unpack(ring, true)); });
    data.outline.borders.forEach(function (arc) { borders.addPath(unpack(arc, false)); });
    network.on("beforeDrawing", function (ctx) {
      ctx.save();
      ctx.fillStyle = "#e9edf1";
      ctx.fill(land, "evenodd");
      ctx.strokeStyle = "#b9c2cc";
      ctx.lineWidth = 0.8 / network.getScale();
      ctx.stroke(borders);
      ctx.restore();
    });
  }

  // Restyle only what changed: on a 5,000-node map a full update costs a visible pause.
  const drawn = {};
  function restyle() {
    computeVisible();
    computeFocus();
    const nodeChanges = [], edgeChanges = [];
    function change(list, id, item, key) {
      if (drawn[id] !== key) { drawn[id] = key; list.push(item()); }
    }
    data.nodes.forEach(function (n) {
      change(nodeChanges, n.id, function () { const v = visNode(n); delete v.x; delete v.y; return v; },
             visible[n.id] + "|" + dimmed(n.id) + "|" + nodeColour(n));
    });
    data.groups.forEach(function (g) {
      change(nodeChanges, g.id, function () { const v = visGroup(g); delete v.x; delete v.y; return v; },
             visible[g.id] + "|" + dimmed(g.id) + "|" + g.shown);
      change(edgeChanges, "to:" + g.id, function () { return visGroupEdge(g); }, visible[g.id] + "|" + dimmed(g.id));
    });
    data.edges.forEach(function (e) {
      change(edgeChanges, e.id, function () { return visEdge(e); }, visible[e.id] + "|" + edgeDimmed(e) + "|" + (focus === null));
    });
    if (nodeChanges.length) nodes.update(nodeChanges);
    if (edgeChanges.length) edges.update(edgeChanges);
    updateCounts();
    network.redraw();
  }
  data.nodes.forEach(function (n) { drawn[n.id] = visible[n.id] + "|false|" + nodeColour(n); });
  data.groups.forEach(function (g) {
    drawn[g.id] = visible[g.id] + "|false|" + g.shown; drawn["to:" + g.id] = visible[g.id] + "|false";
  });
  data.edges.forEach(function (e) { drawn[e.id] = visible[e.id] + "|false|true"; });

  // ---- labels: by importance, at a readable size, never on top of each other --------------------
  // vis-network scales labels with the zoom (3 px at the overview of a big map) and draws
  // every one; here each label is drawn at a fixed size on screen, the most important first
  // (the selection, the home city, what is in focus, then by size), and skipped if it would
  // overlap one already drawn.
  const MIN_LABEL_PX = 12;
  const MAX_LABELS = 220;
  const bySize = data.nodes.map(function (n) { return { id: n.id, size: n.size, group: false }; })
    .concat(data.groups.map(function (g) { return { id: g.id, size: g.size + 8, group: true }; }))
    .sort(function (a, b) { return b.size - a.size || (a.id < b.id ? -1 : 1); });
  const widthCache = {};
  let lastLabels = [];
  function labelText(id) {
    const g = groupById[id];
    const text = g ? groupText(g) : byId[id].short || byId[id].label;
    const most = g ? 48 : 38;
    return text.length > most ? text.slice(0, most - 2) + "\u2026" : text;
  }
  function drawLabels(ctx) {
    const canvas = ctx.canvas;
    const W = canvas.clientWidth, H = canvas.clientHeight;
    if (!W || !H) return;
    const ratio = canvas.width / W;
    const scale = network.getScale(), view = network.getViewPosition();
    const sel = state.sel && state.sel.type !== "link" ? state.sel.id : null;
    const ends = state.sel && state.sel.type === "link" ? [edgeById[state.sel.id].from, edgeById[state.sel.id].to] : [];
    const order = [];
    if (sel) order.push(sel);
    ends.forEach(function (id) { order.push(id); });
    if (data.home) order.push(data.home);
    if (focus) bySize.forEach(function (item) { if (focus[item.id]) order.push(item.id); });
    bySize.forEach(function (item) { order.push(item.id); });
    const cells = new Map();
    const CELL = 64;
    function cellKeys(x, y, w, h) {
      const keys = [];
      for (let cx = Math.floor(x / CELL); cx <= Math.floor((x + w) / CELL); cx++) {
        for (let cy = Math.floor(y / CELL); cy <= Math.floor((y + h) / CELL); cy++) keys.push(cx + ":" + cy);
      }
      return keys;
    }
    function free(x, y, w, h) {
      for (const k of cellKeys(x, y, w, h)) {
        for (const r of cells.get(k) || []) {
          if (x < r[0] + r[2] && r[0] < x + w && y < r[1] + r[3] && r[1] < y + h) return false;
        }
      }
      return true;
    }
    function take(x, y, w, h) {
      for (const k of cellKeys(x, y, w, h)) {
        if (!cells.has(k)) cells.set(k, []);
        cells.get(k).push([x, y, w, h]);
      }
    }
    ctx.save();
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.textBaseline = "top";
    ctx.textAlign = "left";
    ctx.lineJoin = "round";
    // the larger shapes are taken first, so that no label is written across one
    bySize.forEach(function (item) {
      if (!visible[item.id] || dimmed(item.id)) return;
      const body = network.body.nodes[item.id];
      const r = body ? body.options.size * scale : 0;
      if (r < 7) return;
      const sx = (body.x - view.x) * scale + W / 2, sy = (body.y - view.y) * scale + H / 2;
      if (sx < -r || sx > W + r || sy < -r || sy > H + r) return;
      take(sx - r * 0.8, sy - r * 0.8, r * 1.6, r * 1.6);
    });
    const seen = {};
    const labels = [];
    let rank = 0;
    for (const id of order) {
      if (seen[id]) continue;
      seen[id] = true;
      if (!visible[id] || dimmed(id)) continue;
      const body = network.body.nodes[id];
      if (!body) continue;
      const sx = (body.x - view.x) * scale + W / 2, sy = (body.y - view.y) * scale + H / 2;
      if (sx < -100 || sx > W + 100 || sy < -40 || sy > H + 40) continue;
      rank += 1;
      const r = body.options.size * scale;
      const must = id === sel || id === data.home || ends.indexOf(id) >= 0;
      const near = focus !== null && focus[id];
      // on a world map every place may be named where there is room: dots are small there
      if (!must && !near && !geo && r < 4.5 && rank > 15) continue;
      const group = !!groupById[id];
      const hub = body.options.size >= 24;
      const px = id === data.home ? 15 : must ? 14 : hub || group ? 13 : MIN_LABEL_PX;
      const font = (must ? "700 " : hub || group ? "600 " : "400 ") + px + "px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
      const quiet = !must && !near && byId[id] && byId[id].kind === "theme";
      const text = labelText(id);
      const key = font + "|" + text;
      ctx.font = font;
      const w = widthCache[key] || (widthCache[key] = ctx.measureText(text).width);
      const h = px + 3;
      // below the shape, else above, right or left of it
      const spots = [[sx - w / 2, sy + r + 3], [sx - w / 2, sy - r - 3 - h], [sx + r + 4, sy - h / 2], [sx - r - 4 - w, sy - h / 2]];
      let spot = null;
      for (const s of spots) { if (free(s[0] - 2, s[1], w + 4, h)) { spot = s; break; } }
      if (!spot) { if (!must) continue; spot = spots[0]; }
      // kept inside the map, so a label at the edge is not cut in half
      const x = Math.max(2, Math.min(spot[0], W - w - 2)), y = spot[1];
      take(x - 2, y, w + 4, h);
      ctx.lineWidth = 3.5;
      ctx.strokeStyle = "rgba(255,255,255,0.92)";
      ctx.strokeText(text, x, y);
      ctx.fillStyle = id === data.home ? "#000" : quiet ? "#5d6770" : "#1b1f24";
      ctx.fillText(text, x, y);
      labels.push({ id: id, px: px, x: x, y: y, w: w, h: h });
      if (labels.length >= MAX_LABELS) break;
    }
    ctx.restore();
    lastLabels = labels;
  }
  network.on("afterDrawing", drawLabels);

  // ---- framing: fit nodes into the part of the map the panel leaves free ----------------------
  function freeArea() {
    const W = container.clientWidth, H = container.clientHeight;
    const details = document.getElementById("citykg-details");
    let right = 0;
    if (!details.hidden && getComputedStyle(details).position === "absolute") right = details.offsetWidth;
    return { left: 0, top: 0, width: Math.max(W - right, 80), height: H, W: W, H: H };
  }
  function frame(ids) {
    const pos = [];
    ids.forEach(function (id) {
      const b = network.body.nodes[id];
      if (b && visible[id]) pos.push([b.x, b.y, b.options.size || 10]);
    });
    if (!pos.length) return;
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    pos.forEach(function (p) {
      x0 = Math.min(x0, p[0] - p[2]); x1 = Math.max(x1, p[0] + p[2]);
      y0 = Math.min(y0, p[1] - p[2]); y1 = Math.max(y1, p[1] + p[2] + 20);
    });
    const area = freeArea();
    // room for labels, which run wider than their nodes
    const padX = Math.min(110, area.width / 10), padY = Math.min(40, area.height / 8);
    let scale = Math.min((area.width - 2 * padX) / Math.max(x1 - x0, 1), (area.height - 2 * padY) / Math.max(y1 - y0, 1));
    scale = Math.max(0.02, Math.min(scale, pos.length === 1 ? 1.2 : 1.5));
    const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
    // moveTo centres the canvas on a point: shift it so the nodes land in the free area
    const dx = area.W / 2 - (area.left + area.width / 2);
    network.moveTo({ position: { x: cx + dx / scale, y: cy }, scale: scale, animation: false });
  }
  function visibleIds() {
    return Object.keys(visible).filter(function (id) { return visible[id] && (byId[id] || groupById[id]); });
  }
  function frameAll() { frame(visibleIds()); }

  // ---- legend and "how to read" -------------------------------------------------------------
  const SVG = "http://www.w3.org/2000/svg"; // an XML namespace name, not a request
  function svg(tag, attrs) {
    const e = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
    return e;
  }
  function poly(points) { return points.map(function (p) { return p.join(","); }).join(" "); }
  function shapeIcon(shape, color, dashed) {
    const s = svg("svg", { width: 16, height: 16, viewBox: "0 0 16 16", "aria-hidden": "true" });
    const a = { fill: color, stroke: "#3b4650", "stroke-width": 1 };
    if (dashed) { a.fill = "#fff"; a.stroke = color; a["stroke-width"] = 2; a["stroke-dasharray"] = "3 2"; }
    let e;
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
  function lineIcon(style, arrow) {
    const s = svg("svg", { width: 30, height: 12, viewBox: "0 0 30 12", "aria-hidden": "true" });
    const attrs = { x1: 1, y1: 6, x2: arrow ? 23 : 29, y2: 6, stroke: style.color, "stroke-width": Math.max(1.5, style.width) };
    if (style.dashes) attrs["stroke-dasharray"] = (style.dashes === true ? [5, 5] : style.dashes).join(" ");
    s.appendChild(svg("line", attrs));
    if (arrow) s.appendChild(svg("polygon", { points: poly([[22, 2], [29, 6], [22, 10]]), fill: style.color }));
    return s;
  }
  function checkItem(list, attr, name, icon, text, count, onChange) {
    const li = el("li");
    const label = el("label");
    const box = el("input");
    box.type = "checkbox"; box.checked = true;
    box.setAttribute("data-" + attr, name);
    box.addEventListener("change", function () { onChange(box.checked); });
    label.appendChild(box);
    label.appendChild(icon);
    label.appendChild(el("span", text));
    label.appendChild(el("span", num(count), "citykg-count"));
    li.appendChild(label);
    list.appendChild(li);
    return box;
  }
  const kindBoxes = {}, relationBoxes = {};
  const kindList = document.getElementById("citykg-legend-kinds");
  function drawKindLegend() {
    kindList.replaceChildren();
    Object.keys(data.kinds).forEach(function (k) {
      const st = data.kinds[k];
      const colour = state.colourBy === "kind" ? st.color : "#eef0f2";
      kindBoxes[k] = checkItem(kindList, "kind", k, shapeIcon(st.shape, colour), st.name, st.count, function (on) {
        state.hiddenKinds[k] = !on; if (on) delete state.hiddenKinds[k]; changed(true);
      });
      kindBoxes[k].checked = !state.hiddenKinds[k];
    });
    if (data.groups.length) {
      const li = el("li");
      const row = el("span", null, "citykg-row");
      row.appendChild(shapeIcon("dot", "#1f77b4", true));
      row.appendChild(el("span", "a folded list: click to open"));
      li.appendChild(row);
      kindList.appendChild(li);
    }
  }
  const relList = document.getElementById("citykg-legend-relations");
  Object.keys(data.relations).forEach(function (r) {
    const st = data.relations[r];
    relationBoxes[r] = checkItem(relList, "relation", r, lineIcon(st, data.directed), data.directed ? st.forward : (st.forward === st.backward ? st.forward : r.replace(/-/g, " ")), st.count, function (on) {
      state.hiddenRelations[r] = !on; if (on) delete state.hiddenRelations[r]; changed(true);
    });
  });
  const groupsHead = document.getElementById("citykg-legend-groups-head");
  const groupsList = document.getElementById("citykg-legend-groups");
  function drawGroupLegend() {
    const entries = state.colourBy === "kind" ? [] : data.colourings[state.colourBy];
    groupsHead.hidden = groupsList.hidden = !entries.length;
    groupsHead.textContent = { community: "Communities", country: "Countries", dataset: "Datasets" }[state.colourBy] + " (colour)";
    groupsList.replaceChildren();
    let rest = 0;
    entries.forEach(function (entry) {
      if (entry.color === OTHER) { rest += entry.count; return; }
      const li = el("li");
      const row = el("span", null, "citykg-row");
      row.appendChild(shapeIcon("dot", entry.color));
      row.appendChild(el("span", entry.name));
      row.appendChild(el("span", num(entry.count), "citykg-count"));
      li.appendChild(row);
      groupsList.appendChild(li);
    });
    const li = el("li");
    const row = el("span", null, "citykg-row");
    row.appendChild(shapeIcon("dot", OTHER));
    row.appendChild(el("span", { community: "smaller communities, or none", country: "other countries, or none recorded",
                                 dataset: "other datasets" }[state.colourBy]));
    if (rest) row.appendChild(el("span", num(rest), "citykg-count"));
    li.appendChild(row);
    groupsList.appendChild(li);
  }
  function drawHow() {
    const how = document.getElementById("citykg-how");
    how.replaceChildren();
    how.appendChild(el("h2", "How to read this map"));
    const measured = data.nodes.some(function (n) { return n.centrality !== undefined; });
    const lines = geo ? ["Place: where it is on the world map; the panel says where its point comes from."] : [];
    lines.push(
      "Shape: what it is. Colour: " + (state.colourBy === "kind" ? "what it is, too." :
        state.colourBy === "community" ? "its community: nodes more linked to each other than to the rest (Louvain method), named after their largest member." :
        state.colourBy === "country" ? "its country." : "the dataset it comes from."),
      "Size: " + (measured ? "how much it connects others (betweenness: the share of shortest paths between other nodes that run through it)." : "its number of links.") +
        (measured && data.estimate ? " Estimated: " + data.estimate + "." : ""),
      data.directed ? "Lines: how two are linked; the arrow points from the member to what it belongs to (member \u2192 network, partner \u2192 project, host \u2192 event)."
                    : "Lines: how two are linked.");
    if (weights) lines.push("Width: " + weights.label + " (the wider, the more).");
    if (data.home) lines.push("Bold outline: the home city, " + byId[data.home].label + ".");
    if (data.groups.length) lines.push("Dashed circles: long member lists folded into one; click to open.");
    lines.push("Click anything for its links, evidence and sources; the rest fades.");
    lines.forEach(function (t) { how.appendChild(el("p", t)); });
    (data.sources || []).forEach(function (t) { how.appendChild(el("p", "Map data: " + t + ".", "citykg-source")); });
    if (geo) drawUnplaced(how);
  }

  function drawUnplaced(parent) {
    const off = data.nodes.filter(function (n) { return n.x === undefined; }).sort(byLabel);
    if (!off.length) return;
    parent.appendChild(el("h2", "Not on the map (" + num(off.length) + ")"));
    function entry(list, n, why) {
      const li = el("li");
      li.appendChild(button(n.label, "citykg-link-button", function () { select(n.id); }));
      if (why) li.appendChild(el("span", why, "citykg-why"));
      list.appendChild(li);
    }
    // places the gazetteer could not find, one by one with the reason; the kinds that
    // have no place at all (organisations, networks) in one line each, opened on demand
    const ul = el("ul", null, "citykg-legend-list citykg-unplaced");
    const byKind = {};
    off.forEach(function (n) {
      if (/has no place of its own$/.test(n.unplaced || "")) (byKind[n.kind] = byKind[n.kind] || []).push(n);
      else entry(ul, n, n.unplaced || "no coordinates in the data");
    });
    parent.appendChild(ul);
    Object.keys(byKind).sort().forEach(function (kind) {
      const box = el("details", null, "citykg-unplaced");
      box.appendChild(el("summary", data.kinds[kind].name + " (" + num(byKind[kind].length) + "): no place of their own"));
      const list = el("ul", null, "citykg-legend-list");
      byKind[kind].forEach(function (n) { entry(list, n, ""); });
      box.appendChild(list);
      parent.appendChild(box);
    });
  }

  // ---- colour, filters, depth --------------------------------------------------------------
  const colourSelect = document.getElementById("citykg-colour-by");
  // a colouring that gives every node the same colour is not offered
  [["kind", "Kind"], ["community", "Community"], ["country", "Country"], ["dataset", "Dataset"]].forEach(function (opt) {
    if (opt[0] !== "kind" && (data.colourings[opt[0]] || []).length < 2 && opt[0] !== data.colour_by) return;
    const o = el("option", opt[1]); o.value = opt[0]; colourSelect.appendChild(o);
  });
  colourSelect.value = state.colourBy;
  colourSelect.disabled = colourSelect.options.length < 2;
  colourSelect.addEventListener("change", function () { setColour(colourSelect.value); changed(false); });
  function setColour(mode) {
    state.colourBy = mode;
    colourSelect.value = mode;
    colours = colourTable(mode);
    drawKindLegend(); drawGroupLegend(); drawHow();
  }
  function fillSelect(id, allText, counts, key) {
    const sel = document.getElementById(id);
    const all = el("option", allText); all.value = ""; sel.appendChild(all);
    Object.keys(counts).forEach(function (name) {
      const o = el("option", name + " (" + num(counts[name]) + ")"); o.value = name; sel.appendChild(o);
    });
    if (!Object.keys(counts).length) sel.disabled = true;
    sel.addEventListener("change", function () { state[key] = sel.value; changed(true); });
    return sel;
  }
  const themeSelect = fillSelect("citykg-theme", "All themes", data.themes, "theme");
  const networkSelect = fillSelect("citykg-network", "All networks", data.networks, "network");
  const depthSelect = document.getElementById("citykg-depth");
  depthSelect.addEventListener("change", function () {
    state.depth = Number(depthSelect.value);
    restyle();
    if (state.sel && state.sel.type === "node") frame(Object.keys(focus));
    saveState();
  });
  document.getElementById("citykg-reset").addEventListener("click", function () {
    state.hiddenKinds = {}; state.hiddenRelations = {}; state.theme = ""; state.network = "";
    if (weights) state.min = weights.min;
    syncControls();
    changed(true);
  });
  function syncControls() {
    Object.keys(kindBoxes).forEach(function (k) { kindBoxes[k].checked = !state.hiddenKinds[k]; });
    Object.keys(relationBoxes).forEach(function (r) { relationBoxes[r].checked = !state.hiddenRelations[r]; });
    themeSelect.value = state.theme; networkSelect.value = state.network;
    depthSelect.value = String(state.depth);
    if (weights) { minInput.value = String(state.min); drawRanked(); }
  }
  // A filter changed: redraw, drop a selection it hid, and reframe on what is left.
  function changed(reframe) {
    restyle();
    if (state.sel && !visible[state.sel.id]) clearSelection(false);
    if (reframe) { if (state.sel) frame(Object.keys(focus)); else frameAll(); }
    if (weights) drawRanked();
    saveState();
  }

  const counts = document.getElementById("citykg-counts");
  function updateCounts() {
    let shownNodes = 0, shownEdges = 0, folded = 0, lists = 0;
    data.nodes.forEach(function (n) {
      if (passes(n) && weightOk(n)) { shownNodes += 1; if (n.group && !state.open[n.group]) folded += 1; }
    });
    data.groups.forEach(function (g) { if (visible[g.id]) lists += 1; });
    data.edges.forEach(function (e) {
      if (edgeOk(e) && passes(byId[e.from]) && passes(byId[e.to]) && weightOk(byId[e.from]) && weightOk(byId[e.to])) shownEdges += 1;
    });
    const all = shownNodes === data.nodes.length && shownEdges === data.edges.length;
    let text = all ? plural(data.nodes.length, "node", "nodes") + ", " + plural(data.edges.length, "link", "links")
      : num(shownNodes) + " of " + plural(data.nodes.length, "node", "nodes") + ", " + num(shownEdges) + " of " +
        plural(data.edges.length, "link", "links") + " shown";
    if (folded) text += " (" + num(folded) + " in " + plural(lists, "folded list", "folded lists") + ")";
    if (geo) {
      const off = data.nodes.filter(function (n) { return !placed(n) && passes(n) && weightOk(n); }).length;
      if (off) text += "; " + num(off) + " not on the map";
    }
    counts.textContent = text;
  }

  // ---- weights: the minimum shared and the ranked list ----------------------------------------
  const minInput = document.getElementById("citykg-min");
  const ranked = document.getElementById("citykg-ranked");
  function drawRanked() {
    const count = ranking().length;
    document.getElementById("citykg-min-label").textContent =
      num(count) + (count === 1 ? " has" : " have") + " at least " + num(state.min) + " " + weights.label;
    ranked.replaceChildren();
    ranking().slice(0, 100).forEach(function (e) {
      const li = el("li");
      const other = data.centre === e.from ? e.to : data.centre === e.to ? e.from : null;
      const name = other ? byId[other].label : byId[e.from].label + " \u2014 " + byId[e.to].label;
      li.appendChild(button(name + " (" + num(e.weight) + ")", "", function () { selectLink(e.id); }));
      if (e.text) li.appendChild(el("span", e.text, "citykg-shared"));
      ranked.appendChild(li);
    });
  }
  function ranking() {
    return data.edges.filter(function (e) { return e.weight !== undefined && visible[e.id]; })
      .sort(function (a, b) { return b.weight - a.weight || byLabel(byId[a.from === data.centre ? a.to : a.from], byId[b.from === data.centre ? b.to : b.from]); });
  }
  if (weights) {
    document.getElementById("citykg-weights").hidden = false;
    minInput.min = String(weights.min); minInput.max = String(weights.max);
    minInput.value = String(state.min);
    minInput.addEventListener("input", function () { state.min = Number(minInput.value); changed(true); });
  }

  // ---- details panel -----------------------------------------------------------------------
  const details = document.getElementById("citykg-details");
  const detailsBody = document.getElementById("citykg-details-body");
  const STATUS = {
    stated: "Stated in the strategy",
    listed: "Listed in a public source",
    inferred: "Inferred by the editor"
  };
  function statusBadge(parent, status, note, asOf) {
    const p = el("p");
    if (status) {
      p.appendChild(el("span", STATUS[status] || status, "citykg-status citykg-status-" + status));
      if (note) p.appendChild(el("span", " " + note));
    } else p.appendChild(el("span", "No evidence recorded", "citykg-status"));
    // the date the public list describes: a list read in 2025 says who was a member in 2025
    if (asOf) p.appendChild(el("span", " (list as of " + asOf + ")", "citykg-asof"));
    parent.appendChild(p);
  }
  function evidenceList(parent, items, head) {
    if (!items || !items.length) return;
    parent.appendChild(el("h3", head));
    const ol = el("ol");
    items.forEach(function (ev) {
      const li = el("li");
      if (ev.quote) li.appendChild(el("blockquote", "\u201c" + ev.quote + "\u201d"));
      if (ev.url) {
        const a = el("a", ev.url);
        a.href = ev.url; a.target = "_blank"; a.rel = "noopener noreferrer";
        const cite = el("cite", ev.quote && ev.section ? ev.section + " \u2014 " : "");
        cite.appendChild(a);
        li.appendChild(cite);
      } else {
        const where = [ev.section, ev.source].filter(Boolean).join(" \u2014 ");
        if (where) li.appendChild(el("cite", where));
      }
      ol.appendChild(li);
    });
    parent.appendChild(ol);
  }
  function fact(dl, name, value) {
    if (value === undefined || value === null || value === "" || (Array.isArray(value) && !value.length)) return;
    dl.appendChild(el("dt", name));
    dl.appendChild(el("dd", Array.isArray(value) ? value.join(", ") : value));
  }
  function openPanel(children) {
    document.body.classList.remove("citykg-legend-open");
    document.getElementById("citykg-legend-toggle").setAttribute("aria-expanded", "false");
    detailsBody.replaceChildren.apply(detailsBody, children);
    const wasHidden = details.hidden;
    details.hidden = false;
    details.scrollTop = 0;
    if (wasHidden) network.setSize("100%", "100%");
  }
  function closePanel() {
    if (details.hidden) return;
    details.hidden = true;
    network.setSize("100%", "100%");
  }
  const PAGE = 100;
  function connectionList(parent, id) {
    const rows = adjacent[id].map(function (a) {
      const e = a.edge, style = data.relations[e.relation];
      let head;
      if (!data.directed) head = style.forward === style.backward ? style.forward : e.relation.replace(/-/g, " ");
      else head = a.out ? style.forward : style.backward;
      return { head: cap(head), other: byId[a.other], edge: e };
    }).sort(function (a, b) {
      return a.head < b.head ? -1 : a.head > b.head ? 1 : byLabel(a.other, b.other);
    });
    parent.appendChild(el("h3", "Links (" + num(rows.length) + ")"));
    const ul = el("ul");
    parent.appendChild(ul);
    let shown = 0, lastHead = null;
    const more = button("", "citykg-action", function () { page(); });
    function page() {
      rows.slice(shown, shown + PAGE).forEach(function (row) {
        if (row.head !== lastHead) {
          const count = rows.filter(function (r) { return r.head === row.head; }).length;
          ul.appendChild(el("li", row.head + " (" + num(count) + ")", "citykg-group-head"));
          lastHead = row.head;
        }
        const li = el("li", null, "citykg-conn");
        li.appendChild(button(row.other.label, "citykg-go", function () { select(row.other.id); }));
        // two partners may share a name: the country tells them apart
        if (row.other.country) li.appendChild(el("span", row.other.country, "citykg-where"));
        const about = button("about the link", "citykg-about", function () { selectLink(row.edge.id); });
        about.setAttribute("aria-label", "About the link to " + row.other.label);
        li.appendChild(about);
        ul.appendChild(li);
      });
      shown = Math.min(rows.length, shown + PAGE);
      more.textContent = num(shown) + " of " + num(rows.length) + ": show more";
      more.hidden = shown >= rows.length;
    }
    page();
    parent.appendChild(more);
  }
  function nodePanel(id) {
    const n = byId[id];
    const parts = [];
    const h = el("h2", n.label);
    parts.push(h);
    const sub = el("p", data.kinds[n.kind].name + (n.country ? " \u00b7 " + n.country : ""), "citykg-sub");
    if (n.home) sub.appendChild(el("span", "home city", "citykg-home"));
    parts.push(sub);
    const dl = el("dl");
    fact(dl, "Also called", n.alt);
    fact(dl, "Period", n.period);
    fact(dl, "Themes", n.themes);
    fact(dl, "Networks", n.networks);
    fact(dl, "Dataset", n.dataset);
    if (n.quantities && n.quantities.length) {
      dl.appendChild(el("dt", "Figures"));
      const dd = el("dd");
      const ul = el("ul", null, "citykg-figures");
      n.quantities.forEach(function (q) { ul.appendChild(el("li", q)); });
      dd.appendChild(ul);
      dl.appendChild(dd);
    }
    if (n.community !== undefined) {
      const entry = (data.colourings.community || []).find(function (c) { return c.key === String(n.community); });
      fact(dl, "Community", entry ? entry.name : "");
    }
    if (n.centrality !== undefined) fact(dl, "Connects others", Number(n.centrality).toPrecision(3) + (data.estimate ? " (betweenness, estimated; sets its size)" : " (betweenness; sets its size)"));
    if (n.place) fact(dl, "Placed", n.place);
    if (geo && n.x === undefined) fact(dl, "Not on the map", n.unplaced || "no coordinates");
    parts.push(dl);
    const box = el("div");
    if (n.evidence.length || n.evidence_status) {
      box.appendChild(el("h3", "Evidence"));
      statusBadge(box, n.evidence_status, n.status_note, n.as_of);
      evidenceList(box, n.evidence, "Quotes and sources");
    }
    const g = groupOfHub[id];
    if (g) {
      box.appendChild(button((state.open[g.id] ? "Fold its " : "Show its ") + num(g.members.length) + " " + g.noun,
        "citykg-action", function () { setOpen(g.id, !state.open[g.id]); select(id); }));
    }
    connectionList(box, id);
    parts.push(box);
    return parts;
  }
  function groupPanel(gid) {
    const g = groupById[gid];
    const hub = byId[g.hub];
    const parts = [el("h2", groupText(g))];
    parts.push(el("p", cap(g.noun) + " of " + hub.label + " with no other link on this map, folded into one circle.", "citykg-sub"));
    parts.push(button("Show them on the map", "citykg-action", function () { setOpen(gid, true); select(g.hub); }));
    parts.push(button("Go to " + hub.label, "citykg-action", function () { select(g.hub); }));
    const ul = el("ul");
    const members = g.members.map(function (m) { return byId[m]; }).filter(function (m) { return passes(m); }).sort(byLabel);
    members.slice(0, 300).forEach(function (m) {
      const li = el("li", null, "citykg-conn");
      li.appendChild(button(m.label, "citykg-go", function () { select(m.id); }));
      if (m.country) li.appendChild(el("span", m.country, "citykg-kind"));
      ul.appendChild(li);
    });
    parts.push(el("h3", num(members.length) + " " + g.noun));
    parts.push(ul);
    if (members.length > 300) parts.push(el("p", "300 of " + num(members.length) + " listed; search finds every one."));
    return parts;
  }
  function periodWords(t) {
    const when = t.start && t.end ? (t.start === t.end ? t.start : t.start + " \u2013 " + t.end)
      : t.start ? "since " + t.start : t.end ? "until " + t.end : "";
    const status = { current: "current", past: "ended", future: "not begun" }[t.status] || t.status;
    if (!when) return status === "current" ? "no dates recorded; counted as current" : "no dates recorded";
    return when + (status ? " (" + status + ")" : "");
  }
  function linkPanel(eid) {
    const e = edgeById[eid];
    const a = byId[e.from], b = byId[e.to];
    const parts = [el("h2", a.label + (data.directed ? " \u2192 " : " \u2014 ") + b.label)];
    const sentence = el("div", null, "citykg-sentence");
    sentence.appendChild(el("strong", a.label));
    sentence.appendChild(el("div", linkWords(e)));
    sentence.appendChild(el("strong", b.label));
    parts.push(sentence);
    const dl = el("dl");
    if (e.weight !== undefined) fact(dl, cap(weights ? weights.label : "weight"), num(e.weight));
    if (e.text && e.weight !== undefined) fact(dl, "Shared", e.text);
    const periods = (e.ties || []).map(periodWords);
    if (periods.length && periods.every(function (p) { return p === periods[0]; })) fact(dl, "Period", periods[0]);
    else (e.ties || []).forEach(function (t, i) {
      fact(dl, cap(data.roles[t.role] ? data.roles[t.role].forward : t.role.replace(/-/g, " ")), periods[i]);
    });
    if (!e.ties && e.period) fact(dl, "Period", e.period);
    parts.push(dl);
    const box = el("div");
    box.appendChild(el("h3", "Evidence for this link"));
    statusBadge(box, e.evidence_status, e.status_note, e.as_of);
    evidenceList(box, e.evidence, "Quotes and sources");
    if (e.mentions && e.mentions.length) {
      const on = {};
      e.mentions.forEach(function (m) { (on[m.on] = on[m.on] || []).push(m); });
      Object.keys(on).sort().forEach(function (nid) {
        const other = nid === e.from ? b : a;
        evidenceList(box, on[nid], "Said of " + byId[nid].label + ", naming " + other.label);
      });
    }
    box.appendChild(button("Go to " + a.label, "citykg-action", function () { select(a.id); }));
    box.appendChild(button("Go to " + b.label, "citykg-action", function () { select(b.id); }));
    parts.push(box);
    return parts;
  }

  // ---- selection ------------------------------------------------------------------------------
  function setOpen(gid, open) {
    if (open) state.open[gid] = true; else delete state.open[gid];
  }
  // Make a node visible whatever hides it: open its folded list, relax the filters on it.
  function reveal(id) {
    const n = byId[id];
    if (!n) return;
    let relaxed = false;
    if (state.hiddenKinds[n.kind]) { delete state.hiddenKinds[n.kind]; relaxed = true; }
    if (state.theme && !passes(n)) { state.theme = ""; relaxed = true; }
    if (state.network && !passes(n)) { state.network = ""; relaxed = true; }
    if (weights && !weightOk(n)) {
      let best = weights.min;
      adjacent[id].forEach(function (a) { if (a.edge.weight !== undefined) best = Math.max(best, Math.min(a.edge.weight, state.min)); });
      state.min = Math.min(state.min, best); relaxed = true;
    }
    if (n.group) setOpen(n.group, true);
    if (relaxed) syncControls();
  }
  function select(id, opts) {
    opts = opts || {};
    if (groupById[id]) return selectGroup(id, opts);
    if (!byId[id]) return false;
    reveal(id);
    state.sel = { type: "node", id: id };
    restyle();
    network.selectNodes([id]);
    openPanel(nodePanel(id));
    if (!opts.keepView) frame(Object.keys(focus));
    saveState();
    return true;
  }
  function selectGroup(gid, opts) {
    const g = groupById[gid];
    if (state.open[gid]) return select(g.hub, opts);
    reveal(g.hub);
    state.sel = { type: "group", id: gid };
    restyle();
    network.selectNodes([gid]);
    openPanel(groupPanel(gid));
    if (!(opts && opts.keepView)) frame([gid, g.hub]);
    saveState();
    return true;
  }
  function selectLink(eid, opts) {
    const e = edgeById[eid];
    if (!e) return false;
    reveal(e.from); reveal(e.to);
    if (!edgeOk(e)) { delete state.hiddenRelations[e.relation]; syncControls(); }
    state.sel = { type: "link", id: eid };
    restyle();
    network.setSelection({ nodes: [], edges: [eid] }, { unselectAll: true, highlightEdges: false });
    openPanel(linkPanel(eid));
    if (!(opts && opts.keepView)) frame([e.from, e.to]);
    saveState();
    return true;
  }
  function clearSelection(save) {
    state.sel = null;
    network.unselectAll();
    closePanel();
    restyle();
    if (save !== false) saveState();
  }
  document.getElementById("citykg-details-close").addEventListener("click", function () { clearSelection(); });
  network.on("click", function (params) {
    if (params.nodes.length) {
      const id = params.nodes[0];
      if (groupById[id]) selectGroup(id); else select(id, { keepView: false });
    } else if (params.edges.length && edgeById[params.edges[0]]) selectLink(params.edges[0]);
    else if (params.edges.length) { /* the dashed line to a folded list */ }
    else clearSelection();
  });

  // ---- search -----------------------------------------------------------------------------------
  function search(query, limit) {
    const q = fold(query);
    if (!q) return { found: [], hidden: [] };
    const scored = [], hidden = [];
    data.nodes.forEach(function (n) {
      let best = 99;
      n.keys.forEach(function (k, i) {
        const alt = i > 0 ? 1 : 0;
        let s = 99;
        if (k === q) s = 0 + alt;
        else if (k.indexOf(q) === 0) s = 2 + alt;
        else if ((" " + k).indexOf(" " + q) >= 0) s = 4 + alt;
        else if (k.indexOf(q) >= 0) s = 6 + alt;
        if (s < best) best = s;
      });
      if (best === 99) return;
      if (!passes(n) || !weightOk(n)) { hidden.push(n.id); return; }
      scored.push([best, n.label.length, n.label, n.id]);
    });
    scored.sort(function (a, b) {
      return a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0);
    });
    return { found: scored.slice(0, limit || 12).map(function (s) { return s[3]; }), hidden: hidden };
  }
  const input = document.getElementById("citykg-search");
  const results = document.getElementById("citykg-results");
  let active = -1, current = { found: [], hidden: [] }, lastQuery = null, timer = null;
  function showResults(res) {
    current = res;
    active = res.found.length ? 0 : -1;
    results.replaceChildren();
    res.found.forEach(function (id, i) {
      const n = byId[id];
      const li = el("li", n.label, "citykg-hit");
      li.id = "citykg-hit-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", i === active ? "true" : "false");
      li.appendChild(el("span", [data.kinds[n.kind].name.toLowerCase(), n.country].filter(Boolean).join(" \u00b7 "), "citykg-kind"));
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(i); });
      results.appendChild(li);
    });
    if (!res.found.length && !res.hidden.length) results.appendChild(el("li", "No match", "citykg-note"));
    if (res.hidden.length) {
      const li = el("li", plural(res.hidden.length, "more is", "more are") + " hidden by filters", "citykg-note");
      const b = button("Show them", "", function () { showHidden(res.hidden); });
      b.addEventListener("mousedown", function (ev) { ev.preventDefault(); });
      li.appendChild(b);
      results.appendChild(li);
    }
    results.hidden = !input.value.trim();
    input.setAttribute("aria-expanded", results.hidden ? "false" : "true");
  }
  function markActive() {
    results.querySelectorAll("li.citykg-hit").forEach(function (li, i) {
      li.setAttribute("aria-selected", i === active ? "true" : "false");
      if (i === active) { li.scrollIntoView({ block: "nearest" }); input.setAttribute("aria-activedescendant", li.id); }
    });
  }
  function choose(i) {
    const id = current.found[i];
    if (id === undefined) return;
    results.hidden = true;
    input.setAttribute("aria-expanded", "false");
    select(id);
  }
  function showHidden(ids) {
    ids.forEach(reveal);
    changed(false);
    const res = search(input.value);
    showResults(res);
    if (res.found.length) choose(0);
  }
  function runSearch() { lastQuery = fold(input.value); const res = search(input.value); showResults(res); return res; }
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(runSearch, 120); });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      ev.preventDefault();
      clearTimeout(timer);
      if (results.hidden || fold(input.value) !== lastQuery) runSearch();
      if (!current.found.length) return;
      active = (active + (ev.key === "ArrowDown" ? 1 : -1) + current.found.length) % current.found.length;
      markActive();
    } else if (ev.key === "Enter") {
      clearTimeout(timer);
      if (fold(input.value) !== lastQuery) runSearch();
      choose(Math.max(active, 0));
    } else if (ev.key === "Escape") { results.hidden = true; }
  });
  input.addEventListener("blur", function () { results.hidden = true; });

  // ---- shareable state in the URL fragment -------------------------------------------------------
  let restoring = true;
  function stateParams() {
    const p = new URLSearchParams();
    if (state.sel) p.set(state.sel.type, state.sel.id);
    if (state.depth !== 1) p.set("depth", String(state.depth));
    if (state.colourBy !== data.colour_by) p.set("colour", state.colourBy);
    const kinds = Object.keys(state.hiddenKinds).sort();
    if (kinds.length) p.set("hide", kinds.join(","));
    const rels = Object.keys(state.hiddenRelations).sort();
    if (rels.length) p.set("hidelinks", rels.join(","));
    if (state.theme) p.set("theme", state.theme);
    if (state.network) p.set("network", state.network);
    if (weights && state.min !== weights.start) p.set("min", String(state.min));
    const open = Object.keys(state.open).sort();
    if (open.length) p.set("open", open.join(","));
    const v = network.getViewPosition();
    p.set("view", [Math.round(v.x), Math.round(v.y), network.getScale().toPrecision(3)].join(","));
    return p;
  }
  function saveState() {
    if (restoring) return;
    try { history.replaceState(null, "", "#" + stateParams().toString()); } catch (err) { /* a sandboxed frame */ }
  }
  function restoreState() {
    const p = new URLSearchParams(location.hash.replace(/^#/, ""));
    const list = function (key) { return (p.get(key) || "").split(",").filter(Boolean); };
    list("hide").forEach(function (k) { if (data.kinds[k]) state.hiddenKinds[k] = true; });
    list("hidelinks").forEach(function (r) { if (data.relations[r]) state.hiddenRelations[r] = true; });
    if (p.get("theme") && data.themes[p.get("theme")] !== undefined) state.theme = p.get("theme");
    if (p.get("network") && data.networks[p.get("network")] !== undefined) state.network = p.get("network");
    if (p.get("depth") === "2") state.depth = 2;
    if (weights && p.get("min") !== null && isFinite(Number(p.get("min")))) state.min = Number(p.get("min"));
    list("open").forEach(function (g) { if (groupById[g]) state.open[g] = true; });
    const colour = p.get("colour");
    if (colour && Array.prototype.some.call(colourSelect.options, function (o) { return o.value === colour; })) setColour(colour);
    syncControls();
    restyle();
    const view = list("view").map(Number);
    const keepView = view.length === 3 && view.every(isFinite) && view[2] > 0;
    if (p.get("node") && byId[p.get("node")]) select(p.get("node"), { keepView: keepView });
    else if (p.get("link") && edgeById[p.get("link")]) selectLink(p.get("link"), { keepView: keepView });
    else if (p.get("group") && groupById[p.get("group")]) selectGroup(p.get("group"), { keepView: keepView });
    if (keepView) network.moveTo({ position: { x: view[0], y: view[1] }, scale: view[2], animation: false });
    else if (!state.sel) frameAll();
  }
  let viewTimer = null;
  function viewChanged() { clearTimeout(viewTimer); viewTimer = setTimeout(saveState, 250); }
  network.on("zoom", viewChanged);
  network.on("dragEnd", viewChanged);

  // ---- header ---------------------------------------------------------------------------------------
  const physicsBox = document.getElementById("citykg-physics");
  physicsBox.checked = !!data.physics;
  physicsBox.addEventListener("change", function () {
    network.setOptions({ physics: { enabled: physicsBox.checked } });
  });
  document.getElementById("citykg-fit").addEventListener("click", function () { frameAll(); saveState(); });
  const legendToggle = document.getElementById("citykg-legend-toggle");
  function setLegendOpen(open) {
    document.body.classList.toggle("citykg-legend-open", open);
    legendToggle.setAttribute("aria-expanded", open ? "true" : "false");
  }
  legendToggle.addEventListener("click", function () {
    setLegendOpen(!document.body.classList.contains("citykg-legend-open"));
  });
  document.getElementById("citykg-side-close").addEventListener("click", function () { setLegendOpen(false); });
  const copy = document.getElementById("citykg-copy");
  const linkBox = document.getElementById("citykg-link");
  copy.addEventListener("click", function () {
    saveState();
    const url = location.href;
    function fallback() {
      linkBox.value = url; linkBox.hidden = false; linkBox.focus(); linkBox.select();
      copy.textContent = "Copy the link below";
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(url).then(function () {
        const label = Array.from(copy.childNodes);
        copy.textContent = "Link copied";
        setTimeout(function () { copy.replaceChildren.apply(copy, label); }, 2000);
      }, fallback);
    } else fallback();
  });

  // ---- start ----------------------------------------------------------------------------------------
  drawKindLegend();
  drawGroupLegend();
  drawHow();
  if (weights) drawRanked();
  restoreState();
  restoring = false;
  updateCounts();
  if (data.physics) {
    // physics on request: a bounded run, then still
    network.once("stabilizationIterationsDone", function () {
      window.citykgStable = true;
      if (!state.sel) frameAll();
    });
  }
  network.once("afterDrawing", function () {
    window.citykgReady = true;
    if (!data.physics) window.citykgStable = true;
    document.body.setAttribute("data-ready", "true");
  });
  network.redraw();

  // A small API for tests, bench and the PNG export (and curious users in the console).
  window.citykg = {
    network: network, nodes: nodes, edges: edges, data: data, state: state,
    fold: fold, search: search, select: select, selectLink: selectLink, selectGroup: selectGroup,
    clearSelection: clearSelection, frameAll: frameAll, setOpen: function (gid, open) { setOpen(gid, open); changed(false); },
    drawnLabels: function () { return lastLabels.slice(); },
    focusIds: function () { return focus ? Object.keys(focus).sort() : []; },
    visibleNodeIds: function () { return data.nodes.filter(function (n) { return visible[n.id]; }).map(function (n) { return n.id; }); },
    hash: function () { return stateParams().toString(); }
  };
})();
