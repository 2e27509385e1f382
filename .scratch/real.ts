import { decodeImageFile } from '../main/imaging/decodeImage.js';
for (const f of ['MG1_J2KI.dcm', 'MG1_JPLY.dcm']) {
  const t0 = performance.now();
  const img = await decodeImageFile('/work/shared/data/dicom-wg04/' + f);
  const t1 = performance.now();
  console.log(f, (t1 - t0).toFixed(0), 'ms', img.rows, img.columns, img.stored.constructor.name, img.storedRange, img.voi, img.display.length, process.memoryUsage().rss / 1e6);
}
