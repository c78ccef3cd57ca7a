// 节假日安排 (admins keep it, supervisors read it): a year's rest days and 调休 working days, whether the
// year is confirmed; set one day; import a year's notice (CSV date,kind,name or JSON).
(function () {
  'use strict';
  const { PAGE, api, el, t, toast, fmtTime, showError } = window.tj;
  const root = document.getElementById('calendar-page');
  const isAdmin = PAGE.user && PAGE.user.role === 'admin';
  const WEEKDAYS = PAGE.lang === 'en' ? ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] : '一二三四五六日'.split('');
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, k) => String(values[k]));

  function yearFromUrl(status) {
    const asked = parseInt(new URLSearchParams(location.search).get('year'), 10);
    if (asked >= 1949 && asked <= 2200) return asked;
    return status.next_year_confirmed ? status.this_year : status.next_year;
  }

  function kindSelect(id) {
    return el('select', { id, name: 'kind' },
      el('option', { value: 'rest', text: t('calendar_rest') }), el('option', { value: 'work', text: t('calendar_work') }),
      el('option', { value: 'normal', text: t('calendar_normal') }));
  }

  function daysTable(year) {
    if (!year.days.length) return el('p', { class: 'muted', text: t('calendar_no_days') });
    return el('table', { class: 'cal-days', 'data-testid': 'calendar-days' },
      el('thead', {}, el('tr', {}, ['calendar_date', 'calendar_weekday', 'calendar_kind', 'calendar_name'].map((k) => el('th', { text: t(k) })))),
      el('tbody', {}, year.days.map((d) => el('tr', { dataset: { date: d.date } },
        el('td', { text: d.date }), el('td', { text: WEEKDAYS[d.weekday - 1] }),
        el('td', { class: d.kind, text: t('calendar_' + d.kind) }), el('td', { text: d.name || '' })))));
  }

  function setDayForm(onDone) {
    const day = el('input', { id: 'cal-day', name: 'date', type: 'date', required: true });
    const kind = kindSelect('cal-kind');
    const name = el('input', { id: 'cal-name', name: 'name', maxlength: 100 });
    const out = el('div', { role: 'status' });
    const form = el('form', { class: 'cal-set', 'data-testid': 'calendar-set' },
      el('h3', { text: t('calendar_set_day') }),
      el('label', { for: 'cal-day', text: t('calendar_date') }), day,
      el('label', { for: 'cal-kind', text: t('calendar_kind') }), kind,
      el('label', { for: 'cal-name', text: t('calendar_name') }), name,
      el('button', { type: 'submit', text: t('calendar_set') }), out);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      try {
        const r = await api('PUT', '/api/v1/calendar/days/' + encodeURIComponent(day.value),
          { kind: kind.value, name: kind.value === 'normal' ? null : (name.value.trim() || null) });
        toast(fill(t('calendar_day_set'), { n: r.recomputed }));
        onDone(parseInt(day.value.slice(0, 4), 10));
      } catch (e) { showError(out, e); }
    });
    return form;
  }

  function importForm(onDone) {
    const file = el('input', { id: 'cal-file', name: 'file', type: 'file', accept: '.csv,.json,text/csv,application/json', required: true });
    const source = el('input', { id: 'cal-source', name: 'source', maxlength: 300, placeholder: '国办发明电〔…〕…号' });
    const out = el('div', { role: 'status' });
    const form = el('form', { class: 'cal-import', 'data-testid': 'calendar-import' },
      el('h3', { text: t('calendar_import') }),
      el('label', { for: 'cal-file', text: t('calendar_import_file') }), file,
      el('label', { for: 'cal-source', text: t('calendar_import_source') }), source,
      el('button', { type: 'submit', text: t('calendar_import_button') }), out);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      if (!file.files.length) return;
      const body = new FormData();
      body.append('file', file.files[0]);
      if (source.value.trim()) body.append('source', source.value.trim());
      try {
        const r = await api('POST', '/api/v1/calendar/import', body);
        toast(fill(t('calendar_imported'), { year: r.year, n: r.recomputed }));
        out.replaceChildren();
        onDone(r.year);
      } catch (e) {
        const fields = e.body && e.body.fields ? Object.entries(e.body.fields).map(([k, v]) => `${k}: ${v}`) : [];
        showError(out, e);
        if (fields.length) out.append(el('ul', {}, fields.map((f) => el('li', { text: f }))));
      }
    });
    return form;
  }

  async function show(yearNo) {
    try {
      const [status, year] = await Promise.all([api('GET', '/api/v1/calendar/status'), api('GET', '/api/v1/calendar/' + yearNo)]);
      history.replaceState(null, '', '?year=' + yearNo);
      const pick = el('input', { id: 'cal-year', type: 'number', min: 1949, max: 2200, value: yearNo });
      const picker = el('form', { class: 'cal-pick' }, el('label', { for: 'cal-year', text: t('calendar_year') }), pick,
        el('button', { type: 'submit', text: t('calendar_show') }));
      picker.addEventListener('submit', (ev) => { ev.preventDefault(); show(parseInt(pick.value, 10)); });
      const state = year.confirmed ? el('span', { class: 'badge ok', text: t('calendar_confirmed') })
        : el('span', { class: 'badge cal-unconfirmed', 'data-testid': 'calendar-year-unconfirmed', text: t('calendar_not_confirmed') });
      root.replaceChildren(...[ // DOM replaceChildren would write null as "null": dropped here
        el('h2', { text: t('calendar_title') }), picker,
        el('h3', {}, `${year.year} `, state),
        year.source ? el('p', { class: 'muted', text: `${t('calendar_source')}：${year.source}` }) : null,
        year.entered_by ? el('p', { class: 'muted', text: `${t('calendar_entered_by')}：${year.entered_by} ${fmtTime(year.entered_at)}` }) : null,
        el('p', { class: 'muted', text: `${t('calendar_unconfirmed_deadlines')}：${status.unconfirmed_deadlines}` }),
        daysTable(year),
        isAdmin ? [setDayForm(show), importForm(show)] : el('p', { class: 'muted', text: t('calendar_read_only') })].flat().filter(Boolean));
    } catch (e) { showError(root, e); }
  }

  document.addEventListener('DOMContentLoaded', async () => {
    try { show(yearFromUrl(await api('GET', '/api/v1/calendar/status'))); } catch (e) { showError(root, e); }
  });
})();
