/**
 * What the annotation layer tells the layers above it. Data flows one way (annotation -> training
 * sample -> model version): annotations/ never calls into training/; training/ subscribes here.
 *
 * @example
 * const unsubscribe = annotations.subscribe(ANNOTATION_EVENTS.saved, ({ annotationId }) => build(annotationId));
 */
export const ANNOTATION_EVENTS = Object.freeze({
  saved: 'mammo:annotation.saved',
} as const);

export interface AnnotationEventPayloads {
  /**
   * A version was committed: its mask file is written and its row recorded. Published after the
   * transaction, so a listener reads it from the workspace; a listener must not throw (the save
   * has already succeeded) and must not block (the reader is waiting for the save's answer).
   */
  'mammo:annotation.saved': {
    annotationId: number;
    imageId: number;
    version: number;
    author: string;
  };
}
