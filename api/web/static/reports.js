// 报表 (/reports; supervisors, leaders, admins): pick a period (year, quarter, month, year to date, custom
// range), read the report as it reads (sections, tables) with its charts (ECharts), download it as md / xlsx /
// pdf / docx, and see the self-checks beside it (passed / failed with their numbers), never inside the files.
// The report comes from GET /api/v1/reports/period (json: document + checks); the period lives in the URL.
(function () {
  'use strict';
  const { api, el, t, showError, ApiError } = window.tj;
  const API = '/api/v1/reports/period';
  const FORMATS = ['md', 'xlsx', 'pdf', 'docx'];
  const form = document.getElementById('rp-form');
  const reportBox = document.getElementById('rp-report');
  const side = document.getElementById('rp-side');
  const charts = [];
  let current = null;  // the query of the report shown

  const pad = (n) => String(n).padStart(2, '0');
  function today() {  // the office's day (Asia/Shanghai) as YYYY-MM-DD
    const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' })
      .formatToParts(new Date());
    const get = (type) => parts.find((p) => p.type === type).value;
    return `${get('year')}-${get('month')}-${get('day')}`;
  }

  function showKind() {
    const kind = form.elements.kind.value;
    for (const label of form.querySelectorAll('[data-kinds]')) {
      const shown = label.dataset.kinds.split(' ').includes(kind);
      label.hidden = !shown;
      for (const input of label.querySelectorAll('input, select')) input.disabled = !shown;
    }
  }

  // the form's period as the API's query (URLSearchParams), or null with the field marked
  function query() {
    const f = form.elements;
    const q = new URLSearchParams();
    const kind = f.kind.value;
    if (kind === 'year') q.set('period', f.year.value);
    else if (kind === 'quarter') q.set('period', `${f.year.value}Q${f.quarter.value}`);
    else if (kind === 'ytd') q.set('period', 'ytd');
    else if (kind === 'month') {
      if (!/^\d{4}-\d{2}$/.test(f.month.value)) return null;
      const [y, m] = f.month.value.split('-').map(Number);
      q.set('from', `${y}-${pad(m)}-01`);
      q.set('to', `${y}-${pad(m)}-${pad(new Date(Date.UTC(y, m, 0)).getUTCDate())}`);
    } else {
      q.set('from', f.from.value);
      q.set('to', f.to.value);
    }
    return q;
  }

  // the URL's period back into the form (a reload or a shared link shows the same report)
  function fromUrl() {
    const p = new URLSearchParams(location.search);
    const f = form.elements;
    const day = today();
    f.year.value = day.slice(0, 4);
    f.month.value = day.slice(0, 7);
    f.quarter.value = String(Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1);
    f.from.value = day.slice(0, 4) + '-01-01';
    f.to.value = day;
    const period = p.get('period');
    let m;
    if (period === 'ytd') f.kind.value = 'ytd';
    else if (period && (m = /^(\d{4})(?:[Qq]([1-4]))?$/.exec(period))) {
      f.year.value = m[1];
      f.kind.value = m[2] ? 'quarter' : 'year';
      if (m[2]) f.quarter.value = m[2];
    } else if (p.get('from') && p.get('to')) {
      const from = p.get('from'), to = p.get('to');
      const last = /^\d{4}-\d{2}-01$/.test(from)
        ? `${from.slice(0, 8)}${pad(new Date(Date.UTC(+from.slice(0, 4), +from.slice(5, 7), 0)).getUTCDate())}` : null;
      if (last === to) { f.kind.value = 'month'; f.month.value = from.slice(0, 7); } else {
        f.kind.value = 'range'; f.from.value = from; f.to.value = to;
      }
    } else f.kind.value = 'year';
    showKind();
  }

  // ---------------------------------------------------------------------------------------- the report
  function cell(value, numeric) { return el('td', { class: numeric ? 'num' : null, text: String(value) }); }

  function figureTable(fig) {
    return el('table', { class: 'compact rp-table', 'aria-label': fig.title },
      el('thead', {}, el('tr', {}, fig.columns.map((c, j) => el('th', { scope: 'col', class: j >= fig.numeric_from ? 'num' : null, text: c })))),
      el('tbody', {}, fig.rows.map((r) => el('tr', {}, r.map((v, j) => cell(v, j >= fig.numeric_from))))));
  }

  function figure(fig, index) {
    const box = el('div', { class: 'rp-figure' + (fig.chart ? ' with-chart' : ''), 'data-testid': 'report-table' },
      el('div', { class: 'rp-table-box' }, figureTable(fig)));
    if (fig.chart) {
      const node = el('div', { class: 'chart rp-chart', role: 'img', 'aria-label': `${t('rp_chart')}：${fig.title}`,
        'data-testid': 'report-chart' });
      box.append(node);
      charts.push({ node, fig, index });
    }
    return el('div', {}, fig.title && fig.columns.length === 2 ? el('h4', { text: fig.title }) : null, box,
      fig.note ? el('p', { class: 'muted rp-note', text: fig.note }) : null);
  }

  function drawChart({ node, fig }) {
    if (!window.echarts) return;
    const chart = window.echarts.init(node, null, { renderer: 'svg' });
    const names = fig.rows.map((r) => String(r[0]));
    const base = { animation: false, tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 8, right: 40, top: fig.chart === 'bars' ? 8 : 30, bottom: 8, containLabel: true } };
    if (fig.chart === 'columns') {
      chart.setOption(Object.assign(base, { xAxis: { type: 'category', data: names }, yAxis: { type: 'value', minInterval: 1 },
        series: [{ type: 'bar', name: fig.columns[1], data: fig.rows.map((r) => r[1]), itemStyle: { color: '#0b5cad' },
          label: { show: true, position: 'top' } }] }));
    } else if (fig.chart === 'bars') {
      const rows = fig.rows.slice().reverse();  // largest at the top
      chart.setOption(Object.assign(base, { xAxis: { type: 'value', minInterval: 1 },
        yAxis: { type: 'category', data: rows.map((r) => String(r[0])), axisLabel: { width: 140, overflow: 'truncate' } },
        series: [{ type: 'bar', name: fig.columns[1], data: rows.map((r) => r[1]), itemStyle: { color: '#0b5cad' },
          label: { show: true, position: 'right' } }] }));
    } else {  // sla: met, breached, still running per stage, stacked
      const rows = fig.rows.slice().reverse();
      const part = (name, color, pick) => ({ type: 'bar', stack: 'all', name, itemStyle: { color }, data: rows.map(pick) });
      chart.setOption(Object.assign(base, { legend: { top: 0 }, xAxis: { type: 'value', minInterval: 1 },
        yAxis: { type: 'category', data: rows.map((r) => String(r[0])), axisLabel: { width: 160, overflow: 'truncate' } },
        series: [part(t('rp_met'), '#1b7f3b', (r) => r[2]), part(t('rp_breached'), '#b42318', (r) => r[3]),
          part(t('rp_running'), '#b8b8b8', (r) => Math.max(0, r[1] - r[2] - r[3]))] }));
    }
    node.style.height = fig.chart === 'columns' ? '240px' : `${Math.max(120, 26 * fig.rows.length + 40)}px`;
    chart.resize();
  }

  function renderDocument(doc) {
    for (const c of charts.splice(0)) { const old = window.echarts && window.echarts.getInstanceByDom(c.node); if (old) old.dispose(); }
    const article = el('article', { class: 'card rp-doc', 'data-testid': 'report-document', lang: 'zh-CN' },
      el('h2', { class: 'rp-doc-title', 'data-testid': 'report-title', text: doc.title }),
      el('p', { class: 'muted rp-scope', text: doc.scope }),
      doc.sections.map((s) => el('section', { class: 'rp-section', 'data-testid': 'report-section' },
        el('h3', { text: s.heading }), el('p', { class: 'rp-text', text: s.text }),
        s.tables.map((fig, i) => figure(fig, i)))));
    reportBox.replaceChildren(article);
    charts.forEach(drawChart);
  }

  // ---------------------------------------------------------------------------------------- the side
  function checkLabel(ch) {
    const label = t('rp_chk_' + ch.key, t('rp_check_unknown'));
    return label.replace('{body}', (ch.args && ch.args.body) || '');
  }

  function checksCard(checks) {
    const bad = checks.filter((ch) => !ch.ok);
    const summary = t('rp_checks_summary').replace('{ok}', checks.length - bad.length).replace('{bad}', bad.length);
    const ordered = bad.concat(checks.filter((ch) => ch.ok));  // the failed ones first
    return el('section', { class: 'card rp-checks', 'data-testid': 'report-checks', 'aria-labelledby': 'rp-checks-h' },
      el('h2', { id: 'rp-checks-h', text: t('rp_checks') }),
      el('p', { class: 'rp-checks-summary ' + (bad.length ? 'bad' : 'ok'), 'data-testid': 'report-checks-summary', text: summary }),
      el('p', { class: 'muted', text: t('rp_checks_note') }),
      el('ul', { class: 'rp-check-list' }, ordered.map((ch) => el('li', { class: ch.ok ? 'ok' : 'bad', 'data-testid': 'report-check' },
        el('span', { class: 'badge ' + (ch.ok ? 'ok' : 'overdue'), text: t(ch.ok ? 'rp_check_ok' : 'rp_check_bad') }), ' ',
        el('span', { class: 'rp-check-label', text: checkLabel(ch) }),
        el('code', { class: 'rp-check-detail', text: ch.detail })))));
  }

  function filename(response, fmt) {
    const header = response.headers.get('Content-Disposition') || '';
    const m = /filename\*=UTF-8''([^;]+)/.exec(header);
    return m ? decodeURIComponent(m[1]) : `report.${fmt}`;
  }

  async function download(fmt, button) {
    const label = button.textContent;
    button.disabled = true;
    button.textContent = t('rp_downloading');
    try {
      const q = new URLSearchParams(current);
      q.set('format', fmt);
      const response = await api('GET', `${API}?${q}`, null, { raw: true });
      const link = el('a', { href: URL.createObjectURL(await response.blob()), download: filename(response, fmt) });
      document.body.append(link);
      link.click();
      link.remove();
    } catch (e) { showError(null, e); } finally { button.disabled = false; button.textContent = label; }
  }

  function downloadsCard() {
    return el('section', { class: 'card rp-downloads', 'data-testid': 'report-downloads', 'aria-labelledby': 'rp-dl-h' },
      el('h2', { id: 'rp-dl-h', text: t('rp_downloads') }),
      el('div', { class: 'rp-dl-buttons' }, FORMATS.map((fmt) => el('button', { type: 'button', 'data-testid': 'report-download-' + fmt,
        text: t('rp_dl_' + fmt), onclick: (e) => download(fmt, e.currentTarget) }))),
      el('p', { class: 'muted', text: t('rp_dl_note') }));
  }

  // ---------------------------------------------------------------------------------------- loading
  async function load() {
    const q = query();
    form.querySelectorAll('.invalid').forEach((n) => n.classList.remove('invalid'));
    if (!q || [...q.values()].some((v) => !v)) {
      for (const input of form.querySelectorAll('input:not([disabled])')) if (!input.value) input.closest('label').classList.add('invalid');
      reportBox.replaceChildren(el('p', { class: 'error', role: 'alert', 'data-testid': 'report-error', text: t('rp_failed') }));
      return;
    }
    history.replaceState(null, '', `${location.pathname}?${q}`);
    reportBox.replaceChildren(el('div', { class: 'card' }, el('p', { text: t('rp_loading') })));
    side.replaceChildren();
    let data;
    try { data = await api('GET', `${API}?${q}`); } catch (e) {
      const box = el('div', { class: 'card', 'data-testid': 'report-error' });
      reportBox.replaceChildren(box);
      showError(box, e);
      if (e instanceof ApiError && e.body && e.body.fields) {  // each field's own message, under its label
        const labels = { period: 'rp_period', from: 'rp_from', to: 'rp_to' };
        const items = [];
        for (const [name, message] of Object.entries(e.body.fields)) {
          const input = form.querySelector(`[name="${name === 'period' ? 'year' : name}"]`);
          if (input && input.closest('label')) input.closest('label').classList.add('invalid');
          const text = Array.isArray(message) ? message.join('；') : String(message);
          items.push(el('li', { text: `${t(labels[name] || 'rp_period')}：${text}` }));
        }
        box.append(el('ul', { class: 'error' }, items));
      }
      return;
    }
    current = q;
    renderDocument(data.document);
    side.replaceChildren(downloadsCard(), checksCard(data.checks));
  }

  form.elements.kind.addEventListener('change', showKind);
  form.addEventListener('submit', (e) => { e.preventDefault(); load(); });
  window.addEventListener('resize', () => charts.forEach((c) => { const i = window.echarts && window.echarts.getInstanceByDom(c.node); if (i) i.resize(); }));
  fromUrl();
  load();
})();
