// BPMN editor (supervisors): bpmn-js Modeler with bpmnlint, a properties panel (editor-props.js),
// validate against the engine (problems listed and shown on the elements), publish as a new
// version with the diff against the previous one, import/export .bpmn, undo/redo.
(function () {
  'use strict';
  const { api, el, t, toast, showError, PAGE } = window.tj;
  const API = '/api/v1/processes';
  const PARAMS = new URLSearchParams(location.search);
  const state = {
    key: (PAGE.params && PAGE.params.key) || 'new', version: null, file: null, name: '',
    sources: {}, forms: {}, library: {}, rules: [], dirty: false, marked: [],
  };
  let modeler = null;
  const ui = {};

  function newDiagram() {
    const id = 'Process_' + Math.random().toString(36).slice(2, 9);
    return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="Definitions_${id}" targetNamespace="http://tiaojie.local/bpmn">
  <bpmn:process id="${id}" name="${t('ed_new_process')}" isExecutable="true">
    <bpmn:startEvent id="StartEvent_1"/>
  </bpmn:process>
  <bpmndi:BPMNDiagram id="BPMNDiagram_1">
    <bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="${id}">
      <bpmndi:BPMNShape id="StartEvent_1_di" bpmnElement="StartEvent_1">
        <dc:Bounds x="180" y="160" width="36" height="36"/>
      </bpmndi:BPMNShape>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>`;
  }

  // The executable process being edited: the page's key if the model defines it, else the first executable one.
  function processBo() {
    const defs = modeler.getDefinitions();
    const procs = ((defs && defs.rootElements) || []).filter((e) => e.$type === 'bpmn:Process');
    return procs.find((p) => p.id === state.key) || procs.find((p) => p.isExecutable) || procs[0] || null;
  }
  function processKey() { const p = processBo(); return p ? p.id : state.key; }

  function setDirty(dirty) {
    state.dirty = dirty;
    ui.dirty.hidden = !dirty;
  }

  function updateTitle() {
    const p = processBo();
    state.name = (p && p.name) || processKey();
    ui.title.textContent = `${t('ed_title')}：${state.name}`;
    ui.version.textContent = state.version ? `${processKey()} · v${state.version}` : processKey();
  }

  function updateUndo() {
    const stack = modeler.get('commandStack');
    ui.undo.disabled = !stack.canUndo();
    ui.redo.disabled = !stack.canRedo();
  }

  async function currentXml() {
    const { xml } = await modeler.saveXML({ format: true });
    return xml;
  }

  // Forms named by the model's user tasks (found in the version's bundle or the library of deployed forms).
  function bundleForms() {
    const forms = { ...state.forms };
    for (const e of modeler.get('elementRegistry').filter((x) => x.type === 'bpmn:UserTask')) {
      const f = window.tjEditorProps.spiffProperty(e.businessObject, 'formJsonSchemaFilename');
      if (f && !forms[f] && state.library[f]) forms[f] = state.library[f];
    }
    return forms;
  }

  function bundle(xml) {
    const data = new FormData();
    const sources = { ...state.sources, [state.file]: xml };
    for (const [name, text] of Object.entries(sources)) {
      data.append('files', new Blob([text], { type: 'application/xml' }), name);
    }
    for (const [name, schema] of Object.entries(bundleForms())) {
      data.append('files', new Blob([JSON.stringify(schema, null, 2)], { type: 'application/json' }), name);
    }
    return { data, sources };
  }

  function clearMarks() {
    const overlays = modeler.get('overlays');
    const canvas = modeler.get('canvas');
    overlays.remove({ type: 'tj-problem' });
    for (const [id, cls] of state.marked) {
      if (modeler.get('elementRegistry').get(id)) canvas.removeMarker(id, cls);
    }
    state.marked = [];
  }

  function mark(id, cls) {
    modeler.get('canvas').addMarker(id, cls);
    state.marked.push([id, cls]);
  }

  // The diagram element a problem is about: its element id, else the nearest id at or above its line.
  function problemElement(problem, xml) {
    const registry = modeler.get('elementRegistry');
    if (problem.element && registry.get(problem.element)) return problem.element;
    if (problem.line && (!problem.file || problem.file === state.file)) {
      const lines = xml.split('\n');
      for (let i = Math.min(problem.line, lines.length) - 1; i >= 0; i--) {
        const m = /\sid="([^"]+)"/.exec(lines[i]);
        if (m && registry.get(m[1])) return m[1];
      }
    }
    return null;
  }

  // The diagram element showing a model element: itself, or the event its event definition belongs to.
  function diagramId(id) {
    const registry = modeler.get('elementRegistry');
    if (registry.get(id)) return id;
    const owner = registry.find((e) => (e.businessObject.eventDefinitions || []).some((d) => d.id === id));
    return owner ? owner.id : null;
  }

  function selectElement(id) {
    const element = modeler.get('elementRegistry').get(diagramId(id));
    if (!element) return;
    modeler.get('selection').select(element);
    modeler.get('canvas').scrollToElement(element);
  }

  function showProblems(problems, xml) {
    clearMarks();
    const overlays = modeler.get('overlays');
    const items = problems.map((p) => {
      const id = problemElement(p, xml);
      const where = [p.file, p.line ? `${t('ed_line')} ${p.line}` : null, p.element ? `${t('ed_element')} ${p.element}` : null]
        .filter(Boolean).join(' · ');
      if (id) {
        mark(id, 'tj-invalid');
        overlays.add(id, 'tj-problem', { position: { bottom: -4, left: 0 }, scale: false,
          html: el('div', { class: 'ed-overlay', title: p.message, 'data-testid': 'problem-overlay', text: p.message }) });
      }
      const text = '⚠ ' + p.message + (where ? ` (${where})` : '');
      return el('li', { dataset: { element: id || '' } },
        id ? el('button', { type: 'button', class: 'link-like', text, onclick: () => selectElement(id) })
          : el('span', { class: 'error', text }));
    });
    ui.problems.replaceChildren(el('h2', { text: t('ed_problems') }),
      el('p', { class: 'error', role: 'alert', text: t('ed_invalid') }),
      el('ul', { class: 'ed-problems', 'data-testid': 'problems' }, items));
  }

  // Validate the current model with the engine; true when it passes.
  async function validate(xml) {
    xml = xml || await currentXml();
    ui.diff.replaceChildren();
    try {
      await api('POST', `${API}/validate`, bundle(xml).data);
    } catch (err) {
      if (err.status === 422 && err.body && err.body.problems) {
        showProblems(err.body.problems, xml);
        return false;
      }
      showError(ui.problems, err);
      return false;
    }
    clearMarks();
    ui.problems.replaceChildren(el('h2', { text: t('ed_problems') }),
      el('p', { class: 'ed-ok', role: 'status', 'data-testid': 'valid', text: t('ed_valid') }));
    return true;
  }

  async function showDiff(key, from, to) {
    const diff = await api('GET', `${API}/${encodeURIComponent(key)}/versions/${from}/diff/${to}`);
    for (const e of diff.added) { const id = diagramId(e.id); if (id) mark(id, 'tj-diff-added'); }
    for (const e of diff.changed) { const id = diagramId(e.id); if (id) mark(id, 'tj-diff-changed'); }
    const view = window.tjProcesses.diffView(diff);
    view.addEventListener('click', (ev) => {
      const li = ev.target.closest('li[data-element]');
      if (li) selectElement(li.dataset.element);
    });
    ui.diff.replaceChildren(el('h2', { text: `${t('ed_diff')}: v${from} → v${to}` }), view);
    ui.diff.scrollIntoView({ block: 'nearest' });
  }

  async function publish() {
    ui.publish.disabled = true;
    try {
      const xml = await currentXml();
      if (!(await validate(xml))) { toast(t('ed_publish_refused'), 'error'); return; }
      const { data, sources } = bundle(xml);
      const forms = bundleForms();
      const result = await api('POST', API, data);
      const key = processKey();
      const mine = result.definitions.find((d) => d.key === key) || result.definitions[0];
      state.key = mine.key;
      state.version = mine.version;
      state.sources = sources;
      state.forms = forms;
      setDirty(false);
      history.replaceState(null, '', `/processes/${encodeURIComponent(mine.key)}/editor?version=${mine.version}`);
      updateTitle();
      const message = mine.is_new ? `${t('ed_published')} v${mine.version}` : `${t('ed_unchanged')} v${mine.version}`;
      ui.problems.append(el('p', { class: 'ed-ok', role: 'status', 'data-testid': 'published', text: message }));
      toast(message, 'info');
      if (mine.is_new && mine.version > 1) await showDiff(mine.key, mine.version - 1, mine.version);
    } catch (err) {
      showError(ui.problems, err);
    } finally {
      ui.publish.disabled = false;
    }
  }

  function download(name, text) {
    const url = URL.createObjectURL(new Blob([text], { type: 'application/xml' }));
    const a = el('a', { href: url, download: name, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  async function open(xml) {
    clearMarks();
    ui.problems.replaceChildren();
    ui.diff.replaceChildren();
    try {
      await modeler.importXML(xml);
    } catch (err) {
      ui.problems.replaceChildren(el('p', { class: 'error', role: 'alert', text: t('ed_import_failed') + '：' + err.message }));
      return false;
    }
    modeler.get('canvas').zoom('fit-viewport', 'auto');
    updateTitle();
    updateUndo();
    return true;
  }

  async function importFile(file) {
    const xml = await file.text();
    if (await open(xml)) {
      state.file = file.name.replace(/\.xml$/i, '.bpmn');
      setDirty(true);
      toast(t('ed_imported'), 'info');
    }
  }

  function toolbar() {
    const button = (key, handler, attrs) => {
      const b = el('button', { type: 'button', text: t(key), ...(attrs || {}) });
      b.addEventListener('click', handler);
      return b;
    };
    ui.title = el('h1', { text: t('ed_title') });
    ui.version = el('code', { class: 'muted', 'data-testid': 'editor-version' }); // the process key: an identifier
    ui.dirty = el('span', { class: 'ed-dirty', hidden: true, text: '● ' + t('ed_unsaved') });
    ui.undo = button('ed_undo', () => modeler.get('commandStack').undo(), { disabled: true });
    ui.redo = button('ed_redo', () => modeler.get('commandStack').redo(), { disabled: true });
    ui.validate = button('ed_validate', () => validate());
    ui.publish = button('ed_publish', publish, { class: 'primary' });
    const fileInput = el('input', { type: 'file', id: 'editor-import', accept: '.bpmn,.xml,application/xml,text/xml',
      class: 'visually-hidden' });
    fileInput.addEventListener('change', () => { if (fileInput.files[0]) importFile(fileInput.files[0]); fileInput.value = ''; });
    const exportButton = button('pr_export', async () => download(state.file || processKey() + '.bpmn', await currentXml()));
    const importButton = button('pr_import', () => fileInput.click());
    return el('div', { class: 'ed-toolbar', role: 'toolbar', 'aria-label': t('ed_title') },
      ui.title, ui.version, ui.dirty, el('span', { class: 'spacer' }),
      ui.undo, ui.redo, ui.validate, ui.publish, exportButton,
      el('label', { for: 'editor-import', class: 'visually-hidden', text: t('pr_import_file') }), fileInput, importButton,
      el('a', { href: '/processes', text: t('ed_back') }));
  }

  // Forms deployed with any process (the latest version of each): the choices of the form field.
  async function loadLibrary() {
    try {
      const processes = await api('GET', API);
      const details = await Promise.all(processes.map((p) =>
        api('GET', `${API}/${encodeURIComponent(p.key)}/versions/${p.version}`)));
      for (const d of details) Object.assign(state.library, d.forms);
    } catch (err) { /* the form list then holds only the bundle's forms */ }
  }

  async function loadVersion() {
    if (state.key === 'new') {
      const handed = PARAMS.get('import') && sessionStorage.getItem(window.tjProcesses.IMPORT_KEY);
      if (handed) {
        sessionStorage.removeItem(window.tjProcesses.IMPORT_KEY);
        const { name, xml } = JSON.parse(handed);
        state.file = name.replace(/\.xml$/i, '.bpmn');
        return { xml, imported: true };
      }
      return { xml: newDiagram(), imported: false };
    }
    const key = encodeURIComponent(state.key);
    let version = Number(PARAMS.get('version')) || null;
    if (!version) {
      const versions = await api('GET', `${API}/${key}/versions`);
      version = versions[versions.length - 1].version;
    }
    const b = await api('GET', `${API}/${key}/versions/${version}/bundle`);
    state.version = version;
    state.file = b.file;
    state.sources = Object.fromEntries(Object.entries(b.sources).filter(([name]) => name !== b.file));
    state.forms = b.forms;
    return { xml: b.sources[b.file], imported: false };
  }

  async function main() {
    const root = document.getElementById('editor-page');
    const canvasBox = el('div', { class: 'ed-canvas', id: 'canvas', role: 'region', 'aria-label': t('ed_canvas'),
      'data-testid': 'canvas' });
    ui.problems = el('div', { 'aria-live': 'polite', 'data-testid': 'validation' });
    ui.diff = el('div', { 'data-testid': 'publish-diff' });
    const side = el('aside', { class: 'ed-side', 'aria-label': t('ed_props') });
    root.replaceChildren(toolbar(), el('div', { class: 'ed-body' }, canvasBox, side));
    modeler = window.TiaojieModeler.create(canvasBox, window.tj.LANG);
    const props = window.tjEditorProps.create(modeler, {
      processKey, forms: () => ({ ...state.library, ...state.forms }), rules: () => state.rules,
      canEditSla: PAGE.user && PAGE.user.role === 'supervisor',
      editForm: window.tjFormEditor && ((element) => window.tjFormEditor.editTask(element)),  // form-editor.js
    });
    side.append(ui.problems, ui.diff, props.element);  // results first: visible without scrolling
    modeler.on('commandStack.changed', (e) => {
      updateUndo();
      if (e.trigger !== 'clear') { setDirty(true); updateTitle(); }
    });
    window.tjEditor = { modeler, state, validate, publish, open, props, markDirty: () => setDirty(true) };
    const rules = api('GET', '/api/v1/deadlines/sla-rules').then((r) => { state.rules = r; }).catch(() => {});
    let loaded;
    try {
      [loaded] = await Promise.all([loadVersion(), loadLibrary(), rules]);
    } catch (err) {
      showError(ui.problems, err);
      return;
    }
    if (!state.file) state.file = 'new_process.bpmn';
    const ok = await open(loaded.xml);
    if (ok && state.key === 'new' && !loaded.imported) state.file = processKey() + '.bpmn';
    if (ok && loaded.imported) { setDirty(true); toast(t('ed_imported'), 'info'); }
    props.render();
    if (ok && window.tjFormEditor) window.tjFormEditor.fromUrl();  // ?form=<user task>: open its form
    root.dataset.ready = 'true';
  }

  window.addEventListener('beforeunload', (e) => {
    if (state.dirty) { e.preventDefault(); e.returnValue = ''; }
  });
  document.addEventListener('DOMContentLoaded', main);
})();
