// The editor's timer panel in the office's words (issue 17): a duration as a number of 工作日 / 日 / 小时 or
// ISO 8601, a date as a date-time or a case date plus a limit, a cycle as "every N … , M times" or ISO 8601.
// It writes what the engine runs (engine/core/timer_text.py reads these forms) and reads them back; an
// expression written in Python is shown read only, never edited here.
(function () {
  'use strict';
  const { el, t } = window.tj;
  const SLOTS = { duration: 'timeDuration', date: 'timeDate', cycle: 'timeCycle' };
  const KIND_OF = { timeDuration: 'duration', timeDate: 'date', timeCycle: 'cycle' };
  // unit -> [the office's word, most allowed] (engine/core/durations.py: UNIT_TEXT, MAX_AMOUNT)
  const UNITS = { workdays: ['个工作日', 2500], natural: ['日', 3660], hours: ['小时', 87840] };
  const UNIT_RE = [[/^(个)?工作日$/, 'workdays'], [/^(日|天|个自然日|自然日)$/, 'natural'], [/^(个)?小时$/, 'hours']];
  // Case dates a timer may count from: variable -> the office's name of the day (engine.core.timer_text.CASE_DATES).
  const CASE_DATES = {
    received_on: '收到之日', accepted_on: '受理之日', applied_on: '申请之日', agreement_effective_on: '协议生效之日',
    notice_served_on: '告知书送达之日', opinion_received_on: '收到处理意见书之日', review_applied_on: '复查申请日期',
    recheck_applied_on: '复核申请日期', knew_on: '知道或应当知道权利被侵害之日',
  };
  const DATE_NAMES = {  // every name timer_text knows -> variable
    收到日期: 'received_on', 来访日期: 'received_on', 收到之日: 'received_on', 来访之日: 'received_on',
    受理日期: 'accepted_on', 受理之日: 'accepted_on', 申请日期: 'applied_on', 申请之日: 'applied_on',
    协议生效日期: 'agreement_effective_on', 协议生效之日: 'agreement_effective_on',
    告知书送达日期: 'notice_served_on', 告知书送达之日: 'notice_served_on',
    处理意见书收到日期: 'opinion_received_on', 收到处理意见书之日: 'opinion_received_on',
    复查申请日期: 'review_applied_on', 复核申请日期: 'recheck_applied_on', 知道或应当知道权利被侵害之日: 'knew_on',
  };
  const CYCLE_UNITS = { D: 'natural', H: 'hours', M: 'minutes' };
  const ISO_DURATION = /^P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+([.,]\d+)?S)?)?$/;

  function unitOf(word) {
    const hit = UNIT_RE.find(([re]) => re.test(word));
    return hit ? hit[1] : null;
  }

  function office(amount, unit) { return amount + ' ' + UNITS[unit][0]; }

  function isIsoCycle(text) {
    const parts = text.split('/');
    if (!/^R\d*$/.test(parts[0]) || parts.length < 2 || parts.length > 3) return false;
    const rest = parts.slice(1);
    const durations = rest.filter((p) => ISO_DURATION.test(p)).length;
    return durations === 1 && rest.every((p) => ISO_DURATION.test(p) || !Number.isNaN(Date.parse(p)));
  }

  // What the panel makes of a timer's text: {kind, mode, ...} or {kind, mode: 'python'}.
  function read(slot, body) {
    const kind = KIND_OF[slot] || 'duration';
    let text = (body || '').trim();
    const quoted = /^"([^"\\]*)"$/.exec(text) || /^'([^'\\]*)'$/.exec(text);
    if (quoted) text = quoted[1].trim();
    const squeezed = text.replace(/\s+/g, '');
    let m;
    if (!text) return { kind, mode: 'empty' };
    if (kind === 'duration') {
      if ((m = /^(\d+)(.+)$/.exec(squeezed)) && unitOf(m[2])) return { kind, mode: 'office', amount: +m[1], unit: unitOf(m[2]) };
      if (ISO_DURATION.test(text.toUpperCase())) return { kind, mode: 'iso', iso: text.toUpperCase() };
    } else if (kind === 'date') {
      if ((m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d)(:\d\d)?(\+08:00)?$/.exec(text))) return { kind, mode: 'at', at: m[1] };
      if ((m = /^自?(.+?)起(\d+)(.+)$/.exec(squeezed)) && unitOf(m[3])) {
        const start = DATE_NAMES[m[1]] || (CASE_DATES[m[1]] ? m[1] : null);
        if (start) return { kind, mode: 'from', start, amount: +m[2], unit: unitOf(m[3]) };
      }
      if ((m = /^([A-Za-z_]\w*)\+(\d+)(.+)$/.exec(squeezed)) && CASE_DATES[m[1]] && unitOf(m[3])) {
        return { kind, mode: 'from', start: m[1], amount: +m[2], unit: unitOf(m[3]) };
      }
    } else {
      if ((m = /^R(\d*)\/P(?:(\d+)D|T(\d+)H|T(\d+)M)$/.exec(text.toUpperCase()))) {
        const every = +(m[2] || m[3] || m[4]);
        const unit = m[2] ? 'natural' : m[3] ? 'hours' : 'minutes';
        return { kind, mode: 'every', times: m[1] ? +m[1] : null, every, unit };
      }
      if (isIsoCycle(text.toUpperCase())) return { kind, mode: 'iso', iso: text.toUpperCase() };
    }
    return { kind, mode: 'python', text: body.trim() };
  }

  function cycleText(times, every, unit) {
    const piece = unit === 'natural' ? `P${every}D` : unit === 'hours' ? `PT${every}H` : `PT${every}M`;
    return `R${times || ''}/${piece}`;
  }

  // ctx: {modeling, moddle, field(id, label, control, hint)}
  function section(element, def, ctx) {
    const { modeling, moddle, field } = ctx;
    const slot = Object.values(SLOTS).find((k) => def[k]) || 'timeDuration';
    const expr = def[slot];
    const now = read(slot, expr && expr.body);
    let kind = now.kind;
    const box = el('div', { class: 'tm-panel', 'data-testid': 'timer-panel' });
    const error = el('p', { class: 'field-error', role: 'alert', 'data-testid': 'timer-error', hidden: true });

    function write(slotName, body) {
      const attrs = { timeDuration: undefined, timeDate: undefined, timeCycle: undefined };
      attrs[slotName] = moddle.create('bpmn:FormalExpression', { body });
      modeling.updateModdleProperties(element, def, attrs);
    }

    function refuse(key) {
      error.textContent = t(key);
      error.hidden = false;
      return false;
    }

    function amountOk(input, unit) {
      const n = Number(input.value);
      const max = unit in UNITS ? UNITS[unit][1] : 100000;
      const ok = Number.isInteger(n) && n >= 1 && n <= max && /^\d+$/.test(input.value.trim());
      input.setAttribute('aria-invalid', String(!ok));
      return ok;
    }

    const kindSelect = el('select', {}, Object.keys(SLOTS).map((k) =>
      el('option', { value: k, selected: k === kind, text: t('tm_kind_' + k) })));
    const controls = el('div', { class: 'tm-controls' });

    function number(id, value) {
      return el('input', { type: 'number', id, min: 1, step: 1, inputmode: 'numeric', value: value == null ? '' : value });
    }

    function unitSelect(chosen, units, withIso) {
      return el('select', {}, [...units.map((u) => el('option', { value: u, selected: u === chosen, text: t('tm_unit_' + u) })),
        withIso ? el('option', { value: 'iso', selected: chosen === 'iso', text: t('tm_iso') }) : null]);
    }

    function durationControls(state) {
      const unit = unitSelect(state.mode === 'iso' ? 'iso' : state.unit || 'workdays', Object.keys(UNITS), true);
      const amount = number('prop-timer-amount', state.amount);
      const iso = el('input', { type: 'text', value: state.iso || '', spellcheck: 'false', placeholder: 'P30D' });
      const amountField = field('prop-timer-amount', t('tm_amount'), amount);
      const isoField = field('prop-timer-iso', t('tm_iso_duration'), iso, t('tm_iso_duration_hint'));
      const show = () => { amountField.hidden = unit.value === 'iso'; isoField.hidden = unit.value !== 'iso'; };
      const apply = () => {
        error.hidden = true;
        if (unit.value === 'iso') {
          const value = iso.value.trim().toUpperCase();
          if (!ISO_DURATION.test(value)) return refuse('tm_bad_iso_duration');
          return write('timeDuration', value);
        }
        if (!amount.value.trim()) return false;
        if (!amountOk(amount, unit.value)) return refuse('tm_bad_amount');
        return write('timeDuration', office(Number(amount.value), unit.value));
      };
      unit.addEventListener('change', () => { show(); apply(); });
      amount.addEventListener('change', apply);
      iso.addEventListener('change', apply);
      show();
      return [el('div', { class: 'row2' }, amountField, field('prop-timer-unit', t('tm_unit'), unit)), isoField];
    }

    function dateControls(state) {
      const mode = el('select', {}, ['from', 'at'].map((m) =>
        el('option', { value: m, selected: m === (state.mode === 'at' ? 'at' : 'from'), text: t('tm_date_' + m) })));
      const at = el('input', { type: 'datetime-local', value: state.at || '' });
      const start = el('select', {}, Object.entries(CASE_DATES).map(([v, name]) =>
        el('option', { value: v, selected: v === state.start, text: name })));
      const amount = number('prop-timer-amount', state.amount);
      const unit = unitSelect(state.unit || 'natural', Object.keys(UNITS), false);
      const atField = field('prop-timer-at', t('tm_at'), at, t('tm_at_hint'));
      const fromBox = el('div', {}, field('prop-timer-start', t('tm_start'), start),
        el('div', { class: 'row2' }, field('prop-timer-amount', t('tm_amount'), amount),
          field('prop-timer-unit', t('tm_unit'), unit)));
      const show = () => { atField.hidden = mode.value !== 'at'; fromBox.hidden = mode.value !== 'from'; };
      const apply = () => {
        error.hidden = true;
        if (mode.value === 'at') {
          if (!at.value) return false;
          return write('timeDate', at.value.slice(0, 16) + ':00+08:00');
        }
        if (!amount.value.trim()) return false;
        if (!amountOk(amount, unit.value)) return refuse('tm_bad_amount');
        return write('timeDate', `自${CASE_DATES[start.value]}起 ${office(Number(amount.value), unit.value)}`);
      };
      mode.addEventListener('change', () => { show(); apply(); });
      for (const c of [at, start, amount, unit]) c.addEventListener('change', apply);
      show();
      return [field('prop-timer-date-mode', t('tm_date_mode'), mode), atField, fromBox];
    }

    function cycleControls(state) {
      const unit = unitSelect(state.mode === 'iso' ? 'iso' : state.unit || 'natural', ['natural', 'hours', 'minutes'], true);
      const every = number('prop-timer-every', state.every);
      const times = number('prop-timer-times', state.times);
      const iso = el('input', { type: 'text', value: state.iso || '', spellcheck: 'false', placeholder: 'R3/P1D' });
      const everyField = field('prop-timer-every', t('tm_every'), every);
      const timesField = field('prop-timer-times', t('tm_times'), times, t('tm_times_hint'));
      const everyBox = el('div', {}, el('div', { class: 'row2' }, everyField, field('prop-timer-unit', t('tm_unit'), unit)),
        timesField);
      const isoField = field('prop-timer-iso', t('tm_iso_cycle'), iso, t('tm_iso_cycle_hint'));
      const show = () => {
        everyField.hidden = timesField.hidden = unit.value === 'iso';
        isoField.hidden = unit.value !== 'iso';
      };
      const apply = () => {
        error.hidden = true;
        if (unit.value === 'iso') {
          const value = iso.value.trim().toUpperCase();
          if (!isIsoCycle(value)) return refuse('tm_bad_iso_cycle');
          return write('timeCycle', value);
        }
        if (!every.value.trim()) return false;
        if (!amountOk(every, unit.value)) return refuse('tm_bad_amount');
        if (times.value.trim() && !amountOk(times, 'times')) return refuse('tm_bad_amount');
        return write('timeCycle', cycleText(times.value.trim(), Number(every.value), unit.value));
      };
      unit.addEventListener('change', () => { show(); apply(); });
      for (const c of [every, times, iso]) c.addEventListener('change', apply);
      show();
      return [everyBox, isoField];
    }

    function fill() {
      const state = kind === now.kind ? now : { kind, mode: 'empty' };
      const parts = kind === 'duration' ? durationControls(state) : kind === 'date' ? dateControls(state) : cycleControls(state);
      controls.replaceChildren(...parts);
    }

    kindSelect.addEventListener('change', () => { kind = kindSelect.value; error.hidden = true; fill(); });
    fill();
    const python = now.mode === 'python'
      ? el('div', { class: 'tm-python', 'data-testid': 'timer-python' },
        el('p', { class: 'hint', text: t('tm_python_note') }), el('code', { text: now.text }))
      : null;
    const written = expr && expr.body && now.mode !== 'python'
      ? el('p', { class: 'hint', 'data-testid': 'timer-written' }, t('tm_written') + '：', el('code', { text: expr.body.trim() }),
        ' ', t('tm_counted_' + (now.kind === 'cycle' || now.mode === 'iso' || now.mode === 'at' ? 'iso' : 'office')))
      : null;
    box.append(...[field('prop-timer-kind', t('tm_kind'), kindSelect), python, controls, error, written].filter(Boolean));
    return [el('h3', { text: t('ed_timer') }), box];
  }

  window.tjEditorTimers = { section, read };
})();
