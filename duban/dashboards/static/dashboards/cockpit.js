/* The cockpit's charts (duban.dashboards): drawn with the vendored Apache ECharts from the
   page's JSON (#cockpit[data-src]), one chart per [data-chart-canvas]. Every bar or point
   carries the ledger URL of its tasks: a click opens it. The page's tables hold the same
   figures for whoever cannot see the picture; the words all come from the server (gettext).

   Phones: charts follow their box's width (ResizeObserver); the legends are HTML (they wrap).
   Paper: before printing each chart is redrawn at the width of an A4 page and printed as an
   image, with its table opened under it. */
(function () {
  "use strict";

  var root = document.getElementById("cockpit");
  if (!root || !root.dataset.src) return;
  // Sizes and colours come as data attributes and are set through the DOM: the
  // Content-Security-Policy allows no style attributes in the page's markup.
  root.querySelectorAll("[data-colour]").forEach(function (swatch) {
    swatch.style.background = swatch.dataset.colour;
  });
  root.querySelectorAll("[data-chart-canvas][data-height]").forEach(function (canvas) {
    canvas.style.height = canvas.dataset.height + "px";
    canvas.style.minHeight = "160px";
  });
  var drawn = {}; // key → {chart, spec, el}
  var PRINT_WIDTH = 640; // CSS pixels across an A4 page's text block (about 170 mm)
  var printing = false;

  function narrow(width) {
    return width < 480;
  }

  function tooltip(spec) {
    return function (params) {
      var items = Array.isArray(params) ? params : [params];
      if (!items.length) return "";
      var index = items[0].dataIndex;
      var lines = [escapeHtml(spec.hints[index] || spec.categories[index])];
      items.forEach(function (item) {
        var data = item.data || {};
        // No item.marker: it is a span with a style attribute, which the page's
        // Content-Security-Policy blocks; the series' names (绿灯, 已完成…) say it in words.
        lines.push(escapeHtml(item.seriesName) + "：" + escapeHtml(data.text || String(item.value)));
      });
      return lines.join("<br>");
    };
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function option(spec, width) {
    var small = narrow(width);
    var rate = spec.unit === "%";
    var category = {
      type: "category",
      data: spec.categories,
      inverse: spec.horizontal, // the first category on top, as in the table
      axisTick: { alignWithLabel: true },
      axisLabel: {
        interval: 0,
        width: spec.horizontal ? (small ? 84 : 168) : small ? 88 : 120,
        overflow: "truncate",
        hideOverlap: !spec.horizontal,
      },
    };
    var value = {
      type: "value",
      minInterval: rate ? 0 : 1,
      max: rate ? 100 : null,
      axisLabel: { formatter: rate ? "{value}%" : "{value}" },
    };
    var series = spec.series.map(function (s) {
      return {
        id: s.key,
        name: s.name,
        type: spec.kind === "line" ? "line" : "bar",
        stack: spec.kind === "stack" ? "total" : undefined,
        barMaxWidth: 26,
        symbolSize: 9,
        itemStyle: { color: s.colour },
        lineStyle: { color: s.colour, width: 2 },
        emphasis: { focus: "series" },
        label: {
          show: spec.kind !== "line" || !small,
          position: spec.kind === "stack" ? "inside" : spec.horizontal ? "right" : "top",
          color: spec.kind === "stack" ? "#fff" : "#1f2328",
          formatter: function (p) {
            if (!p.value) return "";
            return rate ? p.value + "%" : String(p.value);
          },
        },
        data: s.data.map(function (d) {
          var item = { value: d.value, url: d.url, text: d.text };
          if (d.colour) item.itemStyle = { color: d.colour };
          return item;
        }),
      };
    });
    return {
      animation: false,
      textStyle: { fontFamily: "inherit" },
      grid: { left: 8, right: spec.horizontal ? 28 : 12, top: 16, bottom: 8, containLabel: true },
      legend: { show: false, data: spec.series.map(function (s) { return s.name; }) },
      tooltip: {
        trigger: "axis",
        axisPointer: { type: spec.kind === "line" ? "line" : "shadow" },
        confine: true,
        formatter: tooltip(spec),
      },
      xAxis: spec.horizontal ? value : category,
      yAxis: spec.horizontal ? category : value,
      series: series,
    };
  }

  function draw(spec) {
    var el = root.querySelector('[data-chart-canvas="' + spec.key + '"]');
    if (!el) return;
    var chart = window.echarts.init(el, null, { renderer: "canvas", locale: "ZH" });
    chart.setOption(option(spec, el.clientWidth));
    chart.on("click", function (params) {
      var data = params.data || {};
      if (data.url) window.location.assign(data.url);
    });
    drawn[spec.key] = { chart: chart, spec: spec, el: el, small: narrow(el.clientWidth) };
    el.dataset.drawn = "true";
  }

  function resize() {
    if (printing) return;
    Object.keys(drawn).forEach(function (key) {
      var entry = drawn[key];
      var small = narrow(entry.el.clientWidth);
      if (small !== entry.small) {
        entry.small = small;
        entry.chart.setOption(option(entry.spec, entry.el.clientWidth), { replaceMerge: ["series"] });
      }
      entry.chart.resize();
    });
  }

  // The HTML legends: a button per series shows or hides it.
  root.addEventListener("click", function (event) {
    var button = event.target.closest(".chart-legend button");
    if (!button) return;
    var entry = drawn[button.closest("[data-chart]").dataset.chart];
    if (!entry) return;
    entry.chart.dispatchAction({ type: "legendToggleSelect", name: button.dataset.series });
    button.setAttribute("aria-pressed", button.getAttribute("aria-pressed") === "true" ? "false" : "true");
  });

  function beforePrint() {
    if (printing) return;
    printing = true;
    root.querySelectorAll("details.chart-table").forEach(function (details) {
      details.dataset.wasOpen = details.open ? "true" : "false";
      details.open = true;
    });
    Object.keys(drawn).forEach(function (key) {
      var entry = drawn[key];
      var img = root.querySelector('[data-chart-print="' + key + '"]');
      entry.chart.setOption(option(entry.spec, PRINT_WIDTH), { replaceMerge: ["series"] });
      entry.chart.resize({ width: PRINT_WIDTH });
      if (img) {
        img.src = entry.chart.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: "#fff" });
        img.hidden = false;
      }
    });
  }

  function afterPrint() {
    if (!printing) return;
    printing = false;
    root.querySelectorAll("details.chart-table").forEach(function (details) {
      details.open = details.dataset.wasOpen === "true";
    });
    root.querySelectorAll("[data-chart-print]").forEach(function (img) {
      img.hidden = true;
    });
    Object.keys(drawn).forEach(function (key) {
      var entry = drawn[key];
      entry.small = narrow(entry.el.clientWidth);
      entry.chart.setOption(option(entry.spec, entry.el.clientWidth), { replaceMerge: ["series"] });
      entry.chart.resize({ width: "auto" });
    });
  }

  window.addEventListener("beforeprint", beforePrint);
  window.addEventListener("afterprint", afterPrint);
  if (window.matchMedia) {
    var media = window.matchMedia("print");
    var onChange = function (event) {
      if (event.matches) beforePrint();
      else afterPrint();
    };
    if (media.addEventListener) media.addEventListener("change", onChange);
  }

  var print = root.querySelector("[data-print]");
  if (print) {
    print.hidden = false;
    print.addEventListener("click", function () {
      window.print();
    });
  }

  function failed() {
    root.dataset.ready = "failed";
    var note = document.createElement("p");
    note.className = "card muted chart-failed";
    note.setAttribute("role", "status");
    note.textContent = root.dataset.failed;
    var grid = root.querySelector(".cockpit-grid");
    if (grid) grid.parentNode.insertBefore(note, grid);
    root.querySelectorAll("details.chart-table").forEach(function (details) {
      details.open = true;
    });
  }

  if (!window.echarts || !root.querySelector("[data-chart-canvas]")) {
    if (root.querySelector("[data-chart-canvas]")) failed();
    return;
  }
  fetch(root.dataset.src, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    })
    .then(function (data) {
      data.charts.forEach(draw);
      var hint = root.querySelector("[data-hint]");
      if (hint) hint.hidden = false;
      if (window.ResizeObserver) {
        var pending = null;
        new ResizeObserver(function () {
          if (pending) cancelAnimationFrame(pending);
          pending = requestAnimationFrame(resize);
        }).observe(root);
      } else {
        window.addEventListener("resize", resize);
      }
      root.dataset.ready = "true";
    })
    .catch(failed);

  // For the browser tests and the curious: where a figure is drawn, in page coordinates.
  window.dubanCockpit = {
    chart: function (key) {
      return drawn[key] ? drawn[key].chart : null;
    },
    point: function (key, seriesKey, index) {
      var entry = drawn[key];
      if (!entry) return null;
      var seriesIndex = entry.spec.series.findIndex(function (s) {
        return s.key === seriesKey;
      });
      if (seriesIndex < 0) return null;
      var layout = entry.chart.getModel().getSeriesByIndex(seriesIndex).getData().getItemLayout(index);
      if (!layout) return null;
      var box = entry.el.getBoundingClientRect();
      var x = layout.width !== undefined ? layout.x + layout.width / 2 : layout[0];
      var y = layout.height !== undefined ? layout.y + layout.height / 2 : layout[1];
      return { x: box.left + x, y: box.top + y };
    },
  };
})();
