import { decodeImageFile } from '../main/imaging/decodeImage.js';
const a = await decodeImageFile('/work/shared/data/dicom-wg04/MG1_J2KI.dcm');
const b = await decodeImageFile('/work/shared/data/dicom-wg04/MG1_JPLY.dcm');
const bins = new Float64Array(17), cnt = new Float64Array(17);
for (let i = 0; i < a.stored.length; i++) { const k = a.stored[i]! >> 8; bins[k]! += b.stored[i]! - a.stored[i]!; cnt[k]!++; }
for (let k = 0; k < 16; k++) console.log(k * 256, cnt[k], (bins[k]! / cnt[k]!).toFixed(2));
