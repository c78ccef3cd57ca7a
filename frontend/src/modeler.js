// The supervisors' process editor: bpmn-js Modeler with bpmnlint and the Chinese translation.
// The SpiffWorkflow extension elements the engine reads (spiffworkflow:properties/property,
// calledDecisionId) are described by a moddle extension so the editor can read and write them.
import Modeler from 'bpmn-js/lib/Modeler';
import lintModule from 'bpmn-js-bpmnlint';
import lintConfig from './lint-config.js';
import spiffworkflow from './spiffworkflow-moddle.json';
import { keepUndrawnDiModule } from './keep-di.js';
import { translateModule } from './translate.js';

window.TiaojieModeler = {
  // options.moddleExtensions: further moddle descriptors, merged with the SpiffWorkflow one.
  create(container, lang, options) {
    const extra = (options && options.moddleExtensions) || {};
    return new Modeler({
      container,
      linting: { bpmnlint: lintConfig, active: true },
      additionalModules: [lintModule, translateModule(lang), keepUndrawnDiModule],
      moddleExtensions: { spiffworkflow, ...extra },
    });
  },
};
