import { decodeImage } from '../main/imaging/decodeImage.js';
import { writeSyntheticDicom } from '../test/helpers/syntheticDicom.js';
const f = writeSyntheticDicom({ transferSyntax: '1.2.840.10008.1.2.5', encapsulatedFrames: [new Uint8Array(30 * 1024)] });
for (const cut of [10240 + 16, 10240 + 16 + 2, 10240 + 16 - 2, 10240 + 8 + 8 + 4, 8]) {
  await decodeImage(f.subarray(0, f.length - cut), 'y.dcm').then(() => console.log(cut, 'ok'), (e) => console.log(cut, e.code, e.message));
}
