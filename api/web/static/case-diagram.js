// Case page: the process diagram (bpmn-js viewer) with the case's current position highlighted.
// A case that called another process (人民调解, 信访 …) gets one tab per diagram; the diagram holding the
// open tasks is shown first. Markers: tj-active (open tasks, waiting timers), tj-done (completed).
(function () {
  'use strict';
  const { el, t, api, LANG } = window.tj;

  async function versionXml(key, version) {
    const response = await api('GET', `/api/v1/processes/${encodeURIComponent(key)}/versions/${version}/xml`,
      null, { raw: true });
    return response.text();
  }

  function mark(viewer, ids, marker) {
    const registry = viewer.get('elementRegistry');
    const canvas = viewer.get('canvas');
    for (const id of ids || []) if (registry.get(id)) canvas.addMarker(id, marker);
  }

  // Sequence flows between two completed elements (or into an active one) count as travelled.
  function markFlows(viewer, done, active) {
    const reached = new Set([...(done || []), ...(active || [])]);
    const finished = new Set(done || []);
    const canvas = viewer.get('canvas');
    for (const element of viewer.get('elementRegistry').filter((e) => e.type === 'bpmn:SequenceFlow')) {
      if (element.source && element.target && finished.has(element.source.id) && reached.has(element.target.id)) {
        canvas.addMarker(element.id, 'tj-done');
      }
    }
  }

  // diagrams: [{key, version, label, active: [...], completed: [...]}]
  function render(target, diagrams) {
    const box = el('div', { class: 'diagram', 'data-testid': 'case-diagram', role: 'img',
      'aria-label': t('case_diagram') });
    const tabs = el('div', { class: 'diagram-tabs', role: 'group', 'aria-label': t('case_diagram') });
    const status = el('p', { class: 'muted', 'aria-live': 'polite' });
    let viewer = null;
    let current = null;

    async function show(index) {
      current = index;
      for (const [i, button] of [...tabs.children].entries()) button.setAttribute('aria-pressed', String(i === index));
      const d = diagrams[index];
      if (viewer) viewer.destroy();
      box.replaceChildren();
      status.textContent = '';
      viewer = window.TiaojieViewer.create(box, LANG);
      try {
        const xml = await versionXml(d.key, d.version);
        if (current !== index) return;
        await viewer.importXML(xml);
        viewer.get('canvas').zoom('fit-viewport');
        mark(viewer, d.completed, 'tj-done');
        markFlows(viewer, d.completed, d.active);
        mark(viewer, d.active, 'tj-active');
        box.dataset.process = d.key;
        box.dataset.ready = 'true';
      } catch (err) {
        status.textContent = t('diagram_failed') + (err && err.message ? '：' + err.message : '');
      }
    }

    diagrams.forEach((d, i) => {
      tabs.append(el('button', { type: 'button', 'aria-pressed': 'false', onclick: () => show(i),
        text: d.label + (d.version ? ` · v${d.version}` : '') }));
    });
    const legend = el('p', { class: 'legend' },
      el('span', {}, el('span', { class: 'swatch active', 'aria-hidden': 'true' }), t('diagram_legend_active')),
      el('span', {}, el('span', { class: 'swatch done', 'aria-hidden': 'true' }), t('diagram_legend_done')));
    tabs.hidden = diagrams.length < 2;
    target.replaceChildren(tabs, box, legend, status);
    const first = diagrams.findIndex((d, i) => i > 0 && d.active.length > 0);
    show(first > 0 ? first : 0);
  }

  window.tjCaseDiagram = { render };
})();
