// The form editor's dialog and the process editor's hooks (editor.js, editor-props.js):
// window.tjFormEditor.open({name, schema, onApply(schema), returnFocus}) opens form-editor.js's editor in a dialog
// with 应用到流程 (refused while the engine finds problems) and 取消; editTask(element) edits or creates a user task's
// form, the applied form going into the bundle that 发布 deploys; fromUrl() opens ?form=<user task id>.
(function () {
  'use strict';
  const { el, t, toast } = window.tj;
  const FORM_PROPERTY = 'formJsonSchemaFilename';
  const mount = (container, options) => window.tjFormEditor.mount(container, options);

  // The dialog: the editor, 应用 (checked by the engine first) and 取消.
  function open(options) {
    const body = el('div', { class: 'fe-body' });
    const apply = el('button', { type: 'button', class: 'primary', 'data-testid': 'fe-apply', text: t('fed_apply') });
    const cancel = el('button', { type: 'button', text: t('fed_cancel') });
    const dialog = el('dialog', { class: 'fe-dialog', 'aria-labelledby': 'fed-title', 'data-testid': 'form-editor' },
      el('div', { class: 'fe-head' }, el('h2', { id: 'fed-title', text: t('fed_title') }),
        el('code', { 'data-testid': 'fe-file', text: options.name }), el('span', { class: 'spacer' }), apply, cancel),
      el('p', { class: 'hint', text: t('fed_publish_hint') }), body);
    document.body.append(dialog);
    const editor = mount(body, options);
    const close = () => { dialog.close(); dialog.remove(); if (options.returnFocus) options.returnFocus.focus(); };
    cancel.addEventListener('click', close);
    dialog.addEventListener('cancel', (e) => { e.preventDefault(); close(); });
    apply.addEventListener('click', async () => {
      apply.disabled = true;
      try {
        const schema = await editor.result();
        if (!schema) { toast(t('fed_not_applied'), 'error'); return; }
        options.onApply(schema);
        close();
        toast(t('fed_applied'), 'info');
      } finally { apply.disabled = false; }
    });
    dialog.showModal();
    const first = dialog.querySelector('#fed-form-title');
    if (first) first.focus();
    return { dialog, editor, close };
  }

  // The process editor's hook: edit (or create) the form of a user task; the applied form goes into the bundle
  // that 发布 deploys, and a new form's file name into the task's properties.
  function editTask(element) {
    const ed = window.tjEditor;
    if (!ed || !element) return null;
    const props = window.tjEditorProps;
    const chosen = props.spiffProperty(element.businessObject, FORM_PROPERTY);
    const forms = { ...ed.state.library, ...ed.state.forms };
    let name = chosen;
    if (!name) {
      name = element.id + '.json';
      for (let n = 2; forms[name]; n++) name = `${element.id}_${n}.json`;
    }
    const schema = forms[name] || { $schema: 'https://json-schema.org/draft/2020-12/schema',
      title: element.businessObject.name || '', type: 'object', properties: {}, required: [] };
    return open({ name, schema, returnFocus: document.activeElement,
      onApply(edited) {
        ed.state.forms[name] = edited;
        if (!chosen) {
          ed.modeler.get('commandStack').execute('tj.setSpiffProperty', { element, name: FORM_PROPERTY, value: name });
        }
        ed.markDirty();
        ed.props.render();
      } });
  }

  // /processes/{key}/editor?form=<user task id>: the form list's 编辑表单 link opens that task's form.
  function fromUrl() {
    const id = new URLSearchParams(location.search).get('form');
    const ed = window.tjEditor;
    const element = id && ed && ed.modeler.get('elementRegistry').get(id);
    if (!element || element.type !== 'bpmn:UserTask') return null;
    try {
      ed.modeler.get('selection').select(element);
      ed.modeler.get('canvas').scrollToElement(element);
    } catch (err) { /* an element inside a collapsed subprocess: its form opens all the same */ }
    return editTask(element);
  }

  Object.assign(window.tjFormEditor, { open, editTask, fromUrl });
})();
