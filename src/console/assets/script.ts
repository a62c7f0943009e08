/**
 * The console's only script, served as an external file (the Content-Security-Policy forbids
 * inline scripts). Every page works without it; it adds charts (Chart.js, loaded before it),
 * the Copy button and loading a file into the validation form. Kept in a module so the build
 * carries it into dist/.
 */
export const SCRIPT = String.raw`(function () {
  'use strict';

  function cssVar(name, fallback) {
    var value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
  }

  function drawCharts() {
    var Chart = window.Chart;
    if (typeof Chart !== 'function') return;
    var accent = cssVar('--accent', '#0a58ca');
    Chart.defaults.color = cssVar('--muted', '#57606a');
    Chart.defaults.borderColor = cssVar('--grid', '#d8dee4');
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    document.querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
      var spec;
      try { spec = JSON.parse(canvas.getAttribute('data-chart')); } catch (e) { return; }
      var spark = spec.kind === 'sparkline';
      var bar = spec.kind === 'bar';
      // Horizontal bars keep long type names readable on narrow screens; the box grows with them.
      if (bar) canvas.parentElement.style.height = Math.max(8, spec.labels.length * 1.6 + 3) + 'rem';
      new Chart(canvas, {
        type: bar ? 'bar' : 'line',
        data: {
          labels: spec.labels,
          datasets: [{ label: spec.label, data: spec.values, borderColor: accent, backgroundColor: bar ? accent : 'transparent', borderWidth: spark ? 1.5 : 2, pointRadius: spark ? 0 : 2, tension: 0, fill: false }]
        },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          indexAxis: bar ? 'y' : 'x',
          plugins: { legend: { display: false }, tooltip: { enabled: !spark } },
          scales: spark
            ? { x: { display: false }, y: { display: false, beginAtZero: true } }
            : bar
              ? { x: { beginAtZero: true, ticks: { precision: 0 } }, y: { ticks: { autoSkip: false } } }
              : { y: { beginAtZero: true, ticks: { precision: 0 } }, x: { ticks: { maxRotation: 0, autoSkipPadding: 12 } } }
        }
      });
    });
  }

  function setStatus(id, text) {
    var status = id && document.getElementById(id);
    if (status) status.textContent = text;
  }

  function copyButtons() {
    document.querySelectorAll('button[data-copy]').forEach(function (button) {
      if (!navigator.clipboard) return;
      button.hidden = false;
      button.addEventListener('click', function () {
        var statusId = button.getAttribute('data-status');
        navigator.clipboard.writeText(button.getAttribute('data-copy')).then(
          function () { setStatus(statusId, 'Copied the stored JSON.'); },
          function () { setStatus(statusId, 'Copying failed: your browser did not allow it. Use Download instead.'); }
        );
      });
    });
  }

  function fileInputs() {
    document.querySelectorAll('input[type=file][data-fill]').forEach(function (input) {
      var target = document.getElementById(input.getAttribute('data-fill'));
      var max = Number(input.getAttribute('data-max-bytes'));
      var statusId = input.getAttribute('data-status');
      var field = input.closest('[data-upload]');
      if (!target || typeof FileReader !== 'function') return;
      if (field) field.hidden = false;
      input.addEventListener('change', function () {
        var file = input.files && input.files[0];
        if (!file) return;
        if (file.size > max) {
          setStatus(statusId, file.name + ' is ' + file.size + ' bytes; at most ' + max + ' bytes can be validated.');
          return;
        }
        var reader = new FileReader();
        reader.onload = function () {
          target.value = String(reader.result);
          setStatus(statusId, 'Loaded ' + file.name + ' (' + file.size + ' bytes) into the text box.');
        };
        reader.onerror = function () { setStatus(statusId, 'Could not read ' + file.name + '.'); };
        reader.readAsText(file);
      });
    });
  }

  drawCharts();
  copyButtons();
  fileInputs();
})();
`;
