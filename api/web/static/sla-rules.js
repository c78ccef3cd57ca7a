// 时限规则 (supervisors change them; leaders and admins read them): every rule in the office's words, a change
// previewed (the open deadlines it moves: case number, old due, new due) before it is saved, retire / use again,
// a new rule, each rule's history.
(function () {
  'use strict';
  const { PAGE, api, el, t, toast, fmtTime, showError } = window.tj;
  const root = document.getElementById('sla-page');
  const API = '/api/v1/deadlines/sla-rules';
  const canEdit = PAGE.user && PAGE.user.role === 'supervisor';
  const canCalendar = PAGE.user && ['supervisor', 'admin'].includes(PAGE.user.role);
  const ALERTS = ['assignee', 'supervisor', 'leader'];
  const STARTS = ['task', 'received_on', 'accepted_on', 'applied_on', 'agreement_effective_on', 'notice_served_on',
    'opinion_received_on', 'review_applied_on', 'recheck_applied_on', 'review_opinion_received_on', 'knew_on',
    'leader_target_on'];
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, k) => String(values[k]));
  const EN = PAGE.lang === 'en';
  let rules = [];
  let showRetired = false;
  const panel = el('section', { class: 'sla-panel', 'data-testid': 'sla-panel', hidden: true });

  const limitText = (duration, clock) => (duration === 0 ? t('sla_same_day') : `${duration} ${t('sla_clock_' + clock)}`);
  const fromText = (code) => t('sla_from_' + (code || 'task'));
  function warnText(r) {
    if (r.warn_before_hours !== null && r.warn_before_hours !== undefined) return fill(t('sla_warn_hours'), { h: r.warn_before_hours });
    const p = Math.round(parseFloat(r.warn_fraction === null || r.warn_fraction === undefined ? '0.8' : r.warn_fraction) * 1000) / 10;
    return fill(t('sla_warn_fraction'), { p });
  }
  const alertsText = (list) => (list && list.length ? list.map((a) => t('sla_alert_' + a)).join(EN ? ', ' : '、') : t('sla_alert_none'));

  function row(r) {
    const actions = el('td', { class: 'actions-cell' },
      el('button', { type: 'button', class: 'small', text: t('sla_history'), onclick: () => showHistory(r) }));
    if (canEdit) {
      actions.prepend(el('button', { type: 'button', class: 'small', text: t('sla_edit'), onclick: () => editForm(r) }));
      actions.append(el('button', { type: 'button', class: 'small', text: r.active ? t('sla_retire') : t('sla_restore'),
        onclick: () => setActive(r, !r.active) }));
    }
    return el('tr', { dataset: { key: r.key }, class: r.active ? '' : 'retired' },
      el('td', {}, el('strong', { text: r.name }), r.scope === 'case' ? el('div', { class: 'muted', text: t('sla_scope_case') }) : null),
      el('td', {}, el('code', { text: `${r.process_key} · ${r.element_id}` })),
      el('td', { text: t('sla_kind_' + (r.kind === 'statutory' ? 'statutory' : 'sla')) }),
      el('td', { 'data-testid': 'sla-limit', text: limitText(r.duration, r.clock) }),
      el('td', { text: fromText(r.starts_from) }),
      el('td', { text: warnText(r) }),
      el('td', { text: fill(t('sla_escalate_hours'), { h: r.escalate_after_hours || 24 }) }),
      el('td', { text: alertsText(r.alerts) }),
      el('td', { class: 'num', text: String(r.open_deadlines) }),
      el('td', {}, el('span', { class: 'badge ' + (r.active ? 'ok' : 'none'), text: r.active ? t('sla_active') : t('sla_retired') })),
      actions);
  }

  function table() {
    const shown = rules.filter((r) => showRetired || r.active);
    return el('table', { class: 'sla-rules', 'data-testid': 'sla-rules' },
      el('thead', {}, el('tr', {}, ['sla_name', 'sla_where', 'sla_kind', 'sla_limit', 'sla_from', 'sla_warn', 'sla_escalate',
        'sla_alerts', 'sla_open', 'sla_state', 'sla_actions'].map((k) => el('th', { scope: 'col', text: t(k) })))),
      el('tbody', {}, shown.map(row)));
  }

  async function load() {
    try {
      rules = await api('GET', API);
      render();
    } catch (e) { showError(root, e); }
  }

  function render() {
    const retired = el('input', { type: 'checkbox', id: 'sla-show-retired', checked: showRetired,
      onchange: (ev) => { showRetired = ev.target.checked; render(); } });
    root.replaceChildren(...[
      el('h1', { text: t('sla_title') }),
      el('p', { class: 'muted', text: t('sla_intro') }),
      canCalendar ? el('p', {}, el('a', { href: '/calendar', text: t('sla_calendar_link') })) : null,
      el('div', { class: 'sla-tools' },
        el('label', { for: 'sla-show-retired' }, retired, ' ', t('sla_show_retired')),
        canEdit ? el('button', { type: 'button', class: 'primary', 'data-testid': 'sla-new', text: t('sla_new'), onclick: newForm }) : null),
      el('div', { class: 'sla-scroll' }, table()),
      panel].filter(Boolean));
  }

  function field(id, label, input, hint) {
    return el('div', { class: 'field' }, el('label', { for: id, text: label }), input,
      hint ? el('div', { class: 'hint', text: hint }) : null);
  }

  function startsSelect(id, value) {
    return el('select', { id, name: 'starts_from' },
      STARTS.map((s) => el('option', { value: s, text: fromText(s), selected: s === (value || 'task') })));
  }

  function alertsBoxes(prefix, chosen) {
    return el('fieldset', { class: 'sla-alerts' }, el('legend', { text: t('sla_f_alerts') }),
      ALERTS.map((a) => el('label', { for: `${prefix}-${a}` },
        el('input', { type: 'checkbox', id: `${prefix}-${a}`, value: a, checked: chosen.includes(a) }), ' ', t('sla_alert_' + a))));
  }
  const chosenAlerts = (box) => [...box.querySelectorAll('input:checked')].map((i) => i.value);

  function warnInputs(prefix, r) {
    const byHours = r.warn_before_hours !== null && r.warn_before_hours !== undefined;
    const mode = el('select', { id: `${prefix}-warn-mode` },
      el('option', { value: 'fraction', text: t('sla_f_warn_mode_fraction'), selected: !byHours }),
      el('option', { value: 'hours', text: t('sla_f_warn_mode_hours'), selected: byHours }));
    const value = el('input', { id: `${prefix}-warn-value`, type: 'number', min: 0, max: byHours ? 8784 : 99, step: 1,
      value: byHours ? r.warn_before_hours : Math.round(parseFloat(r.warn_fraction || '0.8') * 100) });
    mode.addEventListener('change', () => { value.max = mode.value === 'hours' ? 8784 : 99; });
    return { mode, value };
  }

  function warnBody(w) {
    const n = parseInt(w.value.value, 10);
    if (w.mode.value === 'hours') return { warn_before_hours: n };
    return { warn_before_hours: null, warn_fraction: n / 100 };
  }

  function changesOf(r, f) {
    const body = {};
    if (f.name.value.trim() !== r.name) body.name = f.name.value.trim();
    if (f.duration.value.trim() !== r.limit_text) body.duration = f.duration.value.trim();
    if (f.starts.value !== (r.starts_from || 'task')) body.starts_from = f.starts.value;
    const warn = warnBody(f.warn);
    if (warn.warn_before_hours !== (r.warn_before_hours === undefined ? null : r.warn_before_hours)
      || (warn.warn_fraction && parseFloat(warn.warn_fraction) !== parseFloat(r.warn_fraction || '0.8'))) Object.assign(body, warn);
    const esc = parseInt(f.escalate.value, 10);
    if (esc !== (r.escalate_after_hours || 24)) body.escalate_after_hours = esc;
    const alerts = chosenAlerts(f.alerts);
    if (alerts.join(',') !== (r.alerts || []).join(',')) body.alerts = alerts;
    if ((f.source.value.trim() || null) !== (r.source || null)) body.source = f.source.value.trim();
    return body;
  }

  function previewTable(p) {
    const out = [el('p', { 'data-testid': 'sla-preview-summary',
      text: p.moves.length ? fill(t('sla_preview_some'), { n: p.moves.length, open: p.open }) : fill(t('sla_preview_none'), { open: p.open }) })];
    if (p.moves.length) {
      out.push(el('table', { class: 'sla-moves', 'data-testid': 'sla-preview' },
        el('thead', {}, el('tr', {}, ['sla_case', 'sla_deadline', 'sla_old_due', 'sla_new_due'].map((k) => el('th', { scope: 'col', text: t(k) })))),
        el('tbody', {}, p.moves.map((m) => el('tr', { dataset: { caseId: m.case_id } },
          el('td', {}, el('a', { href: `/cases/${m.case_id}`, text: m.case_number })), el('td', { text: m.name }),
          el('td', { class: 'old-due', text: fmtTime(m.old_due) }), el('td', { class: 'new-due', text: fmtTime(m.new_due) }))))));
    }
    return out;
  }

  function editForm(r) {
    const f = {
      name: el('input', { id: 'sla-name', maxlength: 200, value: r.name, required: true }),
      duration: el('input', { id: 'sla-duration', maxlength: 40, value: r.limit_text, required: true }),
      starts: startsSelect('sla-starts', r.starts_from),
      warn: warnInputs('sla', r),
      escalate: el('input', { id: 'sla-escalate', type: 'number', min: 1, max: 720, value: r.escalate_after_hours || 24 }),
      alerts: alertsBoxes('sla-alert', r.alerts || []),
      source: el('input', { id: 'sla-source', maxlength: 300, value: r.source || '' }),
      reason: el('textarea', { id: 'sla-reason', maxlength: 2000, rows: 2 }),
    };
    const previewBox = el('div', { class: 'sla-preview-box', role: 'status' });
    const out = el('div', { role: 'alert' });
    const save = el('button', { type: 'submit', class: 'primary', 'data-testid': 'sla-save', text: t('sla_save'), disabled: true });
    let previewed = null;
    const form = el('form', { class: 'sla-edit', 'data-testid': 'sla-edit' },
      el('h2', { text: fill(t('sla_edit_title'), { name: r.name }) }),
      el('div', { class: 'grid2' },
        field('sla-name', t('sla_f_name'), f.name),
        field('sla-duration', t('sla_f_duration'), f.duration, t('sla_f_duration_hint')),
        field('sla-starts', t('sla_f_starts_from'), f.starts),
        field('sla-warn-mode', t('sla_f_warn_mode'), f.warn.mode),
        field('sla-warn-value', t('sla_f_warn_value'), f.warn.value),
        field('sla-escalate', t('sla_f_escalate'), f.escalate),
        field('sla-source', t('sla_f_source'), f.source)),
      f.alerts,
      field('sla-reason', t('sla_f_reason'), f.reason),
      el('div', { class: 'actions' },
        el('button', { type: 'button', 'data-testid': 'sla-preview-button', text: t('sla_preview'), onclick: doPreview }),
        save,
        el('button', { type: 'button', text: t('sla_close'), onclick: closePanel })),
      out, previewBox);
    // any edit after a preview asks for a new preview
    form.addEventListener('input', () => { previewed = null; save.disabled = true; });
    async function doPreview() {
      out.replaceChildren();
      const body = changesOf(r, f);
      if (!Object.keys(body).length) { out.textContent = t('sla_nothing_changed'); return; }
      try {
        const p = await api('POST', `${API}/${encodeURIComponent(r.key)}/preview`, body);
        previewBox.replaceChildren(el('h3', { text: t('sla_preview_title') }), ...previewTable(p));
        previewed = JSON.stringify(body);
        save.disabled = false;
        previewBox.scrollIntoView({ block: 'end' });
      } catch (e) { showError(out, e); }
    }
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const body = changesOf(r, f);
      if (previewed !== JSON.stringify(body)) { out.textContent = t('sla_preview_first'); return; }
      if (f.reason.value.trim()) body.reason = f.reason.value.trim();
      try {
        const saved = await api('PUT', `${API}/${encodeURIComponent(r.key)}`, body);
        toast(fill(t('sla_saved'), { n: saved.moved.length }));
        closePanel();
        await load();
      } catch (e) { showError(out, e); }
    });
    openPanel(form);
    f.duration.focus();
  }

  function newForm() {
    const blank = { alerts: ALERTS, escalate_after_hours: 24, warn_fraction: '0.8' };
    const f = {
      key: el('input', { id: 'sla-new-key', maxlength: 100, pattern: '[A-Za-z0-9_.\\-]+', required: true }),
      name: el('input', { id: 'sla-new-name', maxlength: 200, required: true }),
      kind: el('select', { id: 'sla-new-kind' }, el('option', { value: 'sla', text: t('sla_kind_sla') }),
        el('option', { value: 'statutory', text: t('sla_kind_statutory') })),
      process: el('input', { id: 'sla-new-process', maxlength: 100, required: true }),
      element: el('input', { id: 'sla-new-element', maxlength: 100, required: true }),
      scope: el('select', { id: 'sla-new-scope' }, el('option', { value: 'task', text: t('sla_scope_task_name') }),
        el('option', { value: 'case', text: t('sla_scope_case_name') })),
      duration: el('input', { id: 'sla-new-duration', maxlength: 40, required: true }),
      starts: startsSelect('sla-new-starts', 'task'),
      warn: warnInputs('sla-new', blank),
      escalate: el('input', { id: 'sla-new-escalate', type: 'number', min: 1, max: 720, value: 24 }),
      alerts: alertsBoxes('sla-new-alert', ALERTS),
      source: el('input', { id: 'sla-new-source', maxlength: 300 }),
      reason: el('textarea', { id: 'sla-new-reason', maxlength: 2000, rows: 2 }),
    };
    const out = el('div', { role: 'alert' });
    const form = el('form', { class: 'sla-edit', 'data-testid': 'sla-new-form' },
      el('h2', { text: t('sla_new') }),
      el('div', { class: 'grid2' },
        field('sla-new-name', t('sla_f_name'), f.name), field('sla-new-key', t('sla_f_key'), f.key),
        field('sla-new-process', t('sla_f_process'), f.process), field('sla-new-element', t('sla_f_element'), f.element),
        field('sla-new-kind', t('sla_f_kind'), f.kind), field('sla-new-scope', t('sla_f_scope'), f.scope),
        field('sla-new-duration', t('sla_f_duration'), f.duration, t('sla_f_duration_hint')),
        field('sla-new-starts', t('sla_f_starts_from'), f.starts),
        field('sla-new-warn-mode', t('sla_f_warn_mode'), f.warn.mode), field('sla-new-warn-value', t('sla_f_warn_value'), f.warn.value),
        field('sla-new-escalate', t('sla_f_escalate'), f.escalate), field('sla-new-source', t('sla_f_source'), f.source)),
      f.alerts, field('sla-new-reason', t('sla_f_reason'), f.reason),
      el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary', text: t('sla_create') }),
        el('button', { type: 'button', text: t('sla_close'), onclick: closePanel })),
      out);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const warn = warnBody(f.warn);
      if (warn.warn_before_hours === null) delete warn.warn_before_hours;
      const body = { key: f.key.value.trim(), name: f.name.value.trim(), kind: f.kind.value, process_key: f.process.value.trim(),
        element_id: f.element.value.trim(), scope: f.scope.value, duration: f.duration.value.trim(), starts_from: f.starts.value,
        escalate_after_hours: parseInt(f.escalate.value, 10), alerts: chosenAlerts(f.alerts), ...warn };
      if (f.source.value.trim()) body.source = f.source.value.trim();
      if (f.reason.value.trim()) body.reason = f.reason.value.trim();
      try {
        const made = await api('POST', API, body);
        toast(fill(t('sla_created'), { name: made.name }));
        closePanel();
        await load();
      } catch (e) { showError(out, e); }
    });
    openPanel(form);
    f.name.focus();
  }

  async function setActive(r, active) {
    if (!active && !window.confirm(fill(t('sla_retire_confirm'), { open: r.open_deadlines }))) return;
    try {
      await api('PUT', `${API}/${encodeURIComponent(r.key)}`, { active });
      toast(fill(t(active ? 'sla_restored_done' : 'sla_retired_done'), { name: r.name }));
      if (!active) showRetired = true;
      await load();
    } catch (e) { toast(e.message, 'error'); }
  }

  function valueText(field, v) {
    if (v === null || v === undefined || v === '') return t('sla_empty_value');
    if (field === 'clock') return t('sla_clock_' + v + '_name');
    if (field === 'starts_from') return fromText(v);
    if (field === 'alerts') return alertsText(String(v).split(',').filter(Boolean));
    if (field === 'active') return v ? t('sla_active') : t('sla_retired');
    if (field === 'warn_fraction') return Math.round(parseFloat(v) * 1000) / 10 + '%';
    return String(v);
  }

  function changesList(v) {
    if (v.action === 'created') {
      return el('span', { text: `${limitText(v.new.duration, v.new.clock)}${EN ? ', ' : '，'}${fromText(v.new.starts_from)}` });
    }
    return el('ul', { class: 'sla-diff' }, Object.keys(v.new).map((k) => el('li', {},
      `${t('sla_field_' + k, k)}${EN ? ': ' : '：'}`, el('del', { text: valueText(k, v.old[k]) }), ' → ', el('ins', { text: valueText(k, v.new[k]) }))));
  }

  async function showHistory(r) {
    const box = el('div', { 'data-testid': 'sla-history' }, el('h2', { text: fill(t('sla_history_title'), { name: r.name }) }));
    openPanel(box);
    try {
      const versions = await api('GET', `${API}/${encodeURIComponent(r.key)}/history`);
      if (!versions.length) box.append(el('p', { class: 'muted', text: t('sla_history_none') }));
      else {
        box.append(el('table', { class: 'sla-history' },
          el('thead', {}, el('tr', {}, ['sla_h_when', 'sla_h_who', 'sla_h_action', 'sla_h_changes', 'sla_h_reason', 'sla_h_moved']
            .map((k) => el('th', { scope: 'col', text: t(k) })))),
          el('tbody', {}, versions.map((v) => el('tr', {},
            el('td', { text: fmtTime(v.changed_at) }), el('td', { text: v.changed_by }),
            el('td', { text: t('sla_action_' + v.action) }), el('td', {}, changesList(v)),
            el('td', { text: v.reason || '—' }), el('td', { class: 'num', text: String(v.moved) }))))));
      }
    } catch (e) { showError(box, e); }
    box.append(el('div', { class: 'actions' }, el('button', { type: 'button', text: t('sla_close'), onclick: closePanel })));
  }

  function openPanel(content) {
    panel.replaceChildren(content);
    panel.hidden = false;
    panel.scrollIntoView({ block: 'nearest' });
  }
  function closePanel() { panel.hidden = true; panel.replaceChildren(); }

  load();
}());
