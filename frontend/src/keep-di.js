// On save, bpmn-js rebuilds each plane's DI from the shapes it drew (BpmnDiOrdering), which drops
// the layout of elements it cannot draw: the flow nodes of a process no participant references,
// an edge with no bpmnElement, … Keep that layout as it was imported, so that opening and saving
// a model loses nothing (tests/browser/test_editor.py checks the OMG MIWG reference models).
function KeepUndrawnDi(eventBus, canvas, elementRegistry) {
  let kept = [];

  eventBus.on('import.done', () => {
    const drawn = new Set(elementRegistry.getAll().map((element) => element.di).filter(Boolean));
    kept = canvas.getRootElements()
      .map((root) => root.di)
      .filter((plane) => plane && plane.$instanceOf && plane.$instanceOf('bpmndi:BPMNPlane'))
      .map((plane) => [plane, (plane.get('planeElement') || []).filter((di) => !drawn.has(di))])
      .filter(([, undrawn]) => undrawn.length);
  });

  // after BpmnDiOrdering (priority 2000) has rebuilt planeElement
  eventBus.on('saveXML.start', 1000, () => {
    for (const [plane, undrawn] of kept) {
      const current = plane.get('planeElement');
      for (const di of undrawn) {
        if (!current.includes(di)) current.push(di);
      }
    }
  });
}

KeepUndrawnDi.$inject = ['eventBus', 'canvas', 'elementRegistry'];

export const keepUndrawnDiModule = {
  __init__: ['keepUndrawnDi'],
  keepUndrawnDi: ['type', KeepUndrawnDi],
};
