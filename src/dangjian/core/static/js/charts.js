/* Draws every [data-chart] element with ECharts. The element names a json_script block
   holding the chart's data: {type: "pie", data: [{name, value}]} or
   {type: "bar", categories: [...], series: [{name, type, data, percent?}], links?: [...]}.
   Clicking a bar follows links[i] (drill-down). */
(function () {
  "use strict";
  var FONT = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif';

  function readSpec(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function isEmpty(spec) {
    if (spec.type === "pie") {
      return !spec.data.some(function (d) { return d.value; });
    }
    return !spec.categories || spec.categories.length === 0;
  }

  function pieOption(spec) {
    return {
      tooltip: { trigger: "item", formatter: "{b}：{c}（{d}%）" },
      legend: { bottom: 0, type: "scroll" },
      series: [{
        type: "pie",
        radius: ["35%", "65%"],
        center: ["50%", "45%"],
        label: { formatter: "{b}\n{c}" },
        data: spec.data
      }]
    };
  }

  var AXIS_CHARS = 8;
  function shortName(name) {
    return name.length > AXIS_CHARS ? name.slice(0, AXIS_CHARS - 1) + "…" : name;
  }

  function barOption(spec) {
    var hasPercent = spec.series.some(function (s) { return s.percent; });
    var many = spec.categories.length > 12;
    var yAxis = [{ type: "value", minInterval: 1 }];
    if (hasPercent) {
      yAxis.push({ type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } });
    }
    return {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      // containLabel: the grid makes room for the axis labels, so none is clipped;
      // a long name is shortened on the axis and shown whole in the tooltip.
      grid: { left: 32, right: 8, bottom: many ? 36 : 8, top: 36, containLabel: true },
      dataZoom: many ? [{ type: "slider", height: 18, bottom: 6, startValue: 0, endValue: 11 }] : [],
      xAxis: {
        type: "category", data: spec.categories,
        axisLabel: { interval: 0, rotate: 30, formatter: shortName }
      },
      yAxis: yAxis,
      series: spec.series.map(function (s) {
        return {
          name: s.name,
          type: s.type || "bar",
          data: s.data,
          yAxisIndex: s.percent ? 1 : 0,
          connectNulls: false,
          tooltip: s.percent ? { valueFormatter: function (v) { return v == null ? "—" : v + "%"; } } : {}
        };
      })
    };
  }

  function bigType(option) {
    var big = { fontSize: 20 };
    option.backgroundColor = "transparent";
    option.color = ["#ffcf4d", "#ff6b6b", "#5fd38d", "#6ea8fe", "#c29ffa", "#aeb9cc"];
    option.legend = Object.assign(option.legend || {}, { textStyle: big, itemWidth: 32, itemHeight: 16 });
    option.tooltip = Object.assign(option.tooltip || {}, { textStyle: big });
    if (option.xAxis) { option.xAxis.axisLabel = Object.assign(option.xAxis.axisLabel || {}, big, { rotate: 0 }); }
    (option.yAxis || []).forEach(function (axis) { axis.axisLabel = Object.assign(axis.axisLabel || {}, big); });
    // Values written on the first line only (the city's): more would overlap.
    (option.series || []).forEach(function (s, i) { s.lineStyle = { width: i ? 3 : 5 }; s.symbolSize = 10; s.label = { show: i === 0, fontSize: 20, formatter: s.yAxisIndex ? "{c}%" : "{c}" }; });
    option.grid = Object.assign(option.grid || {}, { top: 60 });
  }

  function draw(el) {
    var spec = readSpec(el.dataset.chart);
    if (!spec || typeof echarts === "undefined") { return; }
    if (isEmpty(spec)) {
      el.classList.add("d-flex", "align-items-center", "justify-content-center", "text-secondary");
      el.textContent = el.dataset.empty || "";
      return;
    }
    // data-theme="dark": the big screen's dark chart with type read across a room.
    var dark = el.dataset.theme === "dark";
    var chart = echarts.init(el, dark ? "dark" : null);
    var option = spec.type === "pie" ? pieOption(spec) : barOption(spec);
    option.textStyle = { fontFamily: FONT };
    option.color = ["#c8161d", "#f0a020", "#2f7ed8", "#5cb85c", "#8e44ad", "#7f8c8d"];
    if (dark) { bigType(option); }
    chart.setOption(option);
    if (spec.links) {
      chart.on("click", function (params) {
        var url = spec.links[params.dataIndex];
        if (url) { window.location.href = url; }
      });
    }
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function drawAll() {
    document.querySelectorAll("[data-chart]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
