/**
 * The report as an Encapsulated PDF (SOP class 1.2.840.10008.5.1.4.1.1.104.1, PS3.3 A.45.1), so
 * that a PACS stores it in the study next to the images: Patient and General Study copied from
 * the study, an Encapsulated Document Series of its own (modality DOC), SC Equipment (a
 * workstation-made document: conversion type WSD) and the Encapsulated Document module.
 */
import type { Dataset } from './dicomCommon.js';
import { code, dicomDateTime, MANUFACTURER, SOFTWARE_VERSION } from './dicomCommon.js';

export const ENCAPSULATED_PDF_SOP_CLASS = '1.2.840.10008.5.1.4.1.1.104.1';

export interface EncapsulatedPdfInput {
  patientStudy: Dataset;
  pdf: Uint8Array;
  title: string;
  sopInstanceUid: string;
  seriesInstanceUid: string;
  seriesNumber: number;
  createdAt: Date;
}

export function buildEncapsulatedPdf(input: EncapsulatedPdfInput): Dataset {
  const { date, time } = dicomDateTime(input.createdAt);
  // OB values have even length; a PDF reader ignores a trailing NUL after %%EOF.
  const padded = new Uint8Array(input.pdf.length + (input.pdf.length % 2));
  padded.set(input.pdf);
  return {
    ...input.patientStudy,
    SOPClassUID: ENCAPSULATED_PDF_SOP_CLASS,
    SOPInstanceUID: input.sopInstanceUid,
    Modality: 'DOC',
    SeriesInstanceUID: input.seriesInstanceUid,
    SeriesNumber: input.seriesNumber,
    SeriesDescription: 'Report (research software)',
    Manufacturer: MANUFACTURER,
    SoftwareVersions: SOFTWARE_VERSION,
    ConversionType: 'WSD',
    InstanceNumber: 1,
    ContentDate: date,
    ContentTime: time,
    AcquisitionDateTime: `${date}${time}`,
    BurnedInAnnotation: 'YES',
    DocumentTitle: input.title,
    ConceptNameCodeSequence: [code('18748-4', 'LN', 'Diagnostic imaging report')],
    MIMETypeOfEncapsulatedDocument: 'application/pdf',
    EncapsulatedDocument: padded.buffer,
    EncapsulatedDocumentLength: input.pdf.length,
  };
}
