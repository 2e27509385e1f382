export {
  BACKEND_ENV_VAR,
  BACKEND_NAMES,
  BackendConfigError,
  getActiveBackend,
  parseBackendPreference,
  resetBackendSelectionState,
  selectBackend,
  type BackendAttempt,
  type BackendLogger,
  type BackendName,
  type BackendPreference,
  type BackendSelection,
  type SelectBackendOptions,
} from './selectBackend.js';
export { getTf, tf } from './tf.js';
export { resolveWasmDir } from './wasmPaths.js';
