// Screening task (诉访分离甄别): above the form, the decision table's suggestion in words and why (the rule
// that matched, with this case's values), the case facts and the parties (masked), and — as the route is
// chosen — where submitting leads, as the server read it from the process model (screening.outcomes).
(function () {
  'use strict';
  const { el, t, LANG, PAGE } = window.tj;

  function fill(key, values) {
    return Object.entries(values).reduce((s, [k, v]) => s.split(`{${k}}`).join(v), t(key));
  }

  // A value in words: yes/no, a code through the label tables, else as is.
  function word(field, value) {
    if (value === null || value === undefined || value === '') return '—';
    if (value === true) return t('scr_yes');
    if (value === false) return t('scr_no');
    return PAGE.t[`v_${field}_${value}`] || String(value);
  }

  // A rule cell ("\"labour\"", "True", "? in (\"a\", \"b\")") in words.
  function cell(field, text) {
    if (text === null || text === undefined) return t('scr_any');
    const trimmed = text.trim();
    if (trimmed === 'True') return t('scr_yes');
    if (trimmed === 'False') return t('scr_no');
    const quoted = [...trimmed.matchAll(/"([^"]*)"|'([^']*)'/g)].map((m) => m[1] !== undefined ? m[1] : m[2]);
    if (quoted.length) return quoted.map((q) => word(field, q)).join('、');
    return trimmed;
  }

  function optionLabel(schema, field, value) {
    const prop = (schema && schema.properties && schema.properties[field]) || {};
    const names = (LANG === 'en' && prop['x-enumNames-en']) || prop['x-enumNames'] || [];
    const i = (prop.enum || []).indexOf(value);
    return i >= 0 && names[i] ? names[i] : word(field, value);
  }

  function groupName(target) {
    return target.group ? t('group_' + target.group, target.lane || target.group) : (target.lane || '—');
  }

  function taskText(target) {
    return fill('scr_task_of', { name: target.name, group: groupName(target) });
  }

  function targetItem(target) {
    if (target.kind === 'task') return el('li', { dataset: { element: target.element_id }, text: taskText(target) });
    if (target.kind === 'call') {
      const tasks = (target.tasks || []).map(taskText).join('、') || '—';
      return el('li', { dataset: { element: target.element_id },
        text: fill('scr_call_of', { process: target.process_name || target.name, tasks }) });
    }
    return el('li', { dataset: { element: target.element_id },
      text: fill(target.kind === 'end' ? 'scr_end' : 'scr_wait', { name: target.name }) });
  }

  function valuesText(s, schema, values) {
    const parts = Object.entries(values || {}).map(([k, v]) =>
      `${t('scr_var_' + k, k)} = ${k === s.field ? optionLabel(schema, k, v) : word(k, v)}`);
    return parts.length ? fill('scr_values', { values: parts.join(t('scr_sep')) }) : '';
  }

  function keyReasons(facts) {
    const out = [];
    if (facts.group_case || (facts.people_count || 0) >= 5) out.push(fill('scr_key_group', { n: facts.people_count }));
    if (facts.risk_level === 'red') out.push(t('scr_key_red'));
    if (facts.difficult) out.push(t('scr_key_difficult'));
    return out.join('，') || word('key_case', true);
  }

  function leads(box, s, schema, value) {
    box.replaceChildren(el('h3', { text: t('scr_leads') }));
    if (!value) return;
    const route = optionLabel(schema, s.field, value);
    box.append(el('p', { 'data-testid': 'screening-leads-for', text: fill('scr_leads_for', { route }) }));
    box.append(el('p', { class: 'muted', 'data-testid': 'screening-choice-note',
      text: value === s.suggested ? t('scr_confirm_note')
        : fill('scr_override_note', { route: optionLabel(schema, s.field, s.suggested) }) }));
    const outcome = (s.outcomes || {})[value];
    if (!outcome) {
      box.append(el('p', { class: 'muted', text: t('scr_unknown') }));
      return;
    }
    const decisions = outcome.decisions || [];
    if (decisions.some((d) => d.values && d.values.key_case === true)) {
      box.append(el('p', { class: 'scr-warning', role: 'note', 'data-testid': 'screening-key-case',
        text: fill('scr_key_case', { reasons: keyReasons(s.facts || {}) }) }));
    }
    const targets = outcome.targets || [];
    if (targets.length > 1) box.append(el('p', { text: fill('scr_parallel', { n: targets.length }) }));
    box.append(el('ul', { 'data-testid': 'screening-targets' }, targets.map(targetItem)));
    if (decisions.length) {
      box.append(el('p', { class: 'muted', text: t('scr_why') }),
        el('ul', { class: 'scr-why', 'data-testid': 'screening-why' }, decisions.map((d) => el('li', {},
          fill('scr_why_gateway', { gateway: d.gateway || d.gateway_id, to: d.flow || d.to_name || d.to }),
          d.default ? t('scr_why_default') : '', valuesText(s, schema, d.values)))));
    }
  }

  function ruleBox(s) {
    const rule = s.rule;
    if (!rule) return el('p', { class: 'muted', 'data-testid': 'screening-rule', text: t('scr_rule_unknown') });
    const head = fill('scr_rule_row', { row: rule.row }) + (rule.annotation ? ` · ${rule.annotation}` : '')
      + (s.hit_policy === 'FIRST' ? ' ' + t('scr_rule_first') : '');
    const rows = (rule.inputs || []).map((i) => {
      const field = i.expression || i.id;
      return el('tr', { class: i.entry === null ? 'scr-any' : 'scr-used' },
        el('th', { scope: 'row', text: t('scr_f_' + field, i.label || field) }),
        el('td', { text: word(field, i.value) }),
        el('td', { text: cell(field, i.entry) }));
    });
    return el('div', {},
      el('p', { 'data-testid': 'screening-rule', dataset: { rule: rule.id }, text: head }),
      el('table', { class: 'scr-inputs', 'data-testid': 'screening-rule-inputs' },
        el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: t('scr_input') }),
          el('th', { scope: 'col', text: t('scr_case_value') }), el('th', { scope: 'col', text: t('scr_rule_wants') }))),
        el('tbody', {}, rows)));
  }

  function facts(s) {
    const dl = el('dl', { class: 'fields scr-facts', 'data-testid': 'screening-facts' });
    for (const [k, v] of Object.entries(s.facts || {})) {
      dl.append(el('dt', { text: t('scr_f_' + k, k) }), el('dd', { dataset: { fact: k }, text: word(k, v) }));
    }
    return dl;
  }

  function parties(list) {
    if (!list.length) return el('p', { class: 'muted', text: t('scr_no_parties') });
    return el('ul', { class: 'scr-parties', 'data-testid': 'screening-parties' }, list.map((p) => el('li', {},
      el('strong', { text: `${word('role', p.role)}：${p.name || '—'}` }),
      p.id_number ? ` · ${t('scr_f_id_number')} ${p.id_number}` : '',
      p.phone ? ` · ${t('scr_f_phone')} ${p.phone}` : '')));
  }

  function panel(host, { screening: s, schema, form, formEl }) {
    const reason = Object.entries(s.outputs || {}).filter(([k, v]) => k !== s.output && typeof v === 'string');
    const leadsBox = el('div', { class: 'scr-leads', 'aria-live': 'polite', 'data-testid': 'screening-leads' });
    host.replaceChildren(el('section', { class: 'screening', 'data-testid': 'screening', 'aria-labelledby': 'scr-h' },
      el('h2', { id: 'scr-h', text: t('scr_panel') }),
      el('dl', { class: 'fields' },
        el('dt', { text: t('scr_suggested') }),
        el('dd', {}, el('strong', { 'data-testid': 'screening-suggested', dataset: { value: s.suggested || '' },
          text: optionLabel(schema, s.field, s.suggested) })),
        ...reason.flatMap(([, v]) => [el('dt', { text: t('scr_reason') }),
          el('dd', { 'data-testid': 'screening-reason', text: v })]),
        el('dt', { text: t('scr_rule') }), el('dd', {}, ruleBox(s))),
      el('h3', { text: t('scr_facts') }), facts(s),
      el('h3', { text: t('scr_parties') }), parties(s.parties || []),
      leadsBox));
    const chosen = () => (form.values() || {})[s.field];
    const update = () => leads(leadsBox, s, schema, chosen());
    formEl.addEventListener('change', update);
    formEl.addEventListener('input', update);
    update();
  }

  window.tjScreening = { panel };
})();
