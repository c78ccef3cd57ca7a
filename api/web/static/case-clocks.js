// The case page's clocks (issue 16): each clock with its start, limit, due time, pause and extensions, and
// only the buttons the API says this user may use (clock.actions, clock.extension: the engine's rules).
// Pause, resume and extend ask in a dialog for what the rule needs (reason, approver, amount, the day the
// party was told); the page reloads after each, so the due times and the timeline show the change.
// Also: the group and risk flags of the case head, readable clock events, tables stacked at phone width.
(function () {
  'use strict';
  const { PAGE, api, ApiError, el, t, fmtTime, fmtDuration, dueBadge, calMark, toast, LANG } = window.tj;
  let clocksById = {};

  function fmt(key, vars) {
    let text = t(key);
    for (const [name, value] of Object.entries(vars || {})) text = text.split(`{${name}}`).join(String(value));
    return text;
  }

  function label(field, code) {
    if (code === null || code === undefined || code === '') return '—';
    return PAGE.t[`v_${field}_${code}`] || String(code);
  }

  // A clock's name in the page's language: its rule's label, else (Chinese) the stored name.
  function clockName(d) {
    if (!d) return t('clk_deadline');
    if (d.kind === 'timer') return t('timer');
    const named = d.rule_key && PAGE.t[`v_clock_${d.rule_key}`];
    return named || (LANG === 'en' ? t('clk_deadline') : (d.name || t('clk_deadline')));
  }

  function span(amount, clock) { return fmt(`clk_unit_${clock}`, { n: amount }); }

  // ---------------------------------------------------------------- flags of the case head
  function flags(c) {
    const items = [];
    const warnings = c.warnings || [];
    if (c.risk_level) {
      items.push(el('span', { class: `flag risk risk-${c.risk_level}`, 'data-testid': 'flag-risk',
        text: fmt('flag_risk', { level: label('risk_level', c.risk_level) }) }));
    }
    if (warnings.includes('group_case')) {
      items.push(el('span', { class: 'flag group', 'data-testid': 'flag-group' }, t('flag_group'),
        c.people_count ? el('span', { class: 'people', text: fmt('flag_people', { n: c.people_count }) }) : null));
    }
    for (const reason of ['repeat_petitioner', 'over_level', 'repeat_visits']) {
      if (warnings.includes(reason)) items.push(el('span', { class: 'flag other', text: t(`flag_${reason}`) }));
    }
    if (c.leader) {
      items.push(el('span', { class: 'flag leader', 'data-testid': 'flag-leader', text: fmt('flag_leader', { name: c.leader }) }));
    }
    if (!items.length) return null;
    return el('div', { class: 'case-flags', role: 'group', 'aria-label': t('flags_label'), 'data-testid': 'case-flags' }, items);
  }

  // ---------------------------------------------------------------- the clocks card
  function extensionsCell(d, count) {
    const list = d.extensions || [];
    if (!list.length) return [String(count || 0)];
    return [String(list.length), el('ul', { class: 'clk-extensions' }, list.map((x) => el('li', {
      text: fmt('clk_extension_item', { span: span(x.amount, x.clock), kind: label('extension_kind', x.kind),
        who: x.approved_by, reason: x.reason }) })))];
  }

  function card(c, clocks, serverNow, reload) {
    clocksById = Object.fromEntries(clocks.map((d) => [d.id, d]));
    const running = clocks.filter((d) => !d.closed_at);
    const counted = {};
    for (const e of c.timeline) {
      if (e.kind === 'deadline_extended' && e.data && e.data.deadline != null) counted[e.data.deadline] = (counted[e.data.deadline] || 0) + 1;
    }
    const can = (action) => running.some((d) => (d.actions || []).includes(action));
    const toolbar = el('div', { class: 'clk-toolbar' },
      can('pause') ? el('button', { type: 'button', 'data-testid': 'clock-pause', text: t('clk_pause'),
        onclick: () => pauseDialog(c, reload) }) : null,
      can('resume') ? el('button', { type: 'button', 'data-testid': 'clock-resume', text: t('clk_resume'),
        onclick: () => resumeDialog(c, reload) }) : null);
    const note = c.paused ? el('p', { class: 'badge warning', text: t('case_paused_note') }) : null;
    const heading = el('h2', { id: 'case-deadlines-h', tabindex: '-1', text: t('case_deadlines') });
    const section = (...body) => el('section', { class: 'card', 'data-testid': 'case-deadlines', 'aria-labelledby': 'case-deadlines-h' },
      heading, note, toolbar.childElementCount ? toolbar : null, ...body);
    if (!running.length) return section(el('p', { class: 'muted', text: t('no_deadlines') }));
    const headers = ['deadline_name', 'clk_limit', 'deadline_due', 'deadline_remaining', 'deadline_status',
      'deadline_paused', 'deadline_extensions', 'clk_actions'].map(t);
    const rows = running.map((d) => {
      const paused = d.paused !== undefined ? d.paused : d.status === 'paused';
      const since = d.paused_since !== undefined ? d.paused_since : d.paused_at;
      const remaining = Math.round((new Date(d.due_at).getTime() - serverNow) / 1000);
      const pausedCell = paused
        ? [el('span', { class: 'badge warning', text: t('deadline_paused') }), ' ', t('paused_since'), ' ', fmtTime(since)]
        : [t('not_paused')];
      if (d.paused_seconds) pausedCell.push(el('div', { class: 'muted', text: `${t('paused_total')} ${fmtDuration(d.paused_seconds)}` }));
      const cells = [
        [clockName(d), d.pausable === false ? el('div', { class: 'muted small', text: t('clk_not_pausable') }) : null],
        [d.limit ? span(d.limit.amount, d.limit.clock) : '—',
          d.starts_at ? el('div', { class: 'muted small', 'data-testid': 'deadline-start', text: `${t('clk_start')} ${fmtTime(d.starts_at)}` }) : null],
        [el('span', { 'data-testid': 'deadline-due', text: fmtTime(d.due_at) }), ' ', calMark(d)],
        [paused ? el('span', { class: 'badge none', text: '—' }) : dueBadge(remaining, d.overdue_by)],
        [label('deadline', d.status)],
        pausedCell,
        extensionsCell(d, counted[d.id]),
        [(d.actions || []).includes('extend') ? el('button', { type: 'button', class: 'small', 'data-testid': 'clock-extend',
          'aria-label': fmt('clk_extend_named', { name: clockName(d) }), text: t('clk_extend'),
          onclick: () => extendDialog(d, reload) }) : null],
      ];
      return el('tr', { dataset: { deadline: d.id, rule: d.rule_key || '' } }, cells.map((body, i) => el('td', {
        'data-label': headers[i], 'data-testid': i === 3 ? 'deadline-remaining' : null }, body)));
    });
    return section(el('div', { class: 'clocks-scroll' }, el('table', { class: 'clocks-table stack' },
      el('thead', {}, el('tr', {}, headers.map((h) => el('th', { scope: 'col', text: h })))), el('tbody', {}, rows))));
  }

  // ---------------------------------------------------------------- dialogs
  // A field: label, control, hint and the place for its error (filled from the API's `fields`).
  function field(name, text, control, hint) {
    const id = `clk-${name}`;
    control.id = id;
    control.name = name;
    const error = el('div', { class: 'field-error', id: `${id}-error`, 'data-error-for': name, hidden: true });
    control.setAttribute('aria-describedby', `${id}-error` + (hint ? ` ${id}-hint` : ''));
    return el('div', { class: 'field', dataset: { field: name } }, el('label', { for: id, text }), control,
      hint ? el('div', { class: 'hint', id: `${id}-hint`, text: hint }) : null, error);
  }

  function select(options, value) {
    return el('select', {}, options.map(([code, text]) => el('option', { value: code, selected: code === value, text })));
  }

  function openDialog(title, body, submitText, send, reload) {
    const alert = el('p', { class: 'error', role: 'alert', hidden: true });
    const submit = el('button', { type: 'submit', class: 'primary', text: submitText });
    const form = el('form', { novalidate: true, class: 'clk-form' }, el('h2', { text: title }), alert, ...body,
      el('div', { class: 'actions' }, submit, el('button', { type: 'button', text: t('cancel'), onclick: () => dialog.close() })));
    const dialog = el('dialog', { class: 'clk-dialog', 'data-testid': 'clock-dialog', 'aria-label': title }, form);
    dialog.addEventListener('close', () => dialog.remove());
    const opener = document.activeElement;
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      for (const box of form.querySelectorAll('[data-error-for]')) { box.hidden = true; box.textContent = ''; }
      for (const box of form.querySelectorAll('.field.invalid')) box.classList.remove('invalid');
      alert.hidden = true;
      const missing = [...form.querySelectorAll('[data-required]')].filter((c) => !c.closest('[hidden]') && !c.value.trim());
      if (missing.length) return showErrors(form, Object.fromEntries(missing.map((c) => [c.name, t('clk_required')])));
      submit.disabled = true;
      try {
        const message = await send(new FormData(form));
        dialog.close();
        toast(message);
        await reload();
        const heading = document.getElementById('case-deadlines-h');
        if (heading) heading.focus();
      } catch (err) {
        const fields = err instanceof ApiError && err.body && err.body.fields;
        if (fields && Object.keys(fields).some((k) => form.querySelector(`[data-error-for="${k}"]`))) showErrors(form, fields);
        else { alert.textContent = err instanceof ApiError ? err.message : t('error'); alert.hidden = false; }
      } finally {
        submit.disabled = false;
      }
    });
    document.body.append(dialog);
    dialog.showModal();
    const first = form.querySelector('select, input, textarea');
    (first || submit).focus();
    dialog.addEventListener('close', () => { if (opener && opener.isConnected) opener.focus(); });
  }

  function showErrors(form, fields) {
    let first = null;
    for (const [name, message] of Object.entries(fields)) {
      const box = form.querySelector(`[data-error-for="${name}"]`);
      if (!box) continue;
      box.textContent = message;
      box.hidden = false;
      box.closest('.field').classList.add('invalid');
      first = first || form.querySelector(`[name="${name}"]`);
    }
    if (first) first.focus();
  }

  function reasonBox() { return el('textarea', { rows: 3, maxlength: 2000, 'data-required': true }); }

  function pauseDialog(c, reload) {
    const rules = c.pause_rules || { kinds: ['other'], approver_kinds: [] };
    const kind = select(rules.kinds.map((k) => [k, label('pause_kind', k)]), 'party');
    const approver = el('input', { type: 'text', maxlength: 100, autocomplete: 'off', 'data-required': true });
    const approverField = field('approved_by', t('clk_approver'), approver, t('clk_approver_hint'));
    const sync = () => { approverField.hidden = !rules.approver_kinds.includes(kind.value); };
    kind.addEventListener('change', sync);
    sync();
    openDialog(t('clk_pause_title'), [el('p', { class: 'muted', text: t('clk_pause_note') }),
      field('kind', t('clk_kind'), kind), field('reason', t('clk_reason'), reasonBox()), approverField],
    t('clk_submit_pause'), async (data) => {
      const body = { kind: data.get('kind'), reason: data.get('reason').trim() };
      if (!approverField.hidden) body.approved_by = data.get('approved_by').trim();
      await api('POST', `/api/v1/deadlines/cases/${encodeURIComponent(c.id)}/pause`, body);
      return t('clk_done_pause');
    }, reload);
  }

  function resumeDialog(c, reload) {
    openDialog(t('clk_resume_title'), [el('p', { text: t('clk_resume_note') })], t('clk_submit_resume'), async () => {
      await api('POST', `/api/v1/deadlines/cases/${encodeURIComponent(c.id)}/resume`);
      return t('clk_done_resume');
    }, reload);
  }

  function extendDialog(d, reload) {
    const rule = d.extension;
    const kinds = rule.kinds;
    const kind = select(kinds.map((k) => [k, label('extension_kind', k)]), kinds[0]);
    const kindHint = el('div', { class: 'hint' });
    const amount = el('input', { type: 'number', min: 1, max: rule.most || 366, step: 1, inputmode: 'numeric', 'data-required': true });
    const clocks = rule.clock ? [rule.clock] : ['natural', 'workdays', 'hours'];
    const unit = select(clocks.map((k) => [k, t(`clk_clock_${k}`)]), rule.clock || (d.limit && d.limit.clock) || 'natural');
    if (rule.clock) unit.disabled = true;
    const told = el('input', { type: 'date', 'data-required': true });
    const toldField = field('party_told_on', t('clk_party_told'), told);
    const sync = () => {
      kindHint.textContent = t(kind.value === 'consent' ? 'clk_consent_hint' : 'clk_approval_hint');
      toldField.hidden = !(rule.party_told && kind.value === 'approval');
    };
    kind.addEventListener('change', sync);
    sync();
    const most = rule.most ? fmt('clk_most', { n: span(rule.most, rule.clock || 'natural') }) : null;
    openDialog(fmt('clk_extend_named', { name: clockName(d) }), [
      el('p', { class: 'muted' }, `${t('deadline_due')} ${fmtTime(d.due_at)}`),
      el('div', {}, field('kind', t('clk_ext_kind'), kind), kindHint),
      el('div', { class: 'clk-amount' }, field('amount', t('clk_amount'), amount, most), field('clock', t('clk_unit'), unit)),
      field('reason', t('clk_reason'), reasonBox()), toldField],
    t('clk_submit_extend'), async (data) => {
      const body = { amount: Number(data.get('amount')), clock: rule.clock || data.get('clock'), kind: data.get('kind'),
        reason: data.get('reason').trim() };
      if (!toldField.hidden) body.party_told_on = data.get('party_told_on');
      const out = await api('POST', `/api/v1/deadlines/${encodeURIComponent(d.id)}/extend`, body);
      return fmt('clk_done_extend', { due: fmtTime(out.new_due_at) });
    }, reload);
  }

  // ---------------------------------------------------------------- the timeline
  // Readable words of a clock event (pause, resume, extension), beyond what case.js writes.
  function eventDetail(e) {
    const d = e.data || {};
    const parts = [];
    if (e.kind === 'case_resumed' && d.paused_seconds) parts.push(fmt('clk_paused_for', { d: fmtDuration(d.paused_seconds) }));
    if (e.kind === 'deadline_extended' && d.amount && d.clock) parts.push(fmt('clk_extended_by', { span: span(d.amount, d.clock) }));
    return parts;
  }

  // The name of the clock an event is about, in the page's language.
  function eventClockName(e) {
    const d = e.data || {};
    const clock = clocksById[d.deadline] || Object.values(clocksById).find((x) => x.rule_key && x.rule_key === d.rule_key);
    if (clock) return clockName(clock);
    return LANG === 'en' ? t('clk_deadline') : d.name;
  }

  // Phone width: every table of the page stacks its cells under their column names (CSS: table.stack).
  function stackTables(root) {
    for (const table of root.querySelectorAll('table:not(.stack)')) {
      const headers = [...table.querySelectorAll('thead th')].map((th) => th.textContent);
      if (!headers.length) continue;
      for (const row of table.querySelectorAll('tbody tr')) {
        [...row.children].forEach((cell, i) => { if (headers[i] && !cell.dataset.label) cell.dataset.label = headers[i]; });
      }
      table.classList.add('stack');
    }
  }

  window.tjClocks = { flags, card, eventDetail, eventClockName, clockName, stackTables };
})();
