/*
 * PWS coverage charts drawn with the vendored Apache ECharts (static/vendor/echarts.min.js, loaded first).
 *
 * Markup: <div data-pws-chart="chart-data-id"></div> plus {{ data|json_script:"chart-data-id" }} holding
 *   {"title": str, "months": [str], "series": [{"name": str, "values": [number|null]}],
 *    "target": [number], "target_label": str, "y_label": str}
 * One line per series (cumulative coverage %), the target as a dashed red line. Charts inside content
 * swapped in by htmx are drawn too; a chart whose element left the page is disposed of.
 */
(function () {
  "use strict";

  const TARGET_COLOUR = "#c62828";
  // No red in the palette: red means the target.
  const PALETTE = [
    "#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f", "#5d4037", "#ad1457", "#546e7a",
    "#9e9d24", "#4fc3f7", "#81c784", "#ffb300", "#ba68c8", "#283593", "#8d6e63", "#004d40",
  ];
  const NARROW = 480;
  const TITLE_WEIGHT = 600;
  // Three dashes: the legend shows the target as it is drawn.
  const DASHED_ICON = "path://M0,4h6v3h-6zM9,4h6v3h-6zM18,4h6v3h-6z";
  const charts = new Map(); // chart -> {data, series}

  let decimal = null;
  // One decimal in the page's language (`<html lang="id">`: 83,3 %).
  function percent(value) {
    if (value === null || value === undefined || Number.isNaN(Number(value))) {
      return "–";
    }
    if (!decimal) {
      const lang = document.documentElement.lang || undefined;
      decimal = new Intl.NumberFormat(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    }
    return decimal.format(Number(value)) + " %";
  }

  function readData(id) {
    const source = document.getElementById(id);
    if (!source) {
      console.warn("pws_chart: no json_script element #" + id);
      return null;
    }
    try {
      return JSON.parse(source.textContent);
    } catch (error) {
      console.warn("pws_chart: #" + id + " is not JSON", error);
      return null;
    }
  }

  function yMax(extent) {
    return Math.max(100, Math.ceil(extent.max / 10) * 10);
  }

  let measureContext = null;
  function textWidth(text, fontSize, weight) {
    if (!measureContext) {
      measureContext = document.createElement("canvas").getContext("2d");
    }
    measureContext.font = (weight || "normal") + " " + fontSize + "px sans-serif";
    return measureContext.measureText(text).width;
  }

  // How many lines boxes of the given widths take when wrapped greedily into `width`.
  function lineCount(widths, width, gap) {
    let lines = 1;
    let used = 0;
    widths.forEach(function (w) {
      if (used > 0 && used + gap + w > width) {
        lines += 1;
        used = w;
      } else {
        used += (used > 0 ? gap : 0) + w;
      }
    });
    return lines;
  }

  function lastValue(values) {
    for (let i = values.length - 1; i >= 0; i -= 1) {
      if (values[i] !== null && values[i] !== undefined) {
        return { index: i, value: values[i] };
      }
    }
    return null;
  }

  // A short text description from the data alone (no English words): title, latest month, each line.
  function description(data) {
    const months = data.months || [];
    const parts = (data.series || []).map(function (series) {
      const last = lastValue(series.values || []);
      return last ? series.name + " " + percent(last.value) + " (" + months[last.index] + ")" : series.name + " –";
    });
    const target = lastValue(data.target || []);
    if (target) {
      parts.push((data.target_label || "Target") + " " + percent(target.value) + " (" + months[target.index] + ")");
    }
    return (data.title ? data.title + ". " : "") + (data.y_label ? data.y_label + ": " : "") + parts.join("; ") + ".";
  }

  function buildSeries(data) {
    const lines = (data.series || []).map(function (series) {
      return {
        type: "line",
        name: series.name,
        data: series.values,
        connectNulls: false,
        symbol: "circle",
        symbolSize: 6,
        lineStyle: { width: 2 },
        emphasis: { focus: "series" },
      };
    });
    if (Array.isArray(data.target) && data.target.length) {
      lines.push({
        type: "line",
        name: data.target_label || "Target",
        data: data.target,
        symbol: "none",
        z: 3,
        color: TARGET_COLOUR,
        lineStyle: { type: "dashed", width: 2, color: TARGET_COLOUR },
        emphasis: { disabled: true },
      });
    }
    return lines;
  }

  // Everything that depends on the chart's width: fonts, the wrapped title and legend, the margins.
  function layout(data, series, width) {
    const narrow = width < NARROW;
    const titleSize = narrow ? 13 : 15;
    const titleLineHeight = titleSize + 5;
    const legendSize = narrow ? 11 : 12;
    const legendGap = narrow ? 8 : 10;
    const inner = Math.max(width - 24, 120);
    const titleWords = (data.title || "").split(/\s+/).filter(Boolean);
    const titleLines = titleWords.length
      ? lineCount(
          titleWords.map(function (word) { return textWidth(word, titleSize, TITLE_WEIGHT); }),
          inner,
          textWidth(" ", titleSize, TITLE_WEIGHT)
        )
      : 0;
    const legendRows = lineCount(
      series.map(function (s) { return 22 + 5 + textWidth(s.name, legendSize); }),
      inner,
      legendGap
    );
    const top = 8 + titleLines * titleLineHeight + 28;
    // A wrapped legend row is about the font size plus 5 px high; 22 px part the legend from the month labels.
    const bottom = 4 + legendRows * (legendSize + 5) + 22;
    return {
      height: top + (narrow ? 240 : 300) + bottom,
      option: {
        title: {
          textStyle: { fontSize: titleSize, lineHeight: titleLineHeight, width: inner, overflow: "break" },
        },
        legend: { itemGap: legendGap, textStyle: { fontSize: legendSize }, width: inner },
        grid: { left: narrow ? 4 : 8, right: narrow ? 14 : 20, top: top, bottom: bottom },
        xAxis: { axisLabel: { fontSize: narrow ? 10 : 12 } },
        yAxis: { axisLabel: { fontSize: narrow ? 10 : 12 }, nameTextStyle: { fontSize: narrow ? 11 : 12 } },
      },
    };
  }

  function buildOption(data, series) {
    return {
      aria: { enabled: true, label: { description: description(data) } },
      color: PALETTE,
      animation: false,
      title: { text: data.title || "", left: "center", top: 8, textStyle: { fontWeight: TITLE_WEIGHT } },
      tooltip: { trigger: "axis", confine: true, valueFormatter: percent },
      legend: {
        type: "plain",
        bottom: 4,
        left: "center",
        itemWidth: 22,
        itemHeight: 10,
        data: series.map(function (s) {
          return s.color === TARGET_COLOUR ? { name: s.name, icon: DASHED_ICON } : s.name;
        }),
      },
      grid: { containLabel: true },
      xAxis: { type: "category", data: data.months || [], boundaryGap: false, axisLabel: { hideOverlap: true } },
      yAxis: {
        type: "value",
        min: 0,
        max: yMax,
        name: data.y_label || "%",
        nameLocation: "end",
        nameGap: 12,
        nameTextStyle: { align: "left", color: "#444" },
        axisLabel: { formatter: "{value} %" },
      },
      series: series,
    };
  }

  // Applies the width-dependent layout; grows the element to fit unless the page's CSS gave it a height.
  function fit(chart, data, series) {
    const element = chart.getDom();
    const planned = layout(data, series, element.clientWidth);
    if (element.getAttribute("data-pws-chart-height") === "auto") {
      element.style.height = planned.height + "px";
    }
    chart.setOption(planned.option);
    chart.resize();
  }

  function draw(element) {
    if (typeof echarts === "undefined" || echarts.getInstanceByDom(element)) {
      return;
    }
    const data = readData(element.getAttribute("data-pws-chart"));
    if (!data) {
      return;
    }
    if (!element.clientHeight) {
      element.setAttribute("data-pws-chart-height", "auto");
      element.style.height = "360px";
    }
    const series = buildSeries(data);
    const chart = echarts.init(element, null, { renderer: "svg" });
    chart.setOption(buildOption(data, series));
    fit(chart, data, series);
    charts.set(chart, { data: data, series: series });
  }

  function drawWithin(root) {
    if (root.matches && root.matches("[data-pws-chart]")) {
      draw(root);
    }
    root.querySelectorAll("[data-pws-chart]").forEach(draw);
  }

  let pending = false;
  function resizeAll() {
    if (pending) {
      return;
    }
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      charts.forEach(function (drawn, chart) {
        if (!chart.getDom().isConnected) {
          chart.dispose();
          charts.delete(chart);
          return;
        }
        fit(chart, drawn.data, drawn.series);
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawWithin(document);
  });
  document.addEventListener("htmx:load", function (event) {
    drawWithin(event.detail && event.detail.elt ? event.detail.elt : document);
  });
  window.addEventListener("resize", resizeAll);
})();
