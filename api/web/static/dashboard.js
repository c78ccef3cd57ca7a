// SLA dashboard (/dashboard, supervisors and leaders): tiles, open cases by stage (bar chart), the 30-day
// trend (line chart), tables by group and community, the breaches list. Every chart's figures are also in
// a table, so they are readable without the chart. Refreshes every 60 s without reloading the page.
(function () {
  'use strict';
  const { PAGE, api, el, t, fmtTime, fmtDuration } = window.tj;
  const body = document.getElementById('dash-body');
  const REFRESH_MS = 60000;
  const charts = {};

  function groupName(code) { return (code && PAGE.t['v_group_' + code]) || code || '—'; }
  function num(n) { return el('td', { class: 'num', text: String(n ?? 0) }); }

  function table(headers, rows, attrs) {
    return el('table', Object.assign({ class: 'compact' }, attrs || {}),
      el('thead', {}, el('tr', {}, headers.map(([text, cls]) => el('th', { scope: 'col', class: cls, text })))),
      el('tbody', {}, rows));
  }

  function card(title, testid, ...children) {
    return el('section', { class: 'card', 'data-testid': testid, 'aria-labelledby': testid + '-h' },
      el('h2', { id: testid + '-h', text: title }), ...children);
  }

  function totals(data) {
    if (data.totals) return data.totals;
    const sum = (key) => data.by_community.reduce((n, row) => n + (row[key] || 0), 0);
    return { open: sum('open'), overdue: sum('overdue'), at_risk: sum('at_risk') };
  }

  function tiles(data) {
    const total = totals(data);
    const tile = (cls, key, n, testid) => el('div', { class: 'tile ' + cls, 'data-testid': testid },
      el('span', { class: 'n', text: String(n) }),
      el('span', { class: 'what', text: t(key) + (cls === 'at-risk' ? riskHint(data) : '') }));
    return el('div', { class: 'tiles' }, tile('open', 'dash_open', total.open, 'tile-open'),
      tile('overdue', 'dash_overdue', total.overdue, 'tile-overdue'),
      tile('at-risk', 'dash_at_risk', total.at_risk, 'tile-at-risk'));
  }

  function riskHint(data) {
    if (!data.at_risk_hours) return '';
    return window.tj.LANG === 'en' ? ` (${data.at_risk_hours} ${t('dash_at_risk_hint')})` : `（${data.at_risk_hours}${t('dash_at_risk_hint')}）`;
  }

  function chartBox(key, labelKey) {
    return el('div', { class: 'chart', id: 'chart-' + key, 'data-testid': 'chart-' + key, role: 'img', 'aria-label': t(labelKey) });
  }

  function stageCard(data) {
    const rows = data.open_by_stage.map((s) => el('tr', {}, el('td', { text: s.name || s.element_id }), num(s.count)));
    return card(t('dash_by_stage'), 'dash-stage', chartBox('stage', 'dash_chart_stage_label'),
      el('div', { class: 'stage-figures' }, table([[t('dash_stage')], [t('dash_count'), 'num']], rows,
        { 'aria-label': t('dash_by_stage') })));
  }

  function trendCard(data) {
    const rows = data.trend.map((d) => el('tr', {}, el('td', { text: d.date }), num(d.opened), num(d.closed), num(d.breached)));
    return card(t('dash_trend'), 'dash-trend', chartBox('trend', 'dash_chart_trend_label'),
      el('details', { class: 'figures' }, el('summary', { text: t('dash_show_table') }),
        el('div', { class: 'table-scroll' }, table([[t('dash_date')], [t('dash_opened'), 'num'], [t('dash_closed'), 'num'],
          [t('dash_breached'), 'num']], rows, { 'aria-label': t('dash_trend') }))));
  }

  function countsCard(titleKey, testid, firstKey, rows) {
    const tr = rows.map((r) => el('tr', {}, el('td', { text: r.name }), num(r.open), num(r.overdue), num(r.at_risk)));
    const empty = rows.length ? null : el('p', { class: 'muted', text: t('dash_none') });
    return card(t(titleKey), testid, empty || table([[t(firstKey)], [t('dash_open'), 'num'], [t('dash_overdue'), 'num'],
      [t('dash_at_risk'), 'num']], tr));
  }

  function breachesCard(data) {
    if (!data.breaches.length) return card(t('dash_breaches'), 'dash-breaches', el('p', { class: 'muted', text: t('dash_no_breaches') }));
    const rows = data.breaches.map((b) => el('tr', {},
      el('td', {}, el('a', { href: `/cases/${encodeURIComponent(b.case_id)}`, text: b.case_number })),
      el('td', { text: b.name || '—' }), el('td', { text: groupName(b.group) }), el('td', { text: b.community || '—' }),
      el('td', { text: fmtTime(b.due_at) }),
      el('td', {}, el('span', { class: 'badge overdue', text: fmtDuration(b.overdue_seconds || 0) }))));
    return card(t('dash_breaches'), 'dash-breaches', table([[t('case_number')], [t('deadline_name')], [t('dash_group')],
      [t('dash_community')], [t('deadline_due')], [t('dash_overdue_by')]], rows));
  }

  function warningsCard(data) {
    const list = data.early_warnings || [];
    const head = el('p', { 'data-testid': 'dash-warning-counts' },
      `${t('dash_warnings')}：${data.early_warning_count ?? list.length}　${t('dash_over_level')}：${data.over_level_count ?? 0}`);
    if (!list.length) return card(t('dash_warnings'), 'dash-warnings', head, el('p', { class: 'muted', text: t('dash_no_warnings') }));
    const rows = list.map((w) => el('tr', {},
      el('td', {}, el('a', { href: `/cases/${encodeURIComponent(w.case_id)}`, text: w.case_number })),
      el('td', { text: w.community || '—' }),
      el('td', {}, w.reasons.map((r) => el('span', { class: 'badge overdue', text: t('warn_' + r, r) }))),
      num(w.visit_count), el('td', { text: w.leader || '—' })));
    return card(t('dash_warnings'), 'dash-warnings', head, table([[t('case_number')], [t('dash_community')],
      [t('dash_warning_reasons')], [t('dash_visits'), 'num'], [t('dash_leader')]], rows));
  }

  function chart(key) {
    const node = document.getElementById('chart-' + key);
    if (!node || !window.echarts) return null;
    if (charts[key] && charts[key].getDom() === node) return charts[key];
    if (charts[key]) charts[key].dispose();
    charts[key] = window.echarts.init(node, null, { renderer: 'svg' });
    return charts[key];
  }

  function drawCharts(data) {
    const stage = chart('stage');
    if (stage) {
      const stages = data.open_by_stage.slice().reverse();  // largest at the top of a horizontal bar chart
      stage.setOption({
        animation: false, grid: { left: 8, right: 30, top: 8, bottom: 8, containLabel: true },
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        xAxis: { type: 'value', minInterval: 1 },
        yAxis: { type: 'category', data: stages.map((s) => s.name || s.element_id), axisLabel: { width: 150, overflow: 'truncate' } },
        series: [{ type: 'bar', name: t('dash_count'), data: stages.map((s) => s.count), itemStyle: { color: '#0b5cad' },
          label: { show: true, position: 'right' } }],
      }, true);
    }
    const trend = chart('trend');
    if (trend) {
      const dates = data.trend.map((d) => d.date.slice(5));
      const line = (key, color) => ({ type: 'line', name: t(key), smooth: false, symbolSize: 4, itemStyle: { color },
        data: data.trend.map((d) => d[{ dash_opened: 'opened', dash_closed: 'closed', dash_breached: 'breached' }[key]]) });
      trend.setOption({
        animation: false, grid: { left: 8, right: 16, top: 30, bottom: 8, containLabel: true },
        tooltip: { trigger: 'axis' }, legend: { top: 0 },
        xAxis: { type: 'category', data: dates, boundaryGap: false },
        yAxis: { type: 'value', minInterval: 1 },
        series: [line('dash_opened', '#0b5cad'), line('dash_closed', '#1b7f3b'), line('dash_breached', '#b42318')],
      }, true);
    }
  }

  function render(data) {
    document.getElementById('dash-now').textContent = `${t('dash_updated')} ${fmtTime(data.now)}`;
    const groups = data.by_group.map((g) => Object.assign({ name: groupName(g.group) }, g));
    const communities = data.by_community.map((c) => Object.assign({ name: c.community || '—' }, c));
    const figuresOpen = Boolean(body.querySelector('details.figures[open]'));  // kept across refreshes
    const focused = focusKey();
    body.replaceChildren(
      tiles(data),
      el('div', { class: 'dash-grid' }, stageCard(data), trendCard(data)),
      el('div', { class: 'dash-grid' }, countsCard('dash_by_group', 'dash-by-group', 'dash_group', groups),
        countsCard('dash_by_community', 'dash-by-community', 'dash_community', communities)),
      warningsCard(data),
      breachesCard(data));
    if (figuresOpen) body.querySelector('details.figures').open = true;
    restoreFocus(focused);
    drawCharts(data);
    body.dataset.loaded = 'true';
  }

  // A keyboard user's focus survives the refresh: the same link (by href) or control (by test id).
  function focusKey() {
    const active = document.activeElement;
    if (!active || !body.contains(active)) return null;
    if (active.getAttribute('href')) return `[href="${CSS.escape(active.getAttribute('href'))}"]`;
    if (active.dataset.testid) return `[data-testid="${CSS.escape(active.dataset.testid)}"]`;
    if (active.tagName === 'SUMMARY') return 'details.figures > summary';
    return null;
  }

  function restoreFocus(selector) {
    const target = selector && body.querySelector(selector);
    if (target) target.focus();
  }

  async function load() {
    try {
      render(await api('GET', '/api/v1/dashboard/sla'));
    } catch (err) {
      window.tj.showError(body, err);
    }
  }

  document.addEventListener('DOMContentLoaded', () => {
    load();
    setInterval(load, REFRESH_MS);
    window.addEventListener('resize', () => Object.values(charts).forEach((c) => c.resize()));
  });
})();
