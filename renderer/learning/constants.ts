/** Defaults of the Learning panel. */
export const LEARNING_DEFAULTS = Object.freeze({
  /** Fine-tune steps offered (the back end's own default is larger; a batch of corrections needs few). */
  steps: 60,
});
