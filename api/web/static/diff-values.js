// The version diff's values (issue 17): each changed attribute, text, form field or DMN cell with its old and
// new value, under the element lists of processes.js's diffView (the versions list and the editor's publish).
(function () {
  'use strict';
  const { el, t } = window.tj;
  // What a changed key is, in the office's words (dv_k_<key>); anything else is shown as the attribute it is, in <code>.
  function label(key) {
    const known = t('dv_k_' + key, '\u0000');
    return known !== '\u0000' ? el('span', { text: known }) : el('code', { text: key });
  }

  function value(v) {
    if (v === null || v === undefined) return el('span', { class: 'muted dv-none', text: t('dv_none') });
    const text = Array.isArray(v) ? v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join('、')
      : typeof v === 'object' ? JSON.stringify(v) : String(v);
    return el('code', { class: 'dv-value', text });
  }

  function table(rows) {
    return el('table', { class: 'dv-table', 'data-testid': 'diff-values' },
      el('thead', {}, el('tr', {}, el('th', { text: t('dv_what') }), el('th', { text: t('dv_old') }),
        el('th', { text: t('dv_new') }))),
      el('tbody', {}, rows.map(([what, oldV, newV]) => el('tr', { dataset: { what: typeof what === 'string' ? what : '' } },
        el('td', {}, typeof what === 'string' ? label(what) : what),
        el('td', { class: 'dv-old', 'data-label': t('dv_old') }, value(oldV)),
        el('td', { class: 'dv-new', 'data-label': t('dv_new') }, value(newV))))));
  }

  // changes: {key: [old, new]} of one changed element
  function element(changes) {
    return table(Object.entries(changes || {}).map(([k, [a, b]]) => [k, a, b]));
  }

  // values: {form file: [{path, old, new}]}
  function forms(values) {
    const files = Object.entries(values || {}).filter(([, rows]) => rows.length);
    if (!files.length) return null;
    return el('div', { class: 'dv-forms', 'data-testid': 'diff-form-values' }, files.map(([file, rows]) =>
      el('div', { dataset: { form: file } }, el('h4', {}, el('code', { text: file })),
        table(rows.map((r) => [el('code', { text: r.path }), r.old, r.new])))));
  }

  window.tjDiffValues = { element, forms };
})();
