import dicomParser from 'dicom-parser';
import { writeSyntheticDicom } from '../test/helpers/syntheticDicom.js';
const file = writeSyntheticDicom({ transferSyntax: '1.2.840.10008.1.2.5', encapsulatedFrames: [new Uint8Array(400)] });
for (const cut of [58, 8, 4, 200, 420]) {
try { const ds = dicomParser.parseDicom(file.subarray(0, file.length - cut)); console.log(cut, 'ok', ds.elements.x7fe00010, ds.warnings); }
catch (e: any) { console.log(cut, 'threw', e.exception, Object.keys(e.dataSet?.elements ?? {}).slice(-3)); }
}
