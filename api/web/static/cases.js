// 案件查询 (/cases): the filters live in the URL (submitting navigates, so back/forward and shared links work);
// the results come from GET /api/v1/cases/search with the same query; headers sort, the pager pages, the export
// downloads the result as xlsx; saved searches are the user's (GET/POST/DELETE /api/v1/saved-filters?page=cases).
(function () {
  'use strict';
  const { PAGE, T, api, el, t, toast, fmtTime, ApiError, showError } = window.tj;
  const me = PAGE.user;
  const TEXT = ['q', 'case_number', 'name', 'phone', 'id_number', 'stage', 'leader'];
  const SELECT = ['community', 'dispute_type', 'channel', 'status', 'group', 'overdue'];
  const RANGES = ['received', 'created', 'accepted', 'closed'];
  const ALL = [...TEXT, ...SELECT, 'risk_level', ...RANGES.flatMap((r) => [r + '_from', r + '_to'])];
  const ADVANCED = ALL.filter((k) => k !== 'q');
  const SORTABLE = { case_number: 'cs_case_number', received_on: 'cs_received', created_at: 'cs_created' };
  const RISKS = ['red', 'orange', 'yellow'];
  const params = new URLSearchParams(location.search);

  function codes(field) { // the codes that have a label: v_<field>_<code>
    const prefix = 'v_' + field + '_';
    return Object.keys(T).filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
  }
  function label(field, code) { return code ? t('v_' + field + '_' + code, code) : '—'; }

  // ------------------------------------------------------------------ the query string
  function searchQuery(overrides) {
    const out = new URLSearchParams();
    for (const [k, v] of params) if (ALL.includes(k) || k === 'sort' || k === 'page') out.append(k, v);
    for (const [k, v] of Object.entries(overrides || {})) { if (v === null || v === '') out.delete(k); else out.set(k, v); }
    return out;
  }
  function go(query) { location.assign('/cases' + (query.toString() ? '?' + query : '')); }

  // ------------------------------------------------------------------ the filter form
  function field(id, text, control, cls) {
    return el('div', { class: 'field' + (cls ? ' ' + cls : '') }, el('label', { for: id, text }), control);
  }
  function input(name, type, extra) {
    return el('input', { id: 'cs-' + name, name, type: type || 'text', maxlength: 100, value: params.get(name) || null, ...(extra || {}) });
  }
  function select(name, options) {
    return el('select', { id: 'cs-' + name, name }, el('option', { value: '', text: t('cs_any') }),
      options.map(([value, text]) => el('option', { value, text, selected: params.get(name) === value })));
  }
  function range(key) {
    const from = input(key + '_from', 'date', { 'aria-label': t('cs_' + key) + ' ' + t('cs_from') });
    const to = input(key + '_to', 'date', { 'aria-label': t('cs_' + key) + ' ' + t('cs_to') });
    return el('div', { class: 'field' }, el('label', { for: from.id, text: t('cs_' + key) }),
      el('div', { class: 'range' }, from, el('span', { text: '–' }), to));
  }

  function filterForm() {
    const communities = me.communities && me.communities.length ? me.communities : null;
    const q = input('q', 'search', { 'data-testid': 'case-search-q', placeholder: t('hs_placeholder') });
    const risks = el('div', { class: 'risks', role: 'group', 'aria-label': t('cs_risk') }, RISKS.map((r) => el('label', {},
      el('input', { type: 'checkbox', name: 'risk_level', value: r, checked: params.getAll('risk_level').includes(r) }), ' ', label('risk_level', r))));
    const advanced = ADVANCED.some((k) => params.get(k));
    const form = el('form', { role: 'search', 'aria-label': t('cs_title'), action: '/cases', method: 'get' },
      el('div', { class: 'search-main' },
        field('cs-q', t('cs_q'), q),
        el('button', { type: 'submit', class: 'primary', text: t('cs_search'), 'data-testid': 'case-search-submit' }),
        el('button', { type: 'button', text: t('cs_reset'), onclick: () => go(new URLSearchParams()) })),
      el('p', { class: 'hint', text: t('cs_q_hint') }),
      el('details', { class: 'search-more', open: advanced },
        el('summary', { text: t('cs_more') }),
        el('div', { class: 'search-grid' },
          field('cs-case_number', t('cs_case_number'), input('case_number')),
          field('cs-name', t('cs_name'), input('name')),
          field('cs-phone', t('cs_phone'), input('phone', 'tel')),
          field('cs-id_number', t('cs_id_number'), input('id_number')),
          field('cs-community', t('cs_community'), communities ? select('community', communities.map((c) => [c, c])) : input('community')),
          field('cs-dispute_type', t('cs_dispute_type'), select('dispute_type', codes('dispute_type').map((c) => [c, label('dispute_type', c)]))),
          field('cs-channel', t('cs_channel'), select('channel', codes('channel').map((c) => [c, label('channel', c)]))),
          field('cs-status', t('cs_status'), select('status', codes('status').map((c) => [c, label('status', c)]))),
          field('cs-stage', t('cs_stage'), input('stage')),
          el('div', { class: 'field' }, el('span', { class: 'label', text: t('cs_risk') }), risks),
          field('cs-group', t('cs_group'), select('group', [['true', t('cs_group_yes')], ['false', t('cs_group_no')]])),
          field('cs-overdue', t('cs_overdue'), select('overdue', [['true', t('cs_overdue_yes')], ['false', t('cs_overdue_no')]])),
          field('cs-leader', t('cs_leader'), input('leader')),
          RANGES.map(range))));
    form.addEventListener('submit', (e) => { // only the filled fields go into the URL; a new search starts on page 1
      e.preventDefault();
      const out = new URLSearchParams();
      for (const [k, v] of new FormData(form)) if (String(v).trim()) out.append(k, String(v).trim());
      if (params.get('sort')) out.set('sort', params.get('sort'));
      go(out);
    });
    return form;
  }

  // ------------------------------------------------------------------ results
  function sortHeader(key) {
    const current = params.get('sort') || '-created_at';
    const active = current.replace(/^-/, '') === key;
    const descending = active && current.startsWith('-');
    const next = active && descending ? key : '-' + key; // a new column starts newest (or highest) first
    return el('th', { scope: 'col', 'aria-sort': active ? (descending ? 'descending' : 'ascending') : null },
      el('button', { type: 'button', class: 'sort', text: t(SORTABLE[key]), title: t('cs_sort_by'),
        'data-testid': 'sort-' + key, onclick: () => go(searchQuery({ sort: next, page: null })) }));
  }

  function row(item) {
    const risk = item.risk_level ? el('span', { class: 'badge risk-' + item.risk_level, text: label('risk_level', item.risk_level) }) : '—';
    return el('tr', { 'data-testid': 'case-row', dataset: { caseId: item.id } },
      el('td', {}, el('a', { href: '/cases/' + item.id, text: item.case_number })),
      el('td', { text: item.applicant || '—' }),
      el('td', { class: 'summary', title: item.summary, text: item.summary || '—' }),
      el('td', { text: label('dispute_type', item.dispute_type) }),
      el('td', { text: item.community || '—' }),
      el('td', {}, label('status', item.status), item.stage ? el('div', { class: 'hint', text: item.stage }) : null),
      el('td', {}, risk, ' ', item.group_case ? el('span', { class: 'badge group', title: t('cs_group_title'), text: t('cs_group_mark') }) : null),
      el('td', { text: item.received_on || '—' }),
      el('td', { text: fmtTime(item.created_at) }),
      el('td', { class: 'due' + (item.overdue ? ' overdue' : ''), text: item.due_at ? fmtTime(item.due_at) : '—' }));
  }

  async function exportXlsx(button) {
    button.disabled = true;
    try {
      const response = await api('GET', '/api/v1/cases/search/export?' + searchQuery({ page: null }), null, { raw: true });
      const blob = await response.blob();
      const link = el('a', { href: URL.createObjectURL(blob), download: t('cs_sheet') + '.xlsx' });
      document.body.append(link);
      link.click();
      link.remove();
    } catch (e) { showError(null, e); } finally { button.disabled = false; }
  }

  async function results() {
    const box = document.getElementById('cases-results');
    box.replaceChildren(el('p', { text: t('cs_loading') }));
    let page;
    try { page = await api('GET', '/api/v1/cases/search?' + searchQuery()); } catch (e) {
      if (e instanceof ApiError && e.status === 403) box.replaceChildren(el('p', { class: 'error', role: 'alert', text: t('cs_pii_forbidden') }));
      else showError(box, e);
      return;
    }
    const count = page.total_capped ? t('cs_results_capped').replace('{n}', page.total) : t('cs_results').replace('{n}', page.total);
    const exportButton = el('button', { type: 'button', text: t('cs_export'), title: t('cs_export_note'), 'data-testid': 'case-search-export',
      onclick: (e) => exportXlsx(e.currentTarget) });
    const head = el('div', { class: 'results-head' }, el('strong', { 'data-testid': 'case-search-count', text: count }),
      el('span', {}, exportButton, ' ', el('span', { class: 'hint', text: t('cs_export_note') })));
    if (!page.items.length) { box.replaceChildren(head, el('p', { text: t('cs_none') })); return; }
    const table = el('table', { class: 'results' },
      el('thead', {}, el('tr', {}, sortHeader('case_number'), el('th', { scope: 'col', text: t('cs_applicant') }),
        el('th', { scope: 'col', text: t('cs_summary') }), el('th', { scope: 'col', text: t('cs_dispute_type') }),
        el('th', { scope: 'col', text: t('cs_community') }), el('th', { scope: 'col', text: t('cs_status') + ' / ' + t('cs_stage') }),
        el('th', { scope: 'col', text: t('cs_risk') }), sortHeader('received_on'), sortHeader('created_at'),
        el('th', { scope: 'col', text: t('cs_due') }))),
      el('tbody', {}, page.items.map(row)));
    const last = page.total_capped ? 500 : Math.max(1, Math.ceil(page.total / page.limit));
    const pager = el('nav', { class: 'pager', 'aria-label': t('cs_page').replace('{p}', '') },
      el('button', { type: 'button', text: t('cs_prev'), disabled: page.page <= 1, onclick: () => go(searchQuery({ page: page.page - 1 })) }),
      el('span', { 'data-testid': 'case-search-page', text: t('cs_page').replace('{p}', page.page) + ' / ' + last }),
      el('button', { type: 'button', text: t('cs_next'), disabled: page.page >= last, onclick: () => go(searchQuery({ page: page.page + 1 })) }));
    box.replaceChildren(head, el('div', { class: 'results-wrap' }, table), pager);
  }

  // ------------------------------------------------------------------ saved searches
  async function saved() {
    const box = document.getElementById('cases-saved');
    let items = [];
    try { items = (await api('GET', '/api/v1/saved-filters?page=cases')).items; } catch (e) { showError(box, e); return; }
    const choose = el('select', { id: 'cs-saved', 'data-testid': 'saved-filter-select' },
      el('option', { value: '', text: items.length ? '—' : t('cs_saved_none') }),
      items.map((f) => el('option', { value: String(f.id), text: f.name })));
    choose.addEventListener('change', () => {
      const f = items.find((x) => String(x.id) === choose.value);
      if (f) go(new URLSearchParams(f.query));
    });
    const remove = el('button', { type: 'button', text: t('cs_delete_saved'), onclick: async () => {
      if (!choose.value) return;
      try { await api('DELETE', '/api/v1/saved-filters/' + choose.value); toast(t('cs_deleted')); saved(); } catch (e) { showError(null, e); }
    } });
    const name = el('input', { id: 'cs-save-name', type: 'text', maxlength: 100, 'data-testid': 'saved-filter-name' });
    const save = el('button', { type: 'button', text: t('cs_save'), 'data-testid': 'saved-filter-save', onclick: async () => {
      if (!name.value.trim()) { name.focus(); return; }
      try {
        await api('POST', '/api/v1/saved-filters', { page: 'cases', name: name.value.trim(), query: searchQuery({ page: null }).toString() });
        toast(t('cs_saved_ok'));
        saved();
      } catch (e) { if (e instanceof ApiError && e.status === 409) toast(t('cs_saved_exists'), 'error'); else showError(null, e); }
    } });
    box.replaceChildren(field('cs-saved', t('cs_saved'), choose), remove, field('cs-save-name', t('cs_save_name'), name), save);
  }

  document.addEventListener('DOMContentLoaded', () => {
    document.getElementById('cases-filters').replaceChildren(filterForm());
    const header = document.querySelector('.header-search input[name="q"]');
    if (header && params.get('q')) header.value = params.get('q');
    results();
    saved();
  });
})();
