// The supervisors' process editor: bpmn-js Modeler with bpmnlint and the Chinese translation.
import Modeler from 'bpmn-js/lib/Modeler';
import lintModule from 'bpmn-js-bpmnlint';
import lintConfig from './lint-config.js';
import { translateModule } from './translate.js';

window.TiaojieModeler = {
  create(container, lang) {
    return new Modeler({
      container,
      keyboard: { bindTo: document },
      linting: { bpmnlint: lintConfig, active: true },
      additionalModules: [lintModule, translateModule(lang)],
    });
  },
};
