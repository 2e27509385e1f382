import type { Image, Study } from '../api/domain.js';
import type { RasterImage } from '../imaging/rasterFormats.js';
import { estimateChestWallSide } from '../api/chestWallSide.js';
import { type DicomElement, writeDicomFile } from './dicomWriter.js';

/** Digital Mammography X-Ray Image Storage - For Presentation. */
export const MG_FOR_PRESENTATION_SOP_CLASS = '1.2.840.10008.5.1.4.1.1.1.2';

/**
 * Wraps a research-data-set raster (mini-MIAS PNG/PGM) in a DICOM MG image, so the viewer loads
 * every image through one loader. Laterality, view and spacing come from the stored row; the
 * PatientOrientation row direction says where the chest wall is in the pixels ("A": columns run
 * toward the nipple, chest wall on the left), which the viewer uses to hang the image.
 */
export function rasterToDicom(
  raster: RasterImage,
  image: Image,
  study: Study,
  seriesUid: string,
): Uint8Array {
  const sixteenBit = raster.samples instanceof Uint16Array;
  const pixelBytes = sixteenBit
    ? (() => {
        const out = new Uint8Array(raster.samples.length * 2);
        const view = new DataView(out.buffer);
        raster.samples.forEach((v, i) => view.setUint16(i * 2, v, true));
        return out;
      })()
    : new Uint8Array(raster.samples.buffer, raster.samples.byteOffset, raster.samples.byteLength);
  const rowDirection = estimateChestWallSide(raster) === 'left' ? 'A' : 'P';
  const columnDirection = image.view?.includes('CC') ? (image.laterality === 'L' ? 'R' : 'L') : 'F';
  const elements: DicomElement[] = [
    { tag: 0x00080008, vr: 'CS', value: ['DERIVED', 'PRIMARY'] },
    { tag: 0x00080060, vr: 'CS', value: 'MG' },
    { tag: 0x00081030, vr: 'LO', value: study.description ?? '' },
    { tag: 0x00100010, vr: 'PN', value: study.patient.name ?? '' },
    { tag: 0x00100020, vr: 'LO', value: study.patient.patientId },
    { tag: 0x00180015, vr: 'CS', value: 'BREAST' },
    { tag: 0x00185101, vr: 'CS', value: image.view ?? '' },
    { tag: 0x0020000d, vr: 'UI', value: study.studyUid },
    { tag: 0x0020000e, vr: 'UI', value: seriesUid },
    { tag: 0x00200013, vr: 'IS', value: String(image.instanceNumber ?? 1) },
    { tag: 0x00200020, vr: 'CS', value: [rowDirection, columnDirection] },
    { tag: 0x00200062, vr: 'CS', value: image.laterality ?? '' },
    { tag: 0x00280002, vr: 'US', value: 1 },
    { tag: 0x00280004, vr: 'CS', value: 'MONOCHROME2' },
    { tag: 0x00280010, vr: 'US', value: raster.height },
    { tag: 0x00280011, vr: 'US', value: raster.width },
    { tag: 0x00280100, vr: 'US', value: sixteenBit ? 16 : 8 },
    { tag: 0x00280101, vr: 'US', value: raster.bitDepth },
    { tag: 0x00280102, vr: 'US', value: raster.bitDepth - 1 },
    { tag: 0x00280103, vr: 'US', value: 0 },
    { tag: 0x00281050, vr: 'DS', value: String((raster.maxval + 1) / 2) },
    { tag: 0x00281051, vr: 'DS', value: String(raster.maxval + 1) },
    { tag: 0x7fe00010, vr: sixteenBit ? 'OW' : 'OB', value: pixelBytes },
  ];
  if (image.pixelSpacingMm) {
    elements.push({ tag: 0x00280030, vr: 'DS', value: image.pixelSpacingMm.map(String) });
  }
  return writeDicomFile(MG_FOR_PRESENTATION_SOP_CLASS, image.sopInstanceUid, elements);
}
